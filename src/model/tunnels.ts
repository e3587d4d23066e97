/**
 * IPsec tunnels and point-to-point links: both ends derived from one definition (addresses from the inside
 * network, local/remote swapped per end, MSS from MTU, per-end overrides merged).
 */
import { defaultValue } from "../intent/defaults.js";
import { endSettings } from "../intent/per-end.js";
import type { EndOverrideIntent, LinkIntent, SiteIntent, TunnelIntent } from "../intent/schema.js";
import { familiesOf, familyOf, parseCidr, pointToPointPair, parseIfAddress } from "../net/ip.js";
import { parseProposal } from "./crypto.js";
import { NameTable, reportUnaligned } from "./names.js";
import { Reporter } from "./report.js";
import type { BgpSide, DeviceKind, Duration, HostModel, LinkModel, PeerModel, Prefix, Proposal, TunnelBgp, TunnelEnd, TunnelModel } from "./types.js";
import { parseDuration, secretModel } from "./values.js";

/**
 * BGP preference of redundant tunnels: what `bgp.preference` sets on both ends (not a default: derived from
 * the preference, whose own default is in src/intent/defaults.ts).
 */
export const BGP_PREFERENCE = {
  primary: { localPref: 200, prepend: 0, med: 100 },
  secondary: { localPref: 100, prepend: 2, med: 200 },
} as const;

/** MSS = MTU − 20 (IPv4 header) − 20 (TCP header). */
export function mssFromMtu(mtu: number): number {
  return mtu - 40;
}

/** What an IPv6 header (40 bytes) takes more than an IPv4 one (20): the IPv6 MSS is the IPv4 MSS − 20. */
export const IPV6_EXTRA_HEADER = 20;

export function resolveTunnel(
  name: string,
  t: TunnelIntent,
  names: NameTable,
  hosts: ReadonlyMap<string, HostModel>,
  peers: ReadonlyMap<string, PeerModel>,
  reporter: Reporter,
): TunnelModel | undefined {
  const path = ["tunnels", name];
  const [hostName = "", peerName = ""] = t.between;
  const hostOk = names.expect(hostName, ["host"], [...path, "between", 0], "the first end of a tunnel");
  const peerOk = names.expect(peerName, ["peer"], [...path, "between", 1], "the second end of a tunnel");
  const host = hosts.get(hostName);
  const peer = peers.get(peerName);
  if (!hostOk || !peerOk || !host || !peer) return undefined;

  const kind = t.kind ?? defaultValue("tunnels.<t>.kind");
  let inside: Prefix | undefined;
  if (t.inside) {
    const parsed = parseCidr(t.inside);
    if (!parsed.aligned) reportUnaligned(reporter, [...path, "inside"], t.inside, parsed.prefix);
    inside = parsed.prefix;
  }
  let inside6: Prefix | undefined;
  if (t.inside6) {
    const parsed = parseCidr(t.inside6);
    if (!parsed.aligned) reportUnaligned(reporter, [...path, "inside6"], t.inside6, parsed.prefix);
    if (parsed.prefix.family !== 6)
      reporter.report("SW180", [...path, "inside6"], `inside6 of tunnel '${name}' is ${t.inside6}, an IPv4 network`, { hint: "inside6 is the IPv6 inside network (/126, /127 or link-local); the IPv4 one goes in inside" });
    else if (inside && inside.family !== 4)
      reporter.report("SW180", [...path, "inside6"], `tunnel '${name}' has an IPv6 inside network already (inside: ${inside.cidr})`, { hint: "put the IPv4 inside network in inside and the IPv6 one in inside6, or drop inside6" });
    else if (!inside)
      reporter.report("SW180", [...path, "inside6"], `tunnel '${name}' has inside6 but no inside`, { hint: "an IPv6-only tunnel takes its IPv6 network in inside" });
    else inside6 = parsed.prefix;
  }
  if (kind === "ipsec-vti") {
    if (!inside) reporter.report("SW121", path, `route-based tunnel '${name}' needs an inside network`, { at: "key", hint: "add inside: 169.254.x.y/30 (or set kind: ipsec-policy)" });
    if (t.key === undefined) reporter.report("SW121", path, `route-based tunnel '${name}' needs a key (the vti key and IPsec mark)`, { at: "key", hint: "add key: <1..4294967295>, unique on the host" });
  }

  const toPeer = names.prefixes(t.routes?.toPeer, [...path, "routes", "toPeer"]);
  const toHost = names.prefixes(t.routes?.toHost, [...path, "routes", "toHost"]);
  // A route-based tunnel routes a family only over inside addresses of that family (the next hop on the host
  // and on the far side): IPv6 routes need inside6 (or an IPv6 inside), IPv4 routes an IPv4 inside.
  if (kind === "ipsec-vti" && inside) {
    const carried = new Set([inside.family, ...(inside6 ? [inside6.family] : [])]);
    for (const [key, list] of [["toPeer", toPeer], ["toHost", toHost]] as const) {
      const stray = list.filter((p) => !carried.has(p.family));
      if (stray.length === 0) continue;
      const family = stray[0]!.family;
      reporter.report("SW180", [...path, "routes", key], `tunnel '${name}' routes ${stray.map((p) => p.cidr).join(", ")} (${key}) but has no IPv${family} inside address to route them over`, {
        at: "key",
        hint: family === 6 ? `add inside6: <an IPv6 /126 or /127> to tunnel '${name}', or route only IPv4 networks (a dual-stack host name stands for both its addresses)` : `give tunnel '${name}' an IPv4 inside network (inside) beside the IPv6 one (inside6), or route only IPv6 networks`,
      });
    }
  }
  const key = t.key;
  /** The default of the IOS SLA, track and tag ids (unchanged by `number`). */
  const keyNumber = key ?? stableNumber(name);
  const number = t.number ?? keyNumber;
  const table = t.table ?? (key !== undefined && key >= 1 && key <= 252 ? key : undefined);
  if (kind === "ipsec-vti" && key !== undefined && table === undefined)
    reporter.report("SW121", [...path, "key"], `tunnel '${name}' has key ${key}, which cannot double as a routing table id (1..252)`, { hint: "set table: <1..252>" });

  const insideOrder = t.insideOrder ?? defaultValue("tunnels.<t>.insideOrder");
  const [firstInside, secondInside] = inside && kind === "ipsec-vti" ? pointToPointPair(inside) : [undefined, undefined];
  const [peerInside, hostInside] = insideOrder === "host-first" ? [secondInside, firstInside] : [firstInside, secondInside];
  const [firstInside6, secondInside6] = inside6 && kind === "ipsec-vti" ? pointToPointPair(inside6) : [undefined, undefined];
  const [peerInside6, hostInside6] = insideOrder === "host-first" ? [secondInside6, firstInside6] : [firstInside6, secondInside6];

  // The outer family is the peer's: the host starts the tunnel from its address of that family.
  const peerOuter = t.overrides?.[peer.name]?.address ?? peer.address;
  const outerFamily = familyOf(peerOuter);
  const hostOuter = host.addresses.find((a) => a.family === outerFamily);
  if (!hostOuter && !t.overrides?.[host.name]?.address) {
    reporter.report("SW180", [...path, "between", 0], `host '${host.name}' has no IPv${outerFamily} address for tunnel '${name}' to ${peer.name} at ${peerOuter}`, {
      hint: outerFamily === 6 ? `add hosts.${host.name}.address6, or give the peer an IPv4 address` : `give host '${host.name}' an IPv4 address, or the peer an IPv6 one`,
    });
    return undefined;
  }
  const hostOuterAddress = hostOuter?.address ?? host.address.address;
  const hostOverrideAddress = t.overrides?.[host.name]?.address;
  if (hostOverrideAddress !== undefined && familyOf(hostOverrideAddress) !== outerFamily)
    reporter.report("SW180", [...path, "overrides", host.name, "address"], `the host end's address ${hostOverrideAddress} and the peer end's ${peerOuter} are of different families`, {
      hint: "both outer addresses of a tunnel are IPv4, or both IPv6",
    });

  // overrides.<end>.address: that end's outside (IKE) address for this tunnel only; the other end connects to
  // it. An identity that defaulted to the end's address follows it (a cloud VPN's second tunnel address).
  const hostOverride = t.overrides?.[host.name]?.address;
  const peerOverride = t.overrides?.[peer.name]?.address;
  // A public address (1:1 NAT) of another family than the tunnel's does not front it.
  const hostPublic = host.publicAddress !== undefined && familyOf(host.publicAddress) === outerFamily ? host.publicAddress : undefined;
  const hostLocal = hostOverride ?? hostOuterAddress;
  const hostReachable = hostOverride ?? hostPublic ?? hostOuterAddress;
  const identityFollows = host.identity === host.address.address || host.identity === host.publicAddress;
  const hostIdentity = hostOverride && identityFollows ? hostOverride : identityFollows && !hostPublic ? hostOuterAddress : host.identity;
  const peerLocal = peerOverride ?? peer.address;
  const peerReachable = peerOverride ?? peer.publicAddress ?? peer.address;
  const peerIdentity = peerOverride && (peer.identity === peer.address || peer.identity === peer.publicAddress) ? peerOverride : peer.identity;

  const base = { t, inside, inside6, kind };
  const hostEnd = buildEnd(base, {
    node: host.name,
    role: "host",
    platform: "linux",
    localAddress: hostLocal,
    reachableAddress: hostReachable,
    identity: hostIdentity,
    remoteAddress: peerReachable,
    remoteIdentity: peerIdentity,
    insideAddress: hostInside,
    insidePeerAddress: peerInside,
    insideAddress6: hostInside6,
    insidePeerAddress6: peerInside6,
    localNetworks: toHost,
    remoteNetworks: toPeer,
    override: t.overrides?.[host.name],
  });
  const peerEnd = buildEnd(base, {
    node: peer.name,
    role: "peer",
    platform: peer.platform,
    localAddress: peerLocal,
    reachableAddress: peerReachable,
    identity: peerIdentity,
    remoteAddress: hostReachable,
    remoteIdentity: hostIdentity,
    insideAddress: peerInside,
    insidePeerAddress: hostInside,
    insideAddress6: peerInside6,
    insidePeerAddress6: hostInside6,
    localNetworks: toPeer,
    remoteNetworks: toHost,
    override: t.overrides?.[peer.name],
  });
  for (const end of Object.keys(t.overrides ?? {}))
    if (end !== host.name && end !== peer.name)
      reporter.report("SW102", [...path, "overrides", end], `'${end}' is not an end of tunnel '${name}'`, { at: "key", hint: `the ends are ${host.name} and ${peer.name}` });

  const monitorInterval = parseDuration(t.monitor?.interval ?? defaultValue("tunnels.<t>.monitor.interval"));
  const bgp = t.bgp ? resolveTunnelBgp(name, t, names, host, peer, hostEnd, peerEnd, toHost, toPeer) : undefined;

  return {
    name,
    ...(t.description !== undefined ? { description: t.description } : {}),
    kind,
    host: hostEnd,
    peer: peerEnd,
    ...(key !== undefined && kind === "ipsec-vti" ? routeDevice(t.device, key, host.deviceKind) : {}),
    ...(inside ? { inside } : {}),
    ...(inside6 ? { inside6 } : {}),
    outerFamily,
    families: familiesOf([...toPeer, ...toHost, ...(inside ? [inside] : []), ...(inside6 ? [inside6] : [])]),
    startAction: t.startAction ?? defaultValue("tunnels.<t>.startAction"),
    toPeer,
    toHost,
    monitor: {
      interval: monitorInterval,
      timeout: t.monitor?.timeout ? parseDuration(t.monitor.timeout) : defaultMonitorTimeout(monitorInterval),
      failures: t.monitor?.failures ?? defaultValue("tunnels.<t>.monitor.failures"),
      slaId: t.monitor?.slaId ?? keyNumber,
      trackId: t.monitor?.trackId ?? keyNumber,
      tag: t.monitor?.tag ?? keyNumber,
    },
    number,
    insideOrder,
    ...(t.allowWeak !== undefined ? { allowWeak: t.allowWeak } : {}),
    ...(bgp ? { bgp } : {}),
    ...(table !== undefined ? { table, rulePriority: t.rulePriority ?? table } : {}),
  } as TunnelModel;
}

/** IP SLA timeout default: the interval, at most the table's cap (5s). */
function defaultMonitorTimeout(interval: Duration): Duration {
  const cap = parseDuration(defaultValue("tunnels.<t>.monitor.timeout"));
  return interval.seconds <= cap.seconds ? interval : cap;
}

/**
 * The BGP session over a tunnel, both sides. Only when complete (route-based, inside addresses on both ends,
 * routing.bgp on host and peer); otherwise undefined and rules SW160/SW162 say why from the intent.
 */
function resolveTunnelBgp(
  name: string,
  t: TunnelIntent,
  names: NameTable,
  host: HostModel,
  peer: PeerModel,
  hostEnd: TunnelEnd,
  peerEnd: TunnelEnd,
  toHost: Prefix[],
  toPeer: Prefix[],
): TunnelBgp | undefined {
  const b = t.bgp!;
  const path = ["tunnels", name, "bgp"];
  // Resolve the names first so that unknown names are reported even when the session is incomplete.
  const announceHost = b.announce?.host ? names.prefixes(b.announce.host, [...path, "announce", "host"]) : toHost;
  const announcePeer = b.announce?.peer ? names.prefixes(b.announce.peer, [...path, "announce", "peer"]) : toPeer;
  const acceptHost = b.accept?.host ? names.prefixes(b.accept.host, [...path, "accept", "host"]) : announcePeer;
  const acceptPeer = b.accept?.peer ? names.prefixes(b.accept.peer, [...path, "accept", "peer"]) : announceHost;
  const hostIn = hostEnd.insideAddress;
  const peerIn = peerEnd.insideAddress;
  if ((t.kind ?? defaultValue("tunnels.<t>.kind")) !== "ipsec-vti" || !hostIn || !peerIn || !host.bgp || !peer.bgp) return undefined;

  const holdTime = parseDuration(b.holdTime ?? defaultValue("tunnels.<t>.bgp.holdTime"));
  const keepalive = b.keepalive ? parseDuration(b.keepalive) : parseDuration(`${Math.floor(holdTime.seconds / 3)}s`);
  const preference = b.preference ?? defaultValue("tunnels.<t>.bgp.preference");
  const hostSide: BgpSide = {
    as: host.bgp.as,
    remoteAs: peer.bgp.as,
    routerId: host.bgp.routerId,
    address: hostIn.address,
    neighbor: peerIn.address,
    ...(hostEnd.insideAddress6 && peerEnd.insideAddress6 ? { address6: hostEnd.insideAddress6.address, neighbor6: peerEnd.insideAddress6.address } : {}),
    announce: announceHost,
    accept: acceptHost,
  };
  const peerSide: BgpSide = {
    as: peer.bgp.as,
    remoteAs: host.bgp.as,
    routerId: peer.bgp.routerId ?? peer.address,
    address: peerIn.address,
    neighbor: hostIn.address,
    ...(hostEnd.insideAddress6 && peerEnd.insideAddress6 ? { address6: peerEnd.insideAddress6.address, neighbor6: hostEnd.insideAddress6.address } : {}),
    announce: announcePeer,
    accept: acceptPeer,
  };
  return { holdTime, keepalive, bfd: b.bfd ?? defaultValue("tunnels.<t>.bgp.bfd"), preference, ...BGP_PREFERENCE[preference], host: hostSide, peer: peerSide };
}

interface EndFacts {
  node: string;
  role: "host" | "peer";
  platform: TunnelEnd["platform"];
  localAddress: string;
  reachableAddress: string;
  identity: string;
  remoteAddress: string;
  remoteIdentity: string;
  insideAddress: string | undefined;
  insidePeerAddress: string | undefined;
  insideAddress6: string | undefined;
  insidePeerAddress6: string | undefined;
  localNetworks: Prefix[];
  remoteNetworks: Prefix[];
  override: EndOverrideIntent | undefined;
}

function buildEnd(base: { t: TunnelIntent; inside: Prefix | undefined; inside6: Prefix | undefined; kind: string }, f: EndFacts): TunnelEnd {
  const { t, inside, inside6 } = base;
  const o = f.override ?? {};
  // The tunnel's settings with this end's overrides merged (src/intent/per-end.ts lists what an end may set).
  const e = endSettings(t, f.override);
  const espProposals = e.esp.proposals.map(proposal);
  const mtu = e.mtu ?? defaultValue("tunnels.<t>.mtu");
  const pfsGroup = espProposals[0]?.dh[0];
  return {
    node: f.node,
    role: f.role,
    platform: f.platform,
    localAddress: f.localAddress,
    reachableAddress: f.reachableAddress,
    identity: f.identity,
    remoteAddress: f.remoteAddress,
    remoteIdentity: f.remoteIdentity,
    ...(f.insideAddress && inside ? { insideAddress: parseIfAddress(`${f.insideAddress}/${inside.length}`), insidePeerAddress: f.insidePeerAddress } : {}),
    ...(f.insideAddress6 && inside6 ? { insideAddress6: parseIfAddress(`${f.insideAddress6}/${inside6.length}`), insidePeerAddress6: f.insidePeerAddress6 } : {}),
    ike: {
      version: e.ike.version ?? defaultValue("tunnels.<t>.ike.version"),
      proposals: e.ike.proposals.map(proposal),
      lifetime: parseDuration(e.ike.lifetime ?? defaultValue("tunnels.<t>.ike.lifetime")),
      aggressive: e.ike.aggressive ?? defaultValue("tunnels.<t>.ike.aggressive"),
    },
    esp: {
      proposals: espProposals,
      lifetime: parseDuration(e.esp.lifetime ?? defaultValue("tunnels.<t>.esp.lifetime")),
      ...(pfsGroup ? { pfsGroup } : {}),
    },
    psk: secretModel(e.psk),
    dpd: {
      delay: parseDuration(e.dpd?.delay ?? defaultValue("tunnels.<t>.dpd.delay")),
      timeout: parseDuration(e.dpd?.timeout ?? defaultValue("tunnels.<t>.dpd.timeout")),
      action: e.dpd?.action ?? defaultValue("tunnels.<t>.dpd.action"),
    },
    mtu,
    // An end's own MTU derives its own MSS: the tunnel's MSS was chosen for the tunnel's MTU.
    mss: o.mss ?? (o.mtu !== undefined ? mssFromMtu(mtu) : (t.mss ?? mssFromMtu(mtu))),
    mss6: (o.mss ?? (o.mtu !== undefined ? mssFromMtu(mtu) : (t.mss ?? mssFromMtu(mtu)))) - IPV6_EXTRA_HEADER,
    localNetworks: f.localNetworks,
    remoteNetworks: f.remoteNetworks,
  };
}

function proposal(text: string): Proposal {
  return parseProposal(text).proposal;
}

/** A stable number from a name (for tunnels without a key): FNV-1a folded into 1..9999. */
export function stableNumber(name: string): number {
  let h = 0x811c9dc5;
  for (const ch of name) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return (h % 9999) + 1;
}

export function resolveLink(name: string, l: LinkIntent, names: NameTable, hosts: ReadonlyMap<string, HostModel>, reporter: Reporter): LinkModel | undefined {
  const path = ["links", name];
  const [a = "", b = ""] = l.between;
  const okA = names.expect(a, ["host"], [...path, "between", 0], "an end of a link");
  const okB = names.expect(b, ["host"], [...path, "between", 1], "an end of a link");
  const { prefix: inside, aligned } = parseCidr(l.inside);
  if (!aligned) reportUnaligned(reporter, [...path, "inside"], l.inside, inside);
  const device = l.device ?? (name.length <= 15 ? name : undefined);
  if (!device) reporter.report("SW121", path, `link name '${name}' is longer than a Linux interface name (15)`, { at: "key", hint: "set device: <name of at most 15 characters>" });
  if (!okA || !okB || !hosts.has(a) || !hosts.has(b) || !device) return undefined;
  return {
    name,
    ...(l.description !== undefined ? { description: l.description } : {}),
    kind: l.kind,
    device,
    inside,
    mtu: l.mtu ?? defaultValue("links.<l>.mtu"),
    ttl: l.ttl ?? defaultValue("links.<l>.ttl"),
    hosts: [a, b],
  };
}

export function tunnelsOf(intent: SiteIntent): [string, TunnelIntent][] {
  return Object.entries(intent.tunnels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
}

/** tunnels.<t>.device (a name, or { name, kind }) with its defaults: the host's device kind, `<kind><key>`. */
function routeDevice(device: TunnelIntent["device"], key: number, hostKind: DeviceKind): { key: number; device: string; deviceKind: DeviceKind } {
  const given = typeof device === "string" ? { name: device } : (device ?? {});
  const deviceKind = given.kind ?? hostKind;
  return { key, device: given.name ?? `${deviceKind}${key}`, deviceKind };
}
