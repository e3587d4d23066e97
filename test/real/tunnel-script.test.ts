/**
 * The generated tunnel scripts, for real: shellcheck and `bash -n` on every one, then each host's script runs
 * in a throwaway network namespace with test/harness/ip-shim first on PATH (vti, ipip and XFRM interfaces
 * become veth pairs: emulated is only the device kind and what `ip -d link show` prints for it; the
 * `ip link add … type xfrm dev D if_id N` command itself still goes through iproute2's parser, which checks
 * that D exists and N is a valid if_id; addresses, rules, routes and sysctls are the kernel's own). Checked against the site model, not against
 * the script text: `up` builds it, `up` again changes nothing, `status` agrees, `down` removes exactly what
 * `up` made and leaves a rule and routes that were there before.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { compileSource } from "../../src/compile/pipeline.js";
import type { Family, HostModel, VtiDevice } from "../../src/model/types.js";
import { familiesOf } from "../../src/net/ip.js";
import { HOST_PATHS, hostFile } from "../../src/targets/host-paths.js";
import { ROUTE_PROTO, TUNNEL_STATE_FILE } from "../../src/targets/linux/tunnel-script.js";
import { Netns } from "../harness/netns.js";
import { missing } from "../harness/tools.js";
import { readShell, shellWords } from "../readers/shell.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const siteFiles = ["sites", "test/fixtures/sites"].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => `${dir}/${f}`),
);

interface HostScript {
  readonly site: string;
  /** Tells apart two versions of one host's script (an intent before and after a change). */
  readonly variant?: string;
  readonly host: HostModel;
  readonly script: string;
  readonly unit: string;
  /** The sysctl.d drop-in, when the host has one. */
  readonly sysctl?: string;
}

// A site that does not compile has no model here; test/golden.test.ts reports it.
function hostScripts(file: string, text: string, variant?: string): HostScript[] {
  const { model, artifacts } = compileSource(file, text);
  if (!model) return [];
  return model.hosts.flatMap((host) => {
    const content = (path: string) => artifacts.find((a) => a.path === hostFile(host.name, path))?.content;
    const script = content(HOST_PATHS[host.os].tunnelScript);
    const sysctl = content(HOST_PATHS[host.os].sysctl);
    return script ? [{ site: model.name, ...(variant ? { variant } : {}), host, script, unit: content(HOST_PATHS[host.os].tunnelUnit) ?? "", ...(sysctl ? { sysctl } : {}) }] : [];
  });
}

const dualStackText = readFileSync(join(root, "sites/dual-stack.yaml"), "utf8");
/**
 * IPv6 on vti devices too: sites/dual-stack.yaml with vti devices (hosts.edge.device.kind), so to-cloud (IPv6
 * outer addresses) becomes a vti6 device and to-dc a vti device with both families inside.
 */
const DUAL_STACK_VTI = dualStackText
  .replace("    release: 12\n    address: 10.70.0.1/24\n", "    release: 12\n    device: { kind: vti }\n    address: 10.70.0.1/24\n")
  .replace(/\bxfrm(7[01])\b/g, "vti$1");

const scripts: HostScript[] = [
  ...siteFiles.flatMap((file) => hostScripts(file, readFileSync(join(root, file), "utf8"))),
  ...hostScripts("sites/dual-stack.yaml", DUAL_STACK_VTI, "vti"),
];

const work = mkdtempSync(join(tmpdir(), "sw-tunnels-"));
const shimDir = join(work, "bin");
afterAll(() => rmSync(work, { recursive: true, force: true }));

function scriptFile(s: HostScript): string {
  const path = join(work, `${s.site}-${s.host.name}${s.variant ? `-${s.variant}` : ""}.sh`);
  writeFileSync(path, s.script, { mode: 0o755 });
  return path;
}

const label = (s: HostScript) => `${s.site}/${s.host.name}${s.variant ? ` (${s.variant})` : ""}`;

describe("example sites have tunnel scripts", () => {
  it("one per host with devices, rules or routes", () => {
    expect(scripts.map((s) => `${s.site}/${s.host.name}`)).toEqual(
      expect.arrayContaining(["bjs-hybrid/strongswan-1", "bjs-hybrid/strongswan-2", "partner-vpn/node-lan", "partner-vpn/node-remote", "partner-vpn/vpn-front"]),
    );
  });

  it("IPv6 is among them: XFRM interfaces, vti and vti6 devices with IPv6 inside addresses, ip -6 rules and routes", () => {
    expect(scripts.map(label)).toEqual(expect.arrayContaining(["dual-stack/edge", "dual-stack/node-1", "dual-stack/edge (vti)"]));
    const vti = scripts.find((s) => s.site === "dual-stack" && s.variant === "vti" && s.host.name === "edge")!.script;
    expect(vti).toContain("ip link add vti71 type vti6 local 2001:db8:ffff::70 remote 2001:db8:ffff::72 key 71\n");
    expect(vti).toContain("ip link add vti70 type vti local 10.70.0.1 remote 203.0.113.71 key 70\n");
  });
});

describe.skipIf(missing("shellcheck"))("shellcheck and bash -n", () => {
  it.each(scripts.map((s) => [label(s), s] as const))("%s", (_name, s) => {
    const path = scriptFile(s);
    const check = spawnSync("shellcheck", ["--shell=bash", "--format=json1", path], { encoding: "utf8" });
    expect(JSON.parse(check.stdout).comments).toEqual([]);
    expect(check.status).toBe(0);
    expect(spawnSync("bash", ["-n", path], { encoding: "utf8" }).status).toBe(0);
  });
});

describe.skipIf(missing("systemd-analyze"))("systemd unit", () => {
  it.each(scripts.map((s) => [label(s), s] as const))("%s passes systemd-analyze verify without a warning", (_name, s) => {
    const script = scriptFile(s);
    const unit = join(work, "sitewire-tunnels.service");
    writeFileSync(unit, s.unit.replaceAll(`=/${HOST_PATHS[s.host.os].tunnelScript} `, `=${script} `));
    expect(s.unit).toContain(`ExecStart=/${HOST_PATHS[s.host.os].tunnelScript} up`);
    const r = spawnSync("systemd-analyze", ["verify", unit], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

/**
 * A namespace standing in for one host: its interfaces and addresses, as the model says it has them. The
 * script runs with its own /var/lib (a bind mount inside `ip netns exec`'s private mount namespace), so its
 * state file lands in `varLib`, never in the test machine's /var/lib.
 */
class HostNamespace {
  readonly ns = new Netns("tun");
  readonly state = mkdtempSync(join(work, "shim-"));
  readonly varLib = mkdtempSync(join(work, "varlib-"));

  constructor(public s: HostScript) {
    const h = s.host;
    // Emulated: the veth stand-ins would run IPv6 duplicate address detection, which a real vti or XFRM
    // interface (IFF_NOARP) skips; without it an address is "tentative" for a second and the kernel adds its
    // local routes later, in the middle of a snapshot. So no DAD in this namespace, as on the real devices.
    for (const scope of ["all", "default"]) this.ns.exec(["sysctl", "-qw", `net.ipv6.conf.${scope}.accept_dad=0`]);
    for (const i of [{ device: h.interface, addresses: h.addresses }, ...h.externalInterfaces.map((e) => ({ device: e.device, addresses: [e.address] }))]) {
      this.ip("link", "add", i.device, "type", "veth", "peer", "name", `o${i.device}`.slice(0, 15));
      for (const a of i.addresses) this.ip("addr", "add", a.cidr, "dev", i.device);
      this.ip("link", "set", i.device, "up");
      this.ip("link", "set", `o${i.device}`.slice(0, 15), "up");
    }
  }

  ip(...args: string[]): string {
    return this.ns.exec(["ip", ...args]);
  }

  hasLink(name: string): boolean {
    return spawnSync("ip", ["-n", this.ns.name, "link", "show", "dev", name], { stdio: "ignore" }).status === 0;
  }

  private withShim(argv: string[]): { status: number | null; stdout: string; stderr: string } {
    const env = [`PATH=${shimDir}:/usr/sbin:/usr/bin:/sbin:/bin`, `SITEWIRE_SHIM_STATE=${this.state}`];
    const bind = 'mount --bind "$0" /var/lib && exec "$@"';
    const r = spawnSync("ip", ["netns", "exec", this.ns.name, "sh", "-c", bind, this.varLib, "env", ...env, ...argv], { encoding: "utf8" });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** The script's state file as the host sees it at /var/lib/sitewire/tunnels.state. */
  get stateFile(): string {
    return join(this.varLib, TUNNEL_STATE_FILE.slice("/var/lib/".length));
  }

  readState(): string | undefined {
    return existsSync(this.stateFile) ? readFileSync(this.stateFile, "utf8") : undefined;
  }

  /** Run the host's script with the shim first on PATH. */
  run(action: string): { status: number | null; stdout: string; stderr: string } {
    return this.withShim(["bash", scriptFile(this.s), action]);
  }

  /** `ip` as the script sees it: through the shim, so vti and ipip stand-ins show their tunnel parameters. */
  shimIp(...args: string[]): string {
    const r = this.withShim(["ip", ...args]);
    if (r.status !== 0) throw new Error(`ip ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  }

  up(): void {
    const r = this.run("up");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  }

  /**
   * Everything the scripts can change, as text: IPv4 and IPv6 addresses, rules and routes (without what the
   * kernel makes of IPv6 link-local and multicast addresses, which come and go with the devices on their own),
   * each link's name, admin state and MTU, and the kernel settings the script sets (those of devices that do
   * not exist are left out).
   */
  snapshot(keys: readonly string[] = scriptSysctls(this.s.script)): string {
    const links = this.ip("-o", "link", "show")
      .split("\n")
      .map((line) => /^\d+: ([^:@]+)(?:@[^:]+)?: <([^>]*)> mtu (\d+)/.exec(line))
      .flatMap((m) => (m ? [`${m[1]} ${m[2]!.split(",").includes("UP") ? "up" : "down"} mtu ${m[3]}`] : []));
    const routes6 = this.ip("-6", "route", "show", "table", "all")
      .split("\n")
      .filter((line) => !/(^|\s)(fe80:|ff00::\/8|multicast )/.test(line))
      .join("\n");
    return [
      this.ip("-4", "-o", "addr", "show"),
      this.ip("-6", "-o", "addr", "show", "scope", "global"),
      ...links,
      this.ip("-4", "rule", "show"),
      this.ip("-6", "rule", "show"),
      this.ip("-4", "route", "show", "table", "all"),
      routes6,
      this.sysctls(keys),
    ].join("\n");
  }

  /** `KEY = VALUE` of every kernel setting the host's script lists (SYSCTLS), where the key exists. */
  sysctls(keys: readonly string[] = scriptSysctls(this.s.script)): string {
    const r = spawnSync("ip", ["netns", "exec", this.ns.name, "sysctl", ...keys], { encoding: "utf8" });
    return r.stdout;
  }

  cleanup(): void {
    this.ns.cleanup();
  }
}

/** The kernel settings a script sets: its `readonly SYSCTLS=(…)` list, as bash parses it (test/readers/shell.ts). */
function scriptSysctls(script: string): string[] {
  const lists = readShell(script)
    .map(shellWords)
    .filter((w) => w[0] === "readonly" && w[1] === "SYSCTLS=" && w[2] === "(");
  if (lists.length !== 1) throw new Error(`the script has ${lists.length} SYSCTLS lists`);
  const words = lists[0]!.slice(3);
  if (words.at(-1) !== ")" || words.slice(0, -1).some((w) => /[()$]/.test(w))) throw new Error(`SYSCTLS is not a plain list: ${words.join(" ")}`);
  return words.slice(0, -1);
}

function tablesOf(h: HostModel): number[] {
  return [...new Set(h.rules.map((r) => r.table))];
}

/** The families of the policy rules of a host's rule: those of the routes in its table (IPv4 for an empty table). */
function ruleFamilies(h: HostModel, tunnel: string): Family[] {
  const families = familiesOf(h.vtis.find((v) => v.tunnel === tunnel)?.routes ?? []);
  return families.length > 0 ? families : [4];
}

/** `ip` arguments of one family: [] for IPv4 (as the script writes it), ["-6"] for IPv6. */
const fam = (family: Family): string[] => (family === 6 ? ["-6"] : []);

/** The next hop of a vti's routes of one family: its peer's inside address of that family. */
function insidePeerOf(v: VtiDevice, family: Family): string {
  return v.address.family === family ? v.peerAddress : v.peerAddress6!;
}

/**
 * What `up` must have built, from the model: [ip arguments, text they must print]. The `-d link show` lines
 * come from the shim's record of the `ip link add` / `ip tunnel add` arguments the script passed.
 */
function expectations(h: HostModel): [string[], string][] {
  const p = ROUTE_PROTO;
  return [
    ...h.vtis.flatMap((v): [string[], string][] => [
      ...[[v.address, v.peerAddress] as const, ...(v.address6 ? [[v.address6, v.peerAddress6!] as const] : [])].map(([a, peer]): [string[], string] =>
        a.family === 6 ? [["-o", "-6", "addr", "show", "dev", v.device], ` inet6 ${a.cidr} `] : [["-o", "addr", "show", "dev", v.device], ` inet ${a.address} peer ${peer}/${a.length} `],
      ),
      [["-o", "link", "show", "dev", v.device], ` mtu ${v.mtu} `],
      ...(v.kind === "xfrm"
        ? ([
            [["-d", "-o", "link", "show", "dev", v.device], `: ${v.device}@${v.underlay}: `],
            [["-d", "-o", "link", "show", "dev", v.device], ` xfrm if_id 0x${v.key.toString(16)} `],
          ] as [string[], string][])
        : ([[["-d", "-o", "link", "show", "dev", v.device], ` ${v.local.includes(":") ? "vti6" : "vti"} remote ${v.remote} local ${v.local} `]] as [string[], string][])),
      ...v.routes.map((r): [string[], string] => [[...fam(r.family), "route", "show", "table", String(v.table)], `${r.cidr} via ${insidePeerOf(v, r.family)} dev ${v.device} proto ${p}`]),
    ]),
    ...h.ipips.flatMap((l): [string[], string][] => [
      [["-o", "addr", "show", "dev", l.device], ` inet ${l.address.cidr} `],
      [["-o", "link", "show", "dev", l.device], ` mtu ${l.mtu} `],
      [["-d", "-o", "link", "show", "dev", l.device], ` ipip ipip remote ${l.remote} local ${l.local} ttl ${l.ttl} `],
    ]),
    ...h.rules.flatMap((r) => ruleFamilies(h, r.tunnel).map((family): [string[], string] => [[...fam(family), "rule", "show"], `${r.priority}:\tfrom all lookup ${r.table}`])),
    ...h.routes.map((r): [string[], string] => [[...fam(r.to.family), "route", "show"], `${r.to.cidr} via ${r.via} dev ${r.device} proto ${p}`]),
  ];
}

describe.skipIf(missing("root"))("tunnel scripts in a namespace", () => {
  copyShim();

  describe.each(scripts.map((s) => [label(s), s] as const))("%s", (_name, s) => {
    it("up builds what the model says; up again changes nothing; status agrees; down removes only its own", () => {
      const host = new HostNamespace(s);
      try {
        // Someone else's rule and routes, in main and in every table the script uses.
        host.ip("rule", "add", "priority", "30000", "lookup", "200");
        host.ip("-6", "rule", "add", "priority", "30000", "lookup", "200");
        for (const table of ["main", ...tablesOf(s.host).map(String)]) {
          host.ip("route", "add", "198.18.251.0/24", "dev", s.host.interface, "table", table);
          host.ip("-6", "route", "add", "2001:db8:fff1::/48", "dev", s.host.interface, "table", table);
        }
        const foreign = [
          host.ip("rule", "show", "priority", "30000"),
          host.ip("route", "show", "table", "all", "198.18.251.0/24"),
          host.ip("-6", "rule", "show", "priority", "30000"),
          host.ip("-6", "route", "show", "table", "all", "2001:db8:fff1::/48"),
        ];

        const untouched = host.snapshot();

        host.up();
        for (const [command, text] of expectations(s.host)) expect(host.shimIp(...command)).toContain(text);
        for (const v of s.host.vtis) {
          // An XFRM interface keeps the kernel's policy check (its SAs carry its if_id); a vti device skips it.
          expect(host.ns.exec(["sysctl", "-n", `net.ipv4.conf.${v.device}.disable_policy`]).trim()).toBe(v.kind === "xfrm" ? "0" : "1");
          expect(host.ns.exec(["sysctl", "-n", `net.ipv4.conf.${v.device}.rp_filter`]).trim()).toBe("2");
          // The same for IPv6 where the device carries IPv6 (net.ipv6.conf.<dev>.disable_policy).
          if (v.address.family === 6 || v.address6) expect(host.ns.exec(["sysctl", "-n", `net.ipv6.conf.${v.device}.disable_policy`]).trim()).toBe(v.kind === "xfrm" ? "0" : "1");
        }
        // The drop-in's settings are applied live by the script too, each recorded with the value it replaced.
        const state = host.readState()!;
        for (const [, key, value] of (s.sysctl ?? "").matchAll(/^(\S+) = (\d+)$/gm)) {
          expect(host.ns.exec(["sysctl", "-n", key!]).trim(), key).toBe(value);
          const before = new RegExp(`^${key!.replace(/\./g, "\\.")} = (\\d+)$`, "m").exec(untouched)![1];
          expect(state).toContain(`\nsysctl ${key} ${value} ${before}\n`);
        }
        for (const d of s.host.vtis) expect(state).toContain(`\ndevice ${d.device} ${d.kind === "vti" && d.local.includes(":") ? "vti6" : d.kind}\n`);
        for (const d of s.host.ipips) expect(state).toContain(`\ndevice ${d.device} ipip\n`);
        for (const r of s.host.rules) for (const family of ruleFamilies(s.host, r.tunnel)) expect(state).toContain(`\nrule${family === 6 ? "6" : ""} ${r.priority} ${r.table}\n`);

        const before = host.snapshot();
        host.up();
        expect(host.snapshot()).toBe(before);
        expect(host.readState()).toBe(state);

        const status = host.run("status");
        expect(status.stdout).not.toContain("missing");
        expect(status.stdout.trim().split("\n").length).toBeGreaterThan(0);
        expect(status.status).toBe(0);

        // A route an older version of the script installed, for a prefix the site has dropped since.
        host.ip("route", "add", "198.18.252.0/24", "dev", s.host.interface, "proto", String(ROUTE_PROTO));
        host.ip("-6", "route", "add", "2001:db8:fff2::/48", "dev", s.host.interface, "proto", String(ROUTE_PROTO));
        expect(host.run("down")).toMatchObject({ status: 0, stderr: "" });
        expect(host.ip("route", "show", "table", "all", "proto", String(ROUTE_PROTO))).toBe("");
        expect(host.ip("-6", "route", "show", "table", "all", "proto", String(ROUTE_PROTO))).toBe("");
        for (const d of [...s.host.vtis, ...s.host.ipips]) expect(host.hasLink(d.device)).toBe(false);
        for (const r of s.host.rules) {
          expect(host.ip("rule", "show", "priority", String(r.priority))).toBe("");
          expect(host.ip("-6", "rule", "show", "priority", String(r.priority))).toBe("");
        }
        expect([
          host.ip("rule", "show", "priority", "30000"),
          host.ip("route", "show", "table", "all", "198.18.251.0/24"),
          host.ip("-6", "rule", "show", "priority", "30000"),
          host.ip("-6", "route", "show", "table", "all", "2001:db8:fff1::/48"),
        ]).toEqual(foreign);
        // Everything, kernel settings included, is as it was before the first up; the state file is gone.
        expect(host.snapshot()).toBe(untouched);
        expect(host.readState()).toBeUndefined();

        const after = host.run("status");
        expect(after.status).toBe(3);
        expect(after.stdout.split("\n").filter((l) => l.startsWith("present") && !l.startsWith("present  sysctl "))).toEqual([]);
        expect(host.run("down")).toMatchObject({ status: 0, stderr: "" });

        if (s.sysctl) {
          // The drop-in applies cleanly at "boot" (before any tunnel device exists) and sets what it says.
          const dropIn = join(work, `${s.site}-${s.host.name}.conf`);
          writeFileSync(dropIn, s.sysctl);
          host.ns.exec(["sysctl", "-q", "-p", dropIn]);
          for (const [, key, value] of s.sysctl.matchAll(/^(\S+) = (\d+)$/gm)) expect(host.ns.exec(["sysctl", "-n", key!]).trim(), key).toBe(value);
        }
      } finally {
        host.cleanup();
      }
    }, 120_000); // a BGP gateway runs several up/down cycles: minutes when the machine is loaded
  });

  const gateway = scripts.find((s) => s.host.vtis.length > 0 && s.host.rules.length > 0)!;
  const vti = gateway.host.vtis[0]!;

  describe(`refusals and repairs (${gateway.site}/${gateway.host.name})`, () => {
    function withHost(fn: (h: HostNamespace) => void): void {
      const host = new HostNamespace(gateway);
      try {
        fn(host);
      } finally {
        host.cleanup();
      }
    }

    it("anything but up, down or status prints the usage and exits 2", () =>
      withHost((h) => {
        for (const action of ["", "start", "UP"]) expect(h.run(action)).toMatchObject({ status: 2, stderr: expect.stringContaining("usage:") });
      }));

    it("up refuses to run on a machine that lacks the tunnel's local address", () =>
      withHost((h) => {
        h.ip("addr", "flush", "dev", gateway.host.interface);
        const r = h.run("up");
        expect(r.status).toBe(1);
        expect(r.stderr).toContain(`${vti.local} is not an address of this host`);
        expect(h.hasLink(vti.device)).toBe(false);
      }));

    it("a device of another kind under the tunnel's name stops up, and down leaves it alone", () =>
      withHost((h) => {
        h.ip("link", "add", vti.device, "type", "veth", "peer", "name", "other0");
        const r = h.run("up");
        expect(r.status).toBe(1);
        expect(r.stderr).toContain(`${vti.device} exists and is not a tunnel device of this script`);
        expect(h.run("down").status).toBe(0);
        expect(h.hasLink(vti.device)).toBe(true);
      }));

    it("a vti with other parameters stops up; down (restart) replaces it", () =>
      withHost((h) => {
        h.shimIp("link", "add", vti.device, "type", "vti", "local", vti.local, "remote", "192.0.2.1", "key", String(vti.key));
        const r = h.run("up");
        expect(r.status).toBe(1);
        expect(r.stderr).toContain(`${vti.device} exists with other tunnel parameters`);
        expect(h.run("down").status).toBe(0);
        h.up();
        expect(h.run("status").status).toBe(0);
      }));

    it("a rule priority held by another rule stops up", () =>
      withHost((h) => {
        const rule = gateway.host.rules[0]!;
        h.ip("rule", "add", "priority", String(rule.priority), "lookup", "99");
        const r = h.run("up");
        expect(r.status).toBe(1);
        expect(r.stderr).toContain(`rule priority ${rule.priority} is used by another rule`);
        expect(h.run("down").status).toBe(0);
        expect(h.ip("rule", "show", "priority", String(rule.priority))).toContain("lookup 99");
      }));

    it("status reports a route that went missing (exit 3); up puts it back", () =>
      withHost((h) => {
        h.up();
        const to = vti.routes[0]!.cidr;
        h.ip("route", "del", to, "table", String(vti.table));
        const r = h.run("status");
        expect(r.status).toBe(3);
        expect(r.stdout).toContain(`missing  ip route ${to} via ${vti.peerAddress} dev ${vti.device} table ${vti.table}`);
        h.up();
        expect(h.run("status").status).toBe(0);
      }));

    it("an address left on the device by an older definition is replaced", () =>
      withHost((h) => {
        h.up();
        h.ip("addr", "add", "192.0.2.9/32", "dev", vti.device);
        h.ip("addr", "del", vti.address.cidr, "dev", vti.device);
        h.up();
        const addrs = h.ip("-o", "-4", "addr", "show", "dev", vti.device);
        expect(addrs).toContain(` inet ${vti.address.address} peer ${vti.peerAddress}/${vti.address.length} `);
        expect(addrs).not.toContain("192.0.2.9");
      }));
  });
});

/**
 * Removal reaches the host: one gateway with two route-based tunnels (vti21, vti22: rules 21 and 22, routes in
 * tables 21 and 22), two static routes in main and forwarding. v2 drops tunnel vpn2, the route to 10.61.0.0/16,
 * and (vpn1 no longer carries traffic from the host's side) forwarding.
 */
const REMOVAL_V1 = `site: removal
hosts:
  gw:
    os: debian
    address: 10.20.1.10/24
    publicAddress: 198.51.100.10
    routes:
      - { to: [10.60.0.0/16], via: 10.20.1.1 }
      - { to: [10.61.0.0/16], via: 10.20.1.1 }
peers:
  r1: { platform: cisco-ios, address: 203.0.113.5 }
  r2: { platform: cisco-ios, address: 203.0.113.6 }
tunnels:
  vpn1:
    between: [gw, r1]
    ike: { version: 2, proposals: [aes256-sha256-modp3072] }
    esp: { proposals: [aes256-sha256-modp3072] }
    psk: { env: RM_VPN1_PSK }
    inside: 169.254.21.0/30
    key: 21
    routes: { toPeer: [10.100.0.0/16], toHost: [10.20.0.0/16] }
  vpn2:
    between: [gw, r2]
    ike: { version: 2, proposals: [aes256-sha256-modp3072] }
    esp: { proposals: [aes256-sha256-modp3072] }
    psk: { env: RM_VPN2_PSK }
    inside: 169.254.22.0/30
    key: 22
    routes: { toPeer: [10.101.0.0/16, 10.102.0.5/32], toHost: [10.20.0.0/16] }
`;
const REMOVAL_V2 = REMOVAL_V1.replace("      - { to: [10.61.0.0/16], via: 10.20.1.1 }\n", "")
  .replace(/^ {2}vpn2:[^]*$/m, "")
  .replace("routes: { toPeer: [10.100.0.0/16], toHost: [10.20.0.0/16] }", "routes: { toPeer: [10.100.0.0/16] }");
/** v1 on a host whose tunnels get XFRM interfaces (hosts.<h>.device.kind): xfrm21 and xfrm22, if_id 21 and 22. */
const REMOVAL_XFRM = REMOVAL_V1.replace("    os: debian\n", "    os: debian\n    device: { kind: xfrm }\n");
/** v1 with router 1 moved: vti21's remote changes, nothing else. */
const REMOVAL_V1_MOVED = REMOVAL_V1.replace("r1: { platform: cisco-ios, address: 203.0.113.5 }", "r1: { platform: cisco-ios, address: 203.0.113.15 }");

function removalScript(yaml: string, variant: string): HostScript {
  const { model, artifacts, diagnostics } = compileSource("sites/removal.yaml", yaml);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const host = model!.hosts.find((h) => h.name === "gw")!;
  const content = (path: string) => artifacts.find((a) => a.path === hostFile(host.name, path))?.content;
  const sysctl = content(HOST_PATHS.debian.sysctl);
  return { site: "removal", variant, host, script: content(HOST_PATHS.debian.tunnelScript)!, unit: content(HOST_PATHS.debian.tunnelUnit)!, ...(sysctl ? { sysctl } : {}) };
}

describe.skipIf(missing("root"))("removal reaches the host (state file)", () => {
  copyShim();
  const v1 = removalScript(REMOVAL_V1, "v1");
  const v2 = removalScript(REMOVAL_V2, "v2");
  const moved = removalScript(REMOVAL_V1_MOVED, "moved");
  const toXfrm = removalScript(REMOVAL_XFRM, "xfrm");
  const keys = scriptSysctls(v1.script);

  function withHost(fn: (h: HostNamespace) => void): void {
    const host = new HostNamespace(v1);
    try {
      fn(host);
    } finally {
      host.cleanup();
    }
  }

  function run(h: HostNamespace, s: HostScript, action: string): { status: number | null; stdout: string; stderr: string } {
    h.s = s;
    return h.run(action);
  }

  /** Lines of `ip` output, without those naming one of `ours`. */
  function without(text: string, ours: RegExp): string[] {
    return text.split("\n").filter((line) => line !== "" && !ours.test(line));
  }

  function links(h: HostNamespace): string {
    return h.ip("-d", "-o", "link", "show");
  }

  it.skipIf(missing("shellcheck"))("every version of the script passes shellcheck", () => {
    for (const s of [v1, v2, moved, toXfrm]) {
      const check = spawnSync("shellcheck", ["--shell=bash", "--format=json1", scriptFile(s)], { encoding: "utf8" });
      expect(JSON.parse(check.stdout).comments, s.variant).toEqual([]);
    }
  });

  it("v1 then v2: the removed tunnel, its rule and routes, the removed route and forwarding are gone; nothing foreign changed; down leaves the host as it was", () =>
    withHost((h) => {
      // Someone else's devices (one named like a sitewire device), rules (one pointing at the table of the
      // tunnel that goes away) and routes in main, in that table and elsewhere, with other protocols.
      h.ip("link", "add", "tunnel9", "type", "veth", "peer", "name", "vti23");
      h.ip("link", "set", "tunnel9", "up");
      h.ip("rule", "add", "priority", "30000", "lookup", "200");
      h.ip("rule", "add", "priority", "23", "from", "10.20.1.0/24", "lookup", "22");
      h.ip("route", "add", "10.61.0.0/16", "via", "10.20.1.1", "table", "100", "proto", "static");
      h.ip("route", "add", "10.200.0.0/16", "via", "10.20.1.1", "table", "22");
      h.ip("route", "add", "10.61.0.0/24", "via", "10.20.1.1");
      h.ip("route", "add", "10.62.0.0/16", "via", "10.20.1.1", "proto", String(ROUTE_PROTO + 1));
      const untouched = {
        links: links(h),
        rules: h.ip("-4", "rule", "show"),
        routes: h.ip("-4", "route", "show", "table", "all"),
        addrs: h.ip("-4", "-o", "addr", "show"),
        snapshot: h.snapshot(keys),
        sysctls: h.sysctls(keys),
      };

      const first = run(h, v1, "up");
      expect(first).toMatchObject({ status: 0, stderr: "" });
      expect(first.stdout).toContain("nothing recorded by an earlier up");
      expect(run(h, v1, "status").status).toBe(0);
      expect(h.ns.exec(["sysctl", "-n", "net.ipv4.ip_forward"]).trim()).toBe("1");
      expect(h.readState()).toContain("\ndevice vti22 vti\nrule 21 21\nrule 22 22\n");

      expect(run(h, v2, "up")).toMatchObject({ status: 0, stderr: "" });
      expect(run(h, v2, "status").status).toBe(0);
      // What v2 no longer has is gone ...
      expect(h.hasLink("vti22")).toBe(false);
      expect(h.hasLink("svti22")).toBe(false);
      expect(h.ip("rule", "show", "priority", "22")).toBe("");
      expect(h.ip("route", "show", "table", "22", "proto", String(ROUTE_PROTO))).toBe("");
      expect(h.ip("route", "show", "exact", "10.61.0.0/16", "proto", String(ROUTE_PROTO))).toBe("");
      expect(h.ip("-4", "route", "show", "table", "all", "proto", String(ROUTE_PROTO))).toBe(
        "10.100.0.0/16 via 169.254.21.1 dev vti21 table 21 \n10.60.0.0/16 via 10.20.1.1 dev eth0 \n",
      );
      // ... and the kernel settings only v1 needed have their earlier values again; those v2 keeps stay.
      const sysctlNow = h.sysctls(keys);
      for (const key of ["net.ipv4.ip_forward", "net.ipv4.conf.all.accept_redirects", "net.ipv4.conf.all.send_redirects", "net.ipv4.conf.default.accept_redirects", "net.ipv4.conf.default.send_redirects"])
        expect(lineOf(sysctlNow, key), key).toBe(lineOf(untouched.sysctls, key));
      expect(lineOf(sysctlNow, "net.ipv4.conf.eth0.disable_xfrm")).toBe("net.ipv4.conf.eth0.disable_xfrm = 1");
      // Everything else is byte for byte what it was before v1: devices, rules, routes, addresses.
      const ours = /^\d+: s?vti21[:@]/;
      expect(without(links(h), ours)).toEqual(without(untouched.links, ours));
      expect(without(h.ip("-4", "rule", "show"), /^21:/)).toEqual(without(untouched.rules, /^$/));
      expect(without(h.ip("-4", "route", "show", "table", "all"), new RegExp(`proto ${ROUTE_PROTO} |dev vti21 `))).toEqual(without(untouched.routes, /^$/));
      expect(without(h.ip("-4", "-o", "addr", "show"), /^\d+: vti21 /)).toEqual(without(untouched.addrs, /^$/));

      // The state now records v2 exactly; up again changes nothing, not even the state file.
      const state = h.readState()!;
      expect(state).toMatch(/\nversion 1\ndevice vti21 vti\nrule 21 21\nsysctl net\.ipv4\.conf\.eth0\.disable_xfrm 1 0\n/);
      expect(state).not.toContain("vti22");
      expect(state).not.toContain("ip_forward");
      const settled = h.snapshot(keys);
      expect(run(h, v2, "up")).toMatchObject({ status: 0, stderr: "" });
      expect(h.snapshot(keys)).toBe(settled);
      expect(h.readState()).toBe(state);

      // down removes the rest of sitewire's and nothing else: the host is as it was before v1.
      expect(run(h, v2, "down")).toMatchObject({ status: 0, stderr: "" });
      expect(links(h)).toBe(untouched.links);
      expect(h.snapshot(keys)).toBe(untouched.snapshot);
      expect(h.sysctls(keys)).toBe(untouched.sysctls);
      expect(h.readState()).toBeUndefined();
    }));

  it("a foreign device under the removed tunnel's name, and a foreign rule at its priority, are left alone", () =>
    withHost((h) => {
      expect(run(h, v1, "up").status).toBe(0);
      h.shimIp("link", "del", "vti22");
      h.ip("link", "add", "vti22", "type", "veth", "peer", "name", "vti22p");
      h.ip("rule", "del", "priority", "22", "lookup", "22");
      h.ip("rule", "add", "priority", "22", "lookup", "99");
      const r = run(h, v2, "up");
      expect(r.status).toBe(0);
      expect(r.stderr).toContain("leaving vti22 alone: it is not a vti device of this script");
      expect(r.stderr).toContain("leaving rule priority 22 alone: it is not 'from all lookup 22' any more");
      expect(h.hasLink("vti22")).toBe(true);
      expect(h.ip("rule", "show", "priority", "22")).toContain("lookup 99");
      expect(run(h, v2, "status").status).toBe(0);
    }));

  it("up re-creates a recorded device whose parameters changed; an unrecorded one still stops it", () =>
    withHost((h) => {
      expect(run(h, v1, "up").status).toBe(0);
      expect(run(h, moved, "up")).toMatchObject({ status: 0, stderr: "" });
      expect(h.shimIp("-d", "-o", "link", "show", "dev", "vti21")).toContain(" vti remote 203.0.113.15 local 10.20.1.10 ");
      expect(run(h, moved, "status")).toMatchObject({ status: 0 });
      rmSync(h.stateFile);
      const r = run(h, v1, "up");
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("vti21 exists with other tunnel parameters and is not recorded as this script's");
    }));

  it("vti to xfrm: up replaces each vti device by an XFRM interface with the key as if_id, routes follow, eth0's vti settings go back; down leaves the host as it was", () =>
    withHost((h) => {
      expect(toXfrm.host.vtis.map((v) => [v.device, v.kind, v.key])).toEqual([["xfrm21", "xfrm", 21], ["xfrm22", "xfrm", 22]]);
      const untouched = { snapshot: h.snapshot(keys), links: links(h) };
      const disableXfrm = h.ns.exec(["sysctl", "-n", "net.ipv4.conf.eth0.disable_xfrm"]).trim();
      expect(run(h, v1, "up").status).toBe(0);
      expect(h.ns.exec(["sysctl", "-n", "net.ipv4.conf.eth0.disable_xfrm"]).trim()).toBe("1");

      expect(run(h, toXfrm, "up")).toMatchObject({ status: 0, stderr: "" });
      expect(run(h, toXfrm, "status").status).toBe(0);
      for (const key of [21, 22]) {
        expect(h.hasLink(`vti${key}`)).toBe(false);
        expect(h.shimIp("-d", "-o", "link", "show", "dev", `xfrm${key}`)).toMatch(new RegExp(`^\\d+: xfrm${key}@eth0: .* xfrm if_id 0x${key.toString(16)} `));
        expect(h.ns.exec(["sysctl", "-n", `net.ipv4.conf.xfrm${key}.disable_policy`]).trim()).toBe("0");
      }
      expect(h.ip("-4", "route", "show", "table", "21", "proto", String(ROUTE_PROTO))).toBe("10.100.0.0/16 via 169.254.21.1 dev xfrm21 \n");
      // Only vti devices needed eth0's disable_xfrm/disable_policy: back to the value they replaced.
      expect(h.ns.exec(["sysctl", "-n", "net.ipv4.conf.eth0.disable_xfrm"]).trim()).toBe(disableXfrm);
      expect(h.readState()).toMatch(/\nversion 1\ndevice xfrm21 xfrm\ndevice xfrm22 xfrm\nrule 21 21\nrule 22 22\n/);

      const settled = h.snapshot(keys);
      expect(run(h, toXfrm, "up")).toMatchObject({ status: 0, stderr: "" });
      expect(h.snapshot(keys)).toBe(settled);

      expect(run(h, toXfrm, "down")).toMatchObject({ status: 0, stderr: "" });
      expect(links(h)).toBe(untouched.links);
      expect(h.snapshot(keys)).toBe(untouched.snapshot);
    }));

  it("an XFRM interface with another if_id stops up unless recorded; down (restart) replaces it", () =>
    withHost((h) => {
      h.shimIp("link", "add", "xfrm21", "type", "xfrm", "dev", "eth0", "if_id", "99");
      const r = run(h, toXfrm, "up");
      expect(r.status).toBe(1);
      expect(r.stderr).toContain("xfrm21 exists with other tunnel parameters and is not recorded as this script's");
      expect(run(h, toXfrm, "down").status).toBe(0);
      expect(h.hasLink("xfrm21")).toBe(false);
      expect(run(h, toXfrm, "up")).toMatchObject({ status: 0, stderr: "" });
      expect(h.shimIp("-d", "-o", "link", "show", "dev", "xfrm21")).toContain(" xfrm if_id 0x15 ");
      // A device that is not an XFRM interface under the name stops up, and down leaves it alone.
      expect(run(h, toXfrm, "down").status).toBe(0);
      h.ip("link", "add", "xfrm22", "type", "veth", "peer", "name", "other0");
      expect(run(h, toXfrm, "up")).toMatchObject({ status: 1, stderr: expect.stringContaining("xfrm22 exists and is not a tunnel device of this script") });
      expect(run(h, toXfrm, "down").status).toBe(0);
      expect(h.hasLink("xfrm22")).toBe(true);
    }));

  it("a kernel setting leaving the intent gets its recorded value back, unless someone changed it since", () =>
    withHost((h) => {
      mkdirSync(dirname(h.stateFile), { recursive: true });
      // As an earlier version would have recorded them: set to 2, and the host had 1 before.
      writeFileSync(h.stateFile, "version 1\nsysctl net.ipv4.conf.all.rp_filter 2 1\nsysctl net.ipv4.conf.default.rp_filter 2 1\nend\n");
      h.ns.exec(["sysctl", "-qw", "net.ipv4.conf.all.rp_filter=2"]);
      h.ns.exec(["sysctl", "-qw", "net.ipv4.conf.default.rp_filter=0"]);
      const r = run(h, v2, "up");
      expect(r.status).toBe(0);
      expect(h.ns.exec(["sysctl", "-n", "net.ipv4.conf.all.rp_filter"]).trim()).toBe("1");
      expect(h.ns.exec(["sysctl", "-n", "net.ipv4.conf.default.rp_filter"]).trim()).toBe("0");
      expect(r.stderr).toBe("sitewire-tunnels: leaving net.ipv4.conf.default.rp_filter = 0 alone: it was changed after sitewire set it to 2\n");
      expect(h.readState()).not.toMatch(/conf\.(all|default)\.rp_filter/);
    }));

  describe("a state file that is not exactly what the script writes is ignored as a whole: nothing it names is removed", () => {
    const recorded = "version 1\ndevice vti22 vti\nrule 22 22\n";
    it.each([
      ["a valid record (control: these are removed)", `${recorded}end\n`, null],
      ["a line it never writes", `${recorded}$(touch /tmp/sitewire-pwned)\nend\n`, 4],
      ["cut short (no end line)", recorded, 4],
      ["another format version", "version 2\ndevice vti22 vti\nend\n", 1],
    ] as const)("%s", (_label, text, badLine) =>
      withHost((h) => {
        h.shimIp("link", "add", "vti22", "type", "vti", "local", "10.20.1.10", "remote", "203.0.113.6", "key", "22");
        h.ip("rule", "add", "priority", "22", "lookup", "22");
        mkdirSync(dirname(h.stateFile), { recursive: true });
        writeFileSync(h.stateFile, text);
        const r = run(h, v2, "up");
        expect(r.status).toBe(0);
        if (badLine === null) {
          expect(r.stderr).toBe("");
          expect(h.hasLink("vti22")).toBe(false);
          expect(h.ip("rule", "show", "priority", "22")).toBe("");
        } else {
          expect(r.stderr).toContain(`ignoring ${TUNNEL_STATE_FILE} (line ${badLine} is not what this script writes)`);
          expect(h.hasLink("vti22")).toBe(true);
          expect(h.ip("rule", "show", "priority", "22")).toContain("lookup 22");
          expect(existsSync("/tmp/sitewire-pwned")).toBe(false);
        }
        expect(h.readState()).toMatch(/^# .*\nversion 1\ndevice vti21 vti\nrule 21 21\n(sysctl .*\n)+end\n$/);
      }),
    );
  });
});

function lineOf(text: string, key: string): string | undefined {
  return text.split("\n").find((l) => l.startsWith(`${key} = `));
}

function copyShim(): void {
  mkdirSync(shimDir, { recursive: true });
  copyFileSync(join(root, "test", "harness", "ip-shim"), join(shimDir, "ip"));
  chmodSync(join(shimDir, "ip"), 0o755);
}
