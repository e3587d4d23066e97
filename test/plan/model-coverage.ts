/**
 * Every field of the models the change plan reports on (TunnelModel with its two TunnelEnds, PeerModel,
 * HostModel), each either compared by the plan (src/plan/*) or ignored with the reason why.
 *
 * The types make the table complete at compile time (`tsc` fails when a model field has no entry, or an entry
 * names no field); test/plan/coverage.test.ts proves every entry at run time by changing that one field in
 * compiled example and fixture models: a "compared" field must make the plan report something, an ignored
 * one must not (else it is compared after all, and its reason is wrong).
 *
 * A value object (a prefix, an address, a duration, a proposal, a secret reference) is one field: it is
 * changed as a whole.
 */
import type { BgpSide, HostModel, PeerModel, TunnelEnd, TunnelModel } from "../../src/model/types.js";

export type Verdict = "compared" | { readonly ignored: string };

/** A field: a verdict on the whole value, or (objects) its own fields, or (lists of objects) each element's fields. */
export type Spec<T> =
  | Verdict
  | (T extends readonly (infer E)[] ? (E extends object ? { readonly each: Fields<E> } : never) : T extends object ? { readonly fields: Fields<T> } : never);

export type Fields<T> = { readonly [K in keyof T]-?: Spec<NonNullable<T[K]>> };

const ignored = (why: string): Verdict => ({ ignored: why });

const COMMENT = ignored("free text for people: it reaches artifacts as a comment only, which the file diff shows");
const OWN_BGP = ignored("the end's own routing.bgp: compared once under its host or device (HostModel.bgp, PeerModel.bgp)");

const END: Fields<TunnelEnd> = {
  node: "compared",
  role: ignored("fixed by which end it is (TunnelModel.host or .peer)"),
  platform: ignored("the device's platform, compared under the device (PeerModel.platform); a host end is always linux"),
  localAddress: "compared",
  reachableAddress: ignored("the other end's remoteAddress, compared there"),
  identity: "compared",
  remoteAddress: "compared",
  remoteIdentity: "compared",
  insideAddress: "compared",
  insidePeerAddress: ignored("the other end's insideAddress, compared there"),
  insideAddress6: "compared",
  insidePeerAddress6: ignored("the other end's insideAddress6, compared there"),
  ike: { fields: { version: "compared", proposals: "compared", lifetime: "compared", aggressive: "compared" } },
  esp: { fields: { proposals: "compared", lifetime: "compared", pfsGroup: "compared" } },
  psk: "compared",
  dpd: { fields: { delay: "compared", timeout: "compared", action: "compared" } },
  mtu: "compared",
  mss: "compared",
  mss6: ignored("the IPv4 MSS less 20, compared as mss"),
  localNetworks: "compared",
  remoteNetworks: "compared",
};

const BGP_SIDE: Fields<BgpSide> = {
  as: OWN_BGP,
  remoteAs: "compared",
  routerId: OWN_BGP,
  address: ignored("this end's insideAddress, compared with the tunnel end"),
  neighbor: "compared",
  address6: ignored("this end's insideAddress6, compared with the tunnel end"),
  neighbor6: "compared",
  announce: "compared",
  accept: "compared",
};

export const TUNNEL: Fields<TunnelModel> = {
  name: "compared",
  description: COMMENT,
  kind: "compared",
  host: { fields: END },
  peer: { fields: END },
  key: "compared",
  device: "compared",
  deviceKind: "compared",
  inside: ignored("its addresses are compared per end (TunnelEnd.insideAddress)"),
  inside6: ignored("its addresses are compared per end (TunnelEnd.insideAddress6)"),
  outerFamily: "compared",
  families: "compared",
  startAction: "compared",
  toPeer: ignored("the host end's remoteNetworks and the peer end's localNetworks, compared there"),
  toHost: ignored("the host end's localNetworks and the peer end's remoteNetworks, compared there"),
  monitor: { fields: { interval: "compared", timeout: "compared", failures: "compared", slaId: "compared", trackId: "compared", tag: "compared" } },
  number: "compared",
  insideOrder: ignored("what it decides, which end has which inside address, is compared per end"),
  allowWeak: "compared",
  bgp: {
    fields: {
      holdTime: "compared",
      keepalive: "compared",
      bfd: "compared",
      preference: "compared",
      localPref: "compared",
      prepend: "compared",
      med: "compared",
      host: { fields: BGP_SIDE },
      peer: { fields: BGP_SIDE },
    },
  },
  table: "compared",
  rulePriority: "compared",
};

export const PEER: Fields<PeerModel> = {
  name: "compared",
  description: COMMENT,
  platform: "compared",
  address: "compared",
  publicAddress: "compared",
  identity: "compared",
  interface: "compared",
  ospf: { fields: { process: "compared", routerId: "compared" } },
  bgp: { fields: { as: "compared", routerId: "compared" } },
  cloud: {
    fields: {
      provider: ignored("follows the platform, compared as the device's platform"),
      gateway: "compared",
      region: "compared",
      gatewayId: "compared",
    },
  },
  tunnels: ignored("names: each tunnel is compared on its own (src/plan/tunnels.ts)"),
};

const FROM_TUNNEL = (field: string) => ignored(`the tunnel's ${field}, compared with the tunnel (src/plan/tunnels.ts)`);
const LABEL = ignored("where a rule comes from, for comments: not what the rule does");

export const HOST: Fields<HostModel> = {
  name: "compared",
  description: COMMENT,
  os: "compared",
  release: ignored("decides the defaults of firewallBackend and deviceKind, compared there"),
  firewallBackend: "compared",
  deviceKind: ignored("the default of each tunnel's device kind, compared per tunnel (TunnelModel.deviceKind)"),
  address: "compared",
  addresses: "compared",
  interface: "compared",
  publicAddress: "compared",
  identity: "compared",
  strongswanFormat: "compared",
  cloud: {
    fields: {
      provider: ignored("always aws (the only provider the failover monitor knows)"),
      region: "compared",
      instanceId: "compared",
      eni: "compared",
      routeTables: "compared",
    },
  },
  externalInterfaces: { each: { device: "compared", address: "compared", description: COMMENT } },
  vtis: {
    each: {
      tunnel: FROM_TUNNEL("name"),
      device: "compared",
      kind: FROM_TUNNEL("device kind"),
      key: FROM_TUNNEL("key"),
      underlay: ignored("the host's interface, compared with the host"),
      local: FROM_TUNNEL("host end localAddress"),
      remote: FROM_TUNNEL("host end remoteAddress"),
      address: FROM_TUNNEL("host end insideAddress"),
      peerAddress: FROM_TUNNEL("peer end insideAddress"),
      address6: FROM_TUNNEL("host end insideAddress6"),
      peerAddress6: FROM_TUNNEL("peer end insideAddress6"),
      mtu: FROM_TUNNEL("host end MTU"),
      mss: FROM_TUNNEL("host end MSS"),
      table: "compared",
      rulePriority: FROM_TUNNEL("rule priority (the host's ip rules are compared as HostModel.rules)"),
      routes: "compared",
      bgp: FROM_TUNNEL("BGP session (present or not)"),
    },
  },
  ipips: {
    each: {
      link: "compared",
      device: "compared",
      local: "compared",
      remote: "compared",
      address: "compared",
      peerAddress: ignored("the other host's ipip address, compared under that host"),
      peerHost: "compared",
      mtu: "compared",
      ttl: "compared",
    },
  },
  tunnels: ignored("names: each tunnel is compared on its own (src/plan/tunnels.ts)"),
  routes: { each: { to: "compared", via: "compared", device: "compared", origin: LABEL } },
  rules: { each: { priority: "compared", table: "compared", tunnel: LABEL } },
  nat: {
    each: {
      source: "compared",
      destination: ignored("never set: flows masquerade by source and out interface (were it set, it is part of the NAT rule's key)"),
      outInterface: "compared",
      action: ignored("always masquerade, the only action"),
      origin: LABEL,
    },
  },
  forward: { each: { inInterface: "compared", outInterface: "compared", source: "compared", destination: "compared", ports: "compared", origin: LABEL } },
  forwardDefault: "compared",
  mssClamp: { each: { device: "compared", mss: "compared", mss6: ignored("the IPv4 clamp less 20, compared as mss"), families: "compared" } },
  forwards: "compared",
  failover: {
    fields: {
      pair: ignored("the pair's name: the monitor behaves the same under another name"),
      partner: "compared",
      partnerAddress: ignored("the partner host's address, compared under that host"),
      partnerInstanceId: ignored("the partner host's cloud instance id, compared under that host"),
      tunnelProbe: ignored("the far inside address of the host's tunnel, compared with the tunnel"),
      tunnel: ignored("the host's one route-based tunnel, compared with the tunnel"),
      tunnelDevice: ignored("the vti device of that tunnel, compared with the tunnel"),
      ownRouteTables: "compared",
      partnerRouteTables: "compared",
      destinations: "compared",
      target: { fields: { eni: ignored("the host's cloud ENI, compared as cloud ENI"), instanceId: ignored("the host's cloud instance, compared as cloud instance") } },
      partnerTarget: {
        fields: { eni: ignored("the partner host's cloud ENI, compared under that host"), instanceId: ignored("the partner host's cloud instance, compared under that host") },
      },
      action: "compared",
      command: "compared",
      region: ignored("the host's cloud region, compared as cloud region"),
      interval: "compared",
      failures: "compared",
      recoveries: "compared",
      restartPartner: "compared",
    },
  },
  bgp: { fields: { as: "compared", routerId: "compared" } },
};
