/**
 * Per-host views: everything one Linux machine needs (devices, routes, rules, NAT, FORWARD, MSS clamps,
 * failover), computed once from tunnels, links, explicit routes and flows.
 */
import { defaultValue } from "../intent/defaults.js";
import type { FlowIntent, HostIntent, SiteIntent } from "../intent/schema.js";
import { comparePrefixes, containsAddress, familiesOf, hostPrefix, parseIfAddress, pointToPointPair } from "../net/ip.js";
import type { NameTable } from "./names.js";
import type { Reporter } from "./report.js";
import type {
  DeviceKind,
  Family,
  FirewallBackend,
  FlowModel,
  ForwardRule,
  HostModel,
  IfAddress,
  IpipDevice,
  LinkModel,
  NatRule,
  Os,
  Prefix,
  RouteModel,
  StrongswanFormat,
  TunnelModel,
  VtiDevice,
} from "./types.js";
import { parsePort } from "./values.js";

/** A host while its view is being assembled. */
export interface HostBuilder {
  readonly base: HostModel;
  readonly intent: HostIntent;
  vtis: VtiDevice[];
  ipips: IpipDevice[];
  tunnels: string[];
  routes: RouteModel[];
  nat: NatRule[];
  forward: ForwardRule[];
  mssClamp: { device: string; mss?: number; mss6?: number; families: readonly Family[] }[];
  forwards: boolean;
}

/**
 * The defaults that follow the OS release (defaults table: hosts.<h>.firewall.backend, hosts.<h>.device.kind).
 * Without a release, what every release runs: iptables and vti.
 */
export function releaseDefaults(os: Os, release: number | undefined): { firewallBackend: FirewallBackend; deviceKind: DeviceKind } {
  if (release === undefined) return { firewallBackend: "iptables", deviceKind: "vti" };
  const [nft, xfrm] = os === "debian" ? [12, 11] : [9, 9];
  return { firewallBackend: release >= nft ? "nftables" : "iptables", deviceKind: release >= xfrm ? "xfrm" : "vti" };
}

export function baseHost(name: string, h: HostIntent, siteFormat: StrongswanFormat | undefined): HostModel {
  const address = parseIfAddress(h.address);
  const byRelease = releaseDefaults(h.os, h.release);
  return {
    name,
    ...(h.description !== undefined ? { description: h.description } : {}),
    os: h.os,
    ...(h.release !== undefined ? { release: h.release } : {}),
    firewallBackend: h.firewall?.backend ?? byRelease.firewallBackend,
    deviceKind: h.device?.kind ?? byRelease.deviceKind,
    address,
    addresses: h.address6 !== undefined ? [address, parseIfAddress(h.address6)] : [address],
    interface: h.interface ?? defaultValue("hosts.<h>.interface"),
    ...(h.publicAddress ? { publicAddress: h.publicAddress } : {}),
    identity: h.identity ?? h.publicAddress ?? address.address,
    strongswanFormat: h.strongswan?.format ?? siteFormat ?? defaultValue("strongswan.format"),
    forwardDefault: h.firewall?.forwardDefault ?? defaultValue("hosts.<h>.firewall.forwardDefault"),
    ...(h.routing?.bgp ? { bgp: { as: h.routing.bgp.as, routerId: h.routing.bgp.routerId ?? address.address } } : {}),
    ...(h.cloud
      ? {
          cloud: {
            provider: h.cloud.provider,
            ...(h.cloud.region ? { region: h.cloud.region } : {}),
            instanceId: h.cloud.instanceId,
            ...(h.cloud.eni ? { eni: h.cloud.eni } : {}),
            routeTables: [...(h.cloud.routeTables ?? [])],
          },
        }
      : {}),
    externalInterfaces: Object.entries(h.interfaces ?? {})
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([device, i]) => ({ device, address: parseIfAddress(i.address), ...(i.description !== undefined ? { description: i.description } : {}) })),
    vtis: [],
    ipips: [],
    tunnels: [],
    routes: [],
    rules: [],
    nat: [],
    forward: [],
    mssClamp: [],
    forwards: false,
  };
}

export function newBuilder(base: HostModel, intent: HostIntent): HostBuilder {
  return { base, intent, vtis: [], ipips: [], tunnels: [], routes: [], nat: [], forward: [], mssClamp: [], forwards: false };
}

export function addTunnel(b: HostBuilder, t: TunnelModel): void {
  b.tunnels.push(t.name);
  const end = t.host;
  if (t.kind === "ipsec-vti" && t.key !== undefined && t.device && end.insideAddress && end.insidePeerAddress && t.table !== undefined) {
    b.vtis.push({
      tunnel: t.name,
      device: t.device,
      kind: t.deviceKind ?? b.base.deviceKind,
      key: t.key,
      underlay: b.base.interface,
      local: end.localAddress,
      remote: end.remoteAddress,
      address: end.insideAddress,
      peerAddress: end.insidePeerAddress,
      ...(end.insideAddress6 && end.insidePeerAddress6 ? { address6: end.insideAddress6, peerAddress6: end.insidePeerAddress6 } : {}),
      mtu: end.mtu,
      mss: end.mss,
      table: t.table,
      rulePriority: t.rulePriority ?? t.table,
      // With BGP the routes come from bgpd (main table): no static routes, table or rule for this tunnel.
      routes: t.bgp ? [] : t.toPeer,
      bgp: t.bgp !== undefined,
    });
    b.mssClamp.push({ device: t.device, mss: end.mss, ...(t.families.includes(6) ? { mss6: end.mss6 } : {}), families: t.families });
  }
  const device = t.kind === "ipsec-vti" ? t.device : undefined;
  for (const src of t.toHost)
    for (const dst of t.toPeer.filter((d) => d.family === src.family)) {
      b.forward.push({ ...(device ? { outInterface: device } : {}), source: src, destination: dst, ports: [], origin: `tunnel ${t.name}` });
      b.forward.push({ ...(device ? { inInterface: device } : {}), source: dst, destination: src, ports: [], origin: `tunnel ${t.name}` });
    }
  if (t.toHost.length && t.toPeer.length) b.forwards = true;
}

export function addLinkEnds(link: LinkModel, builders: ReadonlyMap<string, HostBuilder>): void {
  const [first, second] = pointToPointPair(link.inside);
  const addrs = [first, second] as const;
  link.hosts.forEach((hostName, i) => {
    const b = builders.get(hostName);
    const other = builders.get(link.hosts[1 - i]!);
    if (!b || !other) return;
    b.ipips.push({
      link: link.name,
      device: link.device,
      local: b.base.address.address,
      remote: other.base.address.address,
      address: parseIfAddress(`${addrs[i]}/${link.inside.length}`),
      peerAddress: addrs[1 - i]!,
      peerHost: other.base.name,
      mtu: link.mtu,
      ttl: link.ttl,
    });
  });
}

/** Connected networks of a host: its address, external interfaces, tunnel and link inside networks. */
export function connected(b: HostBuilder): { device: string; address: IfAddress }[] {
  return [
    ...b.base.addresses.map((address) => ({ device: b.base.interface, address })),
    ...b.base.externalInterfaces.map((i) => ({ device: i.device, address: i.address })),
    ...b.vtis.flatMap((v) => [{ device: v.device, address: v.address }, ...(v.address6 ? [{ device: v.device, address: v.address6 }] : [])]),
    ...b.ipips.map((l) => ({ device: l.device, address: l.address })),
  ];
}

/**
 * How host `from` reaches host `to`: over a link between them, or on a shared subnet. IPv6 (`family` 6): from an
 * IPv6 address of `from`'s interface to an IPv6 address of `to` on the same network (its interface's or another
 * interface's, such as the LAN interface a gateway serves its clients on); ipip links carry IPv4 only.
 */
export function pathBetween(from: HostBuilder, to: HostBuilder, family: Family = 4): { nextHop: string; device: string; sourceAsSeen: string; inInterface: string } | undefined {
  if (family === 6) {
    for (const own of from.base.addresses.filter((a) => a.family === 6 && a.length < 128)) {
      const hop = connected(to).find((c) => c.address.family === 6 && containsAddress(own.network, c.address.address));
      if (hop) return { nextHop: hop.address.address, device: from.base.interface, sourceAsSeen: own.address, inInterface: hop.device };
    }
    return undefined;
  }
  const link = from.ipips.find((l) => l.peerHost === to.base.name);
  if (link) {
    const back = to.ipips.find((l) => l.link === link.link)!;
    return { nextHop: link.peerAddress, device: link.device, sourceAsSeen: link.address.address, inInterface: back.device };
  }
  if (from.base.address.length < 32 && containsAddress(from.base.address.network, to.base.address.address))
    return { nextHop: to.base.address.address, device: from.base.interface, sourceAsSeen: from.base.address.address, inInterface: to.base.interface };
  return undefined;
}

export function addExplicitRoutes(name: string, b: HostBuilder, names: NameTable, builders: ReadonlyMap<string, HostBuilder>, reporter: Reporter): void {
  (b.intent.routes ?? []).forEach((r, i) => {
    const path = ["hosts", name, "routes", i];
    const to = names.prefixes(r.to, [...path, "to"]);
    const hop = nextHop(b, r.via, names, builders, reporter, [...path, "via"]);
    if (!hop) return;
    for (const prefix of to) b.routes.push({ to: prefix, via: hop.via, device: hop.device, origin: r.description ?? `route ${i + 1}` });
  });
}

function nextHop(b: HostBuilder, via: string, names: NameTable, builders: ReadonlyMap<string, HostBuilder>, reporter: Reporter, path: (string | number)[]): { via: string; device: string } | undefined {
  if (/^\d/.test(via) || via.includes(":")) {
    if (via.includes("/")) {
      reporter.report("SW014", path, `next hop '${via}' is a network; a next hop is one address`, { hint: `e.g. via: ${via.split("/")[0]}` });
      return undefined;
    }
    const onLink = connected(b).find((c) => c.address.length < (c.address.family === 6 ? 128 : 32) && containsAddress(c.address.network, via));
    if (!onLink) {
      reporter.report("SW116", path, `next hop ${via} is not on any network of host '${b.base.name}'`, { hint: `connected: ${connected(b).map((c) => `${c.device} ${c.address.network.cidr}`).join(", ")}` });
      return undefined;
    }
    return { via, device: onLink.device };
  }
  if (names.isLink(via)) {
    const link = b.ipips.find((l) => l.link === via);
    if (!link) {
      reporter.report("SW116", path, `link '${via}' does not end on host '${b.base.name}'`);
      return undefined;
    }
    return { via: link.peerAddress, device: link.device };
  }
  if (!names.expect(via, ["host", "link"], path, "a next hop")) return undefined;
  const other = builders.get(via);
  const p = other ? pathBetween(b, other) : undefined;
  if (!other || !p) {
    reporter.report("SW116", path, `host '${via}' is not on a network host '${b.base.name}' shares`, { hint: "route via a link to it, or give both hosts addresses with their prefix length" });
    return undefined;
  }
  return { via: p.nextHop, device: p.device };
}

export function resolveFlow(name: string, f: FlowIntent, names: NameTable, builders: ReadonlyMap<string, HostBuilder>, reporter: Reporter): FlowModel | undefined {
  const path = ["flows", name];
  if (!names.expect(f.via, ["host"], [...path, "via"], "the gateway of a flow")) return undefined;
  const gw = builders.get(f.via)!;
  const outDevices = connected(gw).map((c) => c.device);
  if (!outDevices.includes(f.out)) {
    reporter.report("SW117", [...path, "out"], `host '${f.via}' has no interface '${f.out}'`, {
      hint: `declare it under hosts.${f.via}.interfaces (e.g. the SSL VPN client's tun0); known: ${outDevices.join(", ")}`,
    });
    return undefined;
  }
  const to = names.prefixes(f.to, [...path, "to"]);
  const ports = (f.ports ?? []).map(parsePort);
  const sources: FlowModel["sources"][number][] = [];
  f.from.forEach((ref, i) => {
    const srcPath = [...path, "from", i];
    const host = builders.get(ref);
    if (host) {
      if (host === gw) {
        reporter.report("SW117", srcPath, `host '${ref}' is the gateway of this flow itself`);
        return;
      }
      // One path per family of the flow's destinations: IPv6 destinations are routed via the gateway's IPv6
      // address, and the host is an IPv6 source (NAT66, forward rules) only where such a path exists.
      const families = familiesOf(to);
      const paths = (families.length > 0 ? families : [4 as Family]).map((family) => [family, pathBetween(host, gw, family)] as const);
      const missingPaths = paths.filter(([, p]) => !p).map(([family]) => family);
      if (missingPaths.length > 0) {
        reporter.report(
          "SW117",
          srcPath,
          missingPaths.includes(4)
            ? `host '${ref}' cannot reach gateway '${f.via}': no shared subnet and no link between them`
            : `host '${ref}' cannot reach gateway '${f.via}' over IPv6: no IPv6 network they share`,
          { hint: missingPaths.includes(4) ? `add a link (kind: ipip) between ${ref} and ${f.via}` : `give ${ref} an address6 on a network ${f.via} has an IPv6 address on` },
        );
        return;
      }
      for (const [family, p] of paths) {
        for (const prefix of to.filter((d) => d.family === family)) host.routes.push({ to: prefix, via: p!.nextHop, device: p!.device, origin: `flow ${name}` });
        sources.push({ prefix: hostPrefix(p!.sourceAsSeen, ref), host: ref, inInterface: p!.inInterface });
      }
      return;
    }
    const prefix = names.prefix(ref, srcPath);
    if (prefix) sources.push({ prefix });
  });
  const flow: FlowModel = {
    name,
    ...(f.description !== undefined ? { description: f.description } : {}),
    via: f.via,
    out: f.out,
    nat: f.nat ?? defaultValue("flows.<f>.nat"),
    ports,
    to,
    sources,
  };
  gw.forwards = true;
  for (const s of sources) {
    // Source NAT per family (NAT66 for IPv6 sources), only where the flow has destinations of that family.
    if (flow.nat === "masquerade" && to.some((d) => d.family === s.prefix.family))
      gw.nat.push({ source: s.prefix, outInterface: f.out, action: "masquerade", origin: `flow ${name}` });
    for (const dst of to.filter((d) => d.family === s.prefix.family))
      gw.forward.push({ ...(s.inInterface ? { inInterface: s.inInterface } : {}), outInterface: f.out, source: s.prefix, destination: dst, ports, origin: `flow ${name}` });
  }
  const families = familiesOf(to);
  const clamp = gw.mssClamp.findIndex((c) => c.device === f.out);
  if (clamp < 0) gw.mssClamp.push({ device: f.out, families });
  else gw.mssClamp[clamp] = { ...gw.mssClamp[clamp]!, families: familiesOf([], [...gw.mssClamp[clamp]!.families, ...families]) };
  return flow;
}

export function finishHost(b: HostBuilder): HostModel {
  const byName = <T>(key: (x: T) => string) => (x: T, y: T) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0);
  const routeKey = (r: RouteModel) => `${r.device}|${r.via}`;
  return {
    ...b.base,
    vtis: [...b.vtis].sort(byName((v) => v.tunnel)),
    ipips: [...b.ipips].sort(byName((l) => l.link)),
    tunnels: [...b.tunnels].sort(),
    routes: dedupe([...b.routes].sort((x, y) => comparePrefixes(x.to, y.to) || (routeKey(x) < routeKey(y) ? -1 : 1)), (r) => `${r.to.cidr}|${r.via}|${r.device}`),
    rules: b.vtis.filter((v) => !v.bgp).map((v) => ({ priority: v.rulePriority, table: v.table, tunnel: v.tunnel })).sort((x, y) => x.priority - y.priority),
    nat: dedupe(b.nat, (n) => `${n.source.cidr}|${n.outInterface}`),
    forward: dedupe(b.forward, (f) => `${f.inInterface}|${f.outInterface}|${f.source.cidr}|${f.destination.cidr}|${f.ports.map((p) => `${p.protocol}${p.from}-${p.to}`).join(",")}`),
    mssClamp: dedupe([...b.mssClamp].sort(byName((c) => c.device)), (c) => c.device),
    forwards: b.forwards,
  };
}

function dedupe<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = key(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function hostsOf(intent: SiteIntent): [string, HostIntent][] {
  return Object.entries(intent.hosts ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
}

export type { Prefix };

