/**
 * Set algebra on what a policy allows, to tell a widened policy from a narrowed one. A policy is a list of
 * rules; a rule is a union of boxes minus a union of boxes; a box is one closed integer interval per
 * dimension (addresses, ports, interface indexes…). `compareRules` answers: does `after` allow anything
 * `before` did not (widened), and the reverse (narrowed), and which rules are responsible.
 *
 * Exact, by box subtraction: A − B splits A into at most 2·d boxes around B. Policies in an intent have tens
 * of rules, so the box count stays small; past BOX_LIMIT the answer is "unknown" instead of a slow one.
 */

export type Interval = readonly [number, number];
export type Box = readonly Interval[];

export interface Rule {
  readonly include: readonly Box[];
  readonly exclude?: readonly Box[];
}

export interface RuleComparison {
  /** After allows something before did not; undefined when the policies were too large to compare. */
  readonly widened: boolean | undefined;
  readonly narrowed: boolean | undefined;
  /** `after` rules allowing something `before` did not. */
  readonly widenedBy: readonly Responsible[];
  /** `before` rules allowing something `after` does not. */
  readonly narrowedBy: readonly Responsible[];
}

export interface Responsible {
  readonly index: number;
  /** Part of what the rule allows was allowed on the other side too (it grew or shrank, it is not new or gone). */
  readonly partly: boolean;
}

const BOX_LIMIT = 50_000;

class TooLarge extends Error {}

export function compareRules(before: readonly Rule[], after: readonly Rule[]): RuleComparison {
  try {
    const beforeBoxes = before.map(boxesOf);
    const afterBoxes = after.map(boxesOf);
    const allBefore = beforeBoxes.flat();
    const allAfter = afterBoxes.flat();
    const widenedBy = responsible(afterBoxes, allBefore);
    const narrowedBy = responsible(beforeBoxes, allAfter);
    return { widened: widenedBy.length > 0, narrowed: narrowedBy.length > 0, widenedBy, narrowedBy };
  } catch (err) {
    if (!(err instanceof TooLarge)) throw err;
    return { widened: undefined, narrowed: undefined, widenedBy: [], narrowedBy: [] };
  }
}

/** Rules (as boxes) allowing something `other` does not. */
function responsible(rules: readonly Box[][], other: readonly Box[]): Responsible[] {
  return rules.flatMap((boxes, index) =>
    subtract(boxes, other).length > 0 ? [{ index, partly: boxes.some((a) => other.some((b) => intersects(a, b))) }] : [],
  );
}

function intersects(a: Box, b: Box): boolean {
  return a.every(([lo, hi], d) => lo <= b[d]![1] && hi >= b[d]![0]);
}

/** The disjoint-enough boxes of one rule: its includes minus its excludes. */
function boxesOf(rule: Rule): Box[] {
  return subtract(rule.include.filter(nonEmpty), rule.exclude ?? []);
}

/** Boxes covering exactly (union of `from`) − (union of `minus`). */
export function subtract(from: readonly Box[], minus: readonly Box[]): Box[] {
  let rest: Box[] = [...from];
  for (const m of minus) {
    rest = rest.flatMap((box) => subtractBox(box, m));
    if (rest.length > BOX_LIMIT) throw new TooLarge();
    if (rest.length === 0) break;
  }
  return rest;
}

/** a − b as up to 2·d boxes: slice off what lies below and above b in each dimension in turn. */
function subtractBox(a: Box, b: Box): Box[] {
  if (!intersects(a, b)) return [a];
  const out: Box[] = [];
  const core: Interval[] = [...a];
  for (let d = 0; d < a.length; d++) {
    const [lo, hi] = core[d]!;
    const [blo, bhi] = b[d]!;
    if (lo < blo) out.push(withDim(core, d, [lo, blo - 1]));
    if (hi > bhi) out.push(withDim(core, d, [bhi + 1, hi]));
    core[d] = [Math.max(lo, blo), Math.min(hi, bhi)];
  }
  return out;
}

function withDim(box: readonly Interval[], d: number, interval: Interval): Box {
  const copy = [...box];
  copy[d] = interval;
  return copy;
}

function nonEmpty(box: Box): boolean {
  return box.every(([lo, hi]) => lo <= hi);
}
