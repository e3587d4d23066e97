/**
 * IPv4 and IPv6 for the whole compiler. Everything else works with the plain `Prefix`/`IfAddress` values made
 * here (each carries its `family`) and never parses addresses itself.
 *
 * Every address and CIDR an intent file holds is validated once (`isIpv4`, `isIpv6`: Node's own node:net
 * checks behind a strict character gate; ./ip.test.ts holds them to ip-num's validators on random and
 * malformed text), and its text made canonical here (IPv6 in RFC 5952 form: lower case, the longest run of zero groups as `::`), so
 * equal addresses are equal strings. The arithmetic the meaning checks repeat on those already-valid
 * prefixes (overlap, containment, ordering) runs on unsigned 32-bit integers for IPv4 and on BigInt for
 * IPv6: ip-num's range objects go through BigInt and binary strings on every call, which cost 2 ms per site
 * in the meaning checks alone.
 */
import { isIPv4, isIPv6 } from "node:net";
import type { Family, IfAddress, Prefix } from "../model/types.js";

// node:net rather than ip-num at run time (issue 18): loading ip-num's 13 CommonJS files and its IPv6
// validator (BigInt and binary strings per call) cost more than everything else validate does with one site.
// ip-num stays the oracle the tests compare with.

/** A dotted quad (no leading zeros, each part 0-255). */
export function isIpv4(text: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(text) && isIPv4(text);
}

/** An IPv6 address in text form without a zone (`%eth0`) and without an embedded IPv4 part. */
export function isIpv6(text: string): boolean {
  return /^[0-9A-Fa-f:]+$/.test(text) && text.includes(":") && isIPv6(text);
}

export function isIp(text: string): boolean {
  return isIpv4(text) || isIpv6(text);
}

/** The family of a valid address or CIDR text. */
export function familyOf(text: string): Family {
  return text.includes(":") ? 6 : 4;
}

/** Bits in an address of the family. */
export function addressBits(family: Family): 32 | 128 {
  return family === 4 ? 32 : 128;
}

/** A valid address in its canonical text form (IPv6: RFC 5952). */
export function canonical(address: string): string {
  return familyOf(address) === 4 ? address : fromBig6(toBig6(address));
}

/** "10.0.0.0/8" or "2001:db8::/32" → Prefix. The caller has checked the syntax; alignment is reported, not fixed. */
export function parseCidr(text: string, name?: string): { prefix: Prefix; aligned: boolean } {
  const slash = text.indexOf("/");
  const addr = slash < 0 ? text : text.slice(0, slash);
  const family = familyOf(addr);
  const length = slash < 0 ? addressBits(family) : Number(text.slice(slash + 1));
  const given = canonical(addr);
  const network = family === 4 ? fromInt((toInt(addr) & maskBits(length)) >>> 0) : fromBig6(toBig6(addr) & maskBig6(length));
  return { prefix: makePrefix(network, length, name), aligned: network === given };
}

export function makePrefix(network: string, length: number, name?: string): Prefix {
  const family = familyOf(network);
  const p: Prefix = { cidr: `${network}/${length}`, network, length, mask: maskOf(length, family), family };
  return name === undefined ? p : { ...p, name };
}

/** "172.16.1.157/24", "2001:db8::10/64" or an address alone (→ /32, /128) → interface address with its connected network. */
export function parseIfAddress(text: string): IfAddress {
  const slash = text.indexOf("/");
  const address = canonical(slash < 0 ? text : text.slice(0, slash));
  const family = familyOf(address);
  const length = slash < 0 ? addressBits(family) : Number(text.slice(slash + 1));
  const { prefix } = parseCidr(`${address}/${length}`);
  return { address, length, cidr: `${address}/${length}`, network: prefix, family };
}

/** A single address as a prefix: /32 or /128. */
export function hostPrefix(address: string, name?: string): Prefix {
  const a = canonical(address);
  return makePrefix(a, addressBits(familyOf(a)), name);
}

/** The netmask of a length: dotted quad for IPv4, an IPv6 address for IPv6 (`ffff:ffff::`). */
export function maskOf(length: number, family: Family = 4): string {
  if (family === 6) return fromBig6(maskBig6(length));
  const bits = maskBits(length);
  return [24, 16, 8, 0].map((s) => (bits >>> s) & 255).join(".");
}

/**
 * The two addresses of a point-to-point network: /30 and /126 (or a wider IPv6 link-local network) → first
 * and second usable, /31 and /127 → both addresses.
 */
export function pointToPointPair(inside: Prefix): [string, string] {
  if (inside.family === 6) {
    const base = toBig6(inside.network);
    const first = inside.length === 127 ? base : base + 1n;
    return [fromBig6(first), fromBig6(first + 1n)];
  }
  const base = toInt(inside.network);
  const first = inside.length === 31 ? base : base + 1;
  return [fromInt(first), fromInt(first + 1)];
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  if (a.family !== b.family) return false;
  if (a.family === 6) {
    const [aFirst, aLast] = range6(a);
    const [bFirst, bLast] = range6(b);
    return aFirst <= bLast && bFirst <= aLast;
  }
  const [aFirst, aLast] = range(a);
  const [bFirst, bLast] = range(b);
  return aFirst <= bLast && bFirst <= aLast;
}

/** Does `outer` contain `inner` (equal counts)? Never across families. */
export function containsPrefix(outer: Prefix, inner: Prefix): boolean {
  if (outer.family !== inner.family) return false;
  if (outer.family === 6) {
    const [oFirst, oLast] = range6(outer);
    const [iFirst, iLast] = range6(inner);
    return oFirst <= iFirst && iLast <= oLast;
  }
  const [oFirst, oLast] = range(outer);
  const [iFirst, iLast] = range(inner);
  return oFirst <= iFirst && iLast <= oLast;
}

export function containsAddress(outer: Prefix, address: string): boolean {
  if (outer.family !== familyOf(address)) return false;
  if (outer.family === 6) {
    const [first, last] = range6(outer);
    const n = toBig6(address);
    return first <= n && n <= last;
  }
  const [first, last] = range(outer);
  const n = toInt(address);
  return first <= n && n <= last;
}

/** IPv4 before IPv6; within a family by network, then length. */
export function comparePrefixes(a: Prefix, b: Prefix): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.family === 6) {
    const x = toBig6(a.network);
    const y = toBig6(b.network);
    return x < y ? -1 : x > y ? 1 : a.length - b.length;
  }
  return toInt(a.network) - toInt(b.network) || a.length - b.length;
}

/** The families of some prefixes (and extra families), sorted: [4], [6] or [4, 6]. */
export function familiesOf(prefixes: readonly Prefix[], extra: readonly Family[] = []): Family[] {
  const set = new Set<Family>([...prefixes.map((p) => p.family), ...extra]);
  return ([4, 6] as const).filter((f) => set.has(f));
}

/** fe80::/10: an IPv6 link-local address or network. */
export function isLinkLocal6(p: Prefix): boolean {
  return p.family === 6 && p.length >= 10 && (toBig6(p.network) >> 118n) === 0x3fan;
}

/** Addresses in a prefix, as a BigInt (2^(bits − length)). */
export function sizeOf(p: Prefix): bigint {
  return 1n << BigInt(addressBits(p.family) - p.length);
}

/** First and last address of an IPv4 prefix, as unsigned 32-bit integers. */
function range(p: Prefix): [number, number] {
  const first = (toInt(p.network) & maskBits(p.length)) >>> 0;
  return [first, first + 2 ** (32 - p.length) - 1];
}

function maskBits(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

/** A dotted quad (already validated) as an unsigned 32-bit integer; a char loop, as rules call it per pair. */
function toInt(address: string): number {
  let acc = 0;
  let octet = 0;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c === 46) {
      acc = acc * 256 + octet;
      octet = 0;
    } else octet = octet * 10 + (c - 48);
  }
  return acc * 256 + octet;
}

function fromInt(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}

// IPv6 ---------------------------------------------------------------------------------------------------

const ALL6 = (1n << 128n) - 1n;

function range6(p: Prefix): [bigint, bigint] {
  const first = toBig6(p.network) & maskBig6(p.length);
  return [first, first | (ALL6 ^ maskBig6(p.length))];
}

function maskBig6(length: number): bigint {
  return length === 0 ? 0n : (ALL6 << BigInt(128 - length)) & ALL6;
}

/** A valid IPv6 text (without zone or embedded IPv4) → its 128-bit value. */
function toBig6(address: string): bigint {
  const [head = "", tail] = address.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** A 128-bit value → RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
function fromBig6(n: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}
