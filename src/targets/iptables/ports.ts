/**
 * The port part of an iptables rule. A rule matches one protocol, so ports are grouped by protocol; several
 * ports of one protocol share a multiport match, which holds at most 15 slots, a range taking two
 * (iptables extensions/libxt_multiport.c, XT_MULTI_PORTS). One port or one range uses the protocol's own
 * match, as iptables-save prints it: `-p tcp -m tcp --dport 8080`.
 */
import type { PortRange } from "../../model/types.js";
import { integer } from "../linux/safe.js";

const MULTIPORT_SLOTS = 15;
const PROTOCOLS: readonly PortRange["protocol"][] = ["sctp", "tcp", "udp"];

function portSpec(p: PortRange): string {
  const from = integer(p.from, 1, 65535);
  const to = integer(p.to, from, 65535);
  return from === to ? String(from) : `${from}:${to}`;
}

function slots(p: PortRange): number {
  return p.from === p.to ? 1 : 2;
}

/** Port lists of one protocol cut into multiport-sized pieces. */
function chunks(ports: readonly PortRange[]): PortRange[][] {
  const out: PortRange[][] = [];
  let current: PortRange[] = [];
  let used = 0;
  for (const p of ports) {
    if (used + slots(p) > MULTIPORT_SLOTS) {
      out.push(current);
      current = [];
      used = 0;
    }
    current.push(p);
    used += slots(p);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/**
 * One match fragment per rule to write: [""] (every protocol and port) when the list is empty, otherwise
 * e.g. ["-p tcp -m multiport --dports 80,443,8000:8999", "-p udp -m udp --dport 53"].
 */
export function portMatches(ports: readonly PortRange[]): string[] {
  if (ports.length === 0) return [""];
  return PROTOCOLS.flatMap((protocol) => {
    const mine = ports.filter((p) => p.protocol === protocol).sort((a, b) => a.from - b.from || a.to - b.to);
    const unique = mine.filter((p, i) => i === 0 || p.from !== mine[i - 1]!.from || p.to !== mine[i - 1]!.to);
    return chunks(unique).map((chunk) =>
      chunk.length === 1
        ? `-p ${protocol} -m ${protocol} --dport ${portSpec(chunk[0]!)}`
        : `-p ${protocol} -m multiport --dports ${chunk.map(portSpec).join(",")}`,
    );
  });
}
