/**
 * Address arithmetic the lab needs beyond src/net/ipv4.ts: free addresses for the things a site does not name
 * (the underlay router's address on a host network, point-to-point links to tunnel engines, pod networks).
 * Every address the lab invents is checked against every prefix and address the site uses, so an invented
 * address can never shadow one of the site's.
 */
import type { Prefix, SiteModel } from "../model/types.js";
import { canonical, containsAddress, familyOf, makePrefix, overlaps, parseCidr, pointToPointPair } from "../net/ip.js";

export function toInt(address: string): number {
  return address.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function fromInt(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

/** Every prefix and address (as /32, /128) the site names: networks, host and peer addresses, tunnel and link insides. */
export function usedPrefixes(model: SiteModel): Prefix[] {
  const out: Prefix[] = model.networks.map((n) => n.prefix);
  const address = (a: string) => out.push(makePrefix(a, familyOf(a) === 6 ? 128 : 32));
  for (const h of model.hosts) {
    for (const a of h.addresses) {
      out.push(a.network);
      address(a.address);
    }
    if (h.publicAddress) address(h.publicAddress);
    for (const e of h.externalInterfaces) out.push(e.address.network);
    for (const d of h.ipips) out.push(d.address.network);
    for (const d of h.vtis) out.push(d.address.network, ...(d.address6 ? [d.address6.network] : []));
  }
  for (const p of model.peers) {
    address(p.address);
    if (p.publicAddress) address(p.publicAddress);
  }
  for (const t of model.tunnels) {
    for (const end of [t.host, t.peer]) {
      address(end.localAddress);
      address(end.reachableAddress);
      out.push(...end.localNetworks, ...end.remoteNetworks);
    }
    if (t.inside) out.push(t.inside);
    if (t.inside6) out.push(t.inside6);
  }
  for (const l of model.links) out.push(l.inside);
  for (const f of model.flows) out.push(...f.to, ...f.sources.map((s) => s.prefix));
  return out;
}

/**
 * The first usable address of a network (the address itself for /31 and /32, /127 and /128): what stands for it
 * in probes (the explain engine's representative, so both ask about the same address).
 */
export function representative(p: Prefix): string {
  if (p.family === 6) return p.length >= 127 ? p.network : pointToPointPair(p)[0];
  if (p.length >= 31) return p.network;
  return fromInt(toInt(p.network) + 1);
}

/** The last usable address of a network (the address itself for /32, the second one for /31). */
export function lastUsable(p: Prefix): string {
  if (p.family === 6) return p.length === 128 ? p.network : fromBig6(toBig6(p.network) + (1n << BigInt(128 - p.length)) - (p.length === 127 ? 1n : 2n));
  if (p.length === 32) return p.network;
  if (p.length === 31) return fromInt(toInt(p.network) + 1);
  return fromInt(toInt(p.network) + 2 ** (32 - p.length) - 2);
}

/**
 * The highest usable address of `network` that is not in `taken` (addresses): the underlay router's address on
 * a host network. Undefined for /31 and /32 networks or when every address is taken.
 */
export function freeAddressIn(network: Prefix, taken: ReadonlySet<string>): string | undefined {
  if (network.family === 6) {
    if (network.length >= 127) return undefined;
    const last = toBig6(network.network) + (1n << BigInt(128 - network.length)) - 2n;
    for (let n = last, tries = 0; tries < 4096 && n > toBig6(network.network); n--, tries++) {
      const a = fromBig6(n);
      if (!taken.has(a)) return a;
    }
    return undefined;
  }
  if (network.length >= 31) return undefined;
  const first = toInt(network.network) + 1;
  const last = toInt(network.network) + 2 ** (32 - network.length) - 2;
  for (let n = last, tries = 0; n >= first && tries < 4096; n--, tries++) {
    const a = fromInt(n);
    if (!taken.has(a)) return a;
  }
  return undefined;
}

/** Where the lab looks for networks of its own (link-local, CGNAT, benchmarking, private), in this order. */
const POOLS = ["169.254.0.0/16", "100.64.0.0/10", "198.18.0.0/15", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/**
 * `count` networks of `length` bits that overlap nothing in `avoid`: from `preferred` first (from its start),
 * then from the pools above (from their top: the low ends of the private ranges are the ones sites use most).
 * Throws when the site leaves no room (it would have to use every private range).
 */
export function freeBlocks(length: number, count: number, avoid: readonly Prefix[], preferred: readonly string[] = []): Prefix[] {
  const out: Prefix[] = [];
  const taken = [...avoid];
  const pools = [...preferred.map((p) => ({ pool: p, up: true })), ...POOLS.map((p) => ({ pool: p, up: false }))];
  for (const { pool, up } of pools) {
    const p = parseCidr(pool).prefix;
    if (p.length > length) continue;
    const size = 2 ** (32 - length);
    const base = toInt(p.network);
    const count2 = 2 ** (length - p.length);
    for (let k = 0; k < count2 && out.length < count; k++) {
      const n = up ? base + k * size : base + (count2 - 1 - k) * size;
      const candidate = makePrefix(fromInt(n), length);
      if (taken.some((t) => overlaps(t, candidate))) continue;
      out.push(candidate);
      taken.push(candidate);
    }
    if (out.length === count) return out;
  }
  throw new Error(`no room for ${count} lab network(s) of /${length} outside the site's own prefixes`);
}

/** Does any prefix in `prefixes` contain `address`? */
export function inAny(address: string, prefixes: readonly Prefix[]): Prefix | undefined {
  return prefixes.find((p) => containsAddress(p, address));
}

/** An IPv6 address as a 128-bit integer (valid text: the model's, canonical or not). */
export function toBig6(address: string): bigint {
  const [head = "", tail] = address.split("::");
  const groups = (t: string) => (t === "" ? [] : t.split(":"));
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** A 128-bit integer as canonical IPv6 text (RFC 5952). */
export function fromBig6(n: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16));
  return canonical(groups.join(":"));
}

/**
 * `count` IPv6 networks of `length` bits inside `within` (from its start) that overlap nothing in `avoid`: the
 * lab's IPv6 pod networks. Throws when `within` has no room.
 */
export function freeBlocks6(length: number, count: number, avoid: readonly Prefix[], within: Prefix): Prefix[] {
  const out: Prefix[] = [];
  const size = 1n << BigInt(128 - length);
  const base = toBig6(within.network);
  const total = within.length >= length ? 1n : 1n << BigInt(length - within.length);
  for (let k = 0n; k < total && k < 4096n && out.length < count; k++) {
    const candidate = makePrefix(fromBig6(base + k * size), Math.max(length, within.length));
    if ([...avoid, ...out].some((t) => overlaps(t, candidate))) continue;
    out.push(candidate);
  }
  if (out.length < count) throw new Error(`no room for ${count} lab network(s) of /${length} in ${within.cidr}`);
  return out;
}
