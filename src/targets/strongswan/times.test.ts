import { describe, expect, it } from "vitest";
import { rekeySchedule, strongswanTime } from "./times.js";

const d = (seconds: number) => ({ text: `${seconds}s`, seconds });

describe("strongswanTime", () => {
  it.each([
    [28800, "8h"],
    [3600, "1h"],
    [28260, "471m"],
    [86400, "1d"],
    [3, "3s"],
    [90, "90s"],
    [0.5, "1s"],
    [0, "1s"],
  ])("%d s → %s", (seconds, text) => expect(strongswanTime(seconds)).toBe(text));
});

describe("rekeySchedule", () => {
  it("uses strongSwan's 9 minute margin for ordinary lifetimes, as ipsec.conf would", () => {
    expect(rekeySchedule(d(28800), d(3600))).toEqual({ ikeLifetime: 28800, childLifetime: 3600, margin: 540, ikeRekey: 28260, childRekey: 3060 });
  });
  it("shortens the margin to a third of the shorter lifetime, so rekeying never starts at once", () => {
    const s = rekeySchedule(d(3600), d(600));
    expect(s.margin).toBe(200);
    expect(s.childRekey).toBe(400);
    expect(s.ikeRekey).toBe(3400);
  });
});
