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
  // Per family: IPv4 over the IPv4 session (neighbor), IPv6 over the IPv6 one (neighbor6, over the tunnel's IPv6
  // inside addresses) as the host's emitted frr.conf does; `ipv6 prefix-list` and `match ipv6 address`.
  const of = (prefixes: BgpSide["announce"], family: 4 | 6) => prefixes.filter((p) => p.family === family);
  const prefixList = (family: 4 | 6, name: string, prefixes: BgpSide["announce"]) => {
    const ip = family === 6 ? "ipv6" : "ip";
    const own = of(prefixes, family);
    return own.length > 0 ? own.map((p, i) => `${ip} prefix-list ${name} seq ${(i + 1) * 5} permit ${p.cidr}`) : [`${ip} prefix-list ${name} seq 5 deny any`];
  };
  const policy = (family: 4 | 6) => {
    const ip = family === 6 ? "ipv6" : "ip";
    const sfx = family === 6 ? "6" : "";
    return sessions
      .filter(({ own }) => family === 4 || own.neighbor6 !== undefined)
      .flatMap(({ t, bgp, own }) => [
        ...prefixList(family, `${tag(t)}-IN${sfx}`, own.accept),
        ...prefixList(family, `${tag(t)}-OUT${sfx}`, own.announce),
        `route-map ${tag(t)}-IN${sfx} permit 10`,
        ` match ${ip} address prefix-list ${tag(t)}-IN${sfx}`,
        ` set local-preference ${bgp.localPref}`,
        "exit",
        `route-map ${tag(t)}-OUT${sfx} permit 10`,
        ` match ${ip} address prefix-list ${tag(t)}-OUT${sfx}`,
        ` set metric ${bgp.med}`,
        ...(bgp.prepend > 0 ? [` set as-path prepend ${Array<number>(bgp.prepend).fill(own.as).join(" ")}`] : []),
        "exit",
        "!",
      ]);
  };
  const announced = (family: 4 | 6) => [...new Map(sessions.flatMap((s) => of(s.own.announce, family).map((p) => [p.cidr, p] as const))).values()];
  const neighbors = sessions.flatMap(({ t, bgp, own }) => [own.neighbor, ...(own.neighbor6 ? [own.neighbor6] : [])].map((n) => ({ t, bgp, own, n, six: n === own.neighbor6 })));
  const v6 = neighbors.filter((x) => x.six);
  return [
    `! sitewire lab: the far side ${hostname}, rendered from the model's peer side of its BGP sessions`,
    "frr defaults traditional",
    `hostname ${hostname}`,
    "!",
    ...policy(4),
    ...(v6.length > 0 ? policy(6) : []),
    `router bgp ${first.as}`,
    ` bgp router-id ${first.routerId}`,
    " no bgp network import-check",
    ...neighbors.flatMap(({ bgp, own, n }) => [
      ` neighbor ${n} remote-as ${own.remoteAs}`,
      ` neighbor ${n} timers ${bgp.keepalive.seconds} ${bgp.holdTime.seconds}`,
      ` neighbor ${n} timers connect 5`,
      ...(bgp.bfd ? [` neighbor ${n} bfd`] : []),
    ]),
    " address-family ipv4 unicast",
    ...announced(4).map((p) => `  network ${p.cidr}`),
    ...neighbors.flatMap(({ t, n, six }) => (six ? [`  no neighbor ${n} activate`] : [`  neighbor ${n} route-map ${tag(t)}-IN in`, `  neighbor ${n} route-map ${tag(t)}-OUT out`])),
    " exit-address-family",
    ...(v6.length > 0
      ? [
          " address-family ipv6 unicast",
          ...announced(6).map((p) => `  network ${p.cidr}`),
          ...v6.flatMap(({ t, n }) => [`  neighbor ${n} activate`, `  neighbor ${n} route-map ${tag(t)}-IN6 in`, `  neighbor ${n} route-map ${tag(t)}-OUT6 out`]),
          " exit-address-family",
        ]
      : []),
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

  /**
   * `show bgp summary json`: each neighbour's state and how many prefixes it sent that were accepted, IPv4
   * neighbours from the IPv4 unicast table and IPv6 ones (an address with ':') from the IPv6 unicast table.
   */
  async sessions(): Promise<Record<string, { state: string; pfxRcd?: number }>> {
    const r = await this.vtysh(["show bgp summary json"]);
    if (r.code !== 0) return {};
    try {
      type Peers = Record<string, { state: string; pfxRcd?: number }>;
      const all = JSON.parse(r.stdout) as { ipv4Unicast?: { peers?: Peers }; ipv6Unicast?: { peers?: Peers } };
      const v6 = Object.fromEntries(Object.entries(all.ipv6Unicast?.peers ?? {}).filter(([n]) => n.includes(":")));
      return { ...(all.ipv4Unicast?.peers ?? {}), ...v6 };
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
