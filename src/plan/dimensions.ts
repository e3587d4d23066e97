/**
 * Turning model values into intervals for ./space.ts: an IPv4 prefix is an address interval, ports are
 * intervals on one line shared by all protocols, names (interfaces) are indexes with a slot for "any other".
 */
import type { PortRange, Prefix } from "../model/types.js";
import { formatPort } from "../model/values.js";
import type { Interval } from "./space.js";


/** First and last address of a prefix as integers. (Belongs in src/net/ipv4.ts beside its private toInt.) */
export function addressInterval(p: Prefix): Interval {
  const first = p.network.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return [first, first + 2 ** (32 - p.length) - 1];
}

const PROTOCOL_BASE: Readonly<Record<PortRange["protocol"], number>> = { tcp: 0, udp: 65_536, sctp: 131_072 };
/** One slot past the port-carrying protocols: ICMP and every other protocol. */
const OTHER_PROTOCOLS = 196_608;
export const ALL_PORTS: Interval = [0, OTHER_PROTOCOLS];

/** No ports means every protocol and port. */
export function portIntervals(ports: readonly PortRange[]): Interval[] {
  if (ports.length === 0) return [ALL_PORTS];
  return ports.map((p) => [PROTOCOL_BASE[p.protocol] + p.from, PROTOCOL_BASE[p.protocol] + p.to]);
}

export function showPorts(ports: readonly PortRange[]): string {
  if (ports.length === 0) return "all ports";
  return ports.map(formatPort).join(", ");
}

/** Names as indexes, the same for both sides of a comparison; undefined (any name) spans all of them. */
export class NameAxis {
  private readonly index: ReadonlyMap<string, number>;
  constructor(names: Iterable<string | undefined>) {
    const sorted = [...new Set([...names].filter((n): n is string => n !== undefined))].sort();
    this.index = new Map(sorted.map((n, i) => [n, i]));
  }
  interval(name: string | undefined): Interval {
    if (name === undefined) return [0, this.index.size];
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`internal: name ${name} not on the axis`);
    return [i, i];
  }
}

/** Every combination of one interval per dimension. */
export function boxes(...dimensions: readonly (readonly Interval[])[]): Interval[][] {
  return dimensions.reduce<Interval[][]>((acc, options) => acc.flatMap((prefix) => options.map((o) => [...prefix, o])), [[]]);
}
