/**
 * Which of many prefixes hold an address, without testing each (issue 18: the walk asks this at every hop of
 * every flow and tunnel route, and a hub's gateway has a route, a device and a rule per tunnel, so a scan per
 * question made compiling a site quadratic in its tunnels).
 *
 * Prefixes are kept by family and length, keyed by their network; a question looks up the address's network at
 * each length the index holds (at most 33 or 129 lookups, usually a handful). A candidate is still checked with
 * inCidr, and a CIDR the index cannot key (never one the model or sitewire's own artifacts hold) is checked at
 * every question: the answer is exactly the entries for which inCidr holds, in the order they were added.
 */
import { parseCidr } from "../net/ip.js";
import { addressFamily, inCidr } from "./rules.js";

interface Entry<T> {
  readonly cidr: string;
  readonly item: T;
  readonly seq: number;
}

export class PrefixIndex<T> {
  private readonly byKey = new Map<string, Entry<T>[]>();
  /** The lengths present, per family, in ascending order once sorted. */
  private readonly lengths: Record<4 | 6, number[]> = { 4: [], 6: [] };
  private readonly loose: Entry<T>[] = [];
  private seq = 0;
  /** How many entries the questions have looked at (the complexity tests count them). */
  static examined = 0;

  add(cidr: string, item: T): this {
    const entry: Entry<T> = { cidr, item, seq: this.seq++ };
    const key = entryKey(cidr);
    if (!key) {
      this.loose.push(entry);
      return this;
    }
    const list = this.byKey.get(key.key);
    if (list) list.push(entry);
    else this.byKey.set(key.key, [entry]);
    const lengths = this.lengths[key.family];
    if (!lengths.includes(key.length)) {
      lengths.push(key.length);
      lengths.sort((a, b) => a - b);
    }
    return this;
  }

  /** The lists of entries whose key holds `address` (one per length the index holds), then the loose ones. */
  private lists(address: string): Entry<T>[][] {
    const family = addressFamily(address);
    if (family === undefined) return [];
    const out: Entry<T>[][] = [];
    for (const length of this.lengths[family]) {
      const list = this.byKey.get(`${parseCidr(`${address}/${length}`).prefix.network}/${length}`);
      if (list) out.push(list);
    }
    if (this.loose.length > 0) out.push(this.loose);
    return out;
  }

  /**
   * Every item whose CIDR holds `address` (inCidr), in the order they were added, one at a time (the lists of
   * each length merged by order): a caller that stops at the first it wants looks at no more.
   */
  *ordered(address: string): Generator<T> {
    const lists = this.lists(address);
    const at = lists.map(() => 0);
    for (;;) {
      let pick = -1;
      for (let l = 0; l < lists.length; l++) if (at[l]! < lists[l]!.length && (pick < 0 || lists[l]![at[l]!]!.seq < lists[pick]![at[pick]!]!.seq)) pick = l;
      if (pick < 0) return;
      const e = lists[pick]![at[pick]!++]!;
      PrefixIndex.examined++;
      if (inCidr(address, e.cidr)) yield e.item;
    }
  }

  /** Every item whose CIDR holds `address` (inCidr), in the order they were added. */
  match(address: string): T[] {
    return [...this.ordered(address)];
  }

  /** The first item added whose CIDR holds `address`. */
  first(address: string): T | undefined {
    for (const item of this.ordered(address)) return item;
    return undefined;
  }

  /**
   * Of the items whose CIDR holds `address` and for which `valid` holds, the one with the longest prefix (`lengthOf`),
   * the first added among equally long ones: what sorting all of them by length (a stable sort) puts first. Looks
   * at the longest prefixes first and stops at the first valid one.
   */
  best(address: string, lengthOf: (item: T) => number, valid: (item: T) => boolean = () => true): T | undefined {
    if (this.loose.length > 0) {
      // Prefixes the index could not key have no length it knows: every match, sorted.
      return this.match(address)
        .filter(valid)
        .map((item, i) => ({ item, i }))
        .sort((a, b) => lengthOf(b.item) - lengthOf(a.item) || a.i - b.i)[0]?.item;
    }
    const lists = this.lists(address);
    // One list per length, shortest first (the order of `lengths`): longest first here.
    for (let l = lists.length - 1; l >= 0; l--) {
      for (const e of lists[l]!) {
        PrefixIndex.examined++;
        if (inCidr(address, e.cidr) && valid(e.item)) return e.item;
      }
    }
    return undefined;
  }

  /**
   * How many entries `match` would look at for `address` (an upper bound of how many it returns), without
   * looking at them.
   */
  estimate(address: string): number {
    let n = 0;
    for (const list of this.lists(address)) n += list.length;
    return n;
  }
}

/**
 * The key of a CIDR the walk reads from the model or an artifact: its network (host bits cleared, canonical text)
 * and length, as inCidr compares them. undefined: not a CIDR of a family with a valid length (kept loose).
 */
function entryKey(cidr: string): { key: string; family: 4 | 6; length: number } | undefined {
  const slash = cidr.indexOf("/");
  const network = slash < 0 ? cidr : cidr.slice(0, slash);
  const family = addressFamily(network);
  if (family === undefined) return undefined;
  const bits = family === 4 ? 32 : 128;
  const length = slash < 0 ? bits : Number(cidr.slice(slash + 1));
  if (!Number.isInteger(length) || length < 0 || length > bits || (slash >= 0 && !/^\d+$/.test(cidr.slice(slash + 1)))) return undefined;
  try {
    return { key: `${parseCidr(`${network}/${length}`).prefix.network}/${length}`, family, length };
  } catch {
    return undefined;
  }
}
