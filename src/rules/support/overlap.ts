/**
 * Overlap questions over many prefixes without comparing every pair (issue 18: a hub gateway has an inside
 * network per tunnel, and the meaning checks asked, per tunnel or flow, which of them overlap something).
 *
 * CIDR prefixes (aligned networks) either nest or are disjoint. Sorted by family, network, then length
 * (comparePrefixes), the prefixes a prefix q overlaps are the ones that contain it (each a parent, grandparent…
 * of the prefix sorted just before q: the chain of nearest containing prefixes) and the ones it contains (a run
 * sorted right after it). Every candidate is still checked with `overlaps`, and answers come in the callers'
 * order, so the answers are those of the pairwise scans they replace.
 */
import { comparePrefixes, overlaps, parseCidr } from "../../net/ip.js";
import type { Prefix } from "../../model/types.js";
import { lowerBound } from "../../model/sorted.js";

/** The positions (in `prefixes`) of the prefixes that overlap at least one other prefix of the list. */
export function overlappingAny(prefixes: readonly Prefix[]): Set<number> {
  const out = new Set<number>();
  if (!prefixes.every(aligned)) {
    // Not CIDR-aligned (never from the model): the pairwise scan.
    prefixes.forEach((a, i) => prefixes.forEach((b, j) => i !== j && overlaps(a, b) && out.add(i)));
    return out;
  }
  const order = prefixes.map((_, i) => i).sort((a, b) => comparePrefixes(prefixes[a]!, prefixes[b]!) || a - b);
  // The chain of prefixes containing the current one, innermost on top.
  const stack: number[] = [];
  for (const i of order) {
    while (stack.length > 0 && !overlaps(prefixes[stack[stack.length - 1]!]!, prefixes[i]!)) stack.pop();
    if (stack.length > 0) {
      out.add(i);
      out.add(stack[stack.length - 1]!);
    }
    stack.push(i);
  }
  // A prefix under another on the stack overlaps it: every member of a chain of two or more was added.
  return out;
}

/** Prefixes indexed for "the first of them (in list order) that overlaps q and passes a test". */
export class OverlapIndex<T> {
  private readonly order: number[];
  /** Per position in `order`: the position (in `order`) of the nearest earlier prefix that contains it, or -1. */
  private readonly parent: number[];
  private readonly scan: boolean;

  constructor(
    private readonly items: readonly T[],
    private readonly prefixOf: (item: T) => Prefix,
  ) {
    const prefixes = items.map(prefixOf);
    this.scan = !prefixes.every(aligned);
    this.order = prefixes.map((_, i) => i).sort((a, b) => comparePrefixes(prefixes[a]!, prefixes[b]!) || a - b);
    this.parent = [];
    const stack: number[] = [];
    this.order.forEach((i, k) => {
      while (stack.length > 0 && !overlaps(prefixes[this.order[stack[stack.length - 1]!]!]!, prefixes[i]!)) stack.pop();
      this.parent.push(stack.length > 0 ? stack[stack.length - 1]! : -1);
      stack.push(k);
    });
  }

  /** The first item (in list order) whose prefix overlaps `q` and for which `test` holds. */
  first(q: Prefix, test: (item: T) => boolean = () => true): T | undefined {
    if (this.scan || !aligned(q)) return this.items.find((item) => test(item) && overlaps(this.prefixOf(item), q));
    const candidates: number[] = [];
    // The prefixes sorted at or after q that it contains (and equal ones).
    let k = lowerBound(this.order.length, (j) => comparePrefixes(this.prefixOf(this.items[this.order[j]!]!), q) < 0);
    const start = k;
    for (; k < this.order.length && overlaps(this.prefixOf(this.items[this.order[k]!]!), q); k++) candidates.push(this.order[k]!);
    // The prefixes sorted before q that contain it: on the chain of the one just before it.
    for (let c = start - 1; c >= 0; c = this.parent[c]!) if (overlaps(this.prefixOf(this.items[this.order[c]!]!), q)) candidates.push(this.order[c]!);
    let best: number | undefined;
    for (const i of candidates) if ((best === undefined || i < best) && test(this.items[i]!)) best = i;
    return best === undefined ? undefined : this.items[best];
  }
}

function aligned(p: Prefix): boolean {
  return parseCidr(p.cidr).aligned;
}

