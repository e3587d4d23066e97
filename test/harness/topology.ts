/**
 * The outer path and the inside traffic of one tunnel, in throwaway namespaces, built from the model's
 * address facts only:
 *
 *   direct:  host eth0 ────────────────────────── eth0 peer    both reachable as written, on one subnet
 *   routed:  host eth0 ── to-host  net  to-peer ── eth0 peer   otherwise; `net` forwards, and for an end
 *                                                              with a public address maps it 1:1 to the
 *                                                              private one (DNAT in, SNAT out, as an EIP does)
 *
 * Each end gets its own private address (the host with its connected length), talks IKE to the other end's
 * reachable address, and a /32 route pins that address to the underlay, so routes into the tunnel can never
 * swallow the tunnel's own packets. Addresses of the networks behind each end sit on its `lo` (charon picks
 * an address inside the local selectors as source of the routes it installs), and ping probes go between
 * them: for a route-based tunnel the libipsec TUN device stands in for the vti device (inside address and
 * routes to the peer's networks), for a policy-based one charon installs the routes itself.
 *
 * IPv6: outer addresses of either family (TunnelModel.outerFamily; the caller passes the host's address of that
 * family), single addresses as /128, inside addresses and networks of both families. The namespaces skip IPv6
 * duplicate address detection: a fresh address is otherwise "tentative" for a second, and charon cannot send
 * from it yet (the veth links here are the test's own, no other node can hold the address).
 */
import { execFileSync } from "node:child_process";
import type { IfAddress, Prefix, TunnelEnd, TunnelModel } from "../../src/model/types.js";
import { containsAddress, familyOf, overlaps, parseIfAddress, pointToPointPair } from "../../src/net/ip.js";
import { Netns } from "./netns.js";

export interface Topology {
  readonly host: Netns;
  readonly peer: Netns;
  /** The router between them (routed and NAT layouts). */
  readonly net?: Netns;
  /** "direct" or "routed, 1:1 NAT for …", for reports. */
  readonly layout: string;
  /** Delete every namespace this topology created. Safe to call twice. */
  cleanup(): void;
}

/** A veth pair between two namespaces, `[ns, device, address/len]` on each side, both up. */
export function veth(...ends: [[Netns, string, string], [Netns, string, string]]): void {
  const [[a, aDev], [b, bDev]] = ends;
  execFileSync("ip", ["link", "add", aDev, "netns", a.name, "type", "veth", "peer", "name", bDev, "netns", b.name]);
  for (const [ns, dev, address] of ends) {
    ns.exec(["ip", "addr", "add", address, "dev", dev]);
    ns.exec(["ip", "link", "set", dev, "up"]);
  }
}

/** Build the outer path of `tunnel`; `hostAddress` is the host's interface address (with its length). */
export function tunnelTopology(tunnel: TunnelModel, hostAddress: IfAddress): Topology {
  const created: Netns[] = [];
  const make = (label: string) => {
    const ns = new Netns(label);
    created.push(ns);
    for (const scope of ["all", "default"]) ns.exec(["sysctl", "-qw", `net.ipv6.conf.${scope}.accept_dad=0`]);
    return ns;
  };
  const cleanup = () => created.forEach((ns) => ns.cleanup());
  try {
    const { host: h, peer: p } = tunnel;
    const host = make("h");
    const peer = make("p");
    const natted = [h, p].filter((end) => end.reachableAddress !== end.localAddress);
    let net: Netns | undefined;
    /** How each end reaches the other's outer address: on the link, or through the router. */
    const underlay = { host: ["dev", "eth0"], peer: ["dev", "eth0"] };
    if (natted.length === 0 && containsAddress(hostAddress.network, p.localAddress)) {
      veth([host, "eth0", hostAddress.cidr], [peer, "eth0", `${p.localAddress}/${hostAddress.length}`]);
    } else {
      net = make("n");
      const peerAddress = peerSubnet(p.localAddress, hostAddress);
      const hostGateway = otherAddress(hostAddress);
      const peerGateway = otherAddress(peerAddress);
      veth([host, "eth0", hostAddress.cidr], [net, "to-host", `${hostGateway}/${hostAddress.length}`]);
      veth([peer, "eth0", peerAddress.cidr], [net, "to-peer", `${peerGateway}/${peerAddress.length}`]);
      host.exec(["ip", "route", "add", "default", "via", hostGateway]);
      peer.exec(["ip", "route", "add", "default", "via", peerGateway]);
      underlay.host = ["via", hostGateway];
      underlay.peer = ["via", peerGateway];
      net.exec(["sysctl", "-qw", "net.ipv4.ip_forward=1"]);
      net.exec(["sysctl", "-qw", "net.ipv6.conf.all.forwarding=1"]);
      if (natted.length > 0) net.exec(["iptables-restore"], { input: oneToOneNat(natted, { host: "to-host", peer: "to-peer" }) });
    }
    for (const [ns, end] of [[host, h], [peer, p]] as const) {
      ns.exec(["ip", "route", "add", single(end.remoteAddress), ...underlay[end.role]]);
      for (const network of end.localNetworks) ns.exec(["ip", "addr", "add", single(probeAddress(network)), "dev", "lo"]);
    }
    const layout = natted.length > 0 ? `routed, 1:1 NAT for ${natted.map((e) => `${e.node} ${e.reachableAddress}`).join(", ")}` : net ? "routed" : "direct";
    return { host, peer, ...(net ? { net } : {}), layout, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}

/** One address as a prefix of its own: /32, or /128 for IPv6. */
function single(address: string): string {
  return `${address}/${familyOf(address) === 6 ? 128 : 32}`;
}

/** nat table: each NATed end's public address forwarded to its private one, and its traffic leaving as it. */
function oneToOneNat(natted: readonly TunnelEnd[], side: Readonly<Record<TunnelEnd["role"], string>>): string {
  const rules = natted.flatMap((end) => {
    const other = end.role === "host" ? side.peer : side.host;
    return [
      `-A PREROUTING -d ${end.reachableAddress}/32 -j DNAT --to-destination ${end.localAddress}`,
      `-A POSTROUTING -s ${end.localAddress}/32 -o ${other} -j SNAT --to-source ${end.reachableAddress}`,
    ];
  });
  return ["*nat", ...rules, "COMMIT", ""].join("\n");
}

/** The model gives a peer no prefix length: a /24, or a /30 where that would overlap the host's subnet (IPv6: /64, /126). */
function peerSubnet(address: string, hostAddress: IfAddress): IfAddress {
  const [wideLength, narrowLength] = familyOf(address) === 6 ? [64, 126] : [24, 30];
  const wide = parseIfAddress(`${address}/${wideLength}`);
  return overlaps(wide.network, hostAddress.network) ? parseIfAddress(`${address}/${narrowLength}`) : wide;
}

/** An address of `own`'s subnet other than its own, for the router's side of the link. */
function otherAddress(own: IfAddress): string {
  const [first, second] = pointToPointPair(own.network);
  return own.address === first ? second : first;
}

/** The address that stands for a network in ping probes: its first usable address (the address of a /32 or /128). */
export function probeAddress(network: Prefix): string {
  return network.length >= (network.family === 6 ? 127 : 31) ? network.network : pointToPointPair(network)[0];
}

/** A ping between two addresses, both ends named for messages. */
export interface Probe {
  readonly from: string;
  readonly to: string;
}

/**
 * What to ping through the tunnel from the host: its inside address to the peer's (route-based; both families
 * with tunnels.<t>.inside6), and from a network behind the host to every network behind the peer of the same
 * family (every selector pair of a policy-based tunnel; the first local network of each family otherwise).
 */
export function probesOf(tunnel: TunnelModel): Probe[] {
  const { host } = tunnel;
  const inside = [
    ...(host.insideAddress && host.insidePeerAddress ? [{ from: host.insideAddress.address, to: host.insidePeerAddress }] : []),
    ...(host.insideAddress6 && host.insidePeerAddress6 ? [{ from: host.insideAddress6.address, to: host.insidePeerAddress6 }] : []),
  ];
  const firstOfFamily = host.localNetworks.filter((l, i) => host.localNetworks.findIndex((o) => o.family === l.family) === i);
  const locals = tunnel.kind === "ipsec-policy" ? host.localNetworks : firstOfFamily;
  const networks = locals.flatMap((l) => host.remoteNetworks.filter((r) => r.family === l.family).map((r) => ({ from: probeAddress(l), to: probeAddress(r) })));
  return [...inside, ...networks];
}

/**
 * Route-based: give this end's libipsec TUN device what the vti device carries on a real host, the inside
 * address and routes to the other end's networks (charon installs no routes: the emitted charon drop-in says
 * install_routes = no). Policy-based tunnels need nothing: charon routes their selectors itself.
 */
export function routeIntoTunnel(ns: Netns, tunnel: TunnelModel, end: TunnelEnd): void {
  if (tunnel.kind !== "ipsec-vti") return;
  const tun = libipsecDevice(ns);
  if (end.insideAddress) ns.exec(["ip", "addr", "add", end.insideAddress.cidr, "dev", tun]);
  if (end.insideAddress6) ns.exec(["ip", "addr", "add", end.insideAddress6.cidr, "dev", tun]);
  for (const network of end.remoteNetworks) ns.exec(["ip", "route", "add", network.cidr, "dev", tun]);
}

/** The TUN device kernel-libipsec created in `ns` (ipsec0 in a fresh namespace). */
export function libipsecDevice(ns: Netns): string {
  const links = ns.exec(["ip", "-o", "link", "show", "type", "tun"]);
  const name = /^\d+: (ipsec\d+)[:@]/m.exec(links)?.[1];
  if (!name) throw new Error(`no kernel-libipsec TUN device in ${ns.name}:\n${links}`);
  return name;
}

/**
 * Ping `probe.to` from `probe.from`: one echo, up to three tries (the first packet of a fresh path may be
 * lost); throws with ping's output when none comes back.
 */
export function ping(ns: Netns, probe: Probe): void {
  let output = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      ns.exec(["ping", "-n", "-q", "-c", "1", "-W", "1", "-I", probe.from, probe.to]);
      return;
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      output += `${err.stdout ?? ""}${err.stderr ?? ""}`;
    }
  }
  throw new Error(`ping ${probe.from} → ${probe.to} in ${ns.name} failed:\n${output}`);
}
