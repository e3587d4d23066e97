/**
 * The two-end agreement check for a FortiGate (test-only): what the device's FortiOS file says about a tunnel,
 * read back with test/readers/fortios.ts and followed by name the way FortiOS follows it (phase 2 → phase1name,
 * tunnel interface = phase 1 name, routes and link-monitor by device, policies by interface and address
 * objects, BGP neighbour → prefix lists and route maps), must equal what the model says about the device's end
 * and fit what the gateway's strongSwan files, tunnel script and FRR say about the other end. FortiOS keywords
 * are mapped back to strongSwan keywords with tables written here, independently of
 * src/targets/fortigate/platform.ts, so a wrong entry there shows up as a disagreement.
 * Each failed fact is one line "<fact>: <what differs>".
 */
import type { TunnelModel } from "../../src/model/types.js";
import { readFrr } from "../readers/frr.js";
import { entries, entry, isUnset, readFortios, sub, value, values, type FosConfig, type FosEdit } from "../readers/fortios.js";
import { bgpOf } from "./bgp-facts.js";
import { espCombos, ikeCombos, overlap, pfsOf, sameSet, subset } from "./combos.js";
import type { HostEndFacts } from "./host-facts.js";
import type { VtiFacts } from "./host-script.js";

export interface GatewayFacts {
  readonly strongswan: readonly HostEndFacts[];
  readonly vti?: VtiFacts;
  readonly frr?: string;
}

// FortiOS keyword → strongSwan keyword (FortiOS CLI Reference phase1-interface / phase2-interface proposal and
// dhgrp values; IANA transform IDs for the group numbers).
const ENCRYPTION: Record<string, string> = {
  des: "des",
  "3des": "3des",
  aes128: "aes128",
  aes192: "aes192",
  aes256: "aes256",
  aes128gcm: "aes128gcm16",
  aes256gcm: "aes256gcm16",
  chacha20poly1305: "chacha20poly1305",
};
const AEAD = new Set(["aes128gcm", "aes256gcm", "chacha20poly1305"]);
const INTEGRITY: Record<string, string> = { md5: "md5", sha1: "sha1", sha256: "sha256", sha384: "sha384", sha512: "sha512" };
const PRF: Record<string, string> = { prfsha1: "prfsha1", prfsha256: "prfsha256", prfsha384: "prfsha384", prfsha512: "prfsha512" };
const GROUP: Record<string, string> = {
  "1": "modp768",
  "2": "modp1024",
  "5": "modp1536",
  "14": "modp2048",
  "15": "modp3072",
  "16": "modp4096",
  "17": "modp6144",
  "18": "modp8192",
  "19": "ecp256",
  "20": "ecp384",
  "21": "ecp521",
  "27": "ecp224bp",
  "28": "ecp256bp",
  "29": "ecp384bp",
  "30": "ecp512bp",
  "31": "curve25519",
  "32": "curve448",
};

/** The tunnel's objects are named `<interfaces.prefix><number>` (platform capability data, not the names module). */
export function tunnelObject(prefix: string, t: TunnelModel): string {
  return `${prefix}${t.number}`;
}

/** Phase 1 words × dhgrp as strongSwan combinations (combos.ts spelling); "?word" for a word it cannot read. */
export function phase1Combos(proposal: readonly string[], dhgrp: readonly string[], version: 1 | 2): Set<string> {
  const out = new Set<string>();
  for (const word of proposal) {
    const [enc = "", second = ""] = word.split(/-(?=[^-]+$)/);
    const e = ENCRYPTION[enc];
    const aead = AEAD.has(enc);
    const i = aead ? undefined : INTEGRITY[second];
    const f = aead ? PRF[second] : i && `prf${i}`;
    if (!e || (!aead && !i) || !f || (aead && version === 1)) {
      out.add(`?${word}`);
      continue;
    }
    for (const g of dhgrp) {
      const d = GROUP[g] ?? `?group${g}`;
      out.add(version === 1 ? `${e}-${i}-${d}` : [e, i, f, d].filter(Boolean).join("-"));
    }
  }
  return out;
}

/** Phase 2 words as strongSwan ESP combinations ("enc-integ", or the AEAD cipher alone). */
export function phase2Combos(proposal: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const word of proposal) {
    if (AEAD.has(word)) {
      out.add(ENCRYPTION[word]!);
      continue;
    }
    const [enc = "", integ = ""] = word.split("-");
    const e = ENCRYPTION[enc];
    const i = INTEGRITY[integ];
    out.add(e && i ? `${e}-${i}` : `?${word}`);
  }
  return out;
}

function lengthOf(mask: string | undefined): number | undefined {
  if (!mask) return undefined;
  const bits = mask.split(".").map((o) => Number(o).toString(2).padStart(8, "0")).join("");
  return bits.length === 32 && /^1*0*$/.test(bits) ? bits.replace(/0+$/, "").length : undefined;
}

function cidrOf(pair: readonly string[] | undefined): string | undefined {
  if (!pair || pair.length !== 2) return undefined;
  const length = lengthOf(pair[1]);
  return length === undefined ? undefined : `${pair[0]}/${length}`;
}

function bitsOf(address: string): string {
  return address.split(".").map((o) => Number(o).toString(2).padStart(8, "0")).join("");
}

function twoUsableOfOneNetwork(a: string, b: string, length: number): boolean {
  const [x, y] = [bitsOf(a), bitsOf(b)];
  const usable = (bits: string) => length >= 31 || !/^(0+|1+)$/.test(bits.slice(length));
  return a !== b && x.slice(0, length) === y.slice(0, length) && usable(x) && usable(y);
}

const bare = (id: string | undefined) => id?.replace(/^@/, "");
const show = (xs: Iterable<string>) => [...xs].join(", ") || "(none)";

/** The CIDRs the named address objects stand for ("?name" for a name with no `set subnet`). */
function addressCidrs(tree: readonly FosConfig[], names: readonly string[] | undefined): Set<string> {
  return new Set((names ?? []).map((n) => cidrOf(values(entry(tree, "firewall address", n), "subnet")) ?? `?${n}`));
}

/** The IPv6 prefixes the named `firewall address6` objects stand for (`set ip6`), "?name" for a missing one. */
function address6Cidrs(tree: readonly FosConfig[], names: readonly string[] | undefined): Set<string> {
  return new Set((names ?? []).map((n) => value(entry(tree, "firewall address6", n), "ip6") ?? `?${n}`));
}

const family = (cidr: string) => (cidr.includes(":") ? 6 : 4);

export function disagreements(t: TunnelModel, text: string, gateway: GatewayFacts, interfacePrefix: string): string[] {
  const out: string[] = [];
  const expect = (fact: string, ok: boolean, detail: () => string) => {
    if (!ok) out.push(`${fact}: ${detail()}`);
  };
  const tree = readFortios(text);
  const name = tunnelObject(interfacePrefix, t);
  const p1 = entry(tree, "vpn ipsec phase1-interface", name);
  if (!p1) return [`phase 1: no phase1-interface ${name}`];
  const peer = t.peer;
  const host = t.host;
  const hostInside = gateway.vti?.address ?? host.insideAddress?.address;

  // ---- phase 1
  const version = Number(value(p1, "ike-version")) as 1 | 2;
  expect("IKE version", version === peer.ike.version, () => `device ike-version ${value(p1, "ike-version")}, the model IKEv${peer.ike.version}`);
  if (version === 1) expect("IKEv1 mode", value(p1, "mode") === "main", () => `mode ${value(p1, "mode")}`);
  const deviceIke = phase1Combos(values(p1, "proposal") ?? [], values(p1, "dhgrp") ?? [], version);
  const modelIke = ikeCombos(peer.ike.proposals.map((p) => p.text), peer.ike.version);
  // FortiOS offers every DH group of the phase 1 with every word: the device may accept more combinations than
  // the model lists, but only of algorithms the model lists.
  const algorithms = new Set([...modelIke].flatMap((c) => c.split("-")));
  expect("IKE proposals", subset(modelIke, deviceIke) && [...deviceIke].every((c) => c.split("-").every((a) => algorithms.has(a))), () => `device accepts ${show(deviceIke)}; the model ${show(modelIke)}`);
  expect("IKE lifetime", Number(value(p1, "keylife")) === peer.ike.lifetime.seconds, () => `keylife ${value(p1, "keylife")}, the model ${peer.ike.lifetime.seconds}`);
  expect("pre-shared key", value(p1, "psksecret") === peer.psk.placeholder, () => `psksecret ${value(p1, "psksecret")}, the model ${peer.psk.placeholder}`);
  expect("local gateway", value(p1, "local-gw") === peer.localAddress, () => `local-gw ${value(p1, "local-gw")}, the device's address ${peer.localAddress}`);
  expect("remote gateway", value(p1, "remote-gw") === host.reachableAddress, () => `remote-gw ${value(p1, "remote-gw")}, the gateway is reachable at ${host.reachableAddress}`);
  expect("outside interface", value(p1, "interface") !== undefined, () => "phase 1 names no interface");
  const interval = Number(value(p1, "dpd-retryinterval"));
  const count = Number(value(p1, "dpd-retrycount"));
  expect("DPD", value(p1, "dpd") === "on-idle" && interval >= 1 && interval <= 60 && count >= 1 && count <= 10, () => `dpd ${value(p1, "dpd")} every ${interval}s × ${count}`);
  if (peer.dpd.delay.seconds >= 1 && peer.dpd.delay.seconds <= 60) {
    expect("DPD delay", interval === peer.dpd.delay.seconds, () => `device probes every ${interval}s, the model ${peer.dpd.delay.seconds}s`);
    expect("DPD timeout", count === Math.min(10, Math.max(1, Math.ceil(peer.dpd.timeout.seconds / interval))), () => `device declares the peer dead after ${count} × ${interval}s, the model after ${peer.dpd.timeout.seconds}s`);
  }
  const peertype = value(p1, "peertype");
  const expects = peertype === "one" ? value(p1, "peerid") : peertype === "any" ? "*" : undefined;
  const sends = value(p1, "localid") ?? value(p1, "local-gw");
  expect("add-route", value(p1, "add-route") === "disable", () => `add-route ${value(p1, "add-route")}: IKE would add routes of its own`);

  // ---- phase 2
  // One phase 2 per family (issue 16): the IPv4 one selects 0.0.0.0/0, the IPv6 one (subnet6) ::/0.
  const all2 = entries(tree, "vpn ipsec phase2-interface").filter((e) => value(e, "phase1name") === name);
  const p2s = all2.filter((e) => value(e, "src-addr-type") === undefined);
  const p2v6 = all2.filter((e) => value(e, "src-addr-type") === "subnet6");
  const p2 = p2s[0];
  expect("phase 2", p2s.length === 1 && all2.length === p2s.length + p2v6.length, () => `${p2s.length} IPv4 phase2-interface entries of ${all2.length} name phase 1 ${name}`);
  const carries6 = t.families.includes(6);
  expect("phase 2 IPv6", p2v6.length === (carries6 ? 1 : 0), () => `${p2v6.length} IPv6 phase2-interface entries name phase 1 ${name}; the tunnel ${carries6 ? "carries" : "does not carry"} IPv6`);
  for (const q of p2v6) {
    expect("selectors IPv6", value(q, "dst-addr-type") === "subnet6" && value(q, "src-subnet6") === "::/0" && value(q, "dst-subnet6") === "::/0", () => `IPv6 phase 2 ${q.key}: src ${value(q, "src-subnet6")}, dst ${value(q, "dst-addr-type")} ${value(q, "dst-subnet6")}`);
    const same = ["proposal", "pfs", "dhgrp", "keylifeseconds", "auto-negotiate"].every((k) => (values(q, k) ?? []).join(" ") === (values(p2, k) ?? []).join(" "));
    expect("phase 2 IPv6 crypto", same, () => `IPv6 phase 2 ${q.key} differs from the IPv4 one in proposal, PFS, lifetime or auto-negotiate`);
  }
  const deviceEsp = phase2Combos(values(p2, "proposal") ?? []);
  const modelEsp = espCombos(peer.esp.proposals.map((p) => p.text));
  expect("ESP proposals", sameSet(deviceEsp, modelEsp), () => `device ${show(deviceEsp)}, the model ${show(modelEsp)}`);
  const pfs = value(p2, "pfs") === "enable" ? (GROUP[value(p2, "dhgrp") ?? ""] ?? `?${value(p2, "dhgrp")}`) : value(p2, "pfs") === "disable" ? "none" : "?";
  const modelPfs = pfsOf(peer.esp.proposals.map((p) => p.text));
  expect("PFS", pfs === modelPfs, () => `device PFS ${pfs}, the model ${modelPfs}`);
  expect("ESP lifetime", Number(value(p2, "keylifeseconds")) === peer.esp.lifetime.seconds, () => `keylifeseconds ${value(p2, "keylifeseconds")}, the model ${peer.esp.lifetime.seconds}`);
  expect("selectors", values(p2, "src-subnet")?.join(" ") === "0.0.0.0 0.0.0.0" && values(p2, "dst-subnet")?.join(" ") === "0.0.0.0 0.0.0.0", () => `src ${values(p2, "src-subnet")?.join(" ")}, dst ${values(p2, "dst-subnet")?.join(" ")}: a route-based tunnel selects 0.0.0.0/0 both ways`);
  expect("auto-negotiate", value(p2, "auto-negotiate") === "enable", () => `auto-negotiate ${value(p2, "auto-negotiate")}`);

  // ---- the gateway's strongSwan files against the device
  for (const sw of gateway.strongswan) {
    const f = (fact: string) => `${fact} (${sw.format})`;
    if (sw.ikeVersion !== undefined) expect(f("IKE version"), sw.ikeVersion === version, () => `gateway IKEv${sw.ikeVersion}, device IKEv${version}`);
    expect(f("IKE proposals"), overlap(ikeCombos(sw.ikeProposals, peer.ike.version), deviceIke), () => `gateway offers ${sw.ikeProposals.join(", ")}, the device accepts ${show(deviceIke)}`);
    if (version === 1 && sw.ikeLifetime !== undefined) expect(f("IKE lifetime"), Number(value(p1, "keylife")) >= sw.ikeLifetime, () => `gateway proposes ${sw.ikeLifetime}s, the device's keylife is ${value(p1, "keylife")}`);
    expect(f("ESP proposals"), overlap(espCombos(sw.espProposals), deviceEsp), () => `gateway offers ${sw.espProposals.join(", ")}, the device ${show(deviceEsp)}`);
    expect(f("PFS"), pfsOf(sw.espProposals) === pfs, () => `gateway PFS ${pfsOf(sw.espProposals)}, device ${pfs}`);
    expect(f("pre-shared key"), sw.psk !== undefined && sw.psk === value(p1, "psksecret"), () => `gateway key ${sw.psk}, device key ${value(p1, "psksecret")}`);
    expect(f("gateway identity"), expects === "*" || bare(sw.localId) === expects, () => `gateway sends ${sw.localId}, the device expects ${expects ?? `(peertype ${peertype})`}`);
    expect(f("device identity"), bare(sw.remoteId) === sends, () => `gateway expects ${sw.remoteId}, the device sends ${sends}`);
    expect(f("gateway endpoints"), sw.local === host.localAddress && sw.remote === peer.reachableAddress, () => `gateway ${sw.local} → ${sw.remote}`);
    if (sw.dpdDelay !== undefined) expect(f("DPD"), sw.dpdDelay === host.dpd.delay.seconds, () => `gateway probes every ${sw.dpdDelay}s, the model ${host.dpd.delay.seconds}s`);
  }

  // ---- tunnel interface
  const iface = entry(tree, "system interface", name);
  const ip = values(iface, "ip");
  const remote = values(iface, "remote-ip");
  const length = lengthOf(remote?.[1]);
  expect("inside address", ip?.[0] === peer.insideAddress?.address && ip?.[1] === "255.255.255.255", () => `device ip ${ip?.join(" ")}, the model ${peer.insideAddress?.address}/32`);
  expect("inside mask", length !== undefined && length === t.inside?.length && (gateway.vti?.length === undefined || gateway.vti.length === length), () => `remote-ip mask ${remote?.[1]} (/${length}), the intent /${t.inside?.length}, the gateway /${gateway.vti?.length}`);
  expect("inside peer", remote?.[0] === hostInside, () => `device expects the gateway at ${remote?.[0]}, the gateway has ${hostInside}`);
  expect("inside network", ip?.[0] !== undefined && hostInside !== undefined && length !== undefined && twoUsableOfOneNetwork(ip[0], hostInside, length), () => `device ${ip?.[0]} and gateway ${hostInside} are not two usable addresses of one /${length}`);
  if (gateway.vti) expect("vti peer", gateway.vti.peer === ip?.[0], () => `the gateway expects the device at ${gateway.vti?.peer}, the device has ${ip?.[0]}`);
  const hostMtu = gateway.vti?.mtu ?? host.mtu;
  expect("mtu", value(iface, "mtu-override") === "enable" && Number(value(iface, "mtu")) === peer.mtu && peer.mtu === hostMtu, () => `device mtu ${value(iface, "mtu")} (override ${value(iface, "mtu-override")}), the model ${peer.mtu}, the gateway ${hostMtu}`);
  expect("mss", Number(value(iface, "tcp-mss")) === peer.mss && peer.mss <= hostMtu - 40, () => `device tcp-mss ${value(iface, "tcp-mss")}, the model ${peer.mss}, the tunnel carries ${hostMtu - 40}`);
  expect("ping", (values(iface, "allowaccess") ?? []).includes("ping"), () => "the gateway's monitor pings the device's inside address, but allowaccess has no ping");
  // IPv6 inside (tunnels.<t>.inside6): `config ipv6` / `set ip6-address`, the model's address and the gateway's network.
  const v6 = sub(iface, "ipv6");
  const ip6 = value(v6, "ip6-address");
  const hostInside6 = gateway.vti?.address6 ?? host.insideAddress6?.address;
  expect("inside6 address", ip6 === peer.insideAddress6?.cidr, () => `${name} has ip6-address ${ip6}, the model ${peer.insideAddress6?.cidr}`);
  if (peer.insideAddress6) {
    expect("inside6 peer", hostInside6 === peer.insidePeerAddress6 && (gateway.vti?.length6 === undefined || gateway.vti.length6 === peer.insideAddress6.length), () => `gateway has ${hostInside6}/${gateway.vti?.length6}, the device expects ${peer.insidePeerAddress6}/${peer.insideAddress6?.length}`);
    expect("inside6 ping", (values(v6, "ip6-allowaccess") ?? []).includes("ping"), () => "ip6-allowaccess has no ping");
  }

  // ---- static routes and the link-monitor
  const routes = entries(tree, "router static").filter((r) => value(r, "device") === name);
  const wanted = new Set(t.bgp ? [] : peer.remoteNetworks.filter((p) => p.family === 4).map((p) => p.cidr));
  // IPv6 routes in router static6, via the gateway's IPv6 inside address.
  const routes6 = entries(tree, "router static6").filter((r) => value(r, "device") === name);
  const wanted6 = new Set(t.bgp ? [] : peer.remoteNetworks.filter((p) => p.family === 6).map((p) => p.cidr));
  const routed6 = new Set(routes6.map((r) => value(r, "dst") ?? "?"));
  expect("routes6", sameSet(wanted6, routed6), () => `device routes ${show(routed6)} into ${name} (static6), the model ${show(wanted6)}`);
  expect("route6 gateway", routes6.every((r) => value(r, "gateway") === hostInside6), () => `IPv6 gateways ${routes6.map((r) => value(r, "gateway")).join(", ")}, the gateway is ${hostInside6}`);
  const routed = new Set(routes.map((r) => cidrOf(values(r, "dst")) ?? "?"));
  expect("routes", sameSet(wanted, routed), () => `device routes ${show(routed)} into ${name}, the model ${show(wanted)}`);
  expect("route gateway", routes.every((r) => value(r, "gateway") === hostInside), () => `gateways ${routes.map((r) => value(r, "gateway")).join(", ")}, the gateway is ${hostInside}`);
  const monitors = entries(tree, "system link-monitor").filter((m) => value(m, "srcintf") === name);
  if (wanted.size) {
    const m = monitors[0];
    const ms = Math.round(t.monitor.timeout.seconds * 1000);
    expect("link-monitor", monitors.length === 1 && value(m, "protocol") === "ping" && value(m, "server") === hostInside && value(m, "source-ip") === ip?.[0], () => `${monitors.length} monitors on ${name}: ${value(m, "protocol")} ${value(m, "server")} from ${value(m, "source-ip")}; the gateway is ${hostInside}`);
    expect("link-monitor timing", Number(value(m, "interval")) === t.monitor.interval.seconds * 1000 && Number(value(m, "probe-timeout")) === ms && ms <= t.monitor.interval.seconds * 1000 && Number(value(m, "failtime")) === t.monitor.failures, () => `interval ${value(m, "interval")} ms, probe-timeout ${value(m, "probe-timeout")} ms, failtime ${value(m, "failtime")}; the model ${t.monitor.interval.seconds * 1000} / ${ms} / ${t.monitor.failures}`);
    // The link-monitor withdraws the routes through gateway-ip that it lists (all of them when it lists none).
    const withdrawn = new Set(values(m, "route") ?? []);
    expect("route tracking", value(m, "update-static-route") === "enable" && value(m, "gateway-ip") === hostInside && sameSet(withdrawn, wanted), () => `update-static-route ${value(m, "update-static-route")} via ${value(m, "gateway-ip")} for ${show(withdrawn)}; the tunnel's routes ${show(wanted)} via ${hostInside}`);
  } else expect("link-monitor", monitors.length === 0, () => `a link-monitor on ${name} withdraws every route of the interface, and the tunnel has no static route`);

  // ---- firewall policies
  const policies = entries(tree, "firewall policy");
  const from = policies.filter((p) => (values(p, "srcintf") ?? []).includes(name));
  const into = policies.filter((p) => (values(p, "dstintf") ?? []).includes(name));
  // One pair per family: IPv4 policies name address objects (srcaddr/dstaddr), IPv6 ones address6 objects
  // (srcaddr6/dstaddr6) and clamp TCP to the MSS − 20 (tcp-mss-sender/-receiver).
  for (const fam of [4, 6] as const) {
    const routedHost = (t.bgp ? t.bgp.peer.accept : peer.remoteNetworks).map((p) => p.cidr).filter((c) => family(c) === fam);
    const routedPeer = (t.bgp ? t.bgp.peer.announce : peer.localNetworks).map((p) => p.cidr).filter((c) => family(c) === fam);
    const [srcKey, dstKey, cidrs] = fam === 4 ? (["srcaddr", "dstaddr", addressCidrs] as const) : (["srcaddr6", "dstaddr6", address6Cidrs] as const);
    const mssOk = (p: FosEdit) => (fam === 4 ? value(p, "tcp-mss-sender") === undefined : Number(value(p, "tcp-mss-sender")) === peer.mss6 && Number(value(p, "tcp-mss-receiver")) === peer.mss6 && peer.mss6 <= hostMtu - 60);
    const admits = (ps: readonly FosEdit[], src: readonly string[], dst: readonly string[]) =>
      ps.some((p) => value(p, "action") === "accept" && value(p, "service") === "ALL" && value(p, "schedule") === "always" && mssOk(p) && subset(new Set(src), cidrs(tree, values(p, srcKey))) && subset(new Set(dst), cidrs(tree, values(p, dstKey))));
    const label = fam === 4 ? "" : " (IPv6)";
    if (routedHost.length && routedPeer.length) {
      expect(`policy from the tunnel${label}`, admits(from, routedHost, routedPeer), () => `no policy from ${name} admits ${routedHost.join(", ")} → ${routedPeer.join(", ")}${fam === 6 ? ` with tcp-mss ${peer.mss6}` : ""}`);
      expect(`policy into the tunnel${label}`, admits(into, routedPeer, routedHost), () => `no policy into ${name} admits ${routedPeer.join(", ")} → ${routedHost.join(", ")}${fam === 6 ? ` with tcp-mss ${peer.mss6}` : ""}`);
    }
  }
  for (const p of [...from, ...into]) {
    const four = [...addressCidrs(tree, values(p, "srcaddr")), ...addressCidrs(tree, values(p, "dstaddr"))];
    const six = [...address6Cidrs(tree, values(p, "srcaddr6")), ...address6Cidrs(tree, values(p, "dstaddr6"))];
    const all = [...four, ...six];
    expect("policy addresses", all.length > 0 && all.every((c) => !c.startsWith("?")) && four.every((c) => family(c) === 4) && six.every((c) => family(c) === 6), () => `policy ${p.key} uses ${all.join(", ")} (? = no such address object)`);
  }

  // ---- BGP
  const bgp = tree.find((c) => c.path === "router bgp");
  const neighbors = sub(bgp, "neighbor")?.edits ?? [];
  if (!t.bgp) {
    expect("bgp neighbor", !neighbors.some((n) => n.key === hostInside), () => `a BGP neighbour at ${hostInside}, the model runs no BGP over tunnel ${t.name}`);
    return out;
  }
  const all = t.bgp;
  // A dual-stack tunnel runs a second session over its IPv6 inside addresses: the IPv4 session carries IPv4 only.
  const b6 = all.peer.neighbor6 !== undefined ? all : undefined;
  const only = (side: typeof all.peer, fam: 4 | 6) => ({ ...side, accept: side.accept.filter((p) => p.family === fam), announce: side.announce.filter((p) => p.family === fam) });
  const b = b6 ? { ...all, peer: only(all.peer, 4), host: only(all.host, 4) } : all;
  expect("bgp local AS", Number(value(bgp, "as")) === b.peer.as, () => `router bgp as ${value(bgp, "as")}, the model ${b.peer.as}`);
  expect("bgp router id", value(bgp, "router-id") === b.peer.routerId, () => `router-id ${value(bgp, "router-id")}, the model ${b.peer.routerId}`);
  const n = neighbors.find((x) => x.key === hostInside);
  expect("bgp neighbor", n !== undefined && b.peer.neighbor === hostInside, () => `neighbours ${neighbors.map((x) => x.key).join(", ") || "(none)"}, the gateway's inside address ${hostInside}`);
  if (!n) return out;
  expect("bgp families", value(n, "activate") !== "disable" && value(n, "activate6") === "disable", () => `IPv4 neighbour activate ${value(n, "activate")} activate6 ${value(n, "activate6")}`);
  expect("bgp remote-as", Number(value(n, "remote-as")) === b.host.as, () => `remote-as ${value(n, "remote-as")}, the gateway's AS ${b.host.as}`);
  expect("bgp timers", Number(value(n, "keep-alive-timer")) === b.keepalive.seconds && Number(value(n, "holdtime-timer")) === b.holdTime.seconds, () => `keepalive ${value(n, "keep-alive-timer")} hold ${value(n, "holdtime-timer")}, the model ${b.keepalive.seconds}/${b.holdTime.seconds}`);
  expect("bgp update-source", value(n, "update-source") === name, () => `update-source ${value(n, "update-source")}`);
  const interfaceBfd = value(iface, "bfd") === "enable";
  expect("bgp bfd", (value(n, "bfd") === "enable") === b.bfd && interfaceBfd === b.bfd, () => `neighbour bfd ${value(n, "bfd")}, interface bfd ${value(iface, "bfd")}, the model ${b.bfd}`);
  const permits = (list: string | undefined) => {
    const rules = sub(entry(tree, "router prefix-list", list ?? ""), "rule")?.edits;
    if (!rules) return undefined;
    return rules.map((r) => (value(r, "action") === "permit" && isUnset(r, "ge") && isUnset(r, "le") ? (cidrOf(values(r, "prefix")) ?? "?") : value(r, "action") === "deny" && values(r, "prefix")?.join(" ") === "0.0.0.0 0.0.0.0" && value(r, "le") === "32" ? "deny-all" : "?"));
  };
  const same = (found: string[] | undefined, model: readonly { cidr: string }[]) => found !== undefined && (model.length ? sameSet(new Set(found), new Set(model.map((p) => p.cidr))) : found.length === 1 && found[0] === "deny-all");
  const accepted = permits(value(n, "prefix-list-in"));
  const announced = permits(value(n, "prefix-list-out"));
  expect("bgp accept", same(accepted, b.peer.accept), () => `prefix-list-in lets ${accepted?.join(", ") ?? "(missing list)"}, the model ${b.peer.accept.map((p) => p.cidr).join(", ") || "nothing"}`);
  expect("bgp announce", same(announced, b.peer.announce), () => `prefix-list-out lets ${announced?.join(", ") ?? "(missing list)"}, the model ${b.peer.announce.map((p) => p.cidr).join(", ") || "nothing"}`);
  const networks = new Set((sub(bgp, "network")?.edits ?? []).map((e) => cidrOf(values(e, "prefix")) ?? "?"));
  expect("bgp networks", b.peer.announce.every((p) => networks.has(p.cidr)), () => `network entries ${show(networks)}, the model announces ${b.peer.announce.map((p) => p.cidr).join(", ")}`);
  if (b6) {
    const n6 = neighbors.find((x) => x.key === hostInside6);
    const want = (side: readonly { cidr: string; family: number }[]) => side.filter((p) => p.family === 6);
    if (!n6) out.push(`bgp6 neighbor: neighbours ${neighbors.map((x) => x.key).join(", ")}, the gateway's IPv6 inside address ${hostInside6}`);
    else {
      expect("bgp6 neighbor", b6.peer.neighbor6 === hostInside6 && value(n6, "update-source") === name && Number(value(n6, "remote-as")) === b6.host.as, () => `neighbour ${n6.key} remote-as ${value(n6, "remote-as")} from ${value(n6, "update-source")}`);
      expect("bgp6 family", value(n6, "activate") === "disable" && value(n6, "activate6") === "enable", () => `IPv6 neighbour activate ${value(n6, "activate")} activate6 ${value(n6, "activate6")}`);
      const permits6 = (list: string | undefined) => {
        const rules = sub(entry(tree, "router prefix-list6", list ?? ""), "rule")?.edits;
        if (!rules) return undefined;
        return rules.map((r) => (value(r, "action") === "permit" && isUnset(r, "ge") && isUnset(r, "le") ? (value(r, "prefix6") ?? "?") : value(r, "action") === "deny" && value(r, "prefix6") === "::/0" && value(r, "le") === "128" ? "deny-all" : "?"));
      };
      const acc6 = permits6(value(n6, "prefix-list-in6"));
      const ann6 = permits6(value(n6, "prefix-list-out6"));
      expect("bgp6 accept", same(acc6, want(b6.peer.accept)), () => `prefix-list-in6 lets ${acc6?.join(", ") ?? "(missing list)"}, the model ${want(b6.peer.accept).map((p) => p.cidr).join(", ") || "nothing"}`);
      expect("bgp6 announce", same(ann6, want(b6.peer.announce)), () => `prefix-list-out6 lets ${ann6?.join(", ") ?? "(missing list)"}, the model ${want(b6.peer.announce).map((p) => p.cidr).join(", ") || "nothing"}`);
      const networks6 = new Set((sub(bgp, "network6")?.edits ?? []).map((e) => value(e, "prefix6") ?? "?"));
      expect("bgp6 networks", want(b6.peer.announce).every((p) => networks6.has(p.cidr)), () => `network6 entries ${show(networks6)}, the model announces ${want(b6.peer.announce).map((p) => p.cidr).join(", ")}`);
      expect("bgp6 policy", value(n6, "route-map-in6") === value(n, "route-map-in") && value(n6, "route-map-out6") === value(n, "route-map-out") && (value(n6, "bfd") === "enable") === b6.bfd, () => `IPv6 neighbour route maps ${value(n6, "route-map-in6")}/${value(n6, "route-map-out6")}, bfd ${value(n6, "bfd")}`);
    }
  }
  const rule = (map: string | undefined) => sub(entry(tree, "router route-map", map ?? ""), "rule")?.edits[0];
  const rin = rule(value(n, "route-map-in"));
  const rout = rule(value(n, "route-map-out"));
  const prepend = values(rout, "set-aspath")?.join(" ").split(" ").filter(Boolean) ?? [];
  expect(
    "bgp preference",
    Number(value(rin, "set-local-preference")) === b.localPref && Number(value(rout, "set-metric")) === b.med && prepend.length === b.prepend && prepend.every((a) => Number(a) === b.peer.as) && (b.prepend === 0 || value(rout, "set-aspath-action") === "prepend"),
    () => `local-pref ${value(rin, "set-local-preference")}, MED ${value(rout, "set-metric")}, prepend ${prepend.join(" ")}; the model ${b.preference}: ${b.localPref}, ${b.med}, ${b.prepend}×${b.peer.as}`,
  );
  // The gateway's FRR: the two sessions must be the two ends of one.
  if (gateway.frr !== undefined) {
    const frr = bgpOf(readFrr(gateway.frr));
    const g = frr?.neighbors.find((x) => x.address === ip?.[0]);
    expect("gateway bgp neighbor", g !== undefined, () => `the gateway's FRR has neighbours ${frr?.neighbors.map((x) => x.address).join(", ") ?? "(no router bgp)"}, the device is at ${ip?.[0]}`);
    if (frr && g) {
      expect("gateway bgp AS", frr.as === Number(value(n, "remote-as")) && g.remoteAs === Number(value(bgp, "as")), () => `gateway router bgp ${frr.as} expects ${g.remoteAs}; the device is ${value(bgp, "as")} and expects ${value(n, "remote-as")}`);
      expect("gateway bgp timers", g.timers?.keepalive === Number(value(n, "keep-alive-timer")) && g.timers?.holdTime === Number(value(n, "holdtime-timer")), () => `gateway timers ${JSON.stringify(g.timers)}, device ${value(n, "keep-alive-timer")}/${value(n, "holdtime-timer")}`);
      expect("gateway bgp bfd", g.bfd === (value(n, "bfd") === "enable"), () => `gateway bfd ${g.bfd}, device ${value(n, "bfd")}`);
    }
  }
  return out;
}
