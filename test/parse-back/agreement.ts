/**
 * The two-end agreement check (test-only): what the router's IOS text says about a tunnel, read back, must
 * equal what the model says about the router's end, and must fit what the gateway's strongSwan files and
 * tunnel script say about the other end. Each failed fact is one line "<fact>: <what differs>", so a test
 * can show exactly which fact a broken template got wrong.
 */
import type { PeerModel, TunnelModel } from "../../src/model/types.js";
import { readFrr } from "../readers/frr.js";
import { readIos, type CommandNode } from "../readers/ios.js";
import { bgpOf, prefixListOf, type BgpNeighborFacts, type PrefixListFacts } from "./bgp-facts.js";
import { espCombos, ikeCombos, overlap, pfsOf, sameSet, subset } from "./combos.js";
import type { HostEndFacts } from "./host-facts.js";
import type { VtiFacts } from "./host-script.js";
import { iosTunnels } from "./ios-facts.js";

export interface GatewayFacts {
  /** From ipsec.conf(+secrets) and/or swanctl.conf: each present format is checked. */
  readonly strongswan: readonly HostEndFacts[];
  readonly vti?: VtiFacts;
  /** The gateway's /etc/frr/frr.conf text, when it runs BGP (its BGP facts read as IOS's: FRR spells them the same way). */
  readonly frr?: string;
}

export function disagreements(t: TunnelModel, router: PeerModel, iosText: string, gateway: GatewayFacts): string[] {
  const out: string[] = [];
  const expect = (fact: string, ok: boolean, detail: () => string) => {
    if (!ok) out.push(`${fact}: ${detail()}`);
  };
  const config = readIos(iosText);
  const ios = iosTunnels(config).find((f) => f.number === t.number);
  if (!ios) return [`tunnel interface: no interface Tunnel${t.number}`];
  const peer = t.peer;
  const host = t.host;
  const hostInside = gateway.vti?.address ?? host.insideAddress?.address;
  const hostLength = gateway.vti?.length ?? host.insideAddress?.length;

  // Inside addresses: the router's and the gateway's are two different usable addresses of one network. An
  // IPv6-only tunnel has no `ip address`: its inside is the `ipv6 address` (checked below with inside6).
  const hostMtu = gateway.vti?.mtu ?? host.mtu;
  if (t.inside?.family !== 6) {
    const iosLength = maskLength(ios.mask);
    expect("inside address", ios.address === peer.insideAddress?.address, () => `router has ${ios.address}, the model ${peer.insideAddress?.address}`);
    expect("inside mask", iosLength === hostLength && iosLength === t.inside?.length, () => `router has ${ios.mask} (/${iosLength}), the gateway /${hostLength}, the intent /${t.inside?.length}`);
    expect("inside network", hostInside !== undefined && iosLength !== undefined && twoUsableOfOneNetwork(ios.address, hostInside, iosLength), () => `router ${ios.address}/${iosLength} and gateway ${hostInside} are not two usable addresses of one network`);
    if (gateway.vti) expect("inside peer", gateway.vti.peer === ios.address, () => `the gateway expects the router at ${gateway.vti?.peer}, the router has ${ios.address}`);
    // MTU and MSS: one MTU on both ends, MSS derived from it.
    expect("mtu", ios.mtu === peer.mtu && ios.mtu === hostMtu, () => `router ip mtu ${ios.mtu}, the gateway ${hostMtu}, the model ${peer.mtu}`);
    expect("mss", ios.mss === peer.mss && ios.mss !== undefined && ios.mss <= hostMtu - 40, () => `router adjust-mss ${ios.mss}, the model ${peer.mss}, the tunnel carries ${hostMtu - 40}`);
  }
  // IPv6 inside (issue 16): the router's `ipv6 address` is the model's, `ipv6 mtu` the tunnel's MTU, `ipv6 tcp
  // adjust-mss` 20 below the IPv4 MSS (the IPv6 header is 20 bytes longer), and the tunnel mode says the families.
  const six = t.inside?.family === 6 ? peer.insideAddress : peer.insideAddress6;
  expect("inside6 address", ios.address6 === six?.cidr, () => `router has ipv6 address ${ios.address6}, the model ${six?.cidr}`);
  if (six) {
    expect("ipv6 mtu", ios.mtu6 === peer.mtu && ios.mtu6 === hostMtu, () => `router ipv6 mtu ${ios.mtu6}, the gateway ${hostMtu}, the model ${peer.mtu}`);
    expect("ipv6 mss", ios.mss6 === peer.mss6 && ios.mss6 !== undefined && ios.mss6 <= hostMtu - 60, () => `router ipv6 adjust-mss ${ios.mss6}, the model ${peer.mss6}, the tunnel carries ${hostMtu - 60}`);
  }
  const outer = t.outerFamily === 6 ? "ipv6" : "ipv4";
  const inner = t.families.length === 2 ? "dual" : t.families[0] === t.outerFamily || t.families.length === 0 ? "same" : "other";
  const mode = inner === "dual" ? "dual-overlay" : inner === "same" ? outer : outer === "ipv4" ? "ipv4 v6-overlay" : "ipv6 v4-overlay";
  expect("tunnel mode", ios.mode === mode, () => `router tunnel mode ipsec ${ios.mode}, the tunnel carries IPv${t.families.join("+IPv")} over IPv${t.outerFamily}`);

  // Endpoints: each end connects where the other is.
  expect("tunnel source", ios.source === peer.localAddress, () => `router sources from ${ios.source}, its address is ${peer.localAddress}`);
  expect("tunnel destination", ios.destination === host.reachableAddress, () => `router connects to ${ios.destination}, the gateway is reachable at ${host.reachableAddress}`);
  expect("admin state", ios.adminUp, () => `interface Tunnel${t.number} is not brought up with 'no shutdown'`);
  expect("local address", ios.localAddresses.length > 0 && ios.localAddresses.every((a) => a === peer.localAddress), () => `router binds IKE to ${ios.localAddresses.join(", ")}, its address is ${peer.localAddress}`);
  if (gateway.vti?.kind === "vti") expect("vti endpoints", gateway.vti.local === host.localAddress && gateway.vti.remote === peer.reachableAddress, () => `vti ${gateway.vti?.local} → ${gateway.vti?.remote}`);

  // Crypto on the router's end.
  const version = peer.ike.version;
  expect("IKE version", ios.ikeVersion === version, () => `router speaks IKEv${ios.ikeVersion}, the model IKEv${version}`);
  const routerIke = new Set(ios.ikeProposals);
  expect("IKE proposals", subset(ikeCombos(texts(peer.ike.proposals), version), routerIke), () => `router accepts ${[...routerIke].join(", ")}; the model's ${texts(peer.ike.proposals).join(", ")} are not all among them`);
  expect("IKE lifetime", ios.ikeLifetimes.includes(peer.ike.lifetime.seconds), () => `router lifetimes ${ios.ikeLifetimes.join(", ")}, the model ${peer.ike.lifetime.seconds}`);
  expect("ESP proposals", sameSet(new Set(ios.espProposals), espCombos(texts(peer.esp.proposals))), () => `router transform sets ${ios.espProposals.join(", ")}, the model ${texts(peer.esp.proposals).join(", ")}`);
  expect("PFS", ios.pfs === pfsOf(texts(peer.esp.proposals)), () => `router PFS ${ios.pfs}, the model ${pfsOf(texts(peer.esp.proposals))}`);
  expect("ESP lifetime", ios.espLifetime === peer.esp.lifetime.seconds, () => `router ${ios.espLifetime}, the model ${peer.esp.lifetime.seconds}`);
  expect("pre-shared key", ios.psk === peer.psk.placeholder, () => `router key ${ios.psk}, the model ${peer.psk.placeholder}`);
  expect("pre-shared key peer", ios.pskAddress === host.reachableAddress, () => `router keys the secret to ${ios.pskAddress}, the gateway comes from ${host.reachableAddress}`);
  expect("DPD", ios.dpd !== undefined && ios.dpd.seconds >= 10 && ios.dpd.seconds <= 3600 && ios.dpd.retry >= 2 && ios.dpd.retry <= 60, () => `router dpd ${JSON.stringify(ios.dpd)}`);
  if (ios.dpd && peer.dpd.delay.seconds >= 10 && peer.dpd.delay.seconds <= 3600) expect("DPD delay", ios.dpd.seconds === peer.dpd.delay.seconds, () => `router probes every ${ios.dpd?.seconds}s, the model ${peer.dpd.delay.seconds}s`);

  // The gateway's files against the router's.
  for (const sw of gateway.strongswan) {
    const f = (fact: string) => `${fact} (${sw.format})`;
    if (sw.ikeVersion !== undefined) expect(f("IKE version"), sw.ikeVersion === ios.ikeVersion, () => `gateway IKEv${sw.ikeVersion}, router IKEv${ios.ikeVersion}`);
    expect(f("IKE proposals"), overlap(ikeCombos(sw.ikeProposals, version), routerIke), () => `gateway offers ${sw.ikeProposals.join(", ")}, the router accepts ${[...routerIke].join(", ")}`);
    if (version === 1 && sw.ikeLifetime !== undefined) expect(f("IKE lifetime"), ios.ikeLifetimes.some((l) => l >= sw.ikeLifetime!), () => `gateway proposes ${sw.ikeLifetime}s, the router's policies allow ${ios.ikeLifetimes.join(", ")}`);
    expect(f("ESP proposals"), overlap(espCombos(sw.espProposals), new Set(ios.espProposals)), () => `gateway offers ${sw.espProposals.join(", ")}, the router ${ios.espProposals.join(", ")}`);
    expect(f("PFS"), pfsOf(sw.espProposals) === ios.pfs, () => `gateway PFS ${pfsOf(sw.espProposals)}, router ${ios.pfs}`);
    expect(f("pre-shared key"), sw.psk !== undefined && sw.psk === ios.psk, () => `gateway key ${sw.psk}, router key ${ios.psk}`);
    expect(f("gateway identity"), bare(sw.localId) === ios.remoteIdentity, () => `gateway sends ${sw.localId}, the router expects ${ios.remoteIdentity}`);
    const routerSends = ios.localIdentity ?? ios.localAddresses[0];
    expect(f("router identity"), bare(sw.remoteId) === routerSends, () => `gateway expects ${sw.remoteId}, the router sends ${routerSends}`);
    expect(f("gateway endpoints"), sw.local === host.localAddress && sw.remote === peer.reachableAddress, () => `gateway ${sw.local} → ${sw.remote}`);
    if (gateway.vti?.kind === "vti") expect(f("vti key"), sw.mark === gateway.vti.key && sw.ifId === undefined, () => `IPsec mark ${sw.mark} (if_id ${sw.ifId}), vti key ${gateway.vti?.key}`);
    if (gateway.vti?.kind === "xfrm")
      expect(f("if_id"), sw.ifId === gateway.vti.key && sw.ifIdOut === gateway.vti.key && sw.mark === undefined, () => `SA if_id ${sw.ifId}/${sw.ifIdOut} (mark ${sw.mark}), XFRM interface if_id ${gateway.vti?.key}`);
    if (sw.dpdDelay !== undefined) expect(f("DPD"), sw.dpdDelay === host.dpd.delay.seconds, () => `gateway probes every ${sw.dpdDelay}s, the model ${host.dpd.delay.seconds}s`);
  }

  // Reachability probe, track and routes.
  const routerProbeSource = t.inside?.family === 6 ? (ios.address6 ?? "").split("/")[0] : ios.address;
  expect("ip sla", ios.sla?.id === t.monitor.slaId && ios.sla.target === hostInside && ios.sla.source === routerProbeSource && ios.sla.frequency === t.monitor.interval.seconds, () => `sla ${JSON.stringify(ios.sla)}, the model ${t.monitor.slaId} from ${routerProbeSource} to ${hostInside} every ${t.monitor.interval.seconds}s`);
  expect("ip sla schedule", ios.sla?.forever === true, () => `ip sla ${ios.sla?.id} is not scheduled with life forever: it stops probing after an hour`);
  expect("track", ios.track?.id === t.monitor.trackId && ios.track.slaId === ios.sla?.id, () => `track ${JSON.stringify(ios.track)}, the model ${t.monitor.trackId}`);
  // IP SLA timeout: milliseconds on IOS, at most the frequency (IOS refuses more).
  if (ios.sla) {
    const wantedMs = Math.round(t.monitor.timeout.seconds * 1000);
    expect("ip sla timeout", ios.sla.timeoutMs === wantedMs && ios.sla.timeoutMs <= ios.sla.frequency * 1000, () => `router waits ${ios.sla?.timeoutMs} ms every ${ios.sla?.frequency}s, the model ${wantedMs} ms`);
  }
  // With BGP the routes come from the session: no static routes into the tunnel.
  const wanted = new Set(t.bgp ? [] : peer.remoteNetworks.filter((p) => p.family === 4).map((p) => `${p.network} ${p.mask}`));
  const routed = new Set(ios.routes.map((r) => `${r.network} ${r.mask}`));
  // IPv6 networks behind the gateway: `ipv6 route` through the interface to the gateway's IPv6 inside address.
  const wanted6 = new Set(t.bgp ? [] : peer.remoteNetworks.filter((p) => p.family === 6).map((p) => p.cidr));
  const routed6 = new Set(ios.routes6.map((r) => r.prefix));
  const hostInside6 = t.inside?.family === 6 ? host.insideAddress?.address : host.insideAddress6?.address;
  expect("ipv6 routes", sameSet(wanted6, routed6), () => `router routes ${[...routed6].join(", ")} into Tunnel${t.number}, the model ${[...wanted6].join(", ")}`);
  expect("ipv6 route next hop", ios.routes6.every((r) => r.nextHop === hostInside6 && r.tag === t.monitor.tag && r.track === ios.track?.id), () => `ipv6 routes ${JSON.stringify(ios.routes6)}, the gateway is ${hostInside6}, tag ${t.monitor.tag}, track ${ios.track?.id}`);
  expect("routes", sameSet(wanted, routed), () => `router routes ${[...routed].join(", ")} into Tunnel${t.number}, the model ${[...wanted].join(", ")}`);
  expect("route next hop", ios.routes.every((r) => r.nextHop === hostInside), () => `next hops ${ios.routes.map((r) => r.nextHop).join(", ")}, the gateway is ${hostInside}`);
  expect("route tag and track", ios.routes.every((r) => r.tag === t.monitor.tag && r.track === ios.track?.id), () => `routes ${JSON.stringify(ios.routes)}, tag ${t.monitor.tag}, track ${ios.track?.id}`);
  const into = [...(router.ospf ? ["ospf"] : []), ...(router.bgp ? ["bgp"] : [])];
  if (into.length && peer.remoteNetworks.length && !t.bgp)
    expect("redistribution", ios.redistributed.tags.includes(t.monitor.tag) && sameSet(new Set(ios.redistributed.into), new Set(into)), () => `route map matches tags ${ios.redistributed.tags.join(" ")} into ${ios.redistributed.into.join(", ")}; the model wants tag ${t.monitor.tag} into ${into.join(", ")}`);
  if (t.bgp) {
    // One session over the (first) inside addresses, and with inside6 a second over the IPv6 ones: each carries its
    // own family's networks (issue 16).
    const first = t.inside?.family ?? 4;
    const routerFirst = first === 6 ? (ios.address6 ?? "").split("/")[0]! : ios.address;
    out.push(...bgpDisagreements(t, config, routerFirst, first === 6 ? t.host.insideAddress?.address : hostInside, ios.bfd !== undefined, gateway.frr, first));
    if (t.bgp.peer.neighbor6 !== undefined)
      out.push(...bgpDisagreements(t, config, (ios.address6 ?? "").split("/")[0]!, t.host.insideAddress6?.address, ios.bfd !== undefined, gateway.frr, 6).map((d) => `ipv6 ${d}`));
  }
  else if (bgpOf(config)?.neighbors.some((n) => n.address === hostInside)) out.push(`bgp neighbor: the router has a BGP neighbour at ${hostInside}, the model runs no BGP over tunnel ${t.name}`);
  return out;
}

/**
 * The BGP session over tunnel `t`, on the router (and on the gateway's FRR when given): neighbour = the other
 * end's inside address, remote-as = the other end's AS, same timers, prefix lists = the model's accept and
 * announce, route maps = the model's preference, BFD on both or neither.
 */
function bgpDisagreements(t: TunnelModel, config: readonly CommandNode[], routerInside: string, hostInside: string | undefined, interfaceBfd: boolean, frrText: string | undefined, family: 4 | 6 = 4): string[] {
  const out: string[] = [];
  const expect = (fact: string, ok: boolean, detail: () => string) => {
    if (!ok) out.push(`${fact}: ${detail()}`);
  };
  const all = t.bgp!;
  const only = (side: typeof all.peer) => ({ ...side, accept: side.accept.filter((p) => p.family === family), announce: side.announce.filter((p) => p.family === family) });
  // This session's view: its own family's networks, its own neighbour addresses.
  const b = {
    ...all,
    peer: { ...only(all.peer), ...(family === 6 && all.peer.neighbor6 !== undefined ? { neighbor: all.peer.neighbor6 } : {}) },
    host: { ...only(all.host), ...(family === 6 && all.host.address6 !== undefined ? { address: all.host.address6 } : {}) },
  };
  const bgp = bgpOf(config);
  if (!bgp) return ["bgp: the router has no router bgp"];
  expect("bgp local AS", bgp.as === b.peer.as, () => `router bgp ${bgp.as}, the model's AS for ${t.peer.node} is ${b.peer.as}`);
  const n = bgp.neighbors.find((x) => x.address === hostInside);
  expect("bgp neighbor", n !== undefined && hostInside === b.host.address && b.peer.neighbor === b.host.address, () => `router neighbours ${bgp.neighbors.map((x) => x.address).join(", ") || "(none)"}, the gateway's inside address is ${hostInside} (model ${b.host.address})`);
  if (!n) return out;
  expect("bgp remote-as", n.remoteAs === b.host.as, () => `router expects AS ${n.remoteAs} at ${n.address}, the gateway has AS ${b.host.as}`);
  expect("bgp timers", n.timers?.keepalive === b.keepalive.seconds && n.timers?.holdTime === b.holdTime.seconds, () => `router timers ${JSON.stringify(n.timers)}, the model keepalive ${b.keepalive.seconds}s hold ${b.holdTime.seconds}s`);
  expect("bgp activate", family === 6 ? n.activated6 && !n.activated : n.activated && !n.activated6, () => `neighbour ${n.address} is activated for IPv4 ${n.activated}, IPv6 ${n.activated6}; the session carries IPv${family}`);
  expect("bgp bfd", n.bfd === b.bfd && interfaceBfd === b.bfd, () => `router fall-over bfd ${n.bfd}, interface bfd ${interfaceBfd}, the model ${b.bfd}`);
  expect("bgp accept", listIs(n.prefixIn, b.peer.accept), () => `router accepts ${showList(n.prefixIn)}, the model ${cidrs(b.peer.accept)}`);
  expect("bgp announce", listIs(n.prefixOut, b.peer.announce), () => `router announces ${showList(n.prefixOut)}, the model ${cidrs(b.peer.announce)}`);
  expect("bgp networks", b.peer.announce.every((p) => bgp.networks.includes(p.cidr)), () => `router network statements ${bgp.networks.join(", ")}, the model announces ${cidrs(b.peer.announce)}`);
  expect("bgp preference", preferenceIs(n, b.localPref, b.med, b.prepend, b.peer.as), () => `router local-pref ${n.routeMapIn?.localPreference}, MED ${n.routeMapOut?.metric}, prepend ${n.routeMapOut?.prepend.join(" ")}; the model ${b.preference}: ${b.localPref}, ${b.med}, ${b.prepend}×${b.peer.as}`);

  // The gateway's FRR, read the same way: the two sessions must be the two ends of one.
  if (frrText !== undefined) {
    const frrConfig = readFrr(frrText);
    const frr = bgpOf(frrConfig);
    const g = frr?.neighbors.find((x) => x.address === routerInside);
    expect("gateway bgp neighbor", g !== undefined, () => `the gateway's FRR has neighbours ${frr?.neighbors.map((x) => x.address).join(", ") ?? "(no router bgp)"}, the router is at ${routerInside}`);
    if (frr && g) {
      expect("gateway bgp AS", frr.as === n.remoteAs && g.remoteAs === bgp.as, () => `gateway router bgp ${frr.as} expects ${g.remoteAs}; the router is ${bgp.as} and expects ${n.remoteAs}`);
      expect("gateway bgp timers", g.timers?.keepalive === n.timers?.keepalive && g.timers?.holdTime === n.timers?.holdTime, () => `gateway timers ${JSON.stringify(g.timers)}, router ${JSON.stringify(n.timers)}`);
      expect("gateway bgp bfd", g.bfd === n.bfd, () => `gateway bfd ${g.bfd}, router ${n.bfd}`);
      const gatewayIn = g.prefixIn ?? (g.routeMapIn?.matchPrefixList ? prefixListOf(frrConfig, g.routeMapIn.matchPrefixList) : undefined);
      const gatewayOut = g.prefixOut ?? (g.routeMapOut?.matchPrefixList ? prefixListOf(frrConfig, g.routeMapOut.matchPrefixList) : undefined);
      expect("gateway bgp filters", sameCidrs(gatewayIn?.permits ?? [], b.host.accept) && sameCidrs(gatewayOut?.permits ?? [], b.host.announce), () => `gateway accepts ${gatewayIn?.permits.join(", ")}, announces ${gatewayOut?.permits.join(", ")}; the model ${cidrs(b.host.accept)} / ${cidrs(b.host.announce)}`);
      // What one end announces, the other accepts (else the session is up and carries nothing).
      const routerAnnounces = n.prefixOut?.permits ?? [];
      const gatewayAccepts = gatewayIn?.permits ?? [];
      expect("bgp two ends", routerAnnounces.every((c) => gatewayAccepts.includes(c)), () => `the router announces ${routerAnnounces.join(", ")}, the gateway accepts ${gatewayAccepts.join(", ")}`);
    }
  }
  return out;
}

/** A prefix list lets exactly the model's networks through (an empty model list: the list denies all). */
function listIs(list: PrefixListFacts | undefined, prefixes: readonly { readonly cidr: string }[]): boolean {
  if (!list || !list.exists) return false;
  if (prefixes.length === 0) return list.deniesAll && list.permits.length === 0;
  return sameCidrs(list.permits, prefixes);
}

function sameCidrs(found: readonly string[], prefixes: readonly { readonly cidr: string }[]): boolean {
  return sameSet(new Set(found), new Set(prefixes.map((p) => p.cidr)));
}

function showList(list: PrefixListFacts | undefined): string {
  if (!list) return "(no prefix list)";
  if (!list.exists) return `(prefix list ${list.name} missing: IOS permits everything)`;
  return list.deniesAll ? "nothing" : list.permits.join(", ");
}

function cidrs(prefixes: readonly { readonly cidr: string }[]): string {
  return prefixes.length ? prefixes.map((p) => p.cidr).join(", ") : "nothing";
}

function preferenceIs(n: BgpNeighborFacts, localPref: number, med: number, prepend: number, as: number): boolean {
  const prepended = n.routeMapOut?.prepend ?? [];
  return n.routeMapIn?.localPreference === localPref && n.routeMapOut?.metric === med && prepended.length === prepend && prepended.every((a) => a === as);
}

function texts(proposals: readonly { text: string }[]): string[] {
  return proposals.map((p) => p.text);
}

function bare(id: string | undefined): string | undefined {
  return id?.replace(/^@/, "");
}

function bitsOf(address: string): string {
  return address.split(".").map((o) => Number(o).toString(2).padStart(8, "0")).join("");
}

/** 255.255.255.252 → 30; undefined for a mask that is not contiguous ones then zeros. */
function maskLength(mask: string): number | undefined {
  const bits = bitsOf(mask);
  return bits.length === 32 && /^1*0*$/.test(bits) ? bits.replace(/0+$/, "").length : undefined;
}

/** Two different addresses of one network, neither its network nor broadcast address (below /31). */
function twoUsableOfOneNetwork(a: string, b: string, length: number): boolean {
  const [x, y] = [bitsOf(a), bitsOf(b)];
  const usable = (bits: string) => length >= 31 || !/^(0+|1+)$/.test(bits.slice(length));
  return a !== b && x.slice(0, length) === y.slice(0, length) && usable(x) && usable(y);
}
