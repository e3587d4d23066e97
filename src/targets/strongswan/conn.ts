/**
 * One tunnel end as strongSwan sees it: every fact both formats print, computed once, so ipsec.conf and
 * swanctl.conf cannot disagree. Each value is typed or pattern-checked upstream (addresses, identities,
 * proposals, names, integers); free text (descriptions) is only ever passed to the templates' {{comment}}.
 */
import type { Family, TunnelEnd, TunnelModel } from "../../model/types.js";
import { familyOf } from "../../net/ip.js";
import { platformNamed } from "../platforms.js";
import { rekeySchedule, strongswanTime } from "./times.js";

export interface ConnView {
  /** conn name / swanctl connection and child name / secret suffix: the tunnel name (NAME_PATTERN). */
  readonly name: string;
  readonly description?: string;
  /** "strongswan-1 → dc-router-1 (cisco-ios), route-based: vti tunnel1, key 100": for a comment. */
  readonly summary: string;
  readonly version: 1 | 2;
  readonly localAddress: string;
  readonly remoteAddress: string;
  readonly localId: string;
  readonly remoteId: string;
  readonly ikeProposals: readonly string[];
  readonly espProposals: readonly string[];
  readonly aggressive: boolean;
  readonly times: {
    readonly ikeLifetime: string;
    readonly ikeRekey: string;
    readonly childLifetime: string;
    readonly childRekey: string;
    readonly margin: string;
  };
  readonly dpd: {
    readonly delay: string;
    /** IKEv1 only: IKEv2 declares a peer dead through its retransmission timeouts (man ipsec.conf, swanctl.opt). */
    readonly timeout?: string;
    readonly action: TunnelEnd["dpd"]["action"];
  };
  readonly startAction: TunnelModel["startAction"];
  /** Route-based through a vti device: the vti key, used as mark in and out. */
  readonly mark?: number;
  /**
   * Route-based through an XFRM interface (sitewire hosts whose device kind is xfrm): the interface's if_id,
   * set on the SAs and policies in and out (swanctl.conf if_id_in/if_id_out). Never with `mark`.
   */
  readonly ifId?: number;
  /** CHILD_SAs (swanctl children; one ipsec.conf conn each). One, except for IKEv1 with several networks. */
  readonly children: readonly ChildView[];
  /** What committed files carry instead of the key (`sitewire secrets` replaces it on the host). */
  readonly pskPlaceholder: string;
}

export interface ChildView {
  readonly name: string;
  readonly localTs: readonly string[];
  readonly remoteTs: readonly string[];
}

/** Every address of a family: the selector of a route-based tunnel, whose device and routes pick the traffic. */
const ANY: Readonly<Record<Family, string>> = { 4: "0.0.0.0/0", 6: "::/0" };

export function connView(tunnel: TunnelModel, end: TunnelEnd): ConnView {
  const routeBased = tunnel.kind === "ipsec-vti";
  // The host end follows its device kind; a far-side strongSwan peer is not a sitewire host and keeps the mark
  // (its device is its operator's: sitewire only states the key both ends share).
  const xfrm = routeBased && end.role === "host" && tunnel.deviceKind === "xfrm";
  const schedule = rekeySchedule(end.ike.lifetime, end.esp.lifetime);
  const other = end.role === "host" ? tunnel.peer : tunnel.host;
  return {
    name: tunnel.name,
    ...(tunnel.description !== undefined ? { description: tunnel.description } : {}),
    summary: `${end.node} to ${other.node} (${other.platform}), ${routeBased ? (xfrm ? `route-based, xfrm interface ${tunnel.device}, if_id ${tunnel.key}` : `route-based, vti key ${tunnel.key}`) : "policy-based"}`,
    version: end.ike.version,
    localAddress: end.localAddress,
    remoteAddress: end.remoteAddress,
    localId: end.identity,
    remoteId: end.remoteIdentity,
    ikeProposals: end.ike.proposals.map((p) => p.text),
    espProposals: end.esp.proposals.map((p) => p.text),
    aggressive: end.ike.aggressive,
    times: {
      ikeLifetime: strongswanTime(schedule.ikeLifetime),
      ikeRekey: strongswanTime(schedule.ikeRekey),
      childLifetime: strongswanTime(schedule.childLifetime),
      childRekey: strongswanTime(schedule.childRekey),
      margin: strongswanTime(schedule.margin),
    },
    dpd: {
      delay: strongswanTime(end.dpd.delay.seconds),
      ...(end.ike.version === 1 ? { timeout: strongswanTime(end.dpd.timeout.seconds) } : {}),
      action: end.dpd.action,
    },
    startAction: startActionOf(tunnel, end),
    ...(routeBased && tunnel.key !== undefined ? (xfrm ? { ifId: tunnel.key } : { mark: tunnel.key }) : {}),
    children: routeBased ? routeBasedChildren(tunnel, end) : policyChildren(tunnel.name, end),
    pskPlaceholder: end.psk.placeholder,
  };
}

/**
 * Traffic selectors of a route-based tunnel: everything of each family the tunnel carries (TunnelModel.families:
 * 0.0.0.0/0, ::/0 or both), the device's routes choose what goes in. IKEv2 carries both families in one CHILD_SA:
 * a TS payload holds selectors of either type, TS_IPV4_ADDR_RANGE and TS_IPV6_ADDR_RANGE (RFC 7296, 3.13 and
 * 3.13.1), and swanctl.conf local_ts/remote_ts and ipsec.conf leftsubnet/rightsubnet take comma-separated lists
 * of IPv4 and IPv6 subnets (swanctl.conf(5) children.<child>.local_ts; ipsec.conf(5) leftsubnet); charon loads
 * and negotiates them (test/real/strongswan-load.test.ts, test/live/ipv6-tunnel.test.ts). IKEv1 negotiates one
 * selector pair per CHILD_SA and uses only the first subnet of a list (see policyChildren): one child per
 * family, <tunnel>-1 (IPv4) and <tunnel>-2 (IPv6). So does IKEv2 when the far-side platform negotiates one
 * CHILD SA per family (its capability data, `ipv6.dualStack.sas: "sa-per-family"`: Cisco IOS dual-overlay).
 */
function routeBasedChildren(tunnel: TunnelModel, end: TunnelEnd): ChildView[] {
  const families = tunnel.families.length > 0 ? tunnel.families : [tunnel.outerFamily];
  const any = families.map((f) => ANY[f]);
  // Both ends split alike: a strongSwan stand-in for that platform (lab, live tests) mirrors its SAs.
  const farSide = platformNamed(tunnel.peer.platform);
  const perFamily = end.ike.version === 1 || farSide?.capabilities.ipv6.dualStack.sas === "sa-per-family";
  if (!perFamily || any.length === 1) return [{ name: tunnel.name, localTs: any, remoteTs: any }];
  return any.map((ts, i) => ({ name: `${tunnel.name}-${i + 1}`, localTs: [ts], remoteTs: [ts] }));
}

/**
 * Traffic selectors of a policy-based tunnel. IKEv1 negotiates one selector pair per CHILD_SA and strongSwan
 * silently uses only the first subnet of a list (man ipsec.conf leftsubnet; swanctl.opt local_ts), so with
 * IKEv1 every local × remote pair gets its own child, named <tunnel>-<n>. A side without networks protects
 * only its own address (what strongSwan does when the subnet is left out), written out so both formats agree
 * (/32, or /128 for an IPv6 outer address). Lists may mix families (see routeBasedChildren); IKEv1 pairs only
 * selectors of one family, since a pair of an IPv4 and an IPv6 network selects no packet.
 */
function policyChildren(name: string, end: TunnelEnd): ChildView[] {
  const own = (address: string) => [`${address}/${familyOf(address) === 6 ? 128 : 32}`];
  const local = end.localNetworks.length > 0 ? end.localNetworks.map((p) => p.cidr) : own(end.localAddress);
  const remote = end.remoteNetworks.length > 0 ? end.remoteNetworks.map((p) => p.cidr) : own(end.remoteAddress);
  if (end.ike.version === 2 || (local.length === 1 && remote.length === 1)) return [{ name, localTs: local, remoteTs: remote }];
  const pairs = local.flatMap((l) => remote.filter((r) => familyOf(r) === familyOf(l)).map((r) => [l, r] as const));
  return pairs.map(([l, r], i) => ({ name: `${name}-${i + 1}`, localTs: [l], remoteTs: [r] }));
}

/**
 * The host acts as the intent says. The far side answers unless the host only waits (startAction none):
 * two ends that both initiate race each other into duplicate SAs.
 * (Belongs in the model as TunnelEnd.startAction; computed here until it moves.)
 */
function startActionOf(tunnel: TunnelModel, end: TunnelEnd): TunnelModel["startAction"] {
  if (end.role === "host") return tunnel.startAction;
  return tunnel.startAction === "none" ? "start" : "none";
}
