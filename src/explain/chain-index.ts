/**
 * The rules of one firewall chain, indexed once so that the walk tests only those that can match a packet
 * (issue 18): a hub gateway's forward chain holds two rules per tunnel and a few per flow, and every flow and
 * tunnel route is checked against it, so testing every rule made the deliverability check quadratic.
 *
 * A rule that names a source (destination, in- or out-interface) can only match a packet that has it; a rule that
 * does not name one may match any. For each of the four, the candidates are the rules whose value the packet has
 * (by prefix or by name) and the rules without one; the walk takes the smallest of the four sets (its size
 * estimated before it is built), in chain order, and tests each with the full match (./rules.ts ruleMatches):
 * the first hit is the first rule of the chain that matches.
 */
import { PrefixIndex } from "./prefix-index.js";
import type { IptablesRule, Packet, Traversal } from "./rules.js";

class ByPrefix {
  readonly keyed = new PrefixIndex<number>();
  readonly open: number[] = [];

  add(cidr: string | undefined, i: number) {
    if (cidr) this.keyed.add(cidr, i);
    else this.open.push(i);
  }
}

class ByName {
  readonly keyed = new Map<string, number[]>();
  readonly open: number[] = [];

  add(name: string | undefined, i: number) {
    if (!name) {
      this.open.push(i);
      return;
    }
    const list = this.keyed.get(name);
    if (list) list.push(i);
    else this.keyed.set(name, [i]);
  }

  /** The rules that name `name` (none when the packet has no such interface). */
  named(name: string | undefined): readonly number[] {
    return name === undefined ? [] : (this.keyed.get(name) ?? []);
  }
}

export class ChainIndex {
  private readonly source = new ByPrefix();
  private readonly destination = new ByPrefix();
  private readonly inInterface = new ByName();
  private readonly outInterface = new ByName();

  constructor(rules: readonly IptablesRule[]) {
    rules.forEach((r, i) => {
      this.source.add(r.source, i);
      this.destination.add(r.destination, i);
      this.inInterface.add(r.inInterface, i);
      this.outInterface.add(r.outInterface, i);
    });
  }

  /** The indices of the rules that may match, ascending: a superset of those that do. */
  candidates(p: Packet, t: Traversal): readonly number[] {
    const inNamed = this.inInterface.named(t.inInterface);
    const outNamed = this.outInterface.named(t.outInterface);
    const options: { size: number; build: () => readonly number[] }[] = [
      { size: this.source.keyed.estimate(p.src) + this.source.open.length, build: () => merge(this.source.keyed.match(p.src), this.source.open) },
      { size: this.destination.keyed.estimate(p.dst) + this.destination.open.length, build: () => merge(this.destination.keyed.match(p.dst), this.destination.open) },
      { size: inNamed.length + this.inInterface.open.length, build: () => merge(inNamed, this.inInterface.open) },
      { size: outNamed.length + this.outInterface.open.length, build: () => merge(outNamed, this.outInterface.open) },
    ];
    let best = options[0]!;
    for (const o of options) if (o.size < best.size) best = o;
    const found = best.build();
    PrefixIndex.examined += found.length;
    return found;
  }
}

const indices = new WeakMap<readonly IptablesRule[], ChainIndex>();

/** The index of a chain's rules, built once per rules array (readIptables and readNft keep theirs per artifact). */
export function chainIndex(rules: readonly IptablesRule[]): ChainIndex {
  let index = indices.get(rules);
  if (!index) {
    index = new ChainIndex(rules);
    indices.set(rules, index);
  }
  return index;
}

/** The rules of a chain that name `outDevice` as their out-interface or `inDevice` as their in-interface, in order. */
export function rulesOnDevices(rules: readonly IptablesRule[], outDevice: string | undefined, inDevice: string | undefined): IptablesRule[] {
  const byDevice = devices.get(rules) ?? indexDevices(rules);
  const out = outDevice ? (byDevice.out.get(outDevice) ?? []) : [];
  const inn = inDevice ? (byDevice.in.get(inDevice) ?? []) : [];
  return union(out, inn).map((i) => rules[i]!);
}

const devices = new WeakMap<readonly IptablesRule[], { out: Map<string, number[]>; in: Map<string, number[]> }>();

function indexDevices(rules: readonly IptablesRule[]) {
  const byDevice = { out: new Map<string, number[]>(), in: new Map<string, number[]>() };
  const add = (map: Map<string, number[]>, name: string, i: number) => {
    const list = map.get(name);
    if (list) list.push(i);
    else map.set(name, [i]);
  };
  rules.forEach((r, i) => {
    if (r.outInterface) add(byDevice.out, r.outInterface, i);
    if (r.inInterface) add(byDevice.in, r.inInterface, i);
  });
  devices.set(rules, byDevice);
  return byDevice;
}

/** Two ascending lists of disjoint indices → one ascending list. */
function merge(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

/** Two ascending lists of indices (possibly sharing some) → their union, ascending, each once. */
function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
