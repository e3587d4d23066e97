/**
 * Address arithmetic the rules need beyond src/net/ip.ts, for both families (belongs there; kept here until
 * moved). What an interface may hold differs by family:
 * - IPv4: a /30 or shorter loses its network and broadcast address; a /31 (RFC 3021) and a /32 keep both.
 * - IPv6 has no broadcast. The first address of a prefix is the subnet-router anycast address (RFC 4291
 *   2.6.1), not an interface's own unicast address; a /127 (RFC 6164: both ends of a point-to-point link may
 *   use both addresses, no subnet-router anycast) and a /128 keep every address.
 * src/rules/support/address-math.test.ts checks these against ip-num.
 */
import { addressBits, canonical, containsAddress, familyOf } from "../../net/ip.js";
import type { Prefix } from "../../model/types.js";

/** A valid address (either family) → its value. */
export function addressValue(address: string): bigint {
  if (familyOf(address) === 4) return address.split(".").reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
  const [head = "", tail] = address.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** A value → canonical address text of the family (IPv6: RFC 5952, through src/net/ip.ts). */
export function addressText(value: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join(".");
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) => ((value >> s) & 0xffffn).toString(16));
  return canonical(groups.join(":"));
}

/** The last address of a prefix: IPv4's broadcast address; for IPv6 just the last address (no broadcast). */
export function lastAddress(prefix: Prefix): string {
  const size = 1n << BigInt(addressBits(prefix.family) - prefix.length);
  return addressText(addressValue(prefix.network) + size - 1n, prefix.family);
}

/** Does an address of this prefix's length keep every address (no network, broadcast or anycast address taken out)? */
function keepsAll(prefix: Prefix): boolean {
  return prefix.length >= addressBits(prefix.family) - 1;
}

/** First and last address an interface may hold (see the file comment for what each family takes out). */
export function usableRange(prefix: Prefix): { first: string; last: string } {
  const first = addressValue(prefix.network);
  const last = addressValue(lastAddress(prefix));
  if (keepsAll(prefix)) return { first: prefix.network, last: lastAddress(prefix) };
  return { first: addressText(first + 1n, prefix.family), last: addressText(prefix.family === 4 ? last - 1n : last, prefix.family) };
}

/** Why an address of `prefix` cannot be an interface's own address, or undefined when it can (or lies outside). */
export function reservedIn(prefix: Prefix, address: string): "network" | "broadcast" | "subnet-router anycast" | undefined {
  if (!containsAddress(prefix, address) || keepsAll(prefix)) return undefined;
  const a = canonical(address);
  if (a === prefix.network) return prefix.family === 4 ? "network" : "subnet-router anycast";
  if (prefix.family === 4 && a === lastAddress(prefix)) return "broadcast";
  return undefined;
}

/** An address an interface on `prefix` may hold: inside it and not taken out (reservedIn). */
export function isUsableIn(prefix: Prefix, address: string | undefined): address is string {
  return address !== undefined && containsAddress(prefix, address) && reservedIn(prefix, address) === undefined;
}
