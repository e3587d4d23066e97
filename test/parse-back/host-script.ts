/**
 * The route-based device facts of a host's tunnel script: the `ip link add … type vti` and
 * `ip link add … type xfrm dev … if_id …` (man ip-link, "XFRM Type Support"), `ip addr add … remote … dev` and
 * `ip link set dev … mtu` commands it runs (iproute2 syntax, man ip-link, ip-address), found in the commands
 * bash parses from it (test/readers/shell.ts: a command in a comment is not a command), wherever they stand
 * on a line (the script passes them as arguments to its ensure_* helpers). Everything else is ignored.
 */
import { readShell, shellWords } from "../readers/shell.js";

export interface VtiFacts {
  readonly device: string;
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
  readonly mtu?: number;
}

export function vtiDevices(script: string): VtiFacts[] {
  const devices = new Map<string, VtiFacts>();
  const commands = readShell(script).map(shellWords);
  /** Every place in a line where `pattern` (literal words, or undefined for any word) starts; the wildcard words. */
  const find = (pattern: readonly (string | undefined)[]) =>
    commands.flatMap((w) =>
      w.flatMap((_, i) => (pattern.every((p, j) => w[i + j] !== undefined && (p === undefined || w[i + j] === p)) ? [pattern.flatMap((p, j) => (p === undefined ? [w[i + j]!] : []))] : [])),
    );
  const _ = undefined;
  for (const [device, local, remote, key] of find(["ip", "link", "add", _, "type", "vti", "local", _, "remote", _, "key", _]))
    if (/^\d+$/.test(key!)) devices.set(device!, { device: device!, kind: "vti", local: local!, remote: remote!, key: Number(key) });
  for (const [device, underlay, ifId] of find(["ip", "link", "add", _, "type", "xfrm", "dev", _, "if_id", _]))
    if (/^\d+$/.test(ifId!)) devices.set(device!, { device: device!, kind: "xfrm", underlay: underlay!, key: Number(ifId) });
  for (const [address, peer, device] of find(["ip", "addr", "add", _, "remote", _, "dev", _])) {
    const a = /^([\d.]+)\/(\d+)$/.exec(address!);
    const d = devices.get(device!);
    if (a && d) devices.set(d.device, { ...d, address: a[1]!, length: Number(a[2]), peer: peer!.split("/")[0]! });
  }
  for (const [device, mtu] of find(["ip", "link", "set", "dev", _, "mtu", _])) {
    const d = devices.get(device!);
    if (d && /^\d+$/.test(mtu!)) devices.set(d.device, { ...d, mtu: Number(mtu) });
  }
  return [...devices.values()];
}
