/**
 * The data the IOS template sees for one device: every value is a parsed address, an integer, a name built
 * from schema-checked names, an IOS keyword from ./translate.ts or a secret placeholder. Free text
 * (descriptions) is passed raw and quoted by the template's `{{ios …}}` helper.
 */
import { isIpv4 } from "../../net/ipv4.js";
import type { PeerModel, SiteModel, TunnelEnd, TunnelModel } from "../../model/types.js";
import { IKEV2_POLICY, ROUTE_MAP, indexedName, isakmpPriority, tunnelObjectName } from "./names.js";
import { iosDpd, translateCrypto, type IosCrypto } from "./translate.js";

export interface DeviceView {
  readonly peer: string;
  readonly description?: string;
  readonly source: string;
  readonly tunnels: readonly TunnelView[];
  readonly ikev2Policy?: { readonly name: string; readonly localAddress: string; readonly proposals: readonly string[] };
  readonly routeMap?: { readonly name: string; readonly tags: string };
  readonly ospf?: { readonly process: number; readonly routerId?: string };
  readonly bgp?: { readonly as: number; readonly routerId?: string };
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
  readonly track: { readonly id: number; readonly delayDown?: number };
  readonly routes: readonly { readonly network: string; readonly mask: string; readonly nextHop: string; readonly tag: number; readonly track: number }[];
}

/** IOS's default icmp-echo timeout; the probe frequency may not be shorter than the timeout. */
const SLA_DEFAULT_TIMEOUT_MS = 5000;

export function tunnelsOfPeer(site: SiteModel, peer: PeerModel): TunnelModel[] {
  return site.tunnels.filter((t) => t.peer.node === peer.name);
}

export function deviceView(site: SiteModel, peer: PeerModel): DeviceView {
  const tunnels = tunnelsOfPeer(site, peer).map((t) => tunnelView(t));
  const ikev2 = tunnels.filter((t) => !t.v1);
  const tags = [...new Set(tunnels.flatMap((t) => t.routes.map((r) => r.tag)))].sort((a, b) => a - b);
  const redistribute = (peer.ospf || peer.bgp) && tags.length > 0;
  return {
    peer: peer.name,
    ...(peer.description !== undefined ? { description: peer.description } : {}),
    source: site.source.file,
    tunnels,
    ...(ikev2.length ? { ikev2Policy: { name: IKEV2_POLICY, localAddress: peer.address, proposals: ikev2.flatMap((t) => t.ikev2Proposals.map((p) => p.name)) } } : {}),
    ...(redistribute ? { routeMap: { name: ROUTE_MAP, tags: tags.join(" ") } } : {}),
    ...(redistribute && peer.ospf ? { ospf: peer.ospf } : {}),
    ...(redistribute && peer.bgp ? { bgp: peer.bgp } : {}),
  };
}

function tunnelView(t: TunnelModel): TunnelView {
  const end = t.peer;
  const { crypto, problems } = translateCrypto(end);
  if (problems.length) throw new Error(`internal: tunnel ${t.name} reached the IOS target with settings IOS cannot express (SW123 or SW208 should have stopped it): ${problems[0]!.message}`);
  if (!end.insideAddress || !end.insidePeerAddress) throw new Error(`internal: tunnel ${t.name} reached the IOS target without inside addresses`);
  const v1 = end.ike.version === 1;
  const dpd = iosDpd(end.dpd);
  const frequency = t.monitor.interval.seconds;
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
      ...(frequency * 1000 < SLA_DEFAULT_TIMEOUT_MS ? { timeoutMs: frequency * 1000 } : {}),
    },
    track: { id: t.monitor.trackId, ...(t.monitor.failures > 1 ? { delayDown: (t.monitor.failures - 1) * frequency } : {}) },
    routes: end.remoteNetworks.map((p) => ({ network: p.network, mask: p.mask, nextHop: end.insidePeerAddress!, tag: t.monitor.tag, track: t.monitor.trackId })),
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
