/**
 * The data the Junos template sees for one juniper-srx device. Every value is a parsed address, an integer, a name
 * built by ./names.ts from schema-checked names, a Junos keyword from ./platform.ts (through the generic
 * translation), or a string already quoted by ./quote.ts: the template adds no quoting of its own.
 */
import { comparePrefixes as compareNetworks, isIpv4, isIpv6, parseCidr } from "../../net/ip.js";
import type { PeerModel, Prefix, SiteModel, TunnelEnd, TunnelModel } from "../../model/types.js";
import { platformDpd, translateCrypto, type ProposalWords } from "../../platform/crypto.js";
import { ZONE, addressName, directedName, proposalName, st0, tunnelObjectName } from "./names.js";
import { platform } from "./platform.js";
import { junosDescription, junosString, junosText, junosWord } from "./quote.js";

/**
 * BFD timers of a BGP session (`bfd-liveness-detection minimum-interval 300 multiplier 3`): FRR bfdd's defaults
 * (receive/transmit interval 300 ms, detect multiplier 3; https://docs.frrouting.org/en/latest/bfd.html), so both
 * ends of a session agree (the IOS target uses the same).
 */
export const BFD_TIMERS = { minimumInterval: 300, multiplier: 3 } as const;

export interface DeviceView {
  readonly peer: string;
  /** Header comment text (already safe: junosText). */
  readonly description?: string;
  readonly source: string;
  /**
   * `ike gateway … external-interface`: the peer's `interface`, else the platform's default (./platform.ts
   * outsideInterface; the resolver fills it in). A name of the platform's form (SW208), so one Junos word.
   */
  readonly externalInterface: string;
  /** The platform's default, named in the header so the engineer knows what an unset `interface` means. */
  readonly defaultInterface: string;
  readonly zone: string;
  readonly tunnels: readonly TunnelView[];
  /** Global address-book entries used by the tunnels' security policies (sorted, once each). */
  readonly addresses: readonly { readonly name: string; readonly prefix: string }[];
  /** `security ipsec vpn-monitor-options`: the smallest interval and threshold of the device's tunnels. */
  readonly monitor: { readonly interval: number; readonly threshold: number };
  /** Host-inbound protocols on the tunnels' zone beyond ping (bgp, bfd). */
  readonly zoneProtocols: readonly string[];
  readonly staticRoutes: readonly StaticRouteView[];
  readonly bgp?: BgpView;
}

export interface TunnelView {
  readonly name: string;
  readonly host: string;
  readonly v1: boolean;
  /** `interfaces st0 unit N description "…"`, quoted. */
  readonly description: string;
  readonly unit: number;
  readonly interface: string;
  /** `family inet address`: the IPv4 inside address with its length. */
  readonly inside: string;
  /** `family inet6 address`: the IPv6 inside address (tunnels.<t>.inside6) with its length. */
  readonly inside6?: string;
  readonly mtu: number;
  readonly mss: number;
  readonly ikeProposals: readonly ProposalView[];
  readonly ikePolicy: string;
  readonly psk: string;
  readonly gateway: {
    readonly name: string;
    readonly address: string;
    readonly localAddress: string;
    readonly localIdentity: string;
    readonly remoteIdentity: string;
    readonly dpd: { readonly interval: number; readonly threshold: number };
    readonly version: "v1-only" | "v2-only";
  };
  readonly ikeLifetime: number;
  readonly espProposals: readonly ProposalView[];
  readonly espLifetime: number;
  readonly ipsecPolicy: string;
  readonly pfs?: string;
  readonly vpn: string;
  readonly monitorTarget: string;
  readonly policies: readonly SecurityPolicyView[];
}

export interface ProposalView {
  readonly name: string;
  readonly encryption: string;
  /** Absent for AEAD ciphers. */
  readonly integrity?: string;
  /** IKE only. */
  readonly dh?: string;
}

export interface SecurityPolicyView {
  readonly name: string;
  readonly fromZone: string;
  readonly toZone: string;
  readonly sources: readonly string[];
  readonly destinations: readonly string[];
  readonly mss: number;
}

export interface StaticRouteView {
  readonly prefix: string;
  /** IPv6 routes go in `routing-options rib inet6.0 static`, IPv4 ones in `routing-options static`. */
  readonly ipv6: boolean;
  /** One tunnel: `next-hop st0.N`. */
  readonly nextHop?: string;
  /** Several tunnels carry the prefix: `qualified-next-hop st0.N metric N`, the lower unit preferred. */
  readonly qualified: readonly { readonly interface: string; readonly metric: number }[];
}

export interface BgpView {
  readonly as: number;
  readonly routerId: string;
  readonly groups: readonly BgpGroupView[];
}

export interface BgpGroupView {
  readonly tunnel: string;
  /** `family inet6 unicast`: the group's session runs over the IPv6 inside addresses and carries IPv6 routes. */
  readonly ipv6: boolean;
  readonly name: string;
  readonly neighbor: string;
  readonly localAddress: string;
  readonly peerAs: number;
  readonly holdTime: number;
  readonly bfd?: typeof BFD_TIMERS;
  readonly importPolicy: string;
  readonly exportPolicy: string;
  readonly acceptList: string;
  readonly announceList: string;
  /** Exact prefixes; empty: the policy has no accepting term and rejects everything. */
  readonly accept: readonly string[];
  readonly announce: readonly string[];
  readonly localPref: number;
  readonly med: number;
  /** `as-path-prepend "<as> <as>"` (quoted), absent without prepending. */
  readonly prepend?: string;
}

export function tunnelsOfPeer(site: SiteModel, peer: PeerModel): TunnelModel[] {
  return site.tunnels.filter((t) => t.peer.node === peer.name);
}

export function deviceView(site: SiteModel, peer: PeerModel): DeviceView {
  const models = tunnelsOfPeer(site, peer);
  const tunnels = models.map(tunnelView);
  const addresses = new Map<string, string>();
  for (const t of models) for (const p of [...t.peer.localNetworks, ...t.peer.remoteNetworks]) addresses.set(addressName(p.cidr), p.cidr);
  const withBgp = models.filter((t) => t.bgp);
  const protocols = [...(withBgp.length ? ["bgp"] : []), ...(withBgp.some((t) => t.bgp!.bfd) ? ["bfd"] : [])];
  return {
    peer: junosText(peer.name),
    ...(peer.description !== undefined ? { description: junosText(peer.description) } : {}),
    source: junosText(site.source.file),
    externalInterface: externalInterface(peer),
    defaultInterface: outside().default,
    zone: ZONE,
    tunnels,
    addresses: [...addresses].map(([name, prefix]) => ({ name, prefix })).sort((a, b) => comparePrefixes(a.prefix, b.prefix)),
    monitor: {
      interval: Math.min(...models.map((t) => Math.max(1, Math.ceil(t.monitor.interval.seconds)))),
      threshold: Math.min(...models.map((t) => t.monitor.failures)),
    },
    zoneProtocols: protocols,
    staticRoutes: staticRoutes(models),
    ...(withBgp.length ? { bgp: bgpView(withBgp) } : {}),
  };
}

function outside() {
  const declared = platform.capabilities.outsideInterface;
  if (declared === "not-used") throw new Error("internal: the Juniper SRX platform declares no outside interface");
  return declared;
}

/** The peer's outside interface; a model of another platform's peer has none, and gets the SRX default. */
function externalInterface(peer: PeerModel): string {
  const name = peer.interface ?? outside().default;
  if (!new RegExp(outside().pattern).test(name))
    throw new Error(`internal: peer ${peer.name} reached the Juniper SRX target without a Junos outside interface (SW208 should have stopped it)`);
  return name;
}

function tunnelView(t: TunnelModel): TunnelView {
  const end = t.peer;
  const { words, problems } = translateCrypto(end, platform);
  if (problems.length) throw new Error(`internal: tunnel ${t.name} reached the Juniper SRX target with settings Junos cannot express (SW123 or SW208 should have stopped it): ${problems[0]!.message}`);
  if (!end.insideAddress || !end.insidePeerAddress) throw new Error(`internal: tunnel ${t.name} reached the Juniper SRX target without inside addresses`);
  const v1 = end.ike.version === 1;
  const dpd = platformDpd(end.dpd, platform);
  const base = tunnelObjectName(t.name);
  const unit = t.number;
  // One pair of policies per family: `initial-tcp-mss` clamps IPv4 flows to the tunnel's MSS and IPv6 flows to its
  // MSS − 20 (the IPv6 header is 20 bytes longer); a dual-stack tunnel's IPv6 pair is named -o6 / -i6.
  const policies: SecurityPolicyView[] = ([4, 6] as const).flatMap((family) => {
    const local = end.localNetworks.filter((p) => p.family === family).map((p) => addressName(p.cidr));
    const remote = end.remoteNetworks.filter((p) => p.family === family).map((p) => addressName(p.cidr));
    if (!local.length || !remote.length) return [];
    const second = family === 6 && end.localNetworks.some((p) => p.family === 4) && end.remoteNetworks.some((p) => p.family === 4);
    const mss = family === 6 ? end.mss6 : end.mss;
    return [
      { name: directedName(t.name, second ? "o6" : "out"), fromZone: "any", toZone: ZONE, sources: local, destinations: remote, mss },
      { name: directedName(t.name, second ? "i6" : "in"), fromZone: ZONE, toZone: "any", sources: remote, destinations: local, mss },
    ];
  });
  return {
    name: t.name,
    host: t.host.node,
    v1,
    description: junosDescription(`sitewire ${t.name} to ${t.host.node}${t.description !== undefined ? `: ${t.description}` : ""}`),
    unit,
    interface: st0(unit),
    inside: end.insideAddress.cidr,
    ...(end.insideAddress6 ? { inside6: end.insideAddress6.cidr } : {}),
    mtu: end.mtu,
    mss: end.mss,
    ikeProposals: words.ike.map((p, i) => proposalView(proposalName(t.name, i), p, true)),
    ikePolicy: base,
    psk: junosString(end.psk.placeholder),
    gateway: {
      name: base,
      address: end.remoteAddress,
      localAddress: end.localAddress,
      localIdentity: identity(end.identity),
      remoteIdentity: identity(end.remoteIdentity),
      dpd: { interval: dpd.seconds, threshold: dpdThreshold(end, dpd.seconds) },
      version: v1 ? "v1-only" : "v2-only",
    },
    ikeLifetime: end.ike.lifetime.seconds,
    espProposals: words.esp.map((p, i) => proposalView(proposalName(t.name, i), p, false)),
    espLifetime: end.esp.lifetime.seconds,
    ipsecPolicy: base,
    ...(words.pfs !== undefined ? { pfs: words.pfs } : {}),
    vpn: base,
    monitorTarget: end.insidePeerAddress,
    policies,
  };
}

function proposalView(name: string, p: ProposalWords, ike: boolean): ProposalView {
  return {
    name,
    encryption: p.encryption[0]!,
    ...(p.integrity[0] !== undefined ? { integrity: p.integrity[0] } : {}),
    ...(ike ? { dh: p.dh[0]! } : {}),
  };
}

/** Junos declares the peer dead after `threshold` unanswered probes sent every `interval`: spread the timeout. */
function dpdThreshold(end: TunnelEnd, interval: number): number {
  return Math.min(platform.capabilities.dpd.retries, Math.max(1, Math.ceil(end.dpd.timeout.seconds / interval)));
}

/** `inet <address>` for an IPv4 identity, `inet6 <address>` for an IPv6 one, else `hostname <fqdn>` (strongSwan's `@name` without the `@`). */
function identity(id: string): string {
  return isIpv4(id) ? `inet ${junosWord(id)}` : isIpv6(id) ? `inet6 ${junosWord(id)}` : `hostname ${junosWord(id.replace(/^@/, ""))}`;
}

/** The host-side networks of every static (non-BGP) tunnel, routed into its st0 unit. */
function staticRoutes(tunnels: readonly TunnelModel[]): StaticRouteView[] {
  const byPrefix = new Map<string, { prefix: Prefix; units: number[] }>();
  for (const t of tunnels) {
    if (t.bgp) continue;
    for (const p of t.peer.remoteNetworks) {
      const entry = byPrefix.get(p.cidr) ?? { prefix: p, units: [] };
      if (!entry.units.includes(t.number)) entry.units.push(t.number);
      byPrefix.set(p.cidr, entry);
    }
  }
  return [...byPrefix.values()]
    .sort((a, b) => comparePrefixes(a.prefix.cidr, b.prefix.cidr))
    .map(({ prefix, units }) => {
      const sorted = [...units].sort((a, b) => a - b);
      const ipv6 = prefix.family === 6;
      return sorted.length === 1
        ? { prefix: prefix.cidr, ipv6, nextHop: st0(sorted[0]!), qualified: [] }
        : { prefix: prefix.cidr, ipv6, qualified: sorted.map((u) => ({ interface: st0(u), metric: u })) };
    });
}

function bgpView(tunnels: readonly TunnelModel[]): BgpView {
  const first = tunnels[0]!.bgp!.peer;
  return { as: first.as, routerId: first.routerId, groups: tunnels.flatMap(groupViews) };
}

/**
 * A group per session: the tunnel's session over its (first) inside addresses, and with inside6 beside an IPv4
 * inside a second group `<name>-6` over the IPv6 inside addresses with `family inet6 unicast`. Each group accepts
 * and announces its own family's networks.
 */
function groupViews(t: TunnelModel): BgpGroupView[] {
  const side = t.bgp!.peer;
  const first = groupView(t, t.inside?.family === 6, side.neighbor, side.address);
  return side.neighbor6 !== undefined && side.address6 !== undefined ? [first, groupView(t, true, side.neighbor6, side.address6)] : [first];
}

function groupView(t: TunnelModel, ipv6: boolean, neighbor: string, localAddress: string): BgpGroupView {
  const b = t.bgp!;
  const side = b.peer;
  const second = ipv6 && t.inside?.family !== 6;
  const family = ipv6 ? 6 : 4;
  const whole = (seconds: number, what: string) => {
    if (!Number.isInteger(seconds)) throw new Error(`internal: tunnel ${t.name} reached the Juniper SRX target with a BGP ${what} of ${seconds}s (SW161 should have stopped it)`);
    return seconds;
  };
  const inName = directedName(t.name, second ? "i6" : "in");
  const outName = directedName(t.name, second ? "o6" : "out");
  return {
    tunnel: t.name,
    ipv6,
    name: second ? `${tunnelObjectName(t.name)}-6` : tunnelObjectName(t.name),
    neighbor,
    localAddress,
    peerAs: side.remoteAs,
    holdTime: whole(b.holdTime.seconds, "hold time"),
    ...(b.bfd ? { bfd: BFD_TIMERS } : {}),
    importPolicy: inName,
    exportPolicy: outName,
    acceptList: inName,
    announceList: outName,
    accept: unique(side.accept.filter((p) => p.family === family)),
    announce: unique(side.announce.filter((p) => p.family === family)),
    localPref: b.localPref,
    med: b.med,
    ...(b.prepend > 0 ? { prepend: junosString(Array.from({ length: b.prepend }, () => String(side.as)).join(" ")) } : {}),
  };
}

function unique(prefixes: readonly Prefix[]): string[] {
  return [...new Set(prefixes.map((p) => p.cidr))];
}

/** IPv4 before IPv6, then numerically (src/net/ip.ts). */
function comparePrefixes(a: string, b: string): number {
  return compareNetworks(parseCidr(a).prefix, parseCidr(b).prefix);
}
