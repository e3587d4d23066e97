/**
 * Seed 000's path with real traffic, built from partner-vpn's emitted artifacts only:
 *
 *   node-lan (eth0) ──────────────── eth0 ┐
 *                                         vpn-front ── tun0 (a veth) ── partner (HTTP on the partner API)
 *   node-remote (vpnnic, ipip link) ─ vpnnic ┘
 *
 * The nodes run their tunnel scripts (routes; node-remote also its end of the ipip link, stood in for by a
 * veth pair across the two namespaces), vpn-front runs its script, its sysctl drop-in and its firewall loader
 * (the emitted unit's ExecStart=, iptables-nft), on top of a host's own rules: Docker's FORWARD policy DROP and
 * DOCKER-USER chain, INPUT DROP with an ssh allow, a foreign MASQUERADE. The partner has no route back to
 * either node, so a request only gets an answer when vpn-front masquerades it: the partner's access log must
 * show vpn-front's tun0 address, and without sitewire's chains the request fails. A source the site does not
 * name is left to the host's FORWARD policy, or dropped by sitewire's own chain with forwardDefault: drop;
 * unloading restores the host's ruleset byte for byte.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { compileSource } from "../../src/compile/pipeline.js";
import type { HostModel } from "../../src/model/types.js";
import { HOST_PATHS, hostFile } from "../../src/targets/host-paths.js";
import { OWNED_CHAINS } from "../../src/targets/iptables/rules.js";
import { backendBin, installFirewall, normaliseSave, replaceRules, restoreInto, runUnitCommand, saveFrom } from "../harness/iptables.js";
import { Netns } from "../harness/netns.js";
import { missing } from "../harness/tools.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const siteFile = "sites/partner-vpn.yaml";
const result = compileSource(siteFile, readFileSync(join(root, siteFile), "utf8"));
const model = result.model!;
const host = (name: string): HostModel => model.hosts.find((h) => h.name === name)!;
type HostFileKey = "tunnelScript" | "sysctl" | "iptablesRules" | "firewallScript" | "firewallUnit";
const artifactOf = (r: typeof result, h: HostModel, path: HostFileKey): string => {
  const found = r.artifacts.find((a) => a.path === hostFile(h.name, HOST_PATHS[h.os][path]));
  if (!found) throw new Error(`${h.name} has no ${path}`);
  return found.content;
};
const artifact = (h: HostModel, path: HostFileKey): string => artifactOf(result, h, path);
// The same site with hosts.vpn-front.firewall.forwardDefault: drop.
const dropIntent = parse(readFileSync(join(root, siteFile), "utf8")) as Record<string, any>;
dropIntent.hosts["vpn-front"].firewall = { forwardDefault: "drop" };
const dropResult = compileSource(siteFile, stringify(dropIntent));

/** vpn-front's own rules before sitewire: what a Docker host has (FORWARD DROP), plus an ssh-only INPUT. */
const FOREIGN = `*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:DOCKER-USER - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
-A FORWARD -j DOCKER-USER
-A DOCKER-USER -j RETURN
COMMIT
*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
COMMIT
*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
COMMIT
`;

const front = host("vpn-front");
const lan = host("node-lan");
const remote = host("node-remote");
const flow = model.flows.find((f) => f.via === front.name)!;
const tun0 = front.externalInterfaces.find((i) => i.device === flow.out)!;
const partnerApi = model.networks.find((n) => n.name === "partner-api")!.prefix.network;
const flowNet = flow.to[0]!;

describe.skipIf(missing("root", "curl", "python3", "iptables-nft-restore"))("seed 000 NAT path with real traffic", () => {
  const work = mkdtempSync(join(tmpdir(), "sw-nat-"));
  const made: Netns[] = [];
  let server: ChildProcess | undefined;
  let ns: Record<"front" | "lan" | "remote" | "partner", Netns>;
  let foreign: string;
  const firewallDir = join(work, "firewall");
  const bin = join(work, "iptables-nft");
  let installed: Record<string, string>;
  const unit = (key: "ExecStart" | "ExecReload" | "ExecStop") => {
    const r = runUnitCommand(ns.front, artifact(front, "firewallUnit"), key, installed, bin);
    if (r.status !== 0) throw new Error(`${key} failed: ${r.stderr}`);
  };
  /** Packets counted by the FORWARD policy, and by sitewire's final DROP (absent: -1). */
  const counters = () => {
    const saved = ns.front.exec(["iptables-nft-save", "-c", "-t", "filter"]);
    const policy = Number(/^:FORWARD DROP \[(\d+):/m.exec(saved)![1]);
    const own = /^\[(\d+):\d+\] -A SITEWIRE-FORWARD .*-j DROP$/m.exec(saved);
    return { policy, own: own ? Number(own[1]) : -1 };
  };
  const serverLog = join(work, "server.log");
  const run = `sitewire-${process.pid}-${Date.now()}`;

  /** Run a command in a namespace with the ip shim first on PATH. */
  function shimmed(n: Netns, argv: string[], extra: string[] = []): void {
    const env = [`PATH=${join(work, "bin")}:/usr/sbin:/usr/bin:/sbin:/bin`, `SITEWIRE_SHIM_STATE=${join(work, "shim")}`, ...extra];
    const r = spawnSync("ip", ["netns", "exec", n.name, "env", ...env, ...argv], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${argv.join(" ")} in ${n.name} failed: ${r.stderr}`);
  }

  function runScript(n: Netns, h: HostModel, extra: string[] = []): void {
    const path = join(work, `${h.name}.sh`);
    writeFileSync(path, artifact(h, "tunnelScript"), { mode: 0o755 });
    shimmed(n, ["bash", path, "up"], extra);
  }

  /** curl from a namespace; the HTTP status, or "000" when no answer came. */
  function get(n: Netns, path: string, source?: string): string {
    const args = ["-s", "-m", "3", "-o", "/dev/null", "-w", "%{http_code}", ...(source ? ["--interface", source] : []), `http://${partnerApi}:8080/${path}`];
    return spawnSync("ip", ["netns", "exec", n.name, "curl", ...args], { encoding: "utf8" }).stdout;
  }

  beforeAll(async () => {
    mkdirSync(join(work, "bin"));
    copyFileSync(join(root, "test", "harness", "ip-shim"), join(work, "bin", "ip"));
    chmodSync(join(work, "bin", "ip"), 0o755);
    const make = (label: string) => {
      const n = new Netns(label);
      made.push(n);
      return n;
    };
    ns = { front: make("front"), lan: make("lan"), remote: make("rem"), partner: make("partner") };
    const ip = (n: Netns, ...args: string[]) => n.exec(["ip", ...args]);

    // node-lan and vpn-front share the LAN; tun0 leads to the partner; node-remote only has its own address.
    ip(ns.front, "link", "add", front.interface, "type", "veth", "peer", "name", lan.interface, "netns", ns.lan.name);
    ip(ns.front, "link", "add", tun0.device, "type", "veth", "peer", "name", "wan0", "netns", ns.partner.name);
    ip(ns.remote, "link", "add", remote.interface, "type", "veth", "peer", "name", "o0");
    for (const [n, dev, address] of [
      [ns.front, front.interface, front.address.cidr],
      [ns.front, tun0.device, tun0.address.cidr],
      [ns.lan, lan.interface, lan.address.cidr],
      [ns.remote, remote.interface, remote.address.cidr],
      [ns.partner, "wan0", `${partnerApi}/${tun0.address.length}`],
    ] as const) {
      ip(n, "addr", "add", address, "dev", dev);
      ip(n, "link", "set", dev, "up");
    }
    ip(ns.remote, "link", "set", "o0", "up");

    // The ipip link: node-remote's script creates both ends (the shim puts the far one into vpn-front's
    // namespace, recording vpn-front's parameters mirrored); vpn-front's script must then find its end right.
    runScript(ns.remote, remote, [`SITEWIRE_SHIM_LINK_NETNS=${ns.front.name}`]);
    runScript(ns.front, front);
    runScript(ns.lan, lan);
    writeFileSync(join(work, "sysctl.conf"), artifact(front, "sysctl"));
    ns.front.exec(["sysctl", "-q", "-p", join(work, "sysctl.conf")]);
    restoreInto(ns.front, FOREIGN, "nft");
    foreign = normaliseSave(saveFrom(ns.front, "nft"));
    backendBin(bin, "nft");
    const script = installFirewall(firewallDir, { rules: artifact(front, "iptablesRules"), script: artifact(front, "firewallScript") }, `/${HOST_PATHS[front.os].iptablesRules}`);
    installed = { [`/${HOST_PATHS[front.os].firewallScript}`]: script };

    const docs = join(work, "docs");
    mkdirSync(docs);
    for (const who of ["lan", "remote", "stranger", "before", "after"]) writeFileSync(join(docs, `${run}-${who}`), "ok\n");
    const log = openSync(serverLog, "a");
    server = spawn("ip", ["netns", "exec", ns.partner.name, "python3", "-u", "-m", "http.server", "8080", "--bind", partnerApi, "--directory", docs], {
      stdio: ["ignore", log, log],
    });
    for (let i = 0; i < 50; i++) {
      if (spawnSync("ip", ["netns", "exec", ns.partner.name, "bash", "-c", `</dev/tcp/${partnerApi}/8080`], { stdio: "ignore" }).status === 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("the partner's HTTP server did not start");
  });

  afterAll(() => {
    if (server?.pid) process.kill(server.pid);
    for (const n of made) n.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it("the scripts routed both nodes to the partner network through vpn-front", () => {
    expect(ns.lan.exec(["ip", "route", "get", partnerApi])).toContain(`via ${front.address.address} dev ${lan.interface}`);
    expect(ns.remote.exec(["ip", "route", "get", partnerApi])).toContain(`via ${remote.ipips[0]!.peerAddress} dev ${remote.ipips[0]!.device}`);
    expect(ns.front.exec(["sysctl", "-n", "net.ipv4.ip_forward"]).trim()).toBe("1");
    expect(flowNet.cidr).toBe("172.16.0.0/24");
  });

  it("without sitewire's chains the partner cannot answer", () => {
    expect(get(ns.lan, `${run}-before`)).toBe("000");
  });

  it("with vpn-front's emitted rules loaded by its unit, both nodes reach the partner, which sees vpn-front's tun0 address", () => {
    unit("ExecStart");
    expect(get(ns.lan, `${run}-lan`)).toBe("200");
    expect(get(ns.remote, `${run}-remote`)).toBe("200");
    const log = readFileSync(serverLog, "utf8");
    for (const who of ["lan", "remote"]) expect(log).toMatch(new RegExp(`^${tun0.address.address.replace(/\./g, "\\.")} .*"GET /${run}-${who} HTTP`, "m"));
    expect(log).not.toContain(`/${run}-before`);
    const masqueraded = ns.front.exec(["iptables-nft-save", "-c", "-t", "nat"]);
    expect(masqueraded).toMatch(/^\[[1-9]\d*:\d+\] -A SITEWIRE-POSTROUTING -s 10\.24\.0\.10\/32 -o tun0 .*MASQUERADE/m);
  });

  it("a source the site does not name is not sitewire's to accept: the host's FORWARD policy drops it", () => {
    const before = counters();
    expect(before.own).toBe(-1);
    const stranger = "10.24.0.99";
    ns.lan.exec(["ip", "addr", "add", `${stranger}/${lan.address.length}`, "dev", lan.interface]);
    expect(get(ns.lan, `${run}-stranger`, stranger)).toBe("000");
    expect(counters().policy).toBeGreaterThan(before.policy);
    expect(readFileSync(serverLog, "utf8")).not.toContain(`/${run}-stranger`);
  });

  it("with forwardDefault: drop, sitewire's own chain drops it, and the flows still pass", () => {
    replaceRules(firewallDir, artifactOf(dropResult, front, "iptablesRules"));
    unit("ExecReload");
    const before = counters();
    expect(before.own).toBe(0);
    expect(get(ns.lan, `${run}-stranger`, "10.24.0.99")).toBe("000");
    const after = counters();
    expect(after.own).toBeGreaterThan(0);
    expect(after.policy).toBe(before.policy);
    expect(get(ns.lan, `${run}-lan`)).toBe("200");
    expect(readFileSync(serverLog, "utf8")).not.toContain(`/${run}-stranger`);
  });

  it("unloading (ExecStop) leaves the host's own rules byte for byte, and the flows stop", () => {
    unit("ExecStop");
    expect(normaliseSave(saveFrom(ns.front, "nft"))).toBe(foreign);
    expect(saveFrom(ns.front, "nft")).not.toMatch(new RegExp(OWNED_CHAINS.map((c) => c.chain).join("|")));
    expect(get(ns.lan, `${run}-after`)).toBe("000");
  });
});
