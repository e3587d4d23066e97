/**
 * sitewire's firewall owns only its own rules, proven with the real programs, once per iptables backend (nft
 * and legacy), in a network namespace pre-loaded with a host's foreign state: INPUT policy DROP with an ssh
 * allow, FORWARD policy DROP, Docker's DOCKER-USER jumped from FORWARD, kube-proxy's KUBE-SERVICES in filter
 * and nat, a foreign MASQUERADE in POSTROUTING, a foreign TCPMSS rule and kube-proxy's KUBE-IPTABLES-HINT in
 * mangle. vpn-front's emitted rules file and loader are run the way its emitted unit runs them (the argv of
 * ExecStart=, ExecReload=, ExecStop=, a clean environment with systemd's PATH, plain `iptables` naming the
 * backend under test). After load, reload, a reload with a changed intent and unload, `iptables-save` minus
 * sitewire's chains and jumps is byte-identical to before (counters aside); policies never move; each jump
 * exists exactly once; a rule removed from the intent is gone from the host after the next reload.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { compileSource } from "../../src/compile/pipeline.js";
import { HOST_PATHS, hostFile } from "../../src/targets/host-paths.js";
import { OWNED_CHAINS } from "../../src/targets/iptables/rules.js";
import {
  BACKENDS,
  backendBin,
  installFirewall,
  IPTABLES_TOOLS,
  jumpCount,
  normaliseSave,
  replaceRules,
  restoreInto,
  runUnitCommand,
  saveFrom,
  withoutSitewire,
  type Backend,
} from "../harness/iptables.js";
import { Netns } from "../harness/netns.js";
import { iptablesTables } from "../readers/iptables-restore.js";
import { missing } from "../harness/tools.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const siteFile = "sites/partner-vpn.yaml";
const paths = HOST_PATHS.rhel;

/** vpn-front's firewall files from partner-vpn, with its intent edited as data. */
function frontFiles(edit: (intent: Record<string, any>) => void = () => {}) {
  const intent = parse(readFileSync(join(root, siteFile), "utf8")) as Record<string, any>;
  edit(intent);
  const result = compileSource(siteFile, stringify(intent));
  const file = (path: string) => {
    const found = result.artifacts.find((a) => a.path === hostFile("vpn-front", path));
    if (!found) throw new Error(`vpn-front has no ${path}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
    return found.content;
  };
  return { rules: file(paths.iptablesRules), script: file(paths.firewallScript), unit: file(paths.firewallUnit) };
}

const current = frontFiles();
// A reload after the intent changed: node-remote no longer takes part in the flow.
const narrowed = frontFiles((i) => {
  i.flows["partner-api"].from = ["node-lan"];
});
// Default-deny: sitewire's chain ends with a DROP of its own, never a policy.
const dropOthers = frontFiles((i) => {
  i.hosts["vpn-front"].firewall = { forwardDefault: "drop" };
});

/** A host that already runs other things: what every load, reload and unload must leave exactly as it is. */
const FOREIGN = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER-USER - [0:0]
:KUBE-SERVICES - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A FORWARD -j DOCKER-USER
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A DOCKER-USER -s 192.0.2.0/24 -j DROP
-A DOCKER-USER -j RETURN
-A KUBE-SERVICES -d 10.96.0.99/32 -p tcp -m comment --comment "default/no-endpoints has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.0.0.1:6443
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-IPTABLES-HINT - [0:0]
-A FORWARD -o docker0 -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
COMMIT
`;

const CHAIN_NAMES = OWNED_CHAINS.map((c) => c.chain);

/** The rules of sitewire's chains in a ruleset (file or iptables-save), per chain. */
function ownRules(text: string): Record<string, string[]> {
  const tables = iptablesTables(text);
  return Object.fromEntries(OWNED_CHAINS.map((c) => [c.chain, (tables.get(c.table)?.rules ?? []).filter((r) => r.startsWith(`-A ${c.chain} `))]));
}

describe("the emitted files name nothing but sitewire's chains", () => {
  it.each([
    ["current", current],
    ["narrowed", narrowed],
    ["forwardDefault: drop", dropOthers],
  ] as const)("%s: every chain line and rule is sitewire's; no built-in chain or policy", (_name, files) => {
    for (const line of files.rules.split("\n")) {
      if (line.startsWith(":")) expect(CHAIN_NAMES.map((c) => `:${c} - [0:0]`), line).toContain(line);
      if (line.startsWith("-")) expect(CHAIN_NAMES.some((c) => line.startsWith(`-A ${c} `)), line).toBe(true);
    }
    // Every chain is declared in every file, so that a load empties the rules the intent no longer has.
    for (const c of OWNED_CHAINS) expect(iptablesTables(files.rules).get(c.table)?.policies.get(c.chain), c.chain).toBe("-");
  });

  it("the narrowed intent drops node-remote's rules and only those", () => {
    const before = ownRules(current.rules);
    const after = ownRules(narrowed.rules);
    expect(after["SITEWIRE-POSTROUTING"]).toEqual(before["SITEWIRE-POSTROUTING"]!.filter((r) => !r.includes("192.168.10.1/32")));
    expect(after["SITEWIRE-FORWARD"]).toEqual(before["SITEWIRE-FORWARD"]!.filter((r) => !r.includes("192.168.10.1/32")));
    expect(after["SITEWIRE-POSTROUTING"]!.length).toBeLessThan(before["SITEWIRE-POSTROUTING"]!.length);
  });

  it("forwardDefault: drop is a last rule of SITEWIRE-FORWARD, never a policy", () => {
    expect(ownRules(dropOthers.rules)["SITEWIRE-FORWARD"]!.at(-1)).toBe('-A SITEWIRE-FORWARD -m comment --comment "forwardDefault: drop" -j DROP');
    expect(ownRules(current.rules)["SITEWIRE-FORWARD"]!.join("\n")).not.toContain("-j DROP");
  });
});

/** Every site's firewall loaders and units (example and fixture sites). */
const emitted = ["sites", "test/fixtures/sites"].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith(".yaml"))
    .flatMap((f) => {
      const result = compileSource(`${dir}/${f}`, readFileSync(join(root, dir, f), "utf8"));
      return (result.model?.hosts ?? []).flatMap((h) => {
        const find = (path: string) => result.artifacts.find((a) => a.path === hostFile(h.name, path))?.content;
        const script = find(HOST_PATHS[h.os].firewallScript);
        const unit = find(HOST_PATHS[h.os].firewallUnit);
        return script && unit ? [{ name: `${result.site}/${h.name}`, script, unit, os: h.os }] : [];
      });
    }),
);

describe("every loader and unit sitewire emits", () => {
  it("exist for the gateways of both seeds", () => {
    expect(emitted.map((e) => e.name)).toEqual(expect.arrayContaining(["bjs-hybrid/strongswan-1", "bjs-hybrid/strongswan-2", "partner-vpn/vpn-front"]));
  });

  describe.skipIf(missing("shellcheck"))("shellcheck and bash -n", () => {
    it.each(emitted.map((e) => [e.name, e] as const))("%s", (_name, e) => {
      const dir = mkdtempSync(join(tmpdir(), "sw-fw-sc-"));
      try {
        const path = join(dir, "sitewire-firewall");
        writeFileSync(path, e.script);
        const check = spawnSync("shellcheck", ["--shell=bash", "--format=json1", path], { encoding: "utf8" });
        expect(JSON.parse(check.stdout).comments).toEqual([]);
        expect(check.status).toBe(0);
        expect(spawnSync("bash", ["-n", path]).status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe.skipIf(missing("systemd-analyze"))("systemd-analyze verify", () => {
    it.each(emitted.map((e) => [e.name, e] as const))("%s: no warning", (_name, e) => {
      const dir = mkdtempSync(join(tmpdir(), "sw-fw-unit-"));
      try {
        const script = join(dir, "sitewire-firewall");
        writeFileSync(script, e.script, { mode: 0o755 });
        const unit = join(dir, "sitewire-firewall.service");
        const host = `/${HOST_PATHS[e.os].firewallScript}`;
        for (const verb of ["ExecStart=", "ExecReload=", "ExecStop="]) expect(e.unit).toContain(`${verb}${host} `);
        writeFileSync(unit, e.unit.replaceAll(`=${host} `, `=${script} `));
        const r = spawnSync("systemd-analyze", ["verify", unit], { encoding: "utf8" });
        expect(r.stdout + r.stderr).toBe("");
        expect(r.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe.skipIf(missing(...IPTABLES_TOOLS, "root", "bash"))("loading sitewire's chains on a host with foreign rules", () => {
  const work = mkdtempSync(join(tmpdir(), "sw-fw-"));
  const made: Netns[] = [];
  afterAll(() => {
    for (const n of made) n.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  describe.each(BACKENDS)("%s", (backend: Backend) => {
    const dir = join(work, backend, "host");
    let ns: Netns;
    let bin: string;
    let installed: Record<string, string>;
    let foreign: string;
    beforeAll(() => {
      ns = new Netns(`fw${backend.slice(0, 3)}`);
      made.push(ns);
      bin = backendBin(join(work, backend, "bin"), backend);
      installed = { [`/${paths.firewallScript}`]: installFirewall(dir, current, `/${paths.iptablesRules}`) };
      restoreInto(ns, FOREIGN, backend);
      foreign = normaliseSave(saveFrom(ns, backend));
    });

    /** Run the unit's Exec…= line; returns stdout, fails the test with stderr on a non-zero exit. */
    function unit(key: "ExecStart" | "ExecReload" | "ExecStop"): string {
      const r = runUnitCommand(ns, current.unit, key, installed, bin);
      expect(r.status, `${key}: ${r.stderr}`).toBe(0);
      return r.stdout;
    }
    const status = () => runUnitCommand(ns, `[Service]\nExecStart=/${paths.firewallScript} status\n`, "ExecStart", installed, bin);
    const saved = () => saveFrom(ns, backend);

    /** Foreign rules, chains and policies byte-identical; each jump exactly once; the chains hold `rules`. */
    function expectLoaded(rules: string): void {
      const now = saved();
      expect(withoutSitewire(now, CHAIN_NAMES)).toBe(foreign);
      for (const c of OWNED_CHAINS) expect(jumpCount(now, c.table, c.hook, c.chain), `${c.hook} -> ${c.chain}`).toBe(1);
      expect(ownRules(now)).toEqual(ownRules(rules));
      // The jumps come first, before Docker's and kube-proxy's rules.
      for (const c of OWNED_CHAINS) expect(iptablesTables(now).get(c.table)!.rules.find((r) => r.startsWith(`-A ${c.hook} `))).toBe(`-A ${c.hook} -m comment --comment sitewire -j ${c.chain}`);
    }

    it("the foreign state is what the test loaded (the baseline is not empty)", () => {
      expect(foreign).toContain(":INPUT DROP [0:0]");
      expect(foreign).toContain(":FORWARD DROP [0:0]");
      expect(foreign).toContain("-A FORWARD -j DOCKER-USER");
      expect(foreign).toContain(":KUBE-IPTABLES-HINT - [0:0]");
      expect(foreign).not.toContain("SITEWIRE");
    });

    it("status before the first load: missing, exit 3", () => {
      const r = status();
      expect(r.status).toBe(3);
      expect(r.stdout).toContain("filter SITEWIRE-FORWARD: missing");
    });

    it("ExecStart loads sitewire's chains and one jump each; everything else is byte-identical", () => {
      unit("ExecStart");
      expectLoaded(current.rules);
      expect(status().status).toBe(0);
    });

    it("ExecReload twice changes nothing: still one jump each", () => {
      const first = normaliseSave(saved());
      unit("ExecReload");
      unit("ExecReload");
      expect(normaliseSave(saved())).toBe(first);
      expectLoaded(current.rules);
    });

    it("a reload after the intent changed removes the rules the intent no longer has", () => {
      replaceRules(dir, narrowed.rules);
      unit("ExecReload");
      expectLoaded(narrowed.rules);
      expect(saved()).not.toContain("192.168.10.1/32");
      expect(status().status).toBe(0);
      replaceRules(dir, current.rules);
      unit("ExecReload");
      expectLoaded(current.rules);
    });

    it("forwardDefault: drop adds a DROP inside SITEWIRE-FORWARD and leaves the FORWARD policy alone", () => {
      replaceRules(dir, dropOthers.rules);
      unit("ExecReload");
      expectLoaded(dropOthers.rules);
      replaceRules(dir, current.rules);
      unit("ExecReload");
      expectLoaded(current.rules);
    });

    it("status sees a hand edit inside sitewire's chain and a missing jump; load repairs both", () => {
      ns.exec(["iptables-" + backend, "-A", "SITEWIRE-FORWARD", "-s", "198.51.100.7/32", "-j", "ACCEPT"]);
      expect(status().status).toBe(3);
      unit("ExecReload");
      expectLoaded(current.rules);
      ns.exec(["iptables-" + backend, "-t", "nat", "-D", "POSTROUTING", "-m", "comment", "--comment", "sitewire", "-j", "SITEWIRE-POSTROUTING"]);
      expect(status().stdout).toContain("nat SITEWIRE-POSTROUTING: jumped to 0 times from POSTROUTING (want 1)");
      unit("ExecReload");
      expectLoaded(current.rules);
    });

    it("a jump restored twice (say by a saved whole-table file at boot) is brought back to one", () => {
      ns.exec(["iptables-" + backend, "-A", "FORWARD", "-m", "comment", "--comment", "sitewire", "-j", "SITEWIRE-FORWARD"]);
      expect(jumpCount(saved(), "filter", "FORWARD", "SITEWIRE-FORWARD")).toBe(2);
      expect(status().status).toBe(3);
      unit("ExecReload");
      expectLoaded(current.rules);
    });

    it("a file iptables-restore refuses changes nothing", () => {
      const before = normaliseSave(saved());
      replaceRules(dir, current.rules.replace("-j MASQUERADE", "-j MASQUERADE --no-such-option"));
      const r = runUnitCommand(ns, current.unit, "ExecReload", installed, bin);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain("was refused; nothing was changed");
      expect(normaliseSave(saved())).toBe(before);
      replaceRules(dir, current.rules);
    });

    it("ExecStop removes sitewire's jumps and chains and nothing else: the ruleset is the foreign one again", () => {
      unit("ExecStop");
      expect(normaliseSave(saved())).toBe(foreign);
      expect(status().status).toBe(3);
      // Stopping twice is harmless.
      unit("ExecStop");
      expect(normaliseSave(saved())).toBe(foreign);
    });
  });
});
