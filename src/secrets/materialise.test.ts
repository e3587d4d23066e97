import { describe, expect, it } from "vitest";
import { parseIpsecSecrets, parseSwanctl, sectionAt } from "../targets/strongswan/readback.js";
import { materialise, sourceFrom, type MaterialiseResult, type TreeFile } from "./materialise.js";

const SECRETS: TreeFile = {
  path: "etc/ipsec.secrets",
  kind: "strongswan-secrets",
  mode: 0o600,
  content: '# header\n1.1.1.1 2.2.2.2 : PSK "@@sitewire-secret:env:VPN1_PSK@@"\n3.3.3.3 4.4.4.4 : PSK "@@sitewire-secret:file:/run/secrets/vpn2@@"\n',
};
const SWANCTL: TreeFile = {
  path: "etc/swanctl/conf.d/sitewire.conf",
  kind: "swanctl-conf",
  mode: 0o600,
  content: 'secrets {\n  ike-vpn1 {\n    id-1 = 1.1.1.1\n    secret = "@@sitewire-secret:env:VPN1_PSK@@"\n  }\n}\n',
};
const CONF: TreeFile = { path: "etc/ipsec.conf", kind: "strongswan-ipsec-conf", mode: 0o644, content: "config setup\n" };

const files = { "/run/secrets/vpn2": "from-a-file\n" };
const source = (env: Record<string, string>) => sourceFrom(env, (p) => (files as Record<string, string>)[p]);

function ok(result: MaterialiseResult) {
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.files;
}

function problems(result: MaterialiseResult) {
  if (result.ok) throw new Error("expected problems");
  return result.problems;
}

describe("materialise", () => {
  it("puts env and file values where the placeholders were, and reads them back as the same key", () => {
    const [secrets, swanctl] = ok(materialise([SECRETS, SWANCTL], source({ VPN1_PSK: "s3cr3t value/with#odd'chars" })));
    expect(parseIpsecSecrets(secrets!.content).map((l) => l.secret)).toEqual(["s3cr3t value/with#odd'chars", "from-a-file"]);
    expect(sectionAt(parseSwanctl(swanctl!.content), "secrets", "ike-vpn1").secret).toBe("s3cr3t value/with#odd'chars");
    expect(secrets!.references).toEqual(["env:VPN1_PSK", "file:/run/secrets/vpn2"]);
  });

  it("escapes backslashes for swanctl.conf (its lexer reads \\x as x) and leaves ipsec.secrets literal", () => {
    const [secrets, swanctl] = ok(materialise([SECRETS, SWANCTL], source({ VPN1_PSK: "a\\nb\\\\c" })));
    expect(swanctl!.content).toContain('secret = "a\\\\nb\\\\\\\\c"');
    expect(sectionAt(parseSwanctl(swanctl!.content), "secrets", "ike-vpn1").secret).toBe("a\\nb\\\\c");
    expect(parseIpsecSecrets(secrets!.content)[0]!.secret).toBe("a\\nb\\\\c");
  });

  it("makes every file that held a secret 0600 and leaves the others alone", () => {
    const out = ok(materialise([{ ...SECRETS, mode: 0o644 }, CONF], source({ VPN1_PSK: "k" })));
    expect(out.map((f) => [f.path, f.mode.toString(8)])).toEqual([
      ["etc/ipsec.secrets", "600"],
      ["etc/ipsec.conf", "644"],
    ]);
    expect(out[1]!.content).toBe(CONF.content);
  });

  it("names every missing reference, by reference and file", () => {
    expect(problems(materialise([SECRETS, SWANCTL], sourceFrom({}, () => undefined)))).toEqual([
      { path: "etc/ipsec.secrets", reference: "env:VPN1_PSK", message: "the environment variable is not set" },
      { path: "etc/ipsec.secrets", reference: "file:/run/secrets/vpn2", message: "the file does not exist or cannot be read" },
      { path: "etc/swanctl/conf.d/sitewire.conf", reference: "env:VPN1_PSK", message: "the environment variable is not set" },
    ]);
  });

  it.each([
    ["a double quote", 'abc"def', /double quote/],
    ["a line break", "abc\ndef", /line break/],
    ["a carriage return", "abc\rdef", /line break/],
    ["a control character", "abc\u0000def", /control character/],
    ["nothing", "", /empty/],
  ])("refuses a value containing %s, without repeating it", (_what, value, message) => {
    const found = problems(materialise([SECRETS], source({ VPN1_PSK: value })));
    expect(found).toEqual([expect.objectContaining({ reference: "env:VPN1_PSK", message: expect.stringMatching(message) })]);
    if (value) expect(JSON.stringify(found)).not.toContain(JSON.stringify(value).slice(1, -1));
  });

  it("refuses 0x/0s values in swanctl.conf, which swanctl would decode, but not in ipsec.secrets, which reads them literally", () => {
    for (const value of ["0x1234abcd", "0sQUJD", "0XFF", "0Sabc"]) {
      expect(problems(materialise([SWANCTL], source({ VPN1_PSK: value })))[0]!.message).toMatch(/0x or 0s/);
      expect(materialise([{ ...SECRETS, content: SECRETS.content.split("\n").slice(0, 2).join("\n") + "\n" }], source({ VPN1_PSK: value })).ok).toBe(true);
    }
  });

  it("refuses files it has no quoting rule for, and placeholders that are not a whole quoted string", () => {
    const ios: TreeFile = { path: "ios.cfg", kind: "cisco-ios", mode: 0o644, content: "key @@sitewire-secret:env:VPN1_PSK@@\n" };
    expect(problems(materialise([ios], source({ VPN1_PSK: "k" })))[0]!.message).toMatch(/does not know how/);
    const bare: TreeFile = { ...SECRETS, content: "1.1.1.1 : PSK @@sitewire-secret:env:VPN1_PSK@@\n" };
    expect(problems(materialise([bare], source({ VPN1_PSK: "k" })))[0]!.message).toMatch(/not a whole double-quoted string/);
  });

  it("guesses the syntax from the path when no kind is given", () => {
    const [secrets, swanctl] = ok(materialise([{ ...SECRETS, kind: undefined }, { ...SWANCTL, kind: undefined }], source({ VPN1_PSK: "a\\b" })));
    expect(secrets!.content).toContain('"a\\b"');
    expect(swanctl!.content).toContain('"a\\\\b"');
  });

  it("drops exactly one trailing newline of a file's value", () => {
    const s = sourceFrom({}, () => "line\n\n");
    expect(s.file("x")).toBe("line\n");
  });
});
