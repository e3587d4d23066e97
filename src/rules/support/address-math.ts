/** Address arithmetic the rules need beyond src/net/ipv4.ts (belongs there; kept here until moved). */
import type { Prefix } from "../../model/types.js";

const toInt = (address: string) => address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
const fromInt = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");

/** The broadcast address of a prefix. */
export function lastAddress(prefix: Prefix): string {
  return fromInt(toInt(prefix.network) + 2 ** (32 - prefix.length) - 1);
}

/** First and last address an interface may hold (a /30 or shorter loses network and broadcast). */
export function usableRange(prefix: Prefix): { first: string; last: string } {
  const first = toInt(prefix.network);
  const last = first + 2 ** (32 - prefix.length) - 1;
  return prefix.length > 30 ? { first: fromInt(first), last: fromInt(last) } : { first: fromInt(first + 1), last: fromInt(last - 1) };
}
