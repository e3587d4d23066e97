/**
 * IPsec tunnels and point-to-point links: both ends derived from one definition (addresses from the inside
 * network, local/remote swapped per end, MSS from MTU, per-end overrides merged).
 */
import type { EndOverrideIntent, LinkIntent, SiteIntent, TunnelIntent } from "../intent/schema.js";
import { parseCidr, pointToPointPair, parseIfAddress } from "../net/ipv4.js";
import { parseProposal } from "./crypto.js";
import { NameTable, reportUnaligned } from "./names.js";
import { Reporter } from "./report.js";
import type { HostModel, LinkModel, PeerModel, Prefix, Proposal, TunnelEnd, TunnelModel } from "./types.js";
import { parseDuration, secretModel } from "./values.js";

export const TUNNEL_DEFAULTS = {
  ikeVersion: 2 as const,
  ikeLifetime: "8h",
  espLifetime: "1h",
  dpdDelay: "10s",
  dpdTimeout: "30s",
  dpdAction: "restart" as const,
  /** Cisco's recommendation for IPsec tunnel interfaces (ip mtu 1400, ip tcp adjust-mss 1360). */
  mtu: 1400,
  monitorInterval: "5s",
  monitorFailures: 3,
  startAction: "start" as const,
};

export const LINK_DEFAULTS = { mtu: 1480, ttl: 64 };

/** MSS = MTU − 20 (IPv4 header) − 20 (TCP header). */
export function mssFromMtu(mtu: number): number {
  return mtu - 40;
}

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

  const kind = t.kind ?? "ipsec-vti";
  let inside: Prefix | undefined;
  if (t.inside) {
    const parsed = parseCidr(t.inside);
    if (!parsed.aligned) reportUnaligned(reporter, [...path, "inside"], t.inside, parsed.prefix);
    inside = parsed.prefix;
  }
  if (kind === "ipsec-vti") {
    if (!inside) reporter.report("SW121", path, `route-based tunnel '${name}' needs an inside network`, { at: "key", hint: "add inside: 169.254.x.y/30 (or set kind: ipsec-policy)" });
    if (t.key === undefined) reporter.report("SW121", path, `route-based tunnel '${name}' needs a key (the vti key and IPsec mark)`, { at: "key", hint: "add key: <1..4294967295>, unique on the host" });
  }

  const toPeer = names.prefixes(t.routes?.toPeer, [...path, "routes", "toPeer"]);
  const toHost = names.prefixes(t.routes?.toHost, [...path, "routes", "toHost"]);
  const key = t.key;
  const number = key ?? stableNumber(name);
  const table = t.table ?? (key !== undefined && key >= 1 && key <= 252 ? key : undefined);
  if (kind === "ipsec-vti" && key !== undefined && table === undefined)
    reporter.report("SW121", [...path, "key"], `tunnel '${name}' has key ${key}, which cannot double as a routing table id (1..252)`, { hint: "set table: <1..252>" });

  const [peerInside, hostInside] = inside && kind === "ipsec-vti" ? pointToPointPair(inside) : [undefined, undefined];
  const base = { t, inside, kind };
  const hostEnd = buildEnd(base, {
    node: host.name,
    role: "host",
    platform: "linux",
    localAddress: host.address.address,
    reachableAddress: host.publicAddress ?? host.address.address,
    identity: host.identity,
    remoteAddress: peer.publicAddress ?? peer.address,
    remoteIdentity: peer.identity,
    insideAddress: hostInside,
    insidePeerAddress: peerInside,
    localNetworks: toHost,
    remoteNetworks: toPeer,
    override: t.overrides?.[host.name],
  });
  const peerEnd = buildEnd(base, {
    node: peer.name,
    role: "peer",
    platform: peer.platform,
    localAddress: peer.address,
    reachableAddress: peer.publicAddress ?? peer.address,
    identity: peer.identity,
    remoteAddress: host.publicAddress ?? host.address.address,
    remoteIdentity: host.identity,
    insideAddress: peerInside,
    insidePeerAddress: hostInside,
    localNetworks: toPeer,
    remoteNetworks: toHost,
    override: t.overrides?.[peer.name],
  });
  for (const end of Object.keys(t.overrides ?? {}))
    if (end !== host.name && end !== peer.name)
      reporter.report("SW102", [...path, "overrides", end], `'${end}' is not an end of tunnel '${name}'`, { at: "key", hint: `the ends are ${host.name} and ${peer.name}` });

  return {
    name,
    ...(t.description !== undefined ? { description: t.description } : {}),
    kind,
    host: hostEnd,
    peer: peerEnd,
    ...(key !== undefined && kind === "ipsec-vti" ? { key, device: t.device ?? `vti${key}` } : {}),
    ...(inside ? { inside } : {}),
    startAction: t.startAction ?? TUNNEL_DEFAULTS.startAction,
    toPeer,
    toHost,
    monitor: {
      interval: parseDuration(t.monitor?.interval ?? TUNNEL_DEFAULTS.monitorInterval),
      failures: t.monitor?.failures ?? TUNNEL_DEFAULTS.monitorFailures,
      slaId: t.monitor?.slaId ?? number,
      trackId: t.monitor?.trackId ?? number,
      tag: t.monitor?.tag ?? number,
    },
    number,
    ...(table !== undefined ? { table, rulePriority: t.rulePriority ?? table } : {}),
  } as TunnelModel;
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
  localNetworks: Prefix[];
  remoteNetworks: Prefix[];
  override: EndOverrideIntent | undefined;
}

function buildEnd(base: { t: TunnelIntent; inside: Prefix | undefined; kind: string }, f: EndFacts): TunnelEnd {
  const { t, inside } = base;
  const o = f.override ?? {};
  const espProposals = (o.esp?.proposals ?? t.esp.proposals).map(proposal);
  const mtu = o.mtu ?? t.mtu ?? TUNNEL_DEFAULTS.mtu;
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
    ike: {
      version: o.ike?.version ?? t.ike.version ?? TUNNEL_DEFAULTS.ikeVersion,
      proposals: (o.ike?.proposals ?? t.ike.proposals).map(proposal),
      lifetime: parseDuration(o.ike?.lifetime ?? t.ike.lifetime ?? TUNNEL_DEFAULTS.ikeLifetime),
      aggressive: t.ike.aggressive ?? false,
    },
    esp: {
      proposals: espProposals,
      lifetime: parseDuration(o.esp?.lifetime ?? t.esp.lifetime ?? TUNNEL_DEFAULTS.espLifetime),
      ...(pfsGroup ? { pfsGroup } : {}),
    },
    psk: secretModel(o.psk ?? t.psk),
    dpd: {
      delay: parseDuration(o.dpd?.delay ?? t.dpd?.delay ?? TUNNEL_DEFAULTS.dpdDelay),
      timeout: parseDuration(o.dpd?.timeout ?? t.dpd?.timeout ?? TUNNEL_DEFAULTS.dpdTimeout),
      action: o.dpd?.action ?? t.dpd?.action ?? TUNNEL_DEFAULTS.dpdAction,
    },
    mtu,
    mss: o.mss ?? (o.mtu !== undefined ? mssFromMtu(mtu) : (t.mss ?? mssFromMtu(mtu))),
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
    mtu: l.mtu ?? LINK_DEFAULTS.mtu,
    ttl: l.ttl ?? LINK_DEFAULTS.ttl,
    hosts: [a, b],
  };
}

export function tunnelsOf(intent: SiteIntent): [string, TunnelIntent][] {
  return Object.entries(intent.tunnels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
}
