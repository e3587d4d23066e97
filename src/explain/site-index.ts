/**
 * What the walk asks of the model at every hop, indexed once per site (issue 18). A hub gateway holds a device,
 * a table, an ip rule, routes and NAT rules per tunnel, and the deliverability check walks every flow and tunnel
 * route: answering "which of them holds this address" by scanning made compiling a site quadratic in its
 * tunnels. Each index answers exactly what the scan it replaces answered (the same entries, in the same order);
 * ./engine.ts says at each use which scan that is.
 */
import type { FlowModel, HostModel, NatRule, Prefix, SiteModel, TunnelModel, VtiDevice } from "../model/types.js";
import { PrefixIndex } from "./prefix-index.js";
import { addressFamily } from "./rules.js";

export interface HostAddress {
  readonly address: string;
  readonly device: string;
}

/** A main-table route candidate's source: a connected network of the host, with the intent key that makes it. */
export interface Connected {
  readonly prefix: Prefix;
  readonly device: string;
  readonly path: readonly string[];
}

/** One host, indexed. */
export class HostView {
  /** Every address of the host, both families (the interface's, then other devices'), with its device. */
  readonly addresses: readonly HostAddress[];
  /** The first entry of `addresses` with each address. */
  readonly byAddress = new Map<string, HostAddress>();
  /** The tunnels that end on the host (HostModel.tunnels, known ones only), in order. */
  readonly tunnels: readonly TunnelModel[];
  /** The first vti (or XFRM interface) of each tunnel. */
  readonly vtiOf = new Map<string, VtiDevice>();
  /** Policy-based tunnels by their remote networks (host side). */
  readonly policyRemote = new PrefixIndex<TunnelModel>();
  /** The ip rules by priority (a stable sort), each with the route-based device whose table it looks up. */
  readonly rules: readonly { readonly rule: HostModel["rules"][number]; readonly vti?: VtiDevice }[];
  /** Positions in `rules`, by the routes of the rule's device. */
  readonly ruleRoutes = new PrefixIndex<number>();
  /** Positions in HostModel.routes (the main table's static routes), by destination. */
  readonly routes = new PrefixIndex<number>();
  /** BGP devices' tunnels' networks the peer announces: [position in HostModel.vtis, the network, its position in announce]. */
  readonly bgpAnnounce = new PrefixIndex<readonly [number, Prefix, number]>();
  /** The networks connected on the host's devices, in the order the walk lists them. */
  readonly connected: readonly Connected[];
  readonly connectedIndex = new PrefixIndex<number>();
  /** Networks behind the host (its tunnels' toHost): [position in `tunnels`, the network, its position in toHost]. */
  readonly behind = new PrefixIndex<readonly [number, Prefix, number]>();
  /**
   * Networks that flows through this host start from (sources that are no host): [the flow's position, the flow,
   * the network, its position in the flow's sources].
   */
  readonly flowSources = new PrefixIndex<readonly [number, FlowModel, Prefix, number]>();
  /** Networks its tunnels carry towards the peer (toPeer and what the peer announces by BGP). */
  readonly peerward = new PrefixIndex<true>();
  /** Its source NAT rules by source. */
  readonly nat = new PrefixIndex<NatRule>();
  private readonly ofFamilies = new Map<number, readonly HostAddress[]>();
  private readonly firstOnDevice = new Map<string, HostAddress>();

  constructor(readonly host: HostModel, site: SiteModel, tunnels: ReadonlyMap<string, TunnelModel>) {
    const h = host;
    this.addresses = [
      ...h.addresses.map((a) => ({ address: a.address, device: h.interface })),
      ...h.externalInterfaces.map((e) => ({ address: e.address.address, device: e.device })),
      ...h.ipips.map((d) => ({ address: d.address.address, device: d.device })),
      ...h.vtis.flatMap((d) => [d.address, ...(d.address6 ? [d.address6] : [])].map((a) => ({ address: a.address, device: d.device }))),
    ];
    for (const a of this.addresses) if (!this.byAddress.has(a.address)) this.byAddress.set(a.address, a);
    for (const a of this.addresses) {
      const key = `${addressFamily(a.address)} ${a.device}`;
      if (!this.firstOnDevice.has(key)) this.firstOnDevice.set(key, a);
    }
    this.tunnels = h.tunnels.map((n) => tunnels.get(n)).filter((t): t is TunnelModel => t !== undefined);
    for (const v of h.vtis) if (!this.vtiOf.has(v.tunnel)) this.vtiOf.set(v.tunnel, v);
    for (const t of this.tunnels) if (t.kind === "ipsec-policy") for (const n of t.host.remoteNetworks) this.policyRemote.add(n.cidr, t);

    const firstVti = new Map<string, VtiDevice>();
    for (const v of h.vtis) if (!firstVti.has(`${v.table} ${v.tunnel}`)) firstVti.set(`${v.table} ${v.tunnel}`, v);
    this.rules = [...h.rules].sort((a, b) => a.priority - b.priority).map((rule) => {
      const vti = firstVti.get(`${rule.table} ${rule.tunnel}`);
      return vti ? { rule, vti } : { rule };
    });
    this.rules.forEach(({ vti }, i) => {
      for (const n of vti?.routes ?? []) this.ruleRoutes.add(n.cidr, i);
    });

    h.routes.forEach((r, i) => this.routes.add(r.to.cidr, i));
    h.vtis.forEach((v, i) => {
      const t = tunnels.get(v.tunnel);
      if (!v.bgp || !t?.bgp) return;
      t.bgp.peer.announce.forEach((n, k) => this.bgpAnnounce.add(n.cidr, [i, n, k]));
    });
    this.connected = [
      ...h.addresses.map((a) => ({ prefix: a.network, device: h.interface, path: ["hosts", h.name, a.family === h.address.family ? "address" : "address6"] })),
      ...h.externalInterfaces.map((e) => ({ prefix: e.address.network, device: e.device, path: ["hosts", h.name, "interfaces", e.device, "address"] })),
      ...h.ipips.map((d) => ({ prefix: d.address.network, device: d.device, path: ["links", d.link, "inside"] })),
      ...h.vtis.map((d) => ({ prefix: d.address.network, device: d.device, path: ["tunnels", d.tunnel, "inside"] })),
      ...h.vtis.flatMap((d) => (d.address6 ? [{ prefix: d.address6.network, device: d.device, path: ["tunnels", d.tunnel, "inside6"] }] : [])),
    ];
    this.connected.forEach((c, i) => this.connectedIndex.add(c.prefix.cidr, i));
    const peerward = new Set<string>();
    this.tunnels.forEach((t, i) => {
      t.toHost.forEach((n, k) => this.behind.add(n.cidr, [i, n, k]));
      // Only whether any holds an address is asked: each network once.
      for (const n of [...t.toPeer, ...(t.bgp?.peer.announce ?? [])]) {
        if (peerward.has(n.cidr)) continue;
        peerward.add(n.cidr);
        this.peerward.add(n.cidr, true);
      }
    });
    site.flows.forEach((f, i) => {
      if (f.via !== h.name) return;
      f.sources.forEach((s, k) => {
        if (!s.host) this.flowSources.add(s.prefix.cidr, [i, f, s.prefix, k]);
      });
    });
    for (const n of h.nat) this.nat.add(n.source.cidr, n);
  }

  /** The host's addresses of `family` (`addresses` filtered). */
  ofFamily(family: number): readonly HostAddress[] {
    let list = this.ofFamilies.get(family);
    if (!list) {
      list = this.addresses.filter((a) => addressFamily(a.address) === family);
      this.ofFamilies.set(family, list);
    }
    return list;
  }

  /** The first address of `family` on `device`. */
  onDevice(family: number, device: string): HostAddress | undefined {
    return this.firstOnDevice.get(`${family} ${device}`);
  }
}

type NetworkModel = SiteModel["networks"][number];

/** The site, indexed. */
export class SiteIndex {
  private readonly views = new Map<string, HostView>();
  readonly flowsByName = new Map<string, FlowModel>();
  /** The hosts that have each address, in host order. */
  private hostsByAddressMap: Map<string, HostModel[]> | undefined;
  private behindHostsIndex: PrefixIndex<number> | undefined;
  private tunnelsByToPeerIndex: PrefixIndex<number> | undefined;
  private flowsBySourceIndex: PrefixIndex<number> | undefined;
  private flowsByToIndex: PrefixIndex<number> | undefined;
  private networksIndex: PrefixIndex<NetworkModel> | undefined;
  private readonly tunnelsOfPeerMap = new Map<string, TunnelModel[]>();
  private readonly flowsOutMap = new Map<string, { readonly flows: readonly FlowModel[]; readonly to: PrefixIndex<FlowModel> }>();

  constructor(
    readonly model: SiteModel,
    private readonly tunnels: ReadonlyMap<string, TunnelModel>,
  ) {
    for (const f of model.flows) if (!this.flowsByName.has(f.name)) this.flowsByName.set(f.name, f);
    for (const t of model.tunnels) {
      const list = this.tunnelsOfPeerMap.get(t.peer.node);
      if (list) list.push(t);
      else this.tunnelsOfPeerMap.set(t.peer.node, [t]);
    }
  }

  host(h: HostModel): HostView {
    let view = this.views.get(h.name);
    if (!view || view.host !== h) {
      view = new HostView(h, this.model, this.tunnels);
      this.views.set(h.name, view);
    }
    return view;
  }

  /** The hosts that have `address` (any of HostView.addresses), in host order. */
  hostsWithAddress(address: string): readonly HostModel[] {
    if (!this.hostsByAddressMap) {
      const map = new Map<string, HostModel[]>();
      for (const h of this.model.hosts) {
        for (const a of new Set(this.host(h).addresses.map((x) => x.address))) {
          const list = map.get(a);
          if (list) list.push(h);
          else map.set(a, [h]);
        }
      }
      this.hostsByAddressMap = map;
    }
    return this.hostsByAddressMap.get(address) ?? [];
  }

  /** The hosts a network address lies behind: on one of their interfaces' networks or in their tunnels' toHost, in host order. */
  hostsBehind(address: string): HostModel[] {
    this.behindHostsIndex ??= (() => {
      // Each network once per host (a hub's tunnels all carry its LAN).
      const index = new PrefixIndex<number>();
      this.model.hosts.forEach((h, i) => {
        const seen = new Set<string>();
        for (const p of [...h.addresses.map((a) => a.network), ...this.host(h).tunnels.flatMap((t) => t.toHost)]) {
          if (seen.has(p.cidr)) continue;
          seen.add(p.cidr);
          index.add(p.cidr, i);
        }
      });
      return index;
    })();
    return unique(this.behindHostsIndex.match(address)).map((i) => this.model.hosts[i]!);
  }

  /** The tunnels whose toPeer holds `address`, in tunnel order. */
  tunnelsToPeer(address: string): TunnelModel[] {
    this.tunnelsByToPeerIndex ??= (() => {
      const index = new PrefixIndex<number>();
      this.model.tunnels.forEach((t, i) => {
        for (const p of t.toPeer) index.add(p.cidr, i);
      });
      return index;
    })();
    return unique(this.tunnelsByToPeerIndex.match(address)).map((i) => this.model.tunnels[i]!);
  }

  /** The first flow with a source that is no host and holds `address`. */
  flowFrom(address: string): FlowModel | undefined {
    this.flowsBySourceIndex ??= (() => {
      const index = new PrefixIndex<number>();
      this.model.flows.forEach((f, i) => {
        for (const s of f.sources) if (!s.host) index.add(s.prefix.cidr, i);
      });
      return index;
    })();
    const i = this.flowsBySourceIndex.first(address);
    return i === undefined ? undefined : this.model.flows[i];
  }

  /** The flows with a destination that holds `address`, in flow order. */
  flowsTo(address: string): FlowModel[] {
    this.flowsByToIndex ??= (() => {
      const index = new PrefixIndex<number>();
      this.model.flows.forEach((f, i) => {
        for (const p of f.to) index.add(p.cidr, i);
      });
      return index;
    })();
    return unique(this.flowsByToIndex.match(address)).map((i) => this.model.flows[i]!);
  }

  /** The site's named networks that hold `address`, in order. */
  networksHolding(address: string): NetworkModel[] {
    this.networksIndex ??= (() => {
      const index = new PrefixIndex<NetworkModel>();
      for (const n of this.model.networks) index.add(n.prefix.cidr, n);
      return index;
    })();
    return this.networksIndex.match(address);
  }

  /** The site's tunnels to `peer`, in order. */
  tunnelsOfPeer(peer: string): readonly TunnelModel[] {
    return this.tunnelsOfPeerMap.get(peer) ?? [];
  }

  /** The flows through `via` out of `out`, in order, and the first of them with a destination that holds an address. */
  flowsOut(via: string, out: string): { readonly flows: readonly FlowModel[]; readonly to: PrefixIndex<FlowModel> } {
    const key = `${via}\0${out}`;
    let entry = this.flowsOutMap.get(key);
    if (!entry) {
      const flows = this.model.flows.filter((f) => f.via === via && f.out === out);
      const to = new PrefixIndex<FlowModel>();
      for (const f of flows) for (const p of f.to) to.add(p.cidr, f);
      entry = { flows, to };
      this.flowsOutMap.set(key, entry);
    }
    return entry;
  }
}

/** Ascending positions, each once (a PrefixIndex answer for items added once per prefix). */
function unique(positions: readonly number[]): number[] {
  const out: number[] = [];
  for (const i of positions) if (out[out.length - 1] !== i) out.push(i);
  return out;
}
