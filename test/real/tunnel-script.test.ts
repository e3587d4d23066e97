/**
 * The generated tunnel scripts, for real: shellcheck and `bash -n` on every one, then each host's script runs
 * in a throwaway network namespace with test/harness/ip-shim first on PATH (vti and ipip become veth pairs;
 * addresses, rules, routes and sysctls are the kernel's own). Checked against the site model, not against
 * the script text: `up` builds it, `up` again changes nothing, `status` agrees, `down` removes exactly what
 * `up` made and leaves a rule and routes that were there before.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { compileSource } from "../../src/compile/pipeline.js";
import type { HostModel } from "../../src/model/types.js";
import { HOST_PATHS, hostFile } from "../../src/targets/host-paths.js";
import { ROUTE_PROTO } from "../../src/targets/linux/tunnel-script.js";
import { Netns } from "../harness/netns.js";
import { missing } from "../harness/tools.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const siteFiles = ["sites", "test/fixtures/sites"].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => `${dir}/${f}`),
);

interface HostScript {
  readonly site: string;
  readonly host: HostModel;
  readonly script: string;
  readonly unit: string;
  /** The sysctl.d drop-in, when the host has one. */
  readonly sysctl?: string;
}

// A site that does not compile has no model here; test/golden.test.ts reports it.
const scripts: HostScript[] = siteFiles.flatMap((file) => {
  const { model, artifacts } = compileSource(file, readFileSync(join(root, file), "utf8"));
  return (model?.hosts ?? []).flatMap((host) => {
    const content = (path: string) => artifacts.find((a) => a.path === hostFile(host.name, path))?.content;
    const script = content(HOST_PATHS[host.os].tunnelScript);
    const sysctl = content(HOST_PATHS[host.os].sysctl);
    return script ? [{ site: model!.name, host, script, unit: content(HOST_PATHS[host.os].tunnelUnit) ?? "", ...(sysctl ? { sysctl } : {}) }] : [];
  });
});

const work = mkdtempSync(join(tmpdir(), "sw-tunnels-"));
const shimDir = join(work, "bin");
afterAll(() => rmSync(work, { recursive: true, force: true }));

function scriptFile(s: HostScript): string {
  const path = join(work, `${s.site}-${s.host.name}.sh`);
  writeFileSync(path, s.script, { mode: 0o755 });
  return path;
}

describe("example sites have tunnel scripts", () => {
  it("one per host with devices, rules or routes", () => {
    expect(scripts.map((s) => `${s.site}/${s.host.name}`)).toEqual(
      expect.arrayContaining(["bjs-hybrid/strongswan-1", "bjs-hybrid/strongswan-2", "partner-vpn/node-lan", "partner-vpn/node-remote", "partner-vpn/vpn-front"]),
    );
  });
});

describe.skipIf(missing("shellcheck"))("shellcheck and bash -n", () => {
  it.each(scripts.map((s) => [`${s.site}/${s.host.name}`, s] as const))("%s", (_name, s) => {
    const path = scriptFile(s);
    const check = spawnSync("shellcheck", ["--shell=bash", "--format=json1", path], { encoding: "utf8" });
    expect(JSON.parse(check.stdout).comments).toEqual([]);
    expect(check.status).toBe(0);
    expect(spawnSync("bash", ["-n", path], { encoding: "utf8" }).status).toBe(0);
  });
});

describe.skipIf(missing("systemd-analyze"))("systemd unit", () => {
  it.each(scripts.map((s) => [`${s.site}/${s.host.name}`, s] as const))("%s passes systemd-analyze verify without a warning", (_name, s) => {
    const script = scriptFile(s);
    const unit = join(work, "sitewire-tunnels.service");
    writeFileSync(unit, s.unit.replaceAll(`=/${HOST_PATHS[s.host.os].tunnelScript} `, `=${script} `));
    expect(s.unit).toContain(`ExecStart=/${HOST_PATHS[s.host.os].tunnelScript} up`);
    const r = spawnSync("systemd-analyze", ["verify", unit], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

/** A namespace standing in for one host: its interfaces and addresses, as the model says it has them. */
class HostNamespace {
  readonly ns = new Netns("tun");
  readonly state = mkdtempSync(join(work, "shim-"));

  constructor(readonly s: HostScript) {
    const h = s.host;
    for (const i of [{ device: h.interface, address: h.address }, ...h.externalInterfaces]) {
      this.ip("link", "add", i.device, "type", "veth", "peer", "name", `o${i.device}`.slice(0, 15));
      this.ip("addr", "add", i.address.cidr, "dev", i.device);
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
    const r = spawnSync("ip", ["netns", "exec", this.ns.name, "env", ...env, ...argv], { encoding: "utf8" });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
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
   * Everything the scripts can change, as text: IPv4 addresses, rules and routes (IPv6 link-local addresses
   * come and go on their own), each link's name, admin state and MTU, and the tunnel devices' sysctls.
   */
  snapshot(): string {
    const links = this.ip("-o", "link", "show")
      .split("\n")
      .map((line) => /^\d+: ([^:@]+)(?:@[^:]+)?: <([^>]*)> mtu (\d+)/.exec(line))
      .flatMap((m) => (m ? [`${m[1]} ${m[2]!.split(",").includes("UP") ? "up" : "down"} mtu ${m[3]}`] : []));
    const devices = [...this.s.host.vtis, ...this.s.host.ipips].map((d) => d.device);
    const sysctls = devices.map((d) => this.ns.exec(["sysctl", `net.ipv4.conf.${d}.rp_filter`, `net.ipv4.conf.${d}.disable_policy`]));
    return [this.ip("-4", "-o", "addr", "show"), ...links, this.ip("-4", "rule", "show"), this.ip("-4", "route", "show", "table", "all"), ...sysctls].join("\n");
  }

  cleanup(): void {
    this.ns.cleanup();
  }
}

function tablesOf(h: HostModel): number[] {
  return [...new Set(h.rules.map((r) => r.table))];
}

/**
 * What `up` must have built, from the model: [ip arguments, text they must print]. The `-d link show` lines
 * come from the shim's record of the `ip link add` / `ip tunnel add` arguments the script passed.
 */
function expectations(h: HostModel): [string[], string][] {
  const p = ROUTE_PROTO;
  return [
    ...h.vtis.flatMap((v): [string[], string][] => [
      [["-o", "addr", "show", "dev", v.device], ` inet ${v.address.address} peer ${v.peerAddress}/${v.address.length} `],
      [["-o", "link", "show", "dev", v.device], ` mtu ${v.mtu} `],
      [["-d", "-o", "link", "show", "dev", v.device], ` vti remote ${v.remote} local ${v.local} `],
      ...v.routes.map((r): [string[], string] => [["route", "show", "table", String(v.table)], `${r.cidr} via ${v.peerAddress} dev ${v.device} proto ${p}`]),
    ]),
    ...h.ipips.flatMap((l): [string[], string][] => [
      [["-o", "addr", "show", "dev", l.device], ` inet ${l.address.cidr} `],
      [["-o", "link", "show", "dev", l.device], ` mtu ${l.mtu} `],
      [["-d", "-o", "link", "show", "dev", l.device], ` ipip ipip remote ${l.remote} local ${l.local} ttl ${l.ttl} `],
    ]),
    ...h.rules.map((r): [string[], string] => [["rule", "show"], `${r.priority}:\tfrom all lookup ${r.table}`]),
    ...h.routes.map((r): [string[], string] => [["route", "show"], `${r.to.cidr} via ${r.via} dev ${r.device} proto ${p}`]),
  ];
}

describe.skipIf(missing("root"))("tunnel scripts in a namespace", () => {
  copyShim();

  describe.each(scripts.map((s) => [`${s.site}/${s.host.name}`, s] as const))("%s", (_name, s) => {
    it("up builds what the model says; up again changes nothing; status agrees; down removes only its own", () => {
      const host = new HostNamespace(s);
      try {
        // Someone else's rule and routes, in main and in every table the script uses.
        host.ip("rule", "add", "priority", "30000", "lookup", "200");
        for (const table of ["main", ...tablesOf(s.host).map(String)]) host.ip("route", "add", "198.18.251.0/24", "dev", s.host.interface, "table", table);
        const foreign = [host.ip("rule", "show", "priority", "30000"), host.ip("route", "show", "table", "all", "198.18.251.0/24")];

        if (s.sysctl) {
          // The drop-in applies cleanly at "boot" (before any tunnel device exists) and sets what it says.
          const dropIn = join(work, `${s.site}-${s.host.name}.conf`);
          writeFileSync(dropIn, s.sysctl);
          host.ns.exec(["sysctl", "-q", "-p", dropIn]);
          for (const [, key, value] of s.sysctl.matchAll(/^(\S+) = (\d+)$/gm)) expect(host.ns.exec(["sysctl", "-n", key!]).trim(), key).toBe(value);
        }

        host.up();
        for (const [command, text] of expectations(s.host)) expect(host.shimIp(...command)).toContain(text);
        for (const v of s.host.vtis) {
          expect(host.ns.exec(["sysctl", "-n", `net.ipv4.conf.${v.device}.disable_policy`]).trim()).toBe("1");
          expect(host.ns.exec(["sysctl", "-n", `net.ipv4.conf.${v.device}.rp_filter`]).trim()).toBe("2");
        }

        const before = host.snapshot();
        host.up();
        expect(host.snapshot()).toBe(before);

        const status = host.run("status");
        expect(status.stdout).not.toContain("missing");
        expect(status.stdout.trim().split("\n").length).toBeGreaterThan(0);
        expect(status.status).toBe(0);

        // A route an older version of the script installed, for a prefix the site has dropped since.
        host.ip("route", "add", "198.18.252.0/24", "dev", s.host.interface, "proto", String(ROUTE_PROTO));
        expect(host.run("down")).toMatchObject({ status: 0, stderr: "" });
        expect(host.ip("route", "show", "table", "all", "proto", String(ROUTE_PROTO))).toBe("");
        for (const d of [...s.host.vtis, ...s.host.ipips]) expect(host.hasLink(d.device)).toBe(false);
        for (const r of s.host.rules) expect(host.ip("rule", "show", "priority", String(r.priority))).toBe("");
        expect([host.ip("rule", "show", "priority", "30000"), host.ip("route", "show", "table", "all", "198.18.251.0/24")]).toEqual(foreign);

        const after = host.run("status");
        expect(after.status).toBe(3);
        expect(after.stdout).not.toContain("present");
        expect(host.run("down")).toMatchObject({ status: 0, stderr: "" });
      } finally {
        host.cleanup();
      }
    });
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
        expect(r.stdout).toContain(`missing  route ${to} via ${vti.peerAddress} dev ${vti.device} table ${vti.table}`);
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

function copyShim(): void {
  mkdirSync(shimDir, { recursive: true });
  copyFileSync(join(root, "test", "harness", "ip-shim"), join(shimDir, "ip"));
  chmodSync(join(shimDir, "ip"), 0o755);
}
