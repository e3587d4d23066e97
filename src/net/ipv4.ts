/**
 * IPv4 for the whole compiler. Everything else works with the plain `Prefix`/`IfAddress` values made here and
 * never parses addresses itself.
 *
 * Every address and CIDR an intent file holds is parsed and validated once, by ip-num (`isIpv4`, `parseCidr`).
 * The arithmetic the meaning checks repeat on those already-valid prefixes (overlap, containment, ordering)
 * runs on unsigned 32-bit integers: ip-num's range objects go through BigInt and binary strings on every
 * call, which cost 2 ms per site in the meaning checks alone.
 */
import { createRequire } from "node:module";
import type * as IpNum from "ip-num";
import type { IfAddress, Prefix } from "../model/types.js";

// Through require: imported as an ES module, Node first scans every CommonJS file of ip-num for its export
// names, which cost more at start-up than everything validate does with one site.
const { IPv4CidrRange, Validator } = createRequire(import.meta.url)("ip-num") as typeof IpNum;

export function isIpv4(text: string): boolean {
  return Validator.isValidIPv4String(text)[0] && /^\d+\.\d+\.\d+\.\d+$/.test(text);
}

/** "10.0.0.0/8" → Prefix. The caller has checked the syntax (schema pattern); alignment is reported, not fixed. */
export function parseCidr(text: string, name?: string): { prefix: Prefix; aligned: boolean } {
  const [addr = "", lenText = "32"] = text.split("/");
  const length = Number(lenText);
  const network = IPv4CidrRange.fromCidr(`${addr}/${length}`).getFirst().toString();
  return { prefix: makePrefix(network, length, name), aligned: network === addr };
}

export function makePrefix(network: string, length: number, name?: string): Prefix {
  const p: Prefix = { cidr: `${network}/${length}`, network, length, mask: maskOf(length) };
  return name === undefined ? p : { ...p, name };
}

/** "172.16.1.157/24" or "172.16.1.157" (→ /32) → interface address with its connected network. */
export function parseIfAddress(text: string): IfAddress {
  const [address = "", lenText = "32"] = text.split("/");
  const length = Number(lenText);
  const { prefix } = parseCidr(`${address}/${length}`);
  return { address, length, cidr: `${address}/${length}`, network: prefix };
}

export function hostPrefix(address: string, name?: string): Prefix {
  return makePrefix(address, 32, name);
}

export function maskOf(length: number): string {
  const bits = maskBits(length);
  return [24, 16, 8, 0].map((s) => (bits >>> s) & 255).join(".");
}

/** The two addresses of a point-to-point network: /30 → first and second usable, /31 → both addresses. */
export function pointToPointPair(inside: Prefix): [string, string] {
  const base = toInt(inside.network);
  const first = inside.length === 31 ? base : base + 1;
  return [fromInt(first), fromInt(first + 1)];
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  const [aFirst, aLast] = range(a);
  const [bFirst, bLast] = range(b);
  return aFirst <= bLast && bFirst <= aLast;
}

/** Does `outer` contain `inner` (equal counts)? */
export function containsPrefix(outer: Prefix, inner: Prefix): boolean {
  const [oFirst, oLast] = range(outer);
  const [iFirst, iLast] = range(inner);
  return oFirst <= iFirst && iLast <= oLast;
}

export function containsAddress(outer: Prefix, address: string): boolean {
  const [first, last] = range(outer);
  const n = toInt(address);
  return first <= n && n <= last;
}

export function comparePrefixes(a: Prefix, b: Prefix): number {
  return toInt(a.network) - toInt(b.network) || a.length - b.length;
}

/** First and last address of a prefix, as unsigned 32-bit integers. */
function range(p: Prefix): [number, number] {
  const first = (toInt(p.network) & maskBits(p.length)) >>> 0;
  return [first, first + 2 ** (32 - p.length) - 1];
}

function maskBits(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

function toInt(address: string): number {
  return address.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
}

function fromInt(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}
