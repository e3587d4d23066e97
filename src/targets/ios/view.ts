/**
 * The data the IOS template sees for one device: every value is a parsed address, an integer, a name built
 * from schema-checked names, an IOS keyword from ./translate.ts or a secret placeholder. Free text
 * (descriptions) is passed raw and quoted by the template's `{{ios …}}` helper.
 */
import { comparePrefixes, hostPrefix, isIp, isIpv4 } from "../../net/ip.js";
import type { Family, PeerModel, Prefix, SiteModel, TunnelEnd, TunnelModel } from "../../model/types.js";
import { IKEV2_POLICY, ROUTE_MAP, bgpPolicyName, ikev2PolicyName, indexedName, isakmpPriority, tunnelObjectName } from "./names.js";
import { iosDpd, translateCrypto, type IosCrypto } from "./translate.js";

export interface DeviceView {
  readonly peer: string;
  readonly description?: string;
  readonly source: string;
  readonly tunnels: readonly TunnelView[];
  /** One IKEv2 policy per local address the device's IKEv2 tunnels terminate on (overrides.<peer>.address). */
  readonly ikev2Policies: readonly { readonly name: string; readonly localAddress: string; readonly proposals: readonly string[] }[];
  readonly routeMap?: { readonly name: string; readonly tags: string };
  readonly ospf?: { readonly process: number; readonly routerId?: string };
  /** `router bgp`: for redistribution of tagged static routes (`routeMap`) and/or BGP sessions over tunnels. */
  readonly bgp?: BgpView;
  /** `ipv6 unicast-routing`: some tunnel of the device carries IPv6 inside or runs over IPv6. */
  readonly ipv6: boolean;
}

export interface BgpView {
  readonly as: number;
  readonly routerId?: string;
  /** Sessions over the tunnels with `bgp` (tunnel order); empty: redistribution only. */
  readonly sessions: readonly BgpSessionView[];
  /** `network … mask …` per IPv4 network the device announces over any session (sorted, once each). */
  readonly networks: readonly { readonly network: string; readonly mask: string }[];
  /** `network <prefix>` under `address-family ipv6` per IPv6 network the device announces (sorted, once each). */
  readonly networks6: readonly string[];
  /** Sessions over IPv4 inside addresses (address-family ipv4) and over IPv6 ones (address-family ipv6). */
  readonly sessions4: readonly BgpSessionView[];
  readonly sessions6: readonly BgpSessionView[];
  readonly redistribute: boolean;
  /** The tunnels' tagged IPv6 static routes are redistributed too (`redistribute static` under address-family ipv6). */
  readonly redistribute6: boolean;
}

export interface BgpSessionView {
  readonly tunnel: string;
  /** The session's transport and address family: 4 (ipv4 unicast) or 6 (ipv6 unicast). */
  readonly family: Family;
  /** `ip prefix-list` or `ipv6 prefix-list`. */
  readonly afi: "ip" | "ipv6";
  readonly host: string;
  /** `neighbor … description`: IOS takes up to 80 characters (Cisco IOS IP Routing: BGP Command Reference, neighbor description). */
  readonly description: string;
  readonly neighbor: string;
  readonly remoteAs: number;
  readonly keepalive: number;
  readonly holdTime: number;
  readonly bfd: boolean;
  readonly prefixListIn: string;
  readonly prefixListOut: string;
  readonly routeMapIn: string;
  readonly routeMapOut: string;
  /** `ip prefix-list` entries: exact networks, or one deny-all entry when the list is empty. */
  readonly accept: readonly PrefixListEntry[];
  readonly announce: readonly PrefixListEntry[];
  readonly localPref: number;
  readonly med: number;
  /** `set as-path prepend` argument (own AS repeated), absent without prepending. */
  readonly prepend?: string;
}

export interface PrefixListEntry {
  readonly seq: number;
  readonly action: "permit" | "deny";
  readonly prefix: string;
}

export interface TunnelView {
  readonly name: string;
  readonly description?: string;
  readonly host: string;
  readonly v1: boolean;
  readonly profile: string;
  readonly keyring: string;
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly psk: string;
  /** `match identity …` (IKEv1) / `match identity remote …` (IKEv2) argument. */
  readonly matchIdentity: string;
  /** `identity local …` argument (IKEv2). */
  readonly localIdentity: string;
  readonly isakmpPolicies: readonly { readonly priority: number; readonly encryption: string; readonly hash: string; readonly group: number }[];
  readonly ikev2Proposals: readonly { readonly name: string; readonly encryption: string; readonly integrity: string; readonly prf: string; readonly groups: string }[];
  readonly ikeLifetime: number;
  readonly dpd: { readonly seconds: number; readonly retry: number };
  readonly transformSets: readonly { readonly name: string; readonly transforms: string }[];
  readonly transformSetNames: string;
  readonly pfs?: number;
  readonly espLifetime: number;
  readonly interface: {
    readonly number: number;
    /** The IPv4 inside address (absent on an IPv6-only tunnel). */
    readonly ipv4?: { readonly address: string; readonly mask: string };
    /** The IPv6 inside address with its length ("fd00:70::1/126"): inside6, or an IPv6-only tunnel's inside. */
    readonly ipv6?: string;
    readonly mtu: number;
    readonly mss: number;
    readonly mss6: number;
    readonly source: string;
    readonly destination: string;
    /** `tunnel mode ipsec …`: ipv4, ipv6, dual-overlay, `ipv4 v6-overlay` or `ipv6 v4-overlay` (outer family, then the inside's). */
    readonly mode: string;
  };
  /** IKEv2 keyring peer `address …`: the IPv4 address, or an IPv6 one as a /128 prefix. */
  readonly keyringAddress: string;
  readonly sla: { readonly id: number; readonly target: string; readonly source: string; readonly frequency: number; readonly timeoutMs?: number };
  /** BFD on the Tunnel interface (`bfd interval … min_rx … multiplier …`), for sessions with bfd. */
  readonly bfd?: { readonly interval: number; readonly minRx: number; readonly multiplier: number };
  readonly track: { readonly id: number; readonly delayDown?: number };
  readonly routes: readonly { readonly network: string; readonly mask: string; readonly nextHop: string; readonly tag: number; readonly track: number }[];
  /** `ipv6 route <prefix> Tunnel<n> <next hop> tag … track …` per IPv6 network behind the gateway. */
  readonly routes6: readonly { readonly prefix: string; readonly nextHop: string; readonly tag: number; readonly track: number }[];
}

/** IOS's default icmp-echo timeout; the probe frequency may not be shorter than the timeout. */
export const SLA_DEFAULT_TIMEOUT_MS = 5000;

/**
 * BFD timers on the Tunnel interface: FRR bfdd's defaults (receive/transmit interval 300 ms, detect
 * multiplier 3; https://docs.frrouting.org/en/latest/bfd.html), so both ends of a session agree.
 */
export const BFD_TIMERS = { interval: 300, minRx: 300, multiplier: 3 } as const;

export function tunnelsOfPeer(site: SiteModel, peer: PeerModel): TunnelModel[] {
  return site.tunnels.filter((t) => t.peer.node === peer.name);
}

export function deviceView(site: SiteModel, peer: PeerModel): DeviceView {
  const models = tunnelsOfPeer(site, peer);
  const tunnels = models.map((t) => tunnelView(t));
  const tags = [...new Set(tunnels.flatMap((t) => [...t.routes, ...t.routes6].map((r) => r.tag)))].sort((a, b) => a - b);
  const redistribute = Boolean(peer.ospf || peer.bgp) && tags.length > 0;
  const sessions = models.filter((t) => t.bgp).flatMap((t) => sessionViews(t));
  const bgp = peer.bgp && (redistribute || sessions.length) ? bgpView(peer, models, sessions, redistribute, tunnels.some((t) => t.routes6.length > 0)) : undefined;
  return {
    peer: peer.name,
    ...(peer.description !== undefined ? { description: peer.description } : {}),
    source: site.source.file,
    tunnels,
    ikev2Policies: ikev2Policies(peer, tunnels),
    ...(redistribute ? { routeMap: { name: ROUTE_MAP, tags: tags.join(" ") } } : {}),
    ...(redistribute && peer.ospf ? { ospf: peer.ospf } : {}),
    ...(bgp ? { bgp } : {}),
    ipv6: models.some((t) => t.families.includes(6) || t.outerFamily === 6),
  };
}

/**
 * IOS picks an IKEv2 policy by the local address the request arrives on (`match address local`), so every
 * address the device terminates IKEv2 tunnels on gets one: the device's own address keeps the plain name.
 */
function ikev2Policies(peer: PeerModel, tunnels: readonly TunnelView[]): DeviceView["ikev2Policies"] {
  const byAddress = new Map<string, string[]>();
  for (const t of tunnels.filter((x) => !x.v1)) byAddress.set(t.localAddress, [...(byAddress.get(t.localAddress) ?? []), ...t.ikev2Proposals.map((p) => p.name)]);
  const addresses = [...byAddress.keys()].sort((a, b) => (a === peer.address ? -1 : b === peer.address ? 1 : compareAddresses(a, b)));
  return addresses.map((address) => ({ name: address === peer.address ? IKEV2_POLICY : ikev2PolicyName(address), localAddress: address, proposals: byAddress.get(address)! }));
}

/** IPv4 before IPv6, then numerically. */
function compareAddresses(a: string, b: string): number {
  return comparePrefixes(hostPrefix(a), hostPrefix(b));
}

function bgpView(peer: PeerModel, tunnels: readonly TunnelModel[], sessions: readonly BgpSessionView[], redistribute: boolean, routes6: boolean): BgpView {
  const withBgp = tunnels.filter((t) => t.bgp);
  // With sessions the router id is the model's (routing.bgp.routerId, default the device's address); for
  // redistribution alone it stays as the intent wrote it (none: IOS chooses).
  const routerId = withBgp[0]?.bgp!.peer.routerId ?? peer.bgp!.routerId;
  const announced = new Map<string, Prefix>();
  for (const t of withBgp) for (const p of t.bgp!.peer.announce) announced.set(p.cidr, p);
  const sorted = [...announced.values()].sort(comparePrefixes);
  return {
    as: peer.bgp!.as,
    ...(routerId !== undefined ? { routerId } : {}),
    sessions,
    networks: sorted.filter((p) => p.family === 4).map(({ network, mask }) => ({ network, mask })),
    networks6: sorted.filter((p) => p.family === 6).map((p) => p.cidr),
    sessions4: sessions.filter((x) => x.family === 4),
    sessions6: sessions.filter((x) => x.family === 6),
    redistribute,
    redistribute6: redistribute && routes6,
  };
}

/**
 * The tunnel's sessions: one over its (first) inside addresses, of that family, and with inside6 beside an IPv4
 * inside a second one over the IPv6 inside addresses (BgpSide.neighbor6). Each carries its own family's networks.
 */
function sessionViews(t: TunnelModel): BgpSessionView[] {
  const b = t.bgp!;
  const side = b.peer;
  const first: Family = t.inside?.family ?? 4;
  const views = [sessionView(t, side.neighbor, first, "in", "out")];
  if (side.neighbor6 !== undefined) views.push(sessionView(t, side.neighbor6, 6, "in6", "out6"));
  return views;
}

function sessionView(t: TunnelModel, neighbor: string, family: Family, inDir: "in" | "in6", outDir: "out" | "out6"): BgpSessionView {
  const b = t.bgp!;
  const side = b.peer;
  const whole = (seconds: number, what: string) => {
    if (!Number.isInteger(seconds)) throw new Error(`internal: tunnel ${t.name} reached the IOS target with a BGP ${what} of ${seconds}s (SW161 should have stopped it)`);
    return seconds;
  };
  return {
    tunnel: t.name,
    family,
    afi: family === 6 ? "ipv6" : "ip",
    host: t.host.node,
    description: neighborDescription(t.name, t.host.node),
    neighbor,
    remoteAs: side.remoteAs,
    keepalive: whole(b.keepalive.seconds, "keepalive"),
    holdTime: whole(b.holdTime.seconds, "hold time"),
    bfd: b.bfd,
    prefixListIn: bgpPolicyName(t.name, inDir),
    prefixListOut: bgpPolicyName(t.name, outDir),
    routeMapIn: bgpPolicyName(t.name, inDir),
    routeMapOut: bgpPolicyName(t.name, outDir),
    accept: prefixList(side.accept.filter((p) => p.family === family), family),
    announce: prefixList(side.announce.filter((p) => p.family === family), family),
    localPref: b.localPref,
    med: b.med,
    ...(b.prepend > 0 ? { prepend: Array.from({ length: b.prepend }, () => String(side.as)).join(" ") } : {}),
  };
}

/** "sitewire <tunnel> to <host>", or without the host where both long names would pass IOS's 80 characters. */
export function neighborDescription(tunnel: string, host: string): string {
  const full = `sitewire ${tunnel} to ${host}`;
  return full.length <= NEIGHBOR_DESCRIPTION_MAX ? full : `sitewire ${tunnel}`;
}

const NEIGHBOR_DESCRIPTION_MAX = 80;

/** Exact networks (no ge/le), seq 5, 10, …; an empty list denies everything (an IOS reference to a missing prefix list permits all). */
function prefixList(prefixes: readonly { readonly cidr: string }[], family: Family): PrefixListEntry[] {
  if (prefixes.length === 0) return [{ seq: 5, action: "deny", prefix: family === 6 ? "::/0 le 128" : "0.0.0.0/0 le 32" }];
  return [...new Set(prefixes.map((p) => p.cidr))].map((prefix, i) => ({ seq: 5 * (i + 1), action: "permit", prefix }));
}

function tunnelView(t: TunnelModel): TunnelView {
  const end = t.peer;
  const { crypto, problems } = translateCrypto(end);
  if (problems.length) throw new Error(`internal: tunnel ${t.name} reached the IOS target with settings IOS cannot express (SW123 or SW208 should have stopped it): ${problems[0]!.message}`);
  if (!end.insideAddress || !end.insidePeerAddress) throw new Error(`internal: tunnel ${t.name} reached the IOS target without inside addresses`);
  const inside4 = end.insideAddress.family === 4 ? end.insideAddress : undefined;
  const inside6 = end.insideAddress.family === 6 ? end.insideAddress : end.insideAddress6;
  const next6 = end.insideAddress.family === 6 ? end.insidePeerAddress : end.insidePeerAddress6;
  const v1 = end.ike.version === 1;
  const dpd = iosDpd(end.dpd);
  const frequency = t.monitor.interval.seconds;
  const timeoutMs = Math.round(t.monitor.timeout.seconds * 1000);
  const transformSets = crypto.transformSets.map((ts, i) => ({ name: indexedName(t.name, i), transforms: ts.transforms }));
  return {
    name: t.name,
    ...(t.description !== undefined ? { description: t.description } : {}),
    host: t.host.node,
    v1,
    profile: tunnelObjectName(t.name),
    keyring: tunnelObjectName(t.name),
    localAddress: end.localAddress,
    remoteAddress: end.remoteAddress,
    psk: end.psk.placeholder,
    matchIdentity: v1 ? matchIdentityV1(end.remoteIdentity) : matchIdentityV2(end.remoteIdentity),
    localIdentity: identityKind(end.identity),
    isakmpPolicies: crypto.isakmp.map((p, i) => ({ priority: isakmpPriority(t, i), ...p })),
    ikev2Proposals: ikev2Proposals(t.name, crypto),
    ikeLifetime: end.ike.lifetime.seconds,
    dpd: { seconds: dpd.seconds, retry: dpd.retry },
    transformSets,
    transformSetNames: transformSets.map((ts) => ts.name).join(" "),
    ...(crypto.pfsGroup !== undefined ? { pfs: crypto.pfsGroup } : {}),
    espLifetime: end.esp.lifetime.seconds,
    keyringAddress: t.outerFamily === 6 ? `${end.remoteAddress}/128` : end.remoteAddress,
    interface: {
      number: t.number,
      ...(inside4 ? { ipv4: { address: inside4.address, mask: inside4.network.mask } } : {}),
      ...(inside6 ? { ipv6: inside6.cidr } : {}),
      mtu: end.mtu,
      mss: end.mss,
      mss6: end.mss6,
      source: end.localAddress,
      destination: end.remoteAddress,
      mode: tunnelMode(t),
    },
    sla: {
      id: t.monitor.slaId,
      target: end.insidePeerAddress,
      source: end.insideAddress.address,
      frequency,
      // IOS's default timeout is left unwritten (the default min(interval, 5s) keeps older output as it was).
      ...(timeoutMs !== SLA_DEFAULT_TIMEOUT_MS ? { timeoutMs } : {}),
    },
    ...(t.bgp?.bfd ? { bfd: BFD_TIMERS } : {}),
    track: { id: t.monitor.trackId, ...(t.monitor.failures > 1 ? { delayDown: (t.monitor.failures - 1) * frequency } : {}) },
    // A tunnel with BGP learns the host's networks from its session: no static routes (and nothing to redistribute).
    routes: t.bgp
      ? []
      : end.remoteNetworks.filter((p) => p.family === 4 && inside4).map((p) => ({ network: p.network, mask: p.mask, nextHop: end.insidePeerAddress!, tag: t.monitor.tag, track: t.monitor.trackId })),
    routes6: t.bgp || next6 === undefined ? [] : end.remoteNetworks.filter((p) => p.family === 6).map((p) => ({ prefix: p.cidr, nextHop: next6, tag: t.monitor.tag, track: t.monitor.trackId })),
  };
}

/**
 * `tunnel mode ipsec …` of a static VTI: the outer (transport) family, then what the interface carries inside. One
 * family inside the same as outside: `ipv4` / `ipv6` (Cisco IOS XE 17 "IPv6 Virtual Tunnel Interface": `tunnel mode
 * ipsec ipv6`); both families: `dual-overlay`; the other family only: `ipv4 v6-overlay` / `ipv6 v4-overlay`
 * (CiscoTestAutomation/genielibs pkgs/sdk-pkg/src/genie/libs/sdk/apis/iosxe/flexvpn/configure.py and
 * dmvpn/configure.py, which configure these modes on IOS XE). SW210 lets dual-stack and overlay modes through on
 * IKEv2 (FlexVPN) only.
 */
function tunnelMode(t: TunnelModel): string {
  const outer = t.outerFamily === 6 ? "ipv6" : "ipv4";
  if (t.families.length === 2) return "dual-overlay";
  const inner = t.families[0] ?? t.outerFamily;
  if (inner === t.outerFamily) return outer;
  return inner === 6 ? "ipv4 v6-overlay" : "ipv6 v4-overlay";
}

function ikev2Proposals(tunnel: string, crypto: IosCrypto): TunnelView["ikev2Proposals"] {
  return crypto.ikev2.map((p, i) => ({
    name: indexedName(tunnel, i),
    encryption: p.encryption.join(" "),
    integrity: p.integrity.join(" "),
    prf: p.prf.join(" "),
    groups: p.groups.join(" "),
  }));
}

/** strongSwan writes FQDN identities as `@name` (or a bare name); IOS wants the bare name. */
function bareIdentity(identity: string): string {
  return identity.replace(/^@/, "");
}

function matchIdentityV1(identity: string): string {
  return isIpv4(identity) ? `address ${identity} 255.255.255.255` : `host ${bareIdentity(identity)}`;
}

/**
 * IKEv2 `match identity remote`: an IPv4 address with its mask, an IPv6 address as a /128 prefix (IOS XE YANG
 * model, CiscoDevNet/terraform-provider-iosxe gen/definitions/crypto_ikev2_profile.yaml:
 * match/identity/remote/address/ipv6-prefix, example 2001::1/128), else an FQDN.
 */
function matchIdentityV2(identity: string): string {
  return isIpv4(identity) ? `address ${identity} 255.255.255.255` : isIp(identity) ? `address ${identity}/128` : `fqdn ${bareIdentity(identity)}`;
}

function identityKind(identity: TunnelEnd["identity"]): string {
  return isIp(identity) ? `address ${identity}` : `fqdn ${bareIdentity(identity)}`;
}
