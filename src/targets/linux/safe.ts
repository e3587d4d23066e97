/**
 * Guards at the point where model values become text in a shell script, a sysctl file or an iptables rule.
 * The schema and the resolver already guarantee these shapes; checking again here makes every value that
 * reaches an artifact typed by construction, so a gap upstream fails loudly instead of emitting syntax.
 */
import { DEVICE_PATTERN, NAME_PATTERN } from "../../intent/patterns.js";
import type { IfAddress, Prefix } from "../../model/types.js";
import { isIpv4 } from "../../net/ip.js";

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

export function integer(value: number, min: number, max: number): number {
  return Number.isInteger(value) && value >= min && value <= max ? value : refuse(`integer in ${min}..${max}`, value);
}

/** "10.10.0.0/16", checked piece by piece. */
export function cidr(prefix: Prefix): string {
  const text = `${ipv4(prefix.network)}/${integer(prefix.length, 0, 32)}`;
  return text === prefix.cidr ? text : refuse("prefix", prefix.cidr);
}

/** "169.254.100.2/30": an interface address with its prefix length. */
export function ifAddress(address: IfAddress): string {
  const text = `${ipv4(address.address)}/${integer(address.length, 0, 32)}`;
  return text === address.cidr ? text : refuse("interface address", address.cidr);
}
