/**
 * The data the PAN-OS template sees for one firewall. Every value is a parsed address or prefix, an integer, a
 * PAN-OS keyword from the capability data (./platform.ts, through src/platform/crypto.ts), a name from
 * ./names.ts, or a string already quoted by ./quote.ts (the pre-shared key placeholder, descriptions).
 */
import { comparePrefixes, isIpv4 } from "../../net/ip.js";
import type { PeerModel, Prefix, SiteModel, TunnelEnd, TunnelModel } from "../../model/types.js";
import { platformDpd, translateCrypto } from "../../platform/crypto.js";
import { BFD_PROFILE, objectName, PING_PROFILE, PROXY_ID_V4, PROXY_ID_V6, RULE_NAME_MAX, tunnelInterface, VIRTUAL_ROUTER, ZONE } from "./names.js";
import { platform } from "./platform.js";
import { panosComment, panosString } from "./quote.js";

export interface DeviceView {
  /**
   * The layer-3 interface the IKE gateways run on (`local-address interface`): the peer's `interface`, which the
   * platform requires (SW208), of the platform's form, so one PAN-OS word.
   */
  readonly outside: string;
  readonly virtualRouter: string;
  readonly zone: string;
  readonly pingProfile: string;
  readonly tunnels: readonly TunnelView[];
  readonly bgp?: BgpView;
}

export interface BgpView {
  readonly as: number;
  readonly routerId: string;
  /** `routing-options as-format 4-byte` when an AS number needs four bytes. */
  readonly fourByte: boolean;
  /**
   * The networks the firewall announces over any session: `redist-rules <prefix>` (sorted, once each, IPv4 first)
   * with the prefix's `address-family-identifier` (ipv4 or ipv6).
   */
  readonly redist: readonly { readonly prefix: string; readonly afi: "ipv4" | "ipv6" }[];
  readonly bfd?: { readonly profile: string; readonly minTx: number; readonly minRx: number; readonly multiplier: number };
}

/** A CLI value: one word, or `[ a b ]` for several members. */
type Members = string;

export interface TunnelView {
  readonly name: string;
  /**
   * `comment "…"` on the IPsec tunnel: sitewire's note plus the intent's description, quoted. (Not called
   * `comment`: that name is a template helper, which Handlebars would call instead.)
   */
  readonly note: string;
  readonly iface: string;
  /** The firewall's inside address as configured on the interface: `169.254.61.1/30`. */
  readonly address: string;
  /** The IPv6 inside address (tunnels.<t>.inside6) as configured on the interface: `fd00:70::2/126` (issue 16). */
  readonly address6?: string;
  /**
   * Both families in the tunnel: the IPsec tunnel's proxy IDs (IKEv1 proxy IDs, IKEv2 traffic selectors), one
   * per family with any address both ways, so PAN-OS negotiates one SA per family as the gateway's two CHILD SAs
   * (0.0.0.0/0 and ::/0) do; the tunnel monitor runs over the IPv4 one.
   */
  readonly proxyIds?: { readonly v4: string; readonly v6: string };
  readonly mtu: number;
  readonly ikeProfile: { readonly name: string; readonly encryption: Members; readonly hash: Members; readonly dh: Members; readonly lifetime: number };
  readonly ipsecProfile: { readonly name: string; readonly encryption: Members; readonly authentication: Members; readonly dh: string; readonly lifetime: number };
  readonly gateway: {
    readonly name: string;
    readonly version: "ikev1" | "ikev2";
    readonly v1: boolean;
    /** The secret's placeholder, double-quoted. */
    readonly psk: string;
    /**
     * `local-address ip`: the device's address as the intent has it, without a prefix length. PAN-OS matches it
     * against the addresses configured on the outside interface as written there (README: check it before the
     * commit).
     */
    readonly localAddress: string;
    readonly peerAddress: string;
    readonly localId: { readonly type: "ipaddr" | "fqdn"; readonly id: string };
    readonly peerId: { readonly type: "ipaddr" | "fqdn"; readonly id: string };
    readonly dpd: { readonly interval: number; readonly retry?: number };
  };
  readonly ipsec: { readonly name: string };
  readonly monitor: { readonly profile: string; readonly destination: string; readonly interval: number; readonly threshold: number };
  readonly routes: readonly RouteView[];
  /** `routing-table ipv6 static-route`: the gateway's IPv6 networks via its IPv6 inside address. */
  readonly routes6: readonly RouteView[];
  readonly rules: readonly RuleView[];
  readonly bgp?: SessionView;
  /** The BGP session over the IPv6 inside addresses (MP-BGP, AFI ipv6), with its own peer group and rules. */
  readonly bgp6?: SessionView;
}

export interface RouteView {
  readonly name: string;
  readonly destination: string;
  readonly nexthop: string;
  readonly metric: number;
  readonly monitor: { readonly name: string; readonly source: string; readonly destination: string; readonly interval: number; readonly count: number };
}

export interface RuleView {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly source: Members;
  readonly destination: Members;
}

export interface SessionView {
  readonly group: string;
  readonly peer: string;
  readonly peerAs: number;
  readonly peerAddress: string;
  /** The IPv6 session: `enable-mp-bgp yes`, `address-family-identifier ipv6`, `subsequent-address-family-identifier unicast yes`. */
  readonly ipv6: boolean;
  /** The firewall's inside address as configured on the tunnel interface (`ip/len`). */
  readonly localAddress: string;
  readonly keepalive: number;
  readonly holdTime: number;
  readonly bfd: boolean;
  /** Import: allow the accepted networks (exact) with the tunnel's local preference, then deny the rest. */
  readonly accept?: { readonly name: string; readonly prefixes: readonly string[]; readonly localPref: number };
  readonly reject: string;
  /** Export: allow the announced networks (exact) with MED and prepending, then deny the rest. */
  readonly announce?: { readonly name: string; readonly prefixes: readonly string[]; readonly med: number; readonly prepend?: number };
  readonly withhold: string;
}

/** Static route metric ([codegen] virtual-router-static-route-ipv4.yaml: 1..65535, default 10). */
export const ROUTE_METRIC = 10;

/**
 * BFD timers: FRR bfdd's defaults (300 ms both ways, multiplier 3; https://docs.frrouting.org/en/latest/bfd.html),
 * so both ends of a session agree; within the PAN-OS profile ranges (min-tx/min-rx 50..10000 ms, multiplier
 * 2..255, PaloAltoNetworks/pan-os-codegen specs/network/profiles/bfd-network-profile.yaml).
 */
export const BFD_TIMERS = { minTx: 300, minRx: 300, multiplier: 3 } as const;

export function tunnelsOfPeer(site: SiteModel, peer: PeerModel): TunnelModel[] {
  return site.tunnels.filter((t) => t.peer.node === peer.name);
}

export function deviceView(site: SiteModel, peer: PeerModel): DeviceView {
  const models = tunnelsOfPeer(site, peer);
  const tunnels = models.map(tunnelView);
  const withBgp = models.filter((t) => t.bgp);
  return {
    outside: outsideOf(peer),
    virtualRouter: VIRTUAL_ROUTER,
    zone: ZONE,
    pingProfile: PING_PROFILE,
    tunnels,
    ...(withBgp.length ? { bgp: bgpView(withBgp) } : {}),
  };
}

function outsideOf(peer: PeerModel): string {
  const declared = platform.capabilities.outsideInterface;
  if (declared === "not-used" || peer.interface === undefined || !new RegExp(declared.pattern).test(peer.interface))
    throw new Error(`internal: peer ${peer.name} reached the PAN-OS target without a PAN-OS outside interface (SW208 should have stopped it)`);
  return peer.interface;
}

function bgpView(tunnels: readonly TunnelModel[]): BgpView {
  const first = tunnels[0]!.bgp!.peer;
  const redist = new Map<string, Prefix>();
  for (const t of tunnels) for (const p of t.bgp!.peer.announce) redist.set(p.cidr, p);
  const sorted = [...redist.values()].sort(comparePrefixes);
  const asNumbers = tunnels.flatMap((t) => [t.bgp!.peer.as, t.bgp!.peer.remoteAs]);
  return {
    as: first.as,
    routerId: first.routerId,
    fourByte: asNumbers.some((n) => n > 65535),
    redist: sorted.map((p) => ({ prefix: p.cidr, afi: p.family === 6 ? ("ipv6" as const) : ("ipv4" as const) })),
    ...(tunnels.some((t) => t.bgp!.bfd) ? { bfd: { profile: BFD_PROFILE, ...BFD_TIMERS } } : {}),
  };
}

function tunnelView(t: TunnelModel): TunnelView {
  const end = t.peer;
  const { words, problems } = translateCrypto(end, platform);
  if (problems.length) throw new Error(`internal: tunnel ${t.name} reached the PAN-OS target with settings PAN-OS cannot express (SW123 or SW208 should have stopped it): ${problems[0]!.message}`);
  if (!end.insideAddress || !end.insidePeerAddress) throw new Error(`internal: tunnel ${t.name} reached the PAN-OS target without inside addresses`);
  if (end.insideAddress.family !== 4 || t.outerFamily !== 4)
    throw new Error(`internal: tunnel ${t.name} reached the PAN-OS target with IPv6 ${end.insideAddress.family === 6 ? "as its only inside network" : "outer addresses"} (SW210 should have stopped it: ./platform.ts ipv6)`);
  if (t.bgp && !bgp6(t) && [...t.bgp.peer.accept, ...t.bgp.peer.announce].some((p) => p.family === 6))
    throw new Error(`internal: tunnel ${t.name} reached the PAN-OS target with IPv6 networks on its IPv4 BGP session (an IPv6 session needs inside6)`);
  if (!t.bgp && !end.insidePeerAddress6 && end.remoteNetworks.some((p) => p.family === 6))
    throw new Error(`internal: tunnel ${t.name} reached the PAN-OS target with IPv6 routes and no IPv6 inside address (SW180 should have stopped it)`);
  const ike = words.ike[0]!;
  const esp = words.esp[0]!;
  const v1 = end.ike.version === 1;
  const dpd = platformDpd(end.dpd, platform);
  const retryCount = platform.capabilities.dpd.retryCount!;
  const address = end.insideAddress.cidr;
  const hostInside = end.insidePeerAddress;
  const interval = whole(t.monitor.interval.seconds, t, "monitor interval");
  return {
    name: t.name,
    note: panosComment(`sitewire ${t.name} to ${t.host.node}${t.description !== undefined ? `: ${t.description}` : ""}`),
    iface: tunnelInterface(t),
    address,
    ...(end.insideAddress6 ? { address6: end.insideAddress6.cidr } : {}),
    ...(t.families.includes(6) ? { proxyIds: { v4: PROXY_ID_V4, v6: PROXY_ID_V6 } } : {}),
    mtu: end.mtu,
    ikeProfile: { name: objectName(t), encryption: members(ike.encryption), hash: members(ike.integrity), dh: members(ike.dh), lifetime: end.ike.lifetime.seconds },
    ipsecProfile: {
      name: objectName(t),
      encryption: members(esp.encryption),
      // AES-GCM authenticates by itself: `esp authentication none` (the factory Suite-B-GCM profiles).
      authentication: esp.aead ? "none" : members(esp.integrity),
      dh: words.pfs ?? "no-pfs",
      lifetime: end.esp.lifetime.seconds,
    },
    gateway: {
      name: objectName(t),
      version: v1 ? "ikev1" : "ikev2",
      v1,
      psk: panosString(end.psk.placeholder),
      localAddress: end.localAddress,
      peerAddress: end.remoteAddress,
      localId: identity(end.identity),
      peerId: identity(end.remoteIdentity),
      // IKEv1: probe every `interval`, give up after `retry` retries (≈ the intent's timeout); IKEv2's liveness
      // check takes the interval only.
      dpd: v1 ? { interval: dpd.seconds, retry: clamp(Math.ceil(end.dpd.timeout.seconds / dpd.seconds), retryCount) } : { interval: dpd.seconds },
    },
    ipsec: { name: objectName(t) },
    monitor: { profile: objectName(t), destination: hostInside, interval, threshold: t.monitor.failures },
    // A tunnel with BGP learns the host's networks from its session: no static routes.
    routes: t.bgp
      ? []
      : end.remoteNetworks.filter((p) => p.family === 4).map((p, i) => ({
          name: objectName(t, String(i + 1)),
          destination: p.cidr,
          nexthop: hostInside,
          metric: ROUTE_METRIC,
          monitor: { name: objectName(t), source: address, destination: hostInside, interval, count: t.monitor.failures },
        })),
    // IPv6 routes: via the gateway's IPv6 inside address, path-monitored by pinging it from the firewall's own
    // (PaloAltoNetworks/pan-os-codegen specs/network/virtual-router-static-route-ipv6.yaml). Named `…-6.<i>`.
    routes6:
      t.bgp || !end.insideAddress6 || !end.insidePeerAddress6
        ? []
        : end.remoteNetworks.filter((p) => p.family === 6).map((p, i) => ({
            name: objectName(t, `6.${i + 1}`),
            destination: p.cidr,
            nexthop: end.insidePeerAddress6!,
            metric: ROUTE_METRIC,
            monitor: { name: objectName(t), source: end.insideAddress6!.cidr, destination: end.insidePeerAddress6!, interval, count: t.monitor.failures },
          })),
    rules: rules(t, end),
    ...(t.bgp ? { bgp: sessionView(t, address, 4) } : {}),
    ...(t.bgp && bgp6(t) ? { bgp6: sessionView(t, end.insideAddress6!.cidr, 6) } : {}),
  };
}

/**
 * The flows the tunnel carries, as the gateway's forward rules allow them (src/model/hosts.ts: every network
 * behind the host to every network behind the peer and back, all ports): traffic arriving from the tunnel zone
 * to the firewall's networks, and traffic from its networks into the tunnel. The firewall's inside zones are not
 * in the intent: `any` on that side.
 */
function rules(t: TunnelModel, end: TunnelEnd): RuleView[] {
  const behindHost = end.remoteNetworks.map((p) => p.cidr);
  const behindPeer = end.localNetworks.map((p) => p.cidr);
  if (!behindHost.length || !behindPeer.length) return [];
  return [
    { name: objectName(t, "in", RULE_NAME_MAX), from: ZONE, to: "any", source: members(behindHost), destination: members(behindPeer) },
    { name: objectName(t, "out", RULE_NAME_MAX), from: "any", to: ZONE, source: members(behindPeer), destination: members(behindHost) },
  ];
}

/** The tunnel has a second BGP session over its IPv6 inside addresses (tunnels.<t>.inside6 with bgp). */
function bgp6(t: TunnelModel): boolean {
  return t.bgp?.peer.neighbor6 !== undefined && t.bgp.peer.address6 !== undefined && t.peer.insideAddress6 !== undefined;
}

/**
 * One BGP session of the tunnel: the IPv4 one (peer group and rules named after the tunnel, as before issue 16), or
 * the IPv6 one over the IPv6 inside addresses in a peer group of its own (`…-ipv6`, rules `…-accept6` …), each
 * with the networks of its family only.
 */
function sessionView(t: TunnelModel, localAddress: string, family: 4 | 6): SessionView {
  const b = t.bgp!;
  const side = b.peer;
  const six = family === 6 ? "6" : "";
  const accept = side.accept.filter((p) => p.family === family);
  const announce = side.announce.filter((p) => p.family === family);
  return {
    group: family === 6 ? objectName(t, "ipv6") : objectName(t),
    peer: family === 6 ? objectName(t, "ipv6") : objectName(t),
    peerAs: side.remoteAs,
    peerAddress: family === 6 ? side.neighbor6! : side.neighbor,
    ipv6: family === 6,
    localAddress,
    keepalive: whole(b.keepalive.seconds, t, "BGP keepalive"),
    holdTime: whole(b.holdTime.seconds, t, "BGP hold time"),
    bfd: b.bfd,
    ...(accept.length ? { accept: { name: objectName(t, `accept${six}`), prefixes: accept.map((p) => p.cidr), localPref: b.localPref } } : {}),
    reject: objectName(t, `reject${six}`),
    ...(announce.length
      ? { announce: { name: objectName(t, `announce${six}`), prefixes: announce.map((p) => p.cidr), med: b.med, ...(b.prepend > 0 ? { prepend: b.prepend } : {}) } }
      : {}),
    withhold: objectName(t, `withhold${six}`),
  };
}

/** strongSwan writes FQDN identities as `@name` (or a bare name); PAN-OS wants the type and the bare name. */
function identity(id: string): { type: "ipaddr" | "fqdn"; id: string } {
  return isIpv4(id) ? { type: "ipaddr", id } : { type: "fqdn", id: id.replace(/^@/, "") };
}

function members(words: readonly string[]): Members {
  if (words.length === 0) throw new Error("internal: an empty PAN-OS member list");
  return words.length === 1 ? words[0]! : `[ ${words.join(" ")} ]`;
}

function whole(seconds: number, t: TunnelModel, what: string): number {
  if (!Number.isInteger(seconds)) throw new Error(`internal: tunnel ${t.name} reached the PAN-OS target with a ${what} of ${seconds}s (the rules should have stopped it)`);
  return seconds;
}

function clamp(value: number, limit: { min: number; max: number }): number {
  return Math.min(limit.max, Math.max(limit.min, value));
}
