/**
 * IPv4 arithmetic for the whole compiler, on top of ip-num. Everything else works with the plain
 * `Prefix`/`IfAddress` values made here and never parses addresses itself.
 */
import ipnum from "ip-num";
import type { IfAddress, Prefix } from "../model/types.js";

const { IPv4, IPv4CidrRange, Validator } = ipnum;

export function isIpv4(text: string): boolean {
  return Validator.isValidIPv4String(text)[0] && /^\d+\.\d+\.\d+\.\d+$/.test(text);
}

/** "10.0.0.0/8" → Prefix. The caller has checked the syntax (schema pattern); alignment is reported, not fixed. */
export function parseCidr(text: string, name?: string): { prefix: Prefix; aligned: boolean } {
  const [addr = "", lenText = "32"] = text.split("/");
  const length = Number(lenText);
  const range = IPv4CidrRange.fromCidr(`${addr}/${length}`);
  const network = range.getFirst().toString();
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
  const bits = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return [24, 16, 8, 0].map((s) => (bits >>> s) & 255).join(".");
}

/** The two addresses of a point-to-point network: /30 → first and second usable, /31 → both addresses. */
export function pointToPointPair(inside: Prefix): [string, string] {
  const base = toInt(inside.network);
  const first = inside.length === 31 ? base : base + 1;
  return [fromInt(first), fromInt(first + 1)];
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  return range(a).isOverlapping(range(b));
}

/** Does `outer` contain `inner` (equal counts)? */
export function containsPrefix(outer: Prefix, inner: Prefix): boolean {
  return range(outer).contains(range(inner));
}

export function containsAddress(outer: Prefix, address: string): boolean {
  return range(outer).contains(IPv4.fromString(address));
}

export function comparePrefixes(a: Prefix, b: Prefix): number {
  return toInt(a.network) - toInt(b.network) || a.length - b.length;
}

function range(p: Prefix) {
  return IPv4CidrRange.fromCidr(p.cidr);
}

function toInt(address: string): number {
  return address.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
}

function fromInt(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
}
