/**
 * Guards at the point where model values become text in a shell script, a sysctl file or an iptables rule.
 * The schema and the resolver already guarantee these shapes; checking again here makes every value that
 * reaches an artifact typed by construction, so a gap upstream fails loudly instead of emitting syntax.
 */
import { DEVICE_PATTERN, NAME_PATTERN } from "../../intent/patterns.js";
import type { IfAddress, Prefix } from "../../model/types.js";
import { isIpv4, isIpv6 } from "../../net/ip.js";

const DEVICE = new RegExp(DEVICE_PATTERN);
const NAME = new RegExp(NAME_PATTERN);

function refuse(what: string, value: unknown): never {
  throw new Error(`internal: ${what} ${JSON.stringify(value)} reached a host artifact`);
}

/** A Linux interface name (the schema's device pattern: no whitespace, quotes or shell syntax). */
export function device(name: string): string {
  return DEVICE.test(name) ? name : refuse("device name", name);
}

/** A host, tunnel or link name (lowercase letters, digits and '-'). */
export function nodeName(value: string): string {
  return NAME.test(value) ? value : refuse("name", value);
}

export function ipv4(address: string): string {
  return isIpv4(address) ? address : refuse("IPv4 address", address);
}

export function ipv6(address: string): string {
  return isIpv6(address) ? address : refuse("IPv6 address", address);
}

/** An address of either family, in its canonical text (RFC 5952 for IPv6). */
export function ip(address: string): string {
  return isIpv4(address) || isIpv6(address) ? address : refuse("IP address", address);
}

export function integer(value: number, min: number, max: number): number {
  return Number.isInteger(value) && value >= min && value <= max ? value : refuse(`integer in ${min}..${max}`, value);
}

/** "10.10.0.0/16" or "2001:db8::/32", checked piece by piece (a consumer of one family filters by `family` first). */
export function cidr(prefix: Prefix): string {
  const text = prefix.family === 6 ? `${ipv6(prefix.network)}/${integer(prefix.length, 0, 128)}` : `${ipv4(prefix.network)}/${integer(prefix.length, 0, 32)}`;
  return text === prefix.cidr ? text : refuse("prefix", prefix.cidr);
}

/** "169.254.100.2/30" or "fd00::1/126": an interface address with its prefix length. */
export function ifAddress(address: IfAddress): string {
  const text =
    address.family === 6 ? `${ipv6(address.address)}/${integer(address.length, 0, 128)}` : `${ipv4(address.address)}/${integer(address.length, 0, 32)}`;
  return text === address.cidr ? text : refuse("interface address", address.cidr);
}
