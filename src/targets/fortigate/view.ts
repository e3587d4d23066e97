/**
 * The data the FortiGate template sees for one device. Every value is an integer, a parsed address or mask, a
 * FortiOS keyword from the capability data (./platform.ts, through src/platform/crypto.ts), or a string already
 * quoted by ./quote.ts (the fields documented "quoted" below, which include their double quotes). The template
 * adds no string of its own making, so no intent value can add a line or a command.
 */
import { comparePrefixes, hostPrefix, isIpv4 } from "../../net/ip.js";
import { platformDpd, translateCrypto, type ProposalWords } from "../../platform/crypto.js";
import type { PeerModel, Prefix, SiteModel, TunnelModel } from "../../model/types.js";
import { addressName, bgpPolicyName, bgpPrefixList6Name, networkId, phase2Name6, policyId, policyName, routeId, tunnelName } from "./names.js";
import { platform } from "./platform.js";
import { fortiosComment, fortiosString } from "./quote.js";

/**
 * The interface the protected networks sit behind is not in the intent either: the firewall policies use "any"
 * on that side and rely on their address objects (the tunnel's networks) to say what passes.
 */
export const INSIDE_INTERFACE = "any";

/** BFD timers on the tunnel interface: FRR bfdd's defaults (https://docs.frrouting.org/en/latest/bfd.html), as on IOS. */
export const BFD_TIMERS = { minTx: 300, minRx: 300, multiplier: 3 } as const;

/** FortiOS's administrative distance of static routes (the default of `config router static` `distance`). */
export const STATIC_DISTANCE = 10;

export interface DeviceView {
  /** Comment text (names only). */
  readonly peer: string;
  readonly source: string;
  /**
   * Quoted: the outside (WAN) port the tunnels leave through (phase1-interface `set interface`), the peer's
   * `interface`, else the platform's default (./platform.ts outsideInterface; the resolver fills it in).
   */
  readonly outside: string;
  /** Comment text: the outside port, unquoted, for the header. */
  readonly outsideName: string;
  readonly tunnels: readonly TunnelView[];
  readonly addresses: readonly { readonly name: string; readonly subnet: string; readonly mask: string }[];
  /** `config firewall address6` objects (issue 16): quoted name, `set ip6` prefix. */
  readonly addresses6: readonly { readonly name: string; readonly ip6: string }[];
  readonly policies: readonly PolicyView[];
  readonly routes: readonly RouteView[];
  /** `config router static6`: the IPv6 networks behind the gateway (issue 16). */
  readonly routes6: readonly Route6View[];
  readonly monitors: readonly MonitorView[];
  readonly prefixLists: readonly PrefixListView[];
  /** `config router prefix-list6` of the IPv6 sessions (issue 16). */
  readonly prefixLists6: readonly PrefixList6View[];
  readonly routeMaps: readonly RouteMapView[];
  readonly bgp?: BgpView;
}

export interface TunnelView {
  /** Comment text: "a: gw <-> dc-fw" (not `comment`: that name is a template helper). */
  readonly label: string;
  /** Quoted: phase 1, phase 2 and interface name. */
  readonly name: string;
  /** Quoted `set comments` text (names only). */
  readonly comments: string;
  readonly ikeVersion: 1 | 2;
  readonly v1: boolean;
  readonly localGw: string;
  readonly remoteGw: string;
  /** Space-separated FortiOS proposal words and DH group numbers. */
  readonly proposal: string;
  readonly dhgrp: string;
  /** Quoted secret placeholder. */
  readonly psk: string;
  readonly keylife: number;
  readonly dpd: { readonly interval: number; readonly retries: number };
  /** `set localid-type` keyword and quoted `set localid`, when the identity is not the local-gw address. */
  readonly localid?: { readonly type: "address" | "fqdn"; readonly value: string };
  /** Quoted `set peerid` (with `set peertype one`), for an IKEv2 peer identified by name. */
  readonly peerid?: string;
  readonly phase2: { readonly proposal: string; readonly pfs?: string; readonly keylifeseconds: number };
  /** Quoted name of the second phase 2, with IPv6 selectors (::/0 both ways), when the tunnel carries IPv6. */
  readonly phase2v6?: string;
  /** `ip6`: the IPv6 inside address with its length (`config ipv6` / `set ip6-address`), with tunnels.<t>.inside6. */
  readonly iface: { readonly ip: string; readonly remoteIp: string; readonly remoteMask: string; readonly mtu: number; readonly mss: number; readonly ip6?: string };
  readonly bfd?: { readonly minTx: number; readonly minRx: number; readonly multiplier: number };
}

export interface PolicyView {
  readonly id: number;
  /** Quoted. */
  readonly name: string;
  readonly srcintf: string;
  readonly dstintf: string;
  /** Space-separated quoted address names: `srcaddr`/`dstaddr` (IPv4 policies) or `srcaddr6`/`dstaddr6` (IPv6 ones). */
  readonly srcaddr?: string;
  readonly dstaddr?: string;
  readonly srcaddr6?: string;
  readonly dstaddr6?: string;
  /** IPv6 policies: `tcp-mss-sender` / `tcp-mss-receiver`, the tunnel's MSS − 20 (the interface's tcp-mss is IPv4's). */
  readonly mss6?: number;
}

export interface Route6View {
  readonly id: number;
  /** The IPv6 prefix ("2001:db8::/48"). */
  readonly dst: string;
  /** The gateway's IPv6 inside address; absent when the tunnel has no IPv6 inside network (device route). */
  readonly gateway?: string;
  /** Quoted. */
  readonly device: string;
  readonly distance: number;
}

export interface RouteView {
  readonly id: number;
  readonly dst: string;
  readonly mask: string;
  readonly gateway: string;
  /** Quoted. */
  readonly device: string;
  readonly distance: number;
}

export interface MonitorView {
  /** Quoted. */
  readonly name: string;
  readonly srcintf: string;
  /** Quoted address (a server list). */
  readonly server: string;
  readonly gatewayIp: string;
  readonly sourceIp: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly failtime: number;
  /** Space-separated quoted "a.b.c.d/len": only these routes are withdrawn. */
  readonly routes: string;
}

export interface PrefixListView {
  /** Quoted. */
  readonly name: string;
  readonly rules: readonly { readonly id: number; readonly action: "permit" | "deny"; readonly prefix: string; readonly mask: string; readonly exact: boolean }[];
}

export interface PrefixList6View {
  /** Quoted. */
  readonly name: string;
  /** `set prefix6 <cidr>`; exact (`unset ge` / `unset le`), or the deny-all rule (::/0 le 128). */
  readonly rules: readonly { readonly id: number; readonly action: "permit" | "deny"; readonly prefix6: string; readonly exact: boolean }[];
}

export interface RouteMapView {
  /** Quoted. */
  readonly name: string;
  readonly localPreference?: number;
  readonly metric?: number;
  /** Quoted `set set-aspath` argument ("65020 65020"), absent without prepending. */
  readonly aspath?: string;
}

export interface BgpView {
  readonly as: number;
  readonly routerId: string;
  readonly neighbors: readonly {
    /** Quoted neighbour address (the `edit` key). */
    readonly key: string;
    readonly address: string;
    readonly remoteAs: number;
    readonly keepalive: number;
    readonly holdtime: number;
    readonly bfd: boolean;
    /** Quoted names. */
    readonly updateSource: string;
    readonly prefixIn: string;
    readonly prefixOut: string;
    readonly routeMapIn: string;
    readonly routeMapOut: string;
    /**
     * Address families: an IPv4 session (`activate6 disable`), or the IPv6 session over the IPv6 inside addresses
     * (`activate disable`, `activate6 enable`, the IPv6 prefix lists and the route maps as `…-in6`/`…-out6`).
     */
    readonly ipv6: boolean;
  }[];
  readonly networks: readonly { readonly id: number; readonly prefix: string; readonly mask: string }[];
  /** `config network6`: the IPv6 networks the device announces. */
  readonly networks6: readonly { readonly id: number; readonly prefix6: string }[];
}

export function tunnelsOfPeer(site: SiteModel, peer: PeerModel): TunnelModel[] {
  return site.tunnels.filter((t) => t.peer.node === peer.name);
}

export function deviceView(site: SiteModel, peer: PeerModel): DeviceView {
  const tunnels = tunnelsOfPeer(site, peer);
  const policies: PolicyView[] = [];
  const addresses = new Map<string, Prefix>();
  const use = (prefixes: readonly Prefix[]) => {
    const sorted = uniquePrefixes(prefixes);
    for (const p of sorted) addresses.set(p.cidr, p);
    return sorted.map((p) => fortiosString(addressName(p))).join(" ");
  };
  // One policy pair per family: IPv4 policies name `firewall address` objects (srcaddr/dstaddr), IPv6 ones
  // `firewall address6` objects (srcaddr6/dstaddr6) and clamp TCP to the tunnel's MSS − 20.
  for (const t of tunnels) {
    const all = flowNetworks(site, t);
    const name = fortiosString(tunnelName(t.number));
    const inside = fortiosString(INSIDE_INTERFACE);
    for (const family of [4, 6] as const) {
      const only = (ps: readonly Prefix[]) => ps.filter((p) => p.family === family);
      const [hostSide, routedHost, peerSide] = [only(all.hostSide), only(all.routedHost), only(all.peerSide)];
      if (!peerSide.length) continue;
      const addr = (src: readonly Prefix[], dst: readonly Prefix[]) =>
        family === 4 ? { srcaddr: use(src), dstaddr: use(dst) } : { srcaddr6: use(src), dstaddr6: use(dst), mss6: t.peer.mss6 };
      if (hostSide.length)
        policies.push({ id: policyId(t.number, "from-tunnel", family), name: fortiosString(policyName(t.number, "from-tunnel", family)), srcintf: name, dstintf: inside, ...addr(hostSide, peerSide) });
      if (routedHost.length)
        policies.push({ id: policyId(t.number, "to-tunnel", family), name: fortiosString(policyName(t.number, "to-tunnel", family)), srcintf: inside, dstintf: name, ...addr(peerSide, routedHost) });
    }
  }
  const sessions = tunnels.filter((t) => t.bgp);
  const objects = [...addresses.values()].sort(comparePrefixes);
  return {
    peer: fortiosComment(peer.name),
    source: fortiosComment(site.source.file),
    outside: fortiosString(outsideOf(peer)),
    outsideName: fortiosComment(outsideOf(peer)),
    tunnels: tunnels.map(tunnelView),
    addresses: objects.filter((p) => p.family === 4).map((p) => ({ name: fortiosString(addressName(p)), subnet: p.network, mask: p.mask })),
    addresses6: objects.filter((p) => p.family === 6).map((p) => ({ name: fortiosString(addressName(p)), ip6: p.cidr })),
    policies,
    routes: tunnels.flatMap(routesOf),
    routes6: tunnels.flatMap(routes6Of),
    monitors: tunnels.flatMap(monitorOf),
    prefixLists: sessions.flatMap((t) => [prefixList(bgpPolicyName(t.number, "in"), v4(t.bgp!.peer.accept)), prefixList(bgpPolicyName(t.number, "out"), v4(t.bgp!.peer.announce))]),
    prefixLists6: sessions
      .filter((t) => bgp6(t))
      .flatMap((t) => [prefixList6(bgpPrefixList6Name(t.number, "in"), v6(t.bgp!.peer.accept)), prefixList6(bgpPrefixList6Name(t.number, "out"), v6(t.bgp!.peer.announce))]),
    routeMaps: sessions.flatMap((t) => routeMaps(t)),
    ...(sessions.length ? { bgp: bgpView(peer, sessions) } : {}),
  };
}

function tunnelView(t: TunnelModel): TunnelView {
  const end = t.peer;
  if (t.kind !== "ipsec-vti") throw new Error(`internal: tunnel ${t.name} reached the FortiGate target as ${t.kind} (the capability data allows ipsec-vti only)`);
  const { words, problems } = translateCrypto(end, platform);
  if (problems.length) throw new Error(`internal: tunnel ${t.name} reached the FortiGate target with settings FortiOS cannot express (SW123 or SW208 should have stopped it): ${problems[0]!.message}`);
  if (!end.insideAddress || !end.insidePeerAddress || !t.inside) throw new Error(`internal: tunnel ${t.name} reached the FortiGate target without inside addresses`);
  if (t.inside.family !== 4 || t.outerFamily !== 4)
    throw new Error(`internal: tunnel ${t.name} reached the FortiGate target with IPv6 ${t.inside.family === 6 ? "as its only inside network" : "outer addresses"} (SW210 should have stopped it: ./platform.ts ipv6)`);
  if (t.bgp && !bgp6(t) && [...t.bgp.peer.accept, ...t.bgp.peer.announce].some((p) => p.family === 6))
    throw new Error(`internal: tunnel ${t.name} reached the FortiGate target with IPv6 networks on its IPv4 BGP session (an IPv6 session needs inside6)`);
  const v1 = end.ike.version === 1;
  const dpd = platformDpd(end.dpd, platform);
  // dpd-retrycount: ceil(timeout / interval) within the platform's range (./platform.ts dpd.retryCount).
  const count = platform.capabilities.dpd.retryCount ?? { min: 1, max: 10 };
  const retries = Math.min(count.max, Math.max(count.min, Math.ceil(end.dpd.timeout.seconds / dpd.seconds)));
  return {
    label: fortiosComment(`${t.name}: ${t.host.node} <-> ${end.node}`),
    name: fortiosString(tunnelName(t.number)),
    comments: fortiosString(`sitewire tunnel ${t.name} to ${t.host.node}`),
    ikeVersion: end.ike.version,
    v1,
    localGw: end.localAddress,
    remoteGw: end.remoteAddress,
    proposal: unique(words.ike.flatMap(ikeWords)).join(" "),
    dhgrp: unique(words.ike.flatMap((p) => p.dh)).join(" "),
    psk: fortiosString(end.psk.placeholder),
    keylife: end.ike.lifetime.seconds,
    dpd: { interval: dpd.seconds, retries },
    ...localId(end.identity, end.localAddress),
    ...(!v1 && !isIpv4(end.remoteIdentity) ? { peerid: fortiosString(bare(end.remoteIdentity)) } : {}),
    phase2: {
      proposal: unique(words.esp.flatMap(espWords)).join(" "),
      ...(words.pfs !== undefined ? { pfs: words.pfs } : {}),
      keylifeseconds: end.esp.lifetime.seconds,
    },
    ...(t.families.includes(6) ? { phase2v6: fortiosString(phase2Name6(t.number)) } : {}),
    iface: {
      ip: end.insideAddress.address,
      remoteIp: end.insidePeerAddress,
      remoteMask: t.inside.mask,
      mtu: end.mtu,
      mss: end.mss,
      ...(end.insideAddress6 ? { ip6: end.insideAddress6.cidr } : {}),
    },
    ...(t.bgp?.bfd ? { bfd: BFD_TIMERS } : {}),
  };
}

/** Phase 1 words: `<encryption>-<integrity>`, or `<aead>-<prf>` (IKEv2 only). */
function ikeWords(p: ProposalWords): string[] {
  const second = p.aead ? p.prf : p.integrity;
  return p.encryption.flatMap((e) => second.map((s) => `${e}-${s}`));
}

/** Phase 2 words: `<encryption>-<integrity>`, or the AEAD cipher alone. */
function espWords(p: ProposalWords): string[] {
  return p.aead ? [...p.encryption] : p.encryption.flatMap((e) => p.integrity.map((i) => `${e}-${i}`));
}

function localId(identity: string, localAddress: string): Pick<TunnelView, "localid"> {
  if (identity === localAddress) return {};
  return { localid: { type: isIpv4(identity) ? "address" : "fqdn", value: fortiosString(bare(identity)) } };
}

/** strongSwan writes FQDN identities as `@name` (or a bare name); FortiOS wants the bare name. */
function bare(identity: string): string {
  return identity.replace(/^@/, "");
}

/**
 * What the firewall policies of a tunnel admit. From the tunnel: from the host side (the networks the device
 * routes to the gateway or accepts over BGP, plus the gateway's inside address when a flow leaves the gateway
 * through this tunnel with masquerade, and the sources of flows through it without NAT) to the device's side
 * (the networks the gateway routes into the tunnel, or the device announces over BGP). Into the tunnel: from
 * the device's side to the routed host-side networks only. The gateway's own FORWARD rules narrow flows to
 * their ports; the device admits every service between these networks, as the IOS router routes them.
 */
function flowNetworks(site: SiteModel, t: TunnelModel): { hostSide: Prefix[]; routedHost: Prefix[]; peerSide: Prefix[] } {
  const routedHost = t.bgp ? t.bgp.peer.accept : t.peer.remoteNetworks;
  const routedPeer = t.bgp ? t.bgp.peer.announce : t.peer.localNetworks;
  const flows = site.flows.filter((f) => f.via === t.host.node && t.device !== undefined && f.out === t.device);
  const flowSources = flows.flatMap((f) => {
    if (f.nat !== "masquerade") return f.sources.map((s) => s.prefix);
    // Masqueraded (NAT44 / NAT66) flows arrive from the gateway's inside address of their family.
    const families = new Set(f.sources.map((s) => s.prefix.family));
    return [t.host.insideAddress, t.host.insideAddress6].filter((a) => a !== undefined && families.has(a.family)).map((a) => hostPrefix(a!.address));
  });
  return { hostSide: uniquePrefixes([...routedHost, ...flowSources]), routedHost: uniquePrefixes(routedHost), peerSide: uniquePrefixes(routedPeer) };
}

/** Static routes to the host side through the tunnel (none with BGP: the session brings them). */
function routesOf(t: TunnelModel): RouteView[] {
  if (t.bgp) return [];
  return uniquePrefixes(v4(t.peer.remoteNetworks)).map((p, i) => ({
    id: routeId(t.number, i),
    dst: p.network,
    mask: p.mask,
    gateway: t.peer.insidePeerAddress!,
    device: fortiosString(tunnelName(t.number)),
    distance: STATIC_DISTANCE,
  }));
}

/** The link-monitor that withdraws a static tunnel's routes (a tunnel without static routes gets none). */
function monitorOf(t: TunnelModel): MonitorView[] {
  const routes = routesOf(t);
  if (routes.length === 0) return [];
  const intervalSeconds = t.monitor.interval.seconds;
  if (!Number.isInteger(intervalSeconds)) throw new Error(`internal: tunnel ${t.name} reached the FortiGate target with a monitor interval of ${intervalSeconds}s`);
  return [
    {
      name: fortiosString(tunnelName(t.number)),
      srcintf: fortiosString(tunnelName(t.number)),
      server: fortiosString(t.peer.insidePeerAddress!),
      gatewayIp: t.peer.insidePeerAddress!,
      sourceIp: t.peer.insideAddress!.address,
      intervalMs: intervalSeconds * 1000,
      timeoutMs: Math.round(t.monitor.timeout.seconds * 1000),
      failtime: t.monitor.failures,
      routes: uniquePrefixes(v4(t.peer.remoteNetworks)).map((p) => fortiosString(p.cidr)).join(" "),
    },
  ];
}

/**
 * IPv6 static routes (`config router static6`) to the host side's IPv6 networks, through the tunnel interface via
 * the gateway's IPv6 inside address (none with BGP). The link-monitor above pings the IPv4 inside address and
 * withdraws IPv4 routes only: these stay until the tunnel interface goes down with its phase 1.
 */
function routes6Of(t: TunnelModel): Route6View[] {
  if (t.bgp) return [];
  const gateway = t.peer.insidePeerAddress6;
  return uniquePrefixes(v6(t.peer.remoteNetworks)).map((p, i) => ({
    id: routeId(t.number, i),
    dst: p.cidr,
    ...(gateway ? { gateway } : {}),
    device: fortiosString(tunnelName(t.number)),
    distance: STATIC_DISTANCE,
  }));
}

function v4(prefixes: readonly Prefix[]): Prefix[] {
  return prefixes.filter((p) => p.family === 4);
}

function v6(prefixes: readonly Prefix[]): Prefix[] {
  return prefixes.filter((p) => p.family === 6);
}

/** The tunnel has a second BGP session over its IPv6 inside addresses (tunnels.<t>.inside6 with bgp). */
function bgp6(t: TunnelModel): boolean {
  return t.bgp?.peer.neighbor6 !== undefined && t.bgp.peer.address6 !== undefined;
}

/** IPv6 prefix list: exact networks (`unset ge` / `unset le`); an empty list denies everything (::/0 le 128). */
function prefixList6(name: string, prefixes: readonly Prefix[]): PrefixList6View {
  const sorted = uniquePrefixes(prefixes);
  const rules = sorted.length
    ? sorted.map((p, i) => ({ id: i + 1, action: "permit" as const, prefix6: p.cidr, exact: true }))
    : [{ id: 1, action: "deny" as const, prefix6: "::/0", exact: false }];
  return { name: fortiosString(name), rules };
}

/** Exact networks (`unset ge` / `unset le`); an empty list denies everything. */
function prefixList(name: string, prefixes: readonly Prefix[]): PrefixListView {
  const sorted = uniquePrefixes(prefixes);
  const rules = sorted.length
    ? sorted.map((p, i) => ({ id: i + 1, action: "permit" as const, prefix: p.network, mask: p.mask, exact: true }))
    : [{ id: 1, action: "deny" as const, prefix: "0.0.0.0", mask: "0.0.0.0", exact: false }];
  return { name: fortiosString(name), rules };
}

/** Preference as on IOS: local-preference on what the device learns, MED and AS-path prepending on what it announces. */
function routeMaps(t: TunnelModel): RouteMapView[] {
  const b = t.bgp!;
  return [
    { name: fortiosString(bgpPolicyName(t.number, "in")), localPreference: b.localPref },
    {
      name: fortiosString(bgpPolicyName(t.number, "out")),
      metric: b.med,
      ...(b.prepend > 0 ? { aspath: fortiosString(Array.from({ length: b.prepend }, () => String(b.peer.as)).join(" ")) } : {}),
    },
  ];
}

function bgpView(peer: PeerModel, sessions: readonly TunnelModel[]): BgpView {
  const first = sessions[0]!.bgp!.peer;
  const whole = (t: TunnelModel, seconds: number, what: string) => {
    if (!Number.isInteger(seconds)) throw new Error(`internal: tunnel ${t.name} reached the FortiGate target with a BGP ${what} of ${seconds}s (SW161 should have stopped it)`);
    return seconds;
  };
  const announced = uniquePrefixes(sessions.flatMap((t) => t.bgp!.peer.announce));
  const neighbor = (t: TunnelModel, ipv6: boolean) => {
    const b = t.bgp!;
    const address = ipv6 ? b.peer.neighbor6! : b.peer.neighbor;
    const lists = ipv6 ? [bgpPrefixList6Name(t.number, "in"), bgpPrefixList6Name(t.number, "out")] : [bgpPolicyName(t.number, "in"), bgpPolicyName(t.number, "out")];
    return {
      key: fortiosString(address),
      address,
      remoteAs: b.peer.remoteAs,
      keepalive: whole(t, b.keepalive.seconds, "keepalive"),
      holdtime: whole(t, b.holdTime.seconds, "hold time"),
      bfd: b.bfd,
      updateSource: fortiosString(tunnelName(t.number)),
      prefixIn: fortiosString(lists[0]!),
      prefixOut: fortiosString(lists[1]!),
      routeMapIn: fortiosString(bgpPolicyName(t.number, "in")),
      routeMapOut: fortiosString(bgpPolicyName(t.number, "out")),
      ipv6,
    };
  };
  return {
    as: peer.bgp?.as ?? first.as,
    routerId: first.routerId,
    neighbors: sessions.flatMap((t) => (bgp6(t) ? [neighbor(t, false), neighbor(t, true)] : [neighbor(t, false)])),
    networks: v4(announced).map((p, i) => ({ id: networkId(i), prefix: p.network, mask: p.mask })),
    networks6: v6(announced).map((p, i) => ({ id: networkId(i), prefix6: p.cidr })),
  };
}

function uniquePrefixes(prefixes: readonly Prefix[]): Prefix[] {
  const byCidr = new Map<string, Prefix>();
  for (const p of prefixes) if (!byCidr.has(p.cidr)) byCidr.set(p.cidr, p);
  return [...byCidr.values()].sort(comparePrefixes);
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

/**
 * The peer's outside port, of the platform's form (SW208 checked it); a model of another platform's peer has none,
 * and gets the FortiGate default.
 */
function outsideOf(peer: PeerModel): string {
  const declared = platform.capabilities.outsideInterface;
  const name = declared === "not-used" ? undefined : (peer.interface ?? declared.default);
  if (declared === "not-used" || name === undefined || !new RegExp(declared.pattern).test(name))
    throw new Error(`internal: peer ${peer.name} reached the FortiGate target without a FortiOS outside port (SW208 should have stopped it)`);
  return name;
}
