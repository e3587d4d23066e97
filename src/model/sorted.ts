/** Binary search over sorted data, shared by the indexes of the explain engine and the overlap rules. */

/** The first index in [0, n) for which `below` does not hold (`below` holds for a prefix of the range). */
export function lowerBound(n: number, below: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (below(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
