import { describe, it, expect } from "vitest";
import { checkShape, patternInfo } from "./shape.js";
import { loadSource } from "./load.js";
import { SiteIntent } from "./schema.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

const FILE = "sites/bjs.yaml";

/** A valid site; the line numbers in the comments are what the tests below point at. */
const BASE = [
  "site: bjs", // 1
  "networks:", // 2
  "  vpc: 172.16.0.0/16", // 3
  "  onprem: 10.10.0.0/16", // 4
  "hosts:", // 5
  "  gw:", // 6
  "    os: rhel", // 7
  "    address: 172.16.1.157/24", // 8
  "peers:", // 9
  "  dc:", // 10
  "    platform: cisco-ios", // 11
  "    address: 10.10.1.100", // 12
  "tunnels:", // 13
  "  vpn1:", // 14
  "    between: [gw, dc]", // 15
  "    ike: { version: 1, proposals: [aes128-sha1-modp1024] }", // 16
  "    esp: { proposals: [aes128-sha1-modp1024] }", // 17
  "    psk: { env: VPN1_PSK }", // 18
  "    inside: 169.254.100.0/30", // 19
  "    routes: { toPeer: [onprem], toHost: [vpc] }", // 20
  "cluster:", // 21
  "  masquerade: { nonMasqueradeCIDRs: [vpc, onprem], resyncInterval: 60s }", // 22
  "  egress:", // 23
  "    - namespace: payments", // 24
  "      pods: { app: curl }", // 25
  "      allow: [{ to: onprem, ports: [tcp/8080] }]", // 26
];

/** BASE with some lines (1-based) replaced; `null` deletes the line. */
function site(changes: Record<number, string | null> = {}): string {
  return BASE.flatMap((line, i) => {
    const change = changes[i + 1];
    return change === undefined ? [line] : change === null ? [] : [change];
  }).join("\n") + "\n";
}

function check(text: string) {
  const loaded = loadSource(FILE, text);
  expect(loaded.diagnostics).toEqual([]);
  if (!loaded.source) throw new Error("not loaded");
  return checkShape(loaded.source, loaded.data);
}

function where(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code}@${d.range?.start.line}:${d.range?.start.column}`);
}

function only(text: string): Diagnostic {
  const { diagnostics } = check(text);
  expect(diagnostics).toHaveLength(1);
  return diagnostics[0] as Diagnostic;
}

describe("checkShape", () => {
  it("returns the typed intent for a valid site", () => {
    const result = check(site());
    expect(result.diagnostics).toEqual([]);
    expect(result.intent?.tunnels?.vpn1?.psk).toEqual({ env: "VPN1_PSK" });
  });

  describe("SW011 unknown key", () => {
    it("points at the key and suggests the closest allowed key", () => {
      const d = only(site({ 19: "    insde: 169.254.100.0/30" }));
      expect(where([d])).toEqual(["SW011@19:5"]);
      expect(d.message).toBe("unknown key 'insde' in tunnel 'vpn1'");
      expect(d.hint).toBe("did you mean 'inside'?");
      expect(d.range?.end).toEqual({ line: 19, column: 10 });
      // The quick fix replaces exactly the misspelt key.
      expect(d.fix).toEqual({ range: d.range, replacement: "inside" });
    });

    it("suggests across a transposition and a case difference", () => {
      const { diagnostics } = check(site({ 7: "    so: rhel" }));
      expect(where(diagnostics)).toEqual(["SW012@6:3", "SW011@7:5"]);
      expect(diagnostics[1]?.hint).toBe("did you mean 'os'?");
      expect(check(site({ 20: "    ruotes: { toPeer: [onprem] }" })).diagnostics[0]?.hint).toBe("did you mean 'routes'?");
      expect(check(site({ 19: "    Inside: 169.254.100.0/30" })).diagnostics[0]?.hint).toBe("did you mean 'inside'?");
    });

    it("lists the allowed keys when nothing is close", () => {
      const d = only(site({ 22: "  masquerade: { nonMasqueradeCIDRs: [vpc], zzzzzz: 1 }" }));
      expect(where([d])).toEqual(["SW011@22:44"]);
      expect(d.message).toBe("unknown key 'zzzzzz' in the masquerade section of the cluster");
      expect(d.hint).toBe("allowed keys: nonMasqueradeCIDRs, masqLinkLocal, masqLinkLocalIPv6, resyncInterval, cidrLimit, agent");
    });

    it("at the top level", () => {
      const d = only(site({ 13: "tunnel:" }));
      expect(where([d])).toEqual(["SW011@13:1"]);
      expect(d.message).toBe("unknown key 'tunnel' in the site");
      expect(d.hint).toBe("did you mean 'tunnels'?");
    });
  });

  describe("SW012 missing required key", () => {
    it("points at the entry's key, with the key's description as hint", () => {
      const d = only(site({ 18: null }));
      expect(where([d])).toEqual(["SW012@14:3"]);
      expect(d.message).toBe("tunnel 'vpn1' is missing required key 'psk'");
      expect(d.hint).toMatch(/^psk: A reference to a secret, never the secret itself/);
    });

    it("reports every missing key of one entry", () => {
      const { diagnostics } = check(site({ 16: null, 17: null }));
      expect(where(diagnostics)).toEqual(["SW012@14:3", "SW012@14:3"]);
      expect(diagnostics.map((d) => d.message)).toEqual([
        "tunnel 'vpn1' is missing required key 'esp'",
        "tunnel 'vpn1' is missing required key 'ike'",
      ]);
    });

    it("inside a list entry and at the top level", () => {
      const d = only(site({ 26: null }));
      expect(where([d])).toEqual(["SW012@24:7"]);
      expect(d.message).toBe("cluster egress entry 1 is missing required key 'allow'");
      expect(only(site({ 1: null })).message).toBe("the site is missing required key 'site'");
    });
  });

  describe("SW013 wrong type", () => {
    it("a string where a list is expected", () => {
      const d = only(site({ 20: "    routes: { toPeer: onprem }" }));
      expect(where([d])).toEqual(["SW013@20:23"]);
      expect(d.message).toBe(
        "'toPeer' in the routes section of tunnel 'vpn1': expected a list of network names or addresses, got the string 'onprem'",
      );
      expect(d.hint).toBe('write a list: ["onprem"]');
    });

    it("a number where a duration is expected, an empty section", () => {
      const { diagnostics } = check(site({ 22: "  masquerade: { nonMasqueradeCIDRs: [vpc], resyncInterval: 60 }", 17: "    esp:" }));
      expect(where(diagnostics)).toEqual(["SW013@17:9", "SW013@22:60"]);
      expect(diagnostics[0]?.message).toBe("'esp' in tunnel 'vpn1': expected a mapping of keys, got an empty value");
      expect(diagnostics[1]?.message).toBe(
        "'resyncInterval' in the masquerade section of the cluster: expected a duration, got the number 60",
      );
    });
  });

  describe("SW014 invalid value", () => {
    it("explains each pattern in words", () => {
      const { diagnostics } = check(
        site({
          1: "site: Bjs_1",
          8: "    address: 10.0.0.300",
          16: '    ike: { version: 1, proposals: [aes128-sha1-modp1024], lifetime: "60" }',
        }),
      );
      expect(where(diagnostics)).toEqual(["SW014@1:7", "SW014@8:14", "SW014@16:69"]);
      expect(diagnostics.map((d) => d.message)).toEqual([
        "'site': 'Bjs_1' is not a valid name: lowercase letters, digits and '-', starting with a letter, at most 40 characters",
        "'address' in host 'gw': '10.0.0.300' is not an IPv4 or IPv6 address with an optional prefix length, such as 10.0.0.5/24 or 2001:db8::5/64",
        "'lifetime' in the ike section of tunnel 'vpn1': '60' is not a duration (use 60s, 5m, 1h)",
      ]);
    });

    it("a bad name as a map key points at the key", () => {
      const d = only(site({ 14: "  Tunnel_1:" }));
      expect(where([d])).toEqual(["SW014@14:3"]);
      expect(d.message).toBe(
        "key 'Tunnel_1' in 'tunnels' is not a valid name: lowercase letters, digits and '-', starting with a letter, at most 40 characters",
      );
    });

    it("an item of a list, and a number out of range", () => {
      const { diagnostics } = check(site({ 20: "    routes: { toPeer: [onprem, 10.0.0.0/33] }", 19: "    table: 300" }));
      expect(where(diagnostics)).toEqual(["SW014@19:12", "SW014@20:32"]);
      expect(diagnostics[0]?.message).toBe("'table' in tunnel 'vpn1': 300 is out of range: from 1 to 252");
      expect(diagnostics[1]?.message).toBe(
        "item 2 of 'toPeer' in the routes section of tunnel 'vpn1': '10.0.0.0/33' is not a network name, host name, IPv4/IPv6 address or CIDR",
      );
    });

    it("escapes control characters and truncates long values", () => {
      const long = "x".repeat(100);
      const { diagnostics } = check(site({ 1: 'site: bjs\ndescription: "bell\\u0007 and\\nnewline"', 3: `  ${long}: 1.2.3.4/32` }));
      const messages = diagnostics.map((d) => d.message);
      expect(messages[0]).toBe("'description': 'bell\\u0007 and\\nnewline' is not one line of text without control characters");
      expect(messages[1]).toMatch(/^key 'x{59}…' in 'networks' is not a valid name/);
      for (const m of messages) expect(m).not.toMatch(/[\u0000-\u001f]/);
    });
  });

  describe("SW015 not one of the choices", () => {
    it("a literal union collapses into one diagnostic", () => {
      const { diagnostics } = check(site({ 7: "    os: centos", 16: "    ike: { version: 3, proposals: [aes128-sha1-modp1024] }" }));
      expect(where(diagnostics)).toEqual(["SW015@7:9", "SW015@16:21"]);
      expect(diagnostics.map((d) => d.message)).toEqual([
        "'os' in host 'gw': 'centos' is not one of: debian, rhel",
        "'version' in the ike section of tunnel 'vpn1': 3 is not one of: 1, 2",
      ]);
    });

    it("a list-or-literal union: one diagnostic for a wrong string", () => {
      const d = only(site({ 22: "  masquerade: { nonMasqueradeCIDRs: everything }" }));
      expect(where([d])).toEqual(["SW015@22:37"]);
      expect(d.message).toBe(
        "'nonMasqueradeCIDRs' in the masquerade section of the cluster: expected a list of network names or addresses or 'agent-defaults', got the string 'everything'",
      );
    });

    it("a list-or-literal union: the list branch's own error for a bad item", () => {
      const d = only(site({ 22: "  masquerade: { nonMasqueradeCIDRs: [vpc, Not_A_Net] }" }));
      expect(where([d])).toEqual(["SW014@22:43"]);
      expect(d.message).toMatch(/^item 2 of 'nonMasqueradeCIDRs' in the masquerade section of the cluster: 'Not_A_Net' is not/);
    });

    it("a list-or-literal union: a number fits no branch", () => {
      expect(where(check(site({ 22: "  masquerade: { nonMasqueradeCIDRs: 5 }" })).diagnostics)).toEqual(["SW013@22:37"]);
    });
  });

  describe("SW016 sizes and duplicates", () => {
    it("too few items, an empty list, a repeated item", () => {
      const { diagnostics } = check(
        site({
          15: "    between: [gw]",
          16: "    ike: { proposals: [aes128-sha1-modp1024, aes128-sha1-modp1024] }",
          17: "    esp: { proposals: [] }",
        }),
      );
      expect(where(diagnostics)).toEqual(["SW016@15:14", "SW016@16:46", "SW016@17:23"]);
      expect(diagnostics.map((d) => d.message)).toEqual([
        "'between' in tunnel 'vpn1' needs exactly 2 items, has 1",
        "'proposals' in the ike section of tunnel 'vpn1': item 2 repeats item 1 ('aes128-sha1-modp1024')",
        "'proposals' in the esp section of tunnel 'vpn1' must not be empty",
      ]);
    });

    it("a secret reference with both env and file", () => {
      const d = only(site({ 18: "    psk: { env: VPN1_PSK, file: /run/secrets/vpn1 }" }));
      expect(where([d])).toEqual(["SW016@18:10"]);
      expect(d.message).toBe("'psk' in tunnel 'vpn1' needs exactly one of: env, file");
      expect(d.redact).toBe(true);
    });
  });

  describe("SW017 literal secrets", () => {
    it("a pasted psk is one SW017 that never repeats the value", () => {
      const d = only(site({ 18: "    psk: hunter2-correct-horse" }));
      expect(where([d])).toEqual(["SW017@18:5"]);
      expect(d.message).toBe("literal secret in tunnel 'vpn1': secrets are references");
      expect(d.hint).toBe("psk: { env: VPN1_PSK }");
      expect(d.redact).toBe(true);
      expect(JSON.stringify(d)).not.toContain("hunter2");
    });

    it("in a per-end override", () => {
      const d = only(site({ 20: "    overrides: { dc: { psk: 12345678 } }" }));
      expect(where([d])).toEqual(["SW017@20:24"]);
      expect(d.message).toBe("literal secret in the 'dc' end of tunnel 'vpn1': secrets are references");
      expect(d.hint).toBe("psk: { env: VPN1_DC_PSK }");
    });

    it("values under psk are never echoed, whatever the error", () => {
      const { diagnostics } = check(site({ 18: "    psk: { env: hunter2 secret }" }));
      expect(where(diagnostics)).toEqual(["SW014@18:17"]);
      expect(diagnostics[0]?.message).toBe(
        "'env' in the psk section of tunnel 'vpn1': the value is not an environment variable name: capital letters, digits and '_', not starting with a digit",
      );
      expect(diagnostics[0]?.redact).toBe(true);
    });

    it("a secret pasted as a key (psk: {hunter2}) is not echoed", () => {
      const d = only(site({ 18: "    psk: {hunter2}" }));
      expect(where([d])).toEqual(["SW011@18:11"]);
      expect(d.message).toBe("unknown key in the psk section of tunnel 'vpn1'");
      expect(d.hint).toBe("allowed keys: env, file");
      expect(d.redact).toBe(true);
    });

    it("a misspelt psk key is redacted too", () => {
      const d = only(site({ 18: "    psk: { env: VPN1_PSK }\n    pks: hunter2" }));
      expect(d.code).toBe("SW011");
      expect(d.hint).toBe("did you mean 'psk'?");
      expect(d.redact).toBe(true);
    });

    it("an error elsewhere on a line that holds a psk is redacted", () => {
      const flow = "  vpn1: { between: [gw, dc], ike: { proposals: [a-b] }, esp: { proposals: [a-b] }, psk: hunter2, inside: 10.0.0.0/33 }";
      const { diagnostics } = check(site({ 14: flow, 15: null, 16: null, 17: null, 18: null, 19: null, 20: null }));
      expect(where(diagnostics)).toEqual(["SW017@14:84", "SW014@14:106"]);
      expect(diagnostics.map((d) => d.redact)).toEqual([true, true]);
    });
  });

  it("reports several independent mistakes, each at its own line and column", () => {
    const { diagnostics, intent } = check(
      site({
        3: "  vpc: 172.16.0.0/99",
        7: "    os: centos",
        12: "    adress: 10.10.1.100",
        18: "    psk: s3cret",
        26: "      allow: [{ to: onprem, ports: [tcp/http] }]",
      }),
    );
    expect(intent).toBeUndefined();
    expect(where(diagnostics)).toEqual(["SW014@3:8", "SW015@7:9", "SW012@10:3", "SW011@12:5", "SW017@18:5", "SW014@26:37"]);
  });

  it("reports at most one diagnostic per path and code", () => {
    const { diagnostics } = check(site({ 14: "  Bad_Name:" }));
    const keys = diagnostics.map((d) => `${d.code}@${d.range?.start.line}:${d.range?.start.column}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("explains every pattern the schema uses", () => {
    const patterns = new Set<string>();
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node && typeof node === "object") {
        for (const [key, value] of Object.entries(node)) {
          if (key === "pattern" && typeof value === "string") patterns.add(value);
          else collect(value);
        }
      }
    };
    collect(SiteIntent);
    expect(patterns.size).toBeGreaterThan(10);
    const unexplained = [...patterns].filter((p) => patternInfo(p).known === false);
    expect(unexplained).toEqual([]);
  });
});
