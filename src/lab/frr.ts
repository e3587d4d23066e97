/**
 * BGP over tunnels in the lab: FRRouting (zebra, bgpd, and bfdd where a session asks for BFD) in a host's
 * namespace with the frr.conf sitewire emitted for it, and in a far side's router namespace with an frr.conf
 * rendered here from the model's peer side of each session (sitewire emits no FRR for a far side: on a real
 * one that is the device's own configuration, which the lab replaces by a stand-in).
 *
 * Daemons run directly with private paths, as several instances coexist on one machine (verify.md, FRRouting:
 * `-f DIR/frr.conf -i DIR/run/<daemon>.pid --vty_socket DIR/run -z DIR/run/zserv.api`, DIR owned by user frr;
 * vtysh talks to them with `--vty_socket DIR/run`; `-P 0` switches the TCP vty off). Each call gets /dev/log
 * covered by /dev/null in its own mount namespace, so the emitted `log syslog` writes nothing into the
 * machine's log. The daemons end with the lab's namespaces (./state.ts).
 */
import { chownSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import type { BgpSide, TunnelModel } from "../model/types.js";
import { runAsync, sleep } from "./system.js";

const FRR_LIB = "/usr/lib/frr";
/** Cover /dev/log for this call (ignore a machine without it), then exec the daemon. */
const NO_SYSLOG = 'mount --bind /dev/null /dev/log 2>/dev/null; exec "$@"';

/**
 * The far side's frr.conf for its BGP sessions (`tunnels`, all ending on that peer): per tunnel a neighbour
 * with the model's timers, prefix lists of what it announces and accepts, and route-maps for the preference
 * (local-preference on what it learns, MED and AS-path prepend on what it announces) — eBGP in FRR 8.4
 * requires a policy (`bgp ebgp-requires-policy`): the route-maps are that one. It announces what the model
 * says whatever its table holds (`no bgp network import-check`, as the host's emitted file does).
 * Syntax: docs.frrouting.org/en/latest/bgp.html (router bgp, neighbor PEER remote-as / timers / timers
 * connect / bfd / route-map, network, bgp network import-check), docs.frrouting.org/en/latest/filter.html
 * (ip prefix-list), docs.frrouting.org/en/latest/routemap.html (set local-preference, set metric,
 * set as-path prepend).
 */
export function farSideFrrConf(hostname: string, tunnels: readonly TunnelModel[]): string {
  const sessions = tunnels.flatMap((t) => (t.bgp ? [{ t, bgp: t.bgp, own: t.bgp.peer }] : []));
  const first = sessions[0]?.own;
  if (!first) throw new Error(`internal: ${hostname} has no BGP session`);
  const tag = (t: TunnelModel) => `LAB-${t.name.toUpperCase()}`;
  const prefixList = (name: string, prefixes: BgpSide["announce"]) =>
    prefixes.length > 0 ? prefixes.map((p, i) => `ip prefix-list ${name} seq ${(i + 1) * 5} permit ${p.cidr}`) : [`ip prefix-list ${name} seq 5 deny any`];
  const announced = [...new Map(sessions.flatMap((s) => s.own.announce.map((p) => [p.cidr, p] as const))).values()];
  return [
    `! sitewire lab: the far side ${hostname}, rendered from the model's peer side of its BGP sessions`,
    "frr defaults traditional",
    `hostname ${hostname}`,
    "!",
    ...sessions.flatMap(({ t, bgp, own }) => [
      ...prefixList(`${tag(t)}-IN`, own.accept),
      ...prefixList(`${tag(t)}-OUT`, own.announce),
      `route-map ${tag(t)}-IN permit 10`,
      ` match ip address prefix-list ${tag(t)}-IN`,
      ` set local-preference ${bgp.localPref}`,
      "exit",
      `route-map ${tag(t)}-OUT permit 10`,
      ` match ip address prefix-list ${tag(t)}-OUT`,
      ` set metric ${bgp.med}`,
      ...(bgp.prepend > 0 ? [` set as-path prepend ${Array<number>(bgp.prepend).fill(own.as).join(" ")}`] : []),
      "exit",
      "!",
    ]),
    `router bgp ${first.as}`,
    ` bgp router-id ${first.routerId}`,
    " no bgp network import-check",
    ...sessions.flatMap(({ bgp, own }) => [
      ` neighbor ${own.neighbor} remote-as ${own.remoteAs}`,
      ` neighbor ${own.neighbor} timers ${bgp.keepalive.seconds} ${bgp.holdTime.seconds}`,
      ` neighbor ${own.neighbor} timers connect 5`,
      ...(bgp.bfd ? [` neighbor ${own.neighbor} bfd`] : []),
    ]),
    " address-family ipv4 unicast",
    ...announced.map((p) => `  network ${p.cidr}`),
    ...sessions.flatMap(({ t, own }) => [`  neighbor ${own.neighbor} route-map ${tag(t)}-IN in`, `  neighbor ${own.neighbor} route-map ${tag(t)}-OUT out`]),
    " exit-address-family",
    "exit",
    "",
  ].join("\n");
}

function frrIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync("id", [flag, "frr"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

export class LabFrr {
  private constructor(
    readonly ns: string,
    readonly dir: string,
  ) {}

  /** Write `conf` to `dir` (owned by user frr) and start the daemons in `ns`; resolves once bgpd answers. */
  static async start(ns: string, dir: string, conf: string, timeoutMs = 10_000): Promise<LabFrr> {
    const { uid, gid } = frrIds();
    mkdirSync(join(dir, "run"), { recursive: true });
    writeFileSync(join(dir, "frr.conf"), conf, { mode: 0o640 });
    for (const p of [dir, join(dir, "run"), join(dir, "frr.conf")]) chownSync(p, uid, gid);
    const frr = new LabFrr(ns, dir);
    const daemons = ["zebra", ...(/^\s*neighbor \S+ bfd\b/m.test(conf) ? ["bfdd"] : []), "bgpd"];
    for (const daemon of daemons) {
      const argv = [
        join(FRR_LIB, daemon),
        "-d",
        "-N",
        ns,
        "-P",
        "0",
        "-f",
        join(dir, "frr.conf"),
        "-i",
        join(dir, "run", `${daemon}.pid`),
        "--vty_socket",
        join(dir, "run"),
        ...(daemon === "bfdd" ? [] : ["-z", join(dir, "run", "zserv.api")]),
        "--log",
        `file:${join(dir, "run", `${daemon}.log`)}`,
      ];
      const r = await runAsync({ ns, argv: ["sh", "-c", NO_SYSLOG, "sh", ...argv] }, timeoutMs);
      if (r.code !== 0) throw new Error(`${daemon} did not start in ${ns}: ${r.stderr}${r.stdout}`);
    }
    const deadline = Date.now() + timeoutMs;
    while ((await frr.vtysh(["show version"], "bgpd")).code !== 0) {
      if (Date.now() > deadline) throw new Error(`bgpd does not answer in ${ns}\n${frr.logs()}`);
      await sleep(200);
    }
    return frr;
  }

  vtysh(commands: readonly string[], daemon?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    return runAsync({ ns: this.ns, argv: ["vtysh", "--vty_socket", join(this.dir, "run"), ...(daemon ? ["-d", daemon] : []), ...commands.flatMap((c) => ["-c", c])] }, 10_000);
  }

  /** `show bgp summary json`: each IPv4 neighbour's state and how many prefixes it sent that were accepted. */
  async sessions(): Promise<Record<string, { state: string; pfxRcd?: number }>> {
    const r = await this.vtysh(["show bgp summary json"]);
    if (r.code !== 0) return {};
    try {
      const all = JSON.parse(r.stdout) as { ipv4Unicast?: { peers?: Record<string, { state: string; pfxRcd?: number }> } };
      return all.ipv4Unicast?.peers ?? {};
    } catch {
      return {};
    }
  }

  logs(): string {
    const run = join(this.dir, "run");
    if (!existsSync(run)) return "";
    return readdirSync(run)
      .filter((f) => f.endsWith(".log"))
      .map((f) => `--- ${this.ns} ${f}\n${readFileSync(join(run, f), "utf8").split("\n").slice(-10).join("\n")}`)
      .join("\n");
  }
}
