/** The status line of long work (./progress.ts), on a fake terminal with a fake clock. */
import { describe, expect, it } from "vitest";
import { createProgress, progressEnabled } from "./progress.js";

function terminal(isTTY = true, columns = 100) {
  const writes: string[] = [];
  return { stream: { isTTY, columns, write: (t: string) => writes.push(t) }, writes };
}

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const CLEAR = "\r\u001b[2K";

describe("progress", () => {
  it("shows nothing for work under a second", () => {
    const { stream, writes } = terminal();
    const c = clock();
    const p = createProgress(stream, { enabled: true, now: c.now });
    p.phase("compiling", 3, "site");
    for (const f of ["a", "b", "c"]) {
      c.advance(200);
      p.tick(`sites/${f}.yaml`);
    }
    p.done();
    expect(writes).toEqual([]);
  });

  it("after a second, redraws one status line in place (throttled), then erases it", () => {
    const { stream, writes } = terminal();
    const c = clock();
    const p = createProgress(stream, { enabled: true, now: c.now });
    p.phase("compiling", 1000, "site");
    c.advance(999);
    p.tick("sites/fra-0000.yaml");
    expect(writes).toEqual([]);
    c.advance(1);
    p.tick("sites/ams-0001.yaml");
    c.advance(50);
    p.tick("sites/lon-0002.yaml"); // within 100 ms of the last draw: not drawn
    c.advance(150);
    p.tick("sites/par-0003.yaml");
    expect(writes).toEqual([
      `${CLEAR}sitewire: compiling 2/1000 sites · 1.0 s · sites/ams-0001.yaml`,
      `${CLEAR}sitewire: compiling 4/1000 sites · 1.2 s · sites/par-0003.yaml`,
    ]);
    p.done();
    expect(writes.at(-1)).toBe(CLEAR);
    p.tick("after");
    expect(writes).toHaveLength(3);
  });

  it("prints permanent lines above the status line and fits the line to the terminal", () => {
    const { stream, writes } = terminal(true, 60);
    const c = clock();
    const p = createProgress(stream, { enabled: true, now: c.now });
    p.phase("probing", 2, "probe");
    c.advance(1500);
    p.tick("a very long name of a probe that will not fit into sixty columns at all");
    p.print("  probe    1/2 pass");
    const status = `${CLEAR}sitewire: probing 1/2 probes · 1.5 s · a very long name of…`;
    expect(writes).toEqual([status, CLEAR, "  probe    1/2 pass\n", status]);
    // One column short of the terminal's width, so the cursor never wraps.
    expect(status.length - CLEAR.length).toBe(59);
  });

  it("disabled: only the permanent lines, plain", () => {
    const { stream, writes } = terminal(false);
    const c = clock();
    const p = createProgress(stream, { enabled: false, now: c.now });
    p.phase("probing", 2);
    c.advance(5000);
    p.tick("x");
    p.print("line");
    p.done();
    expect(writes).toEqual(["line\n"]);
  });

  it("is enabled only on a terminal, not with --format json or TERM=dumb", () => {
    expect(progressEnabled({ isTTY: true, write: () => 0 }, "text", {})).toBe(true);
    expect(progressEnabled({ isTTY: true, write: () => 0 }, "github", {})).toBe(true);
    expect(progressEnabled({ isTTY: true, write: () => 0 }, "json", {})).toBe(false);
    expect(progressEnabled({ isTTY: false, write: () => 0 }, "text", {})).toBe(false);
    expect(progressEnabled({ write: () => 0 }, "text", {})).toBe(false);
    expect(progressEnabled({ isTTY: true, write: () => 0 }, "text", { TERM: "dumb" })).toBe(false);
  });
});
