/** Box algebra against brute force on a small grid, where every cell can be counted. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareRules, subtract, type Box, type Rule } from "./space.js";

const SIZE = 8;

const interval = fc.tuple(fc.integer({ min: 0, max: SIZE - 1 }), fc.integer({ min: 0, max: SIZE - 1 })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
const box = fc.tuple(interval, interval).map((dims): Box => dims);
const rule = fc.record({ include: fc.array(box, { minLength: 1, maxLength: 3 }), exclude: fc.array(box, { maxLength: 2 }) });
const policy = fc.array(rule, { maxLength: 4 });

const inBox = (b: Box, x: number, y: number) => b[0]![0] <= x && x <= b[0]![1] && b[1]![0] <= y && y <= b[1]![1];
const inRule = (r: Rule, x: number, y: number) => r.include.some((b) => inBox(b, x, y)) && !(r.exclude ?? []).some((b) => inBox(b, x, y));
const cells = (p: readonly Rule[]) => {
  const out = new Set<string>();
  for (let x = 0; x < SIZE; x++) for (let y = 0; y < SIZE; y++) if (p.some((r) => inRule(r, x, y))) out.add(`${x},${y}`);
  return out;
};

describe("subtract", () => {
  it("covers exactly A − B", () => {
    fc.assert(
      fc.property(fc.array(box, { maxLength: 4 }), fc.array(box, { maxLength: 4 }), (a, b) => {
        const rest = subtract(a, b);
        for (let x = 0; x < SIZE; x++)
          for (let y = 0; y < SIZE; y++) {
            const want = a.some((bx) => inBox(bx, x, y)) && !b.some((bx) => inBox(bx, x, y));
            expect(rest.some((bx) => inBox(bx, x, y)), `${x},${y}`).toBe(want);
          }
      }),
    );
  });
});

describe("compareRules", () => {
  it("widened and narrowed are exactly 'after allows a cell before did not' and the reverse", () => {
    fc.assert(
      fc.property(policy, policy, (before, after) => {
        const a = cells(before);
        const b = cells(after);
        const r = compareRules(before, after);
        expect(r.widened).toBe([...b].some((c) => !a.has(c)));
        expect(r.narrowed).toBe([...a].some((c) => !b.has(c)));
        // Each rule named as responsible really adds (or loses) a cell; no other rule does.
        after.forEach((rule, i) => expect(r.widenedBy.some((w) => w.index === i)).toBe([...cells([rule])].some((c) => !a.has(c))));
        before.forEach((rule, i) => expect(r.narrowedBy.some((w) => w.index === i)).toBe([...cells([rule])].some((c) => !b.has(c))));
      }),
    );
  });

  it("reordering and splitting rules is no change", () => {
    const whole: Rule = { include: [[[0, 7], [2, 5]]] };
    const split: Rule[] = [{ include: [[[4, 7], [2, 5]]] }, { include: [[[0, 3], [2, 5]]] }];
    expect(compareRules([whole], split)).toMatchObject({ widened: false, narrowed: false });
  });

  it("tells a rule that grew from a new one", () => {
    const r = compareRules([{ include: [[[0, 3], [0, 0]]] }], [{ include: [[[0, 5], [0, 0]]] }, { include: [[[7, 7], [7, 7]]] }]);
    expect(r.widenedBy).toEqual([
      { index: 0, partly: true },
      { index: 1, partly: false },
    ]);
  });
});
