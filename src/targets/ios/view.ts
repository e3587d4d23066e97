/**
 * The data the IOS template sees for one device: every value is a parsed address, an integer, a name built
 * from schema-checked names, an IOS keyword from ./translate.ts or a secret placeholder. Free text
 * (descriptions) is passed raw and quoted by the template's `{{ios …}}` helper.
 */
import { isIpv4 } from "../../net/ip.js";
import type { PeerModel, SiteModel, TunnelEnd, TunnelModel } from "../../model/types.js";
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
}

export interface BgpView {
  readonly as: number;
  readonly routerId?: string;
  /** Sessions over the tunnels with `bgp` (tunnel order); empty: redistribution only. */
  readonly sessions: readonly BgpSessionView[];
  /** `network … mask …` per network the device announces over any session (sorted, once each). */
  readonly networks: readonly { readonly network: string; readonly mask: string }[];
  readonly redistribute: boolean;
}

export interface BgpSessionView {
  readonly tunnel: string;
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
    readonly address: string;
    readonly mask: string;
    readonly mtu: number;
    readonly mss: number;
    readonly source: string;
    readonly destination: string;
  };
  readonly sla: { readonly id: number; readonly target: string; readonly source: string; readonly frequency: number; readonly timeoutMs?: number };
  /** BFD on the Tunnel interface (`bfd interval … min_rx … multiplier …`), for sessions with bfd. */
  readonly bfd?: { readonly interval: number; readonly minRx: number; readonly multiplier: number };
  readonly track: { readonly id: number; readonly delayDown?: number };
  readonly routes: readonly { readonly network: string; readonly mask: string; readonly nextHop: string; readonly tag: number; readonly track: number }[];
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
  const tags = [...new Set(tunnels.flatMap((t) => t.routes.map((r) => r.tag)))].sort((a, b) => a - b);
  const redistribute = Boolean(peer.ospf || peer.bgp) && tags.length > 0;
  const sessions = models.filter((t) => t.bgp).map((t) => sessionView(t));
  const bgp = peer.bgp && (redistribute || sessions.length) ? bgpView(peer, models, sessions, redistribute) : undefined;
  return {
    peer: peer.name,
    ...(peer.description !== undefined ? { description: peer.description } : {}),
    source: site.source.file,
    tunnels,
    ikev2Policies: ikev2Policies(peer, tunnels),
    ...(redistribute ? { routeMap: { name: ROUTE_MAP, tags: tags.join(" ") } } : {}),
    ...(redistribute && peer.ospf ? { ospf: peer.ospf } : {}),
    ...(bgp ? { bgp } : {}),
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

function compareAddresses(a: string, b: string): number {
  const n = (x: string) => x.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
  return n(a) - n(b);
}

function bgpView(peer: PeerModel, tunnels: readonly TunnelModel[], sessions: readonly BgpSessionView[], redistribute: boolean): BgpView {
  const withBgp = tunnels.filter((t) => t.bgp);
  // With sessions the router id is the model's (routing.bgp.routerId, default the device's address); for
  // redistribution alone it stays as the intent wrote it (none: IOS chooses).
  const routerId = withBgp[0]?.bgp!.peer.routerId ?? peer.bgp!.routerId;
  const networks = new Map<string, { network: string; mask: string; length: number }>();
  for (const t of withBgp) for (const p of t.bgp!.peer.announce) networks.set(p.cidr, { network: p.network, mask: p.mask, length: p.length });
  const sorted = [...networks.values()].sort((a, b) => compareAddresses(a.network, b.network) || a.length - b.length).map(({ network, mask }) => ({ network, mask }));
  return { as: peer.bgp!.as, ...(routerId !== undefined ? { routerId } : {}), sessions, networks: sorted, redistribute };
}

function sessionView(t: TunnelModel): BgpSessionView {
  const b = t.bgp!;
  const side = b.peer;
  const whole = (seconds: number, what: string) => {
    if (!Number.isInteger(seconds)) throw new Error(`internal: tunnel ${t.name} reached the IOS target with a BGP ${what} of ${seconds}s (SW161 should have stopped it)`);
    return seconds;
  };
  return {
    tunnel: t.name,
    host: t.host.node,
    description: neighborDescription(t.name, t.host.node),
    neighbor: side.neighbor,
    remoteAs: side.remoteAs,
    keepalive: whole(b.keepalive.seconds, "keepalive"),
    holdTime: whole(b.holdTime.seconds, "hold time"),
    bfd: b.bfd,
    prefixListIn: bgpPolicyName(t.name, "in"),
    prefixListOut: bgpPolicyName(t.name, "out"),
    routeMapIn: bgpPolicyName(t.name, "in"),
    routeMapOut: bgpPolicyName(t.name, "out"),
    accept: prefixList(side.accept),
    announce: prefixList(side.announce),
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
function prefixList(prefixes: readonly { readonly cidr: string }[]): PrefixListEntry[] {
  if (prefixes.length === 0) return [{ seq: 5, action: "deny", prefix: "0.0.0.0/0 le 32" }];
  return [...new Set(prefixes.map((p) => p.cidr))].map((prefix, i) => ({ seq: 5 * (i + 1), action: "permit", prefix }));
}

function tunnelView(t: TunnelModel): TunnelView {
  const end = t.peer;
  const { crypto, problems } = translateCrypto(end);
  if (problems.length) throw new Error(`internal: tunnel ${t.name} reached the IOS target with settings IOS cannot express (SW123 or SW208 should have stopped it): ${problems[0]!.message}`);
  if (!end.insideAddress || !end.insidePeerAddress) throw new Error(`internal: tunnel ${t.name} reached the IOS target without inside addresses`);
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
    interface: {
      number: t.number,
      address: end.insideAddress.address,
      mask: end.insideAddress.network.mask,
      mtu: end.mtu,
      mss: end.mss,
      source: end.localAddress,
      destination: end.remoteAddress,
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
    routes: t.bgp ? [] : end.remoteNetworks.map((p) => ({ network: p.network, mask: p.mask, nextHop: end.insidePeerAddress!, tag: t.monitor.tag, track: t.monitor.trackId })),
  };
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

function matchIdentityV2(identity: string): string {
  return isIpv4(identity) ? `address ${identity} 255.255.255.255` : `fqdn ${bareIdentity(identity)}`;
}

function identityKind(identity: TunnelEnd["identity"]): string {
  return isIpv4(identity) ? `address ${identity}` : `fqdn ${bareIdentity(identity)}`;
}
