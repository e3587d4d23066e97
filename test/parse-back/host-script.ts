/**
 * The route-based device facts of a host's tunnel script: the `ip link add … type vti` (or `type vti6`, IPv6
 * outer addresses) and `ip link add … type xfrm dev … if_id …` (man ip-link, "XFRM Type Support"),
 * `ip addr add … remote … dev` and `ip -6 addr add … dev` and `ip link set dev … mtu` commands it runs (iproute2
 * syntax, man ip-link, ip-address), and its policy rules and routes of both families (`ip [-6] rule add`,
 * `ip [-6] route replace`, man ip-rule, ip-route), found in the commands bash parses from it
 * (test/readers/shell.ts: a command in a comment is not a command), wherever they stand on a line (the script
 * passes them as arguments to its ensure_* helpers). Everything else is ignored.
 */
import { readShell, shellWords } from "../readers/shell.js";

export interface VtiFacts {
  readonly device: string;
  /** A vti6 device (IPv6 outer addresses) is a vti with IPv6 local and remote. */
  readonly kind: "vti" | "xfrm";
  /** vti only: an XFRM interface has no outer addresses of its own. */
  readonly local?: string;
  readonly remote?: string;
  /** xfrm only: the interface it sends the encrypted packets out of (`dev`). */
  readonly underlay?: string;
  /** vti key, or XFRM interface if_id. */
  readonly key: number;
  readonly address?: string;
  readonly length?: number;
  readonly peer?: string;
  /** The IPv6 inside address (`ip -6 addr add A/L dev D`). */
  readonly address6?: string;
  readonly length6?: number;
  readonly mtu?: number;
}

/** A policy rule or a route the script installs, in the family of its `ip` command. */
export interface RuleFacts {
  readonly family: 4 | 6;
  readonly priority: number;
  readonly table: number;
}

export interface RouteFacts {
  readonly family: 4 | 6;
  readonly to: string;
  readonly via: string;
  readonly dev: string;
  /** "main" when the command names no table. */
  readonly table: string;
}

/** Where in the script's commands `pattern` (literal words, or undefined for any word) starts; the wildcard words. */
function finder(script: string) {
  const commands = readShell(script).map(shellWords);
  return (pattern: readonly (string | undefined)[]) =>
    commands.flatMap((w) =>
      w.flatMap((_, i) => (pattern.every((p, j) => w[i + j] !== undefined && (p === undefined || w[i + j] === p)) ? [pattern.flatMap((p, j) => (p === undefined ? [w[i + j]!] : []))] : [])),
    );
}

/** `ip rule add priority P lookup T` and `ip -6 rule add priority P lookup T`. */
export function scriptRules(script: string): RuleFacts[] {
  const find = finder(script);
  const _ = undefined;
  return [
    ...find(["ip", "rule", "add", "priority", _, "lookup", _]).map(([p, t]) => ({ family: 4 as const, priority: Number(p), table: Number(t) })),
    ...find(["ip", "-6", "rule", "add", "priority", _, "lookup", _]).map(([p, t]) => ({ family: 6 as const, priority: Number(p), table: Number(t) })),
  ];
}

/** `ip route replace TO via VIA dev DEV [table T]` and the same after `ip -6`. */
export function scriptRoutes(script: string): RouteFacts[] {
  const commands = readShell(script).map(shellWords);
  const out: RouteFacts[] = [];
  for (const w of commands) {
    for (let i = 0; i < w.length; i++) {
      const family = w[i] === "ip" && w[i + 1] === "route" && w[i + 2] === "replace" ? 4 : w[i] === "ip" && w[i + 1] === "-6" && w[i + 2] === "route" && w[i + 3] === "replace" ? 6 : undefined;
      if (family === undefined) continue;
      const rest = w.slice(i + (family === 6 ? 4 : 3));
      const arg = (key: string) => {
        const k = rest.indexOf(key);
        return k >= 0 ? rest[k + 1] : undefined;
      };
      const via = arg("via");
      const dev = arg("dev");
      if (rest[0] && via && dev) out.push({ family, to: rest[0], via, dev, table: arg("table") ?? "main" });
    }
  }
  return out;
}

export function vtiDevices(script: string): VtiFacts[] {
  const devices = new Map<string, VtiFacts>();
  const find = finder(script);
  const _ = undefined;
  for (const type of ["vti", "vti6"])
    for (const [device, local, remote, key] of find(["ip", "link", "add", _, "type", type, "local", _, "remote", _, "key", _]))
      if (/^\d+$/.test(key!)) devices.set(device!, { device: device!, kind: "vti", local: local!, remote: remote!, key: Number(key) });
  for (const [device, underlay, ifId] of find(["ip", "link", "add", _, "type", "xfrm", "dev", _, "if_id", _]))
    if (/^\d+$/.test(ifId!)) devices.set(device!, { device: device!, kind: "xfrm", underlay: underlay!, key: Number(ifId) });
  for (const [address, peer, device] of find(["ip", "addr", "add", _, "remote", _, "dev", _])) {
    const a = /^([\d.]+)\/(\d+)$/.exec(address!);
    const d = devices.get(device!);
    if (a && d) devices.set(d.device, { ...d, address: a[1]!, length: Number(a[2]), peer: peer!.split("/")[0]! });
  }
  for (const [address, device] of find(["ip", "-6", "addr", "add", _, "dev", _])) {
    const a = /^([0-9a-f:]+)\/(\d+)$/.exec(address!);
    const d = devices.get(device!);
    if (a && d) devices.set(d.device, { ...d, address6: a[1]!, length6: Number(a[2]) });
  }
  for (const [device, mtu] of find(["ip", "link", "set", "dev", _, "mtu", _])) {
    const d = devices.get(device!);
    if (d && /^\d+$/.test(mtu!)) devices.set(d.device, { ...d, mtu: Number(mtu) });
  }
  return [...devices.values()];
}
