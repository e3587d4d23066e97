import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { INITIAL_STATE, probe, run, tick, type Decision, type Observation, type Thresholds } from "./policy.js";

const T: Thresholds = { failures: 3, recoveries: 2, restartPartner: true };

/** "PT pt*2": P/p partner answers or not, T/t own tunnel answers or not; the partner always reports stopped. */
function ticks(text: string): Observation[] {
  return text
    .trim()
    .split(/\s+/)
    .flatMap((w) => {
      const [word = "", times = "1"] = w.split("*");
      return Array<Observation>(Number(times)).fill({ partnerUp: word.includes("P"), tunnelUp: word.includes("T"), partnerStopped: true });
    });
}

/** "tick:decision tables" of every decision. */
function trace(text: string, t = T): string[] {
  return run(ticks(text), t).flatMap((ds, i) => ds.map((d) => `${i + 1}:${d.do}${"tables" in d ? ` ${d.tables}` : ""}`));
}

describe("probe debouncing", () => {
  const after = (results: boolean[]) => results.reduce((p, r) => probe(p, r, T), INITIAL_STATE.own);
  it.each([
    [[true], "up"],
    [[false, false], "unknown"],
    [[false, false, false], "down"],
    [[true, false, false], "up"],
    [[true, false, false, false], "down"],
    [[true, false, false, false, true], "down"],
    [[true, false, false, false, true, true], "up"],
    [[true, false, false, false, true, false, true, true], "up"],
  ] as const)("%j → %s", (results, health) => expect(after([...results]).health).toBe(health));
});

describe("decisions", () => {
  it("claims its own tables once the tunnel answers, then stays quiet", () => expect(trace("Pt PT*5")).toEqual(["2:takeover own"]));
  it("hands its tables over after `failures` failures and takes them back after `recoveries` successes", () =>
    expect(trace("PT Pt*3 PT*2")).toEqual(["1:takeover own", "4:release own", "6:takeover own"]));
  it("claims nothing and moves nothing when neither probe ever answers", () => expect(trace("pt*5")).toEqual(["3:both-down"]));
  it("takes over a dead partner's tables and restarts it once", () =>
    expect(trace("PT pT*6")).toEqual(["1:takeover own", "4:takeover partner", "4:stop-partner", "5:start-partner"]));
  it("on the partner's return claims its own tables again and leaves the partner's alone", () =>
    expect(trace("PT pT*3 PT*2 Pt*3")).toEqual([
      "1:takeover own",
      "4:takeover partner",
      "4:stop-partner",
      "5:start-partner",
      "6:takeover own",
      "9:release own",
      "9:release partner",
    ]));
  it("starts the partner only once the cloud reports it stopped", () => {
    const seen = ticks("PT pT*5").map((o, i) => ({ ...o, partnerStopped: i >= 5 }));
    expect(run(seen, T).flat()).toContainEqual({ do: "start-partner" });
    expect(run(seen, T)[5]).toEqual([{ do: "start-partner" }]);
  });
});

describe("invariants on random schedules", () => {
  const schedules = fc.array(fc.constantFrom(...ticks("PT PT Pt pT pt")), { maxLength: 40 });
  const thresholds = fc.record({ failures: fc.integer({ min: 1, max: 4 }), recoveries: fc.integer({ min: 1, max: 4 }), restartPartner: fc.boolean() });
  const moves = (ds: Decision[]) => ds.filter((d) => d.do !== "both-down");

  it("never moves or restarts anything on a tick where both probes have just failed `failures` times", () =>
    fc.assert(
      fc.property(schedules, thresholds, (seen, t) => {
        run(seen, t).forEach((ds, i) => {
          const recent = seen.slice(Math.max(0, i + 1 - t.failures), i + 1);
          if (recent.length === t.failures && recent.every((o) => !o.partnerUp && !o.tunnelUp))
            expect(moves(ds).filter((d) => d.do !== "start-partner")).toEqual([]);
        });
      }),
    ));

  it("restarts the partner at most once between two of its recoveries, and never without restartPartner", () =>
    fc.assert(
      fc.property(schedules, thresholds, (seen, t) => {
        const stops = run(seen, t).flat().filter((d) => d.do === "stop-partner").length;
        if (!t.restartPartner) expect(stops).toBe(0);
        const recoveries = seen.filter((o, i) => o.partnerUp && !seen[i - 1]?.partnerUp).length;
        expect(stops).toBeLessThanOrEqual(recoveries + 1);
      }),
    ));

  it("repeats a move of the same tables only after the partner came back in between", () =>
    fc.assert(
      fc.property(schedules, thresholds, (seen, t) => {
        let state = INITIAL_STATE;
        const last = new Map<string, string>();
        for (const o of seen) {
          const next = tick(state, o, t);
          if (state.partner.health === "down" && next.state.partner.health === "up") last.clear();
          for (const d of next.decisions)
            if ("tables" in d) {
              expect(last.get(d.tables)).not.toBe(d.do);
              last.set(d.tables, d.do);
            }
          state = next.state;
        }
      }),
    ));
});
