/**
 * FRRouting (bgpd) on Linux gateways (issue 13): for every host with routing.bgp and at least one tunnel that
 * runs BGP, the whole /etc/frr/frr.conf (one eBGP session per tunnel, over its inside addresses, with prefix
 * lists and route-maps that make the announcements and the accepted routes exactly the intent's) and
 * /etc/frr/daemons (Debian's file with bgpd, and bfdd when a tunnel asks for BFD, switched on).
 *
 * Every value that reaches the files is typed and checked again here (addresses, integers, sitewire names):
 * no intent text is ever copied into them. The same view renders either end of a session (`side`), so a test
 * can render a strongSwan far end's FRR from the same model (test/live/bgp-failover.test.ts).
 */
import type { Family, HostModel, Prefix, SiteModel, TunnelModel } from "../../model/types.js";
import { render } from "../../render/templates.js";
import { HOST_PATHS, hostFile } from "../host-paths.js";
import { cidr, integer, ip, ipv4, nodeName } from "../linux/safe.js";
import type { Artifact, Target } from "../target.js";

/** 4-byte AS numbers (RFC 6793), as FRR's `router bgp (1-4294967295)` takes them. */
const AS_MAX = 4294967295;

export interface FrrSession {
  readonly tunnel: string;
  /**
   * The address family the session carries: 4 for a session over IPv4 inside addresses, 6 over IPv6 ones (an
   * IPv6-only tunnel's session, or the second session of a dual-stack tunnel: BgpSide.neighbor6). A session
   * carries its own family's networks only (IPv4 unicast over IPv4, IPv6 unicast over IPv6).
   */
  readonly family: Family;
  /** The family's keyword in `ip|ipv6 prefix-list` and `match ip|ipv6 address prefix-list`. */
  readonly afi: "ip" | "ipv6";
  readonly preference: "primary" | "secondary";
  readonly neighbor: string;
  readonly remoteAs: number;
  readonly keepalive: number;
  readonly holdTime: number;
  readonly connectRetry: number;
  readonly bfd: boolean;
  readonly localPref: number;
  readonly med: number;
  /** `set as-path prepend` operand: own AS repeated `prepend` times (empty: no prepend). */
  readonly prepend: string;
  readonly inName: string;
  readonly outName: string;
  /** Prefix-list entries (`seq N permit CIDR`); an empty list is one `deny any`, so the list exists and matches nothing. */
  readonly accept: readonly { readonly seq: number; readonly cidr: string }[];
  readonly announce: readonly { readonly seq: number; readonly cidr: string }[];
}

export interface FrrView {
  readonly source: string;
  readonly hostname: string;
  readonly as: number;
  readonly routerId: string;
  readonly sessions: readonly FrrSession[];
  /** Distinct announced IPv4 prefixes of all sessions (`network` lines under ipv4 unicast), in first-seen order. */
  readonly networks: readonly string[];
  /** The same for IPv6 (`network` lines under `address-family ipv6 unicast`). */
  readonly networks6: readonly string[];
  /** IPv4 sessions (address-family ipv4 unicast) and IPv6 sessions (address-family ipv6 unicast). */
  readonly sessions4: readonly FrrSession[];
  readonly sessions6: readonly FrrSession[];
}

/** Prefix-list / route-map name of a tunnel's direction: sitewire names only ([a-z0-9-]). */
export function policyName(tunnel: string, direction: "in" | "out" | "in6" | "out6"): string {
  return `sitewire-${nodeName(tunnel)}-${direction}`;
}

function entries(prefixes: readonly Prefix[]) {
  // seq 5, 10, 15…: room to insert by hand when debugging on a box (FRR's own auto-numbering steps by 5).
  return prefixes.map((p, i) => ({ seq: (i + 1) * 5, cidr: cidr(p) }));
}

/**
 * The FRR view of one node's side of `tunnels` (those with `bgp`): `side` "host" for a Linux host, "peer" for
 * the far end. All sessions of one node must share its AS and router id (one `router bgp` per node).
 */
export function frrView(source: string, hostname: string, side: "host" | "peer", tunnels: readonly TunnelModel[]): FrrView {
  const withBgp = tunnels.filter((t) => t.bgp);
  const first = withBgp[0]?.bgp?.[side];
  if (!first) throw new Error(`internal: no BGP session on ${hostname}'s ${side} side`);
  const as = integer(first.as, 1, AS_MAX);
  const routerId = ipv4(first.routerId);
  const networks: Record<Family, string[]> = { 4: [], 6: [] };
  const sessions = withBgp.flatMap((t): FrrSession[] => {
    const bgp = t.bgp!;
    const own = bgp[side];
    if (own.as !== as || own.routerId !== routerId)
      throw new Error(`internal: tunnel ${t.name} gives ${hostname} AS ${own.as} / router id ${own.routerId}, another tunnel ${as} / ${routerId}`);
    // The session over `neighbor` carries the family of the (first) inside network; a dual-stack tunnel's second
    // session over `neighbor6` carries IPv6. Each gets the announcements and accepted networks of its family.
    const firstFamily: Family = t.inside?.family ?? 4;
    const pairs: [string, Family, "in" | "in6", "out" | "out6"][] = [[own.neighbor, firstFamily, "in", "out"]];
    if (own.neighbor6 !== undefined) pairs.push([own.neighbor6, 6, "in6", "out6"]);
    return pairs.map(([neighbor, family, inDir, outDir]) => {
      const announce = own.announce.filter((p) => p.family === family);
      for (const p of announce) if (!networks[family].includes(cidr(p))) networks[family].push(cidr(p));
      return {
        tunnel: nodeName(t.name),
        family,
        afi: family === 6 ? "ipv6" : "ip",
        preference: bgp.preference,
        neighbor: ip(neighbor),
        remoteAs: integer(own.remoteAs, 1, AS_MAX),
        // FRR: `neighbor PEER timers (0-65535) (0-65535)`, keepalive first (docs.frrouting.org/en/latest/bgp.html).
        keepalive: integer(bgp.keepalive.seconds, 0, 65535),
        holdTime: integer(bgp.holdTime.seconds, 0, 65535),
        // `neighbor PEER timers connect (1-65535)`: retry a lost session every keepalive interval (at least 1 s)
        // instead of FRR's default 120 s, so a tunnel that comes back carries traffic again within seconds
        // even when the far end waits passively (docs.frrouting.org/en/latest/bgp.html, "timers connect").
        connectRetry: integer(Math.max(1, bgp.keepalive.seconds), 1, 65535),
        bfd: bgp.bfd,
        localPref: integer(bgp.localPref, 0, AS_MAX),
        med: integer(bgp.med, 0, AS_MAX),
        prepend: Array<number>(integer(bgp.prepend, 0, 10)).fill(as).join(" "),
        inName: policyName(t.name, inDir),
        outName: policyName(t.name, outDir),
        accept: entries(own.accept.filter((p) => p.family === family)),
        announce: entries(announce),
      };
    });
  });
  return {
    source,
    hostname: nodeName(hostname),
    as,
    routerId,
    sessions,
    networks: networks[4],
    networks6: networks[6],
    sessions4: sessions.filter((s) => s.family === 4),
    sessions6: sessions.filter((s) => s.family === 6),
  };
}

/** frr.conf text for a view (templates/frr/frr.conf.hbs). */
export function renderFrrConf(view: FrrView): string {
  return render("frr", "frr.conf", view);
}

/** /etc/frr/daemons text: Debian's file, bgpd on, bfdd on when `bfd`. */
export function renderDaemons(source: string, hostname: string, bfd: boolean): string {
  return render("frr", "daemons", { source, hostname: nodeName(hostname), bfd });
}

/** The tunnels of `host` that run BGP (the host is always a tunnel's host end). */
export function bgpTunnels(site: SiteModel, host: HostModel): TunnelModel[] {
  return site.tunnels.filter((t) => t.host.node === host.name && t.bgp !== undefined);
}

/** Does sitewire write this host's FRR files (and so order its tunnel unit before frr.service)? */
export function runsFrr(site: SiteModel, host: HostModel): boolean {
  return host.bgp !== undefined && bgpTunnels(site, host).length > 0;
}

function hostArtifacts(site: SiteModel, host: HostModel): Artifact[] {
  if (!runsFrr(site, host)) return [];
  const tunnels = bgpTunnels(site, host);
  const paths = HOST_PATHS[host.os];
  const file = (path: string, content: string, kind: Artifact["kind"]): Artifact => ({
    path: hostFile(host.name, path),
    content,
    // u=rw,g=r,o= as Debian's /etc/frr/daemons asks of FRR's config files (frr:frr owner set by the playbook).
    mode: 0o640,
    kind,
    host: host.name,
  });
  return [
    file(paths.frrConf, renderFrrConf(frrView(site.source.file, host.name, "host", tunnels)), "frr-conf"),
    file(paths.frrDaemons, renderDaemons(site.source.file, host.name, tunnels.some((t) => t.bgp!.bfd)), "frr-daemons"),
  ];
}

export const frrTarget: Target = {
  name: "frr",
  description: "FRRouting frr.conf (BGP over route-based tunnels) and daemons per BGP host",
  kinds: {
    "frr-conf": { text: "FRRouting configuration (BGP; sitewire owns the whole file)", handler: "frr", mode: 0o640 },
    "frr-daemons": { text: "FRRouting daemons list", handler: "frrDaemons", mode: 0o640 },
  },
  emit(site: SiteModel): Artifact[] {
    return site.hosts.flatMap((host) => hostArtifacts(site, host));
  },
};
