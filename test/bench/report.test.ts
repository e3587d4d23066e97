/**
 * The benchmark's report: every target line compares two rows of the same run with the ratio the target names,
 * and the many-tunnels lines tell linear from quadratic growth after subtracting the 1-tunnel site.
 */
import { describe, expect, it } from "vitest";
import { renderMarkdown, TARGETS, type Command, type Result, type Row, type TunnelCommand, type TunnelRow } from "./report.js";

const row = (sites: number, command: Command, wallMs: number, rssMiB = 100): Row => ({ sites, files: sites * 23, command, runs: 3, wallMs, cpuMs: wallMs, rssMiB });
const hub = (tunnels: number, command: TunnelCommand, wallMs: number): TunnelRow => ({ tunnels, flows: tunnels, files: tunnels + 14, command, runs: 3, wallMs, cpuMs: wallMs, rssMiB: 80 });

function result(rows: Row[], tunnels: TunnelRow[] = []): Result {
  return { machine: "test machine", revision: "abc1234", loadBefore: 0.1, loadAfter: 0.2, rusage: "GNU time", command: "npm run bench", rows, tunnels, ansible: "not run" };
}

const lines = (r: Result) => renderMarkdown(r).split("\n").filter((l) => l.startsWith("- "));
const line = (r: Result, text: string) => {
  const found = lines(r).filter((l) => l.includes(text));
  expect(found, text).toHaveLength(1);
  return found[0]!;
};

describe("target lines", () => {
  it("one-site validate against a bare node -e 0 of the same run", () => {
    expect(line(result([row(1, "node -e 0", 60), row(1, "validate", 96)]), "bare `node -e 0`")).toMatch(/^- \*\*met\*\*: validate of one site = 1\.60x a bare `node -e 0` \(96 ms against 60 ms;.*target ≤ 1\.6x$/);
    expect(line(result([row(1, "node -e 0", 60), row(1, "validate", 97)]), "bare `node -e 0`")).toMatch(/^- \*\*missed\*\*: validate of one site = 1\.62x/);
    expect(line(result([row(1, "validate", 97)]), "node -e 0")).toContain("no result");
  });

  it("check --no-cache against the read+hash floor, cold compile against the faster write floor", () => {
    const r = result([
      row(1000, "compile (cold)", 11_900),
      row(1000, "write floor (sync)", 12_000),
      row(1000, "write floor (async)", 10_000),
      row(1000, "compile (no change)", 700),
      row(1000, "check", 1200),
      row(1000, "read+hash floor", 2000),
      row(1000, "compile (no change, no cache)", 7000),
      row(1000, "check (no cache)", 6000),
    ]);
    expect(line(r, "read+hash floor")).toBe("- **met**: check --no-cache of 1,000 sites = 3.00x the read+hash floor (6.00 s against 2.00 s; CPU 3.00x); target ≤ 3x");
    expect(line(r, "cold compile")).toBe("- **met**: cold compile of 1,000 sites = 1.19x the write floor (async) (CPU 1.19x); target ≤ 1.2x");
    expect(line(r, "compile (no change) of")).toMatch(/^- \*\*met\*\*: .*700 ms .*target < 1\.00 s; without the result cache 7\.00 s/);
    expect(line(r, "check of")).toMatch(/^- \*\*missed\*\*: check of 1,000 sites: 1\.20 s/);
  });

  it("5,000 sites: within 5.2x of 1,000 per command, and memory under 400 MiB, floors left out", () => {
    const r = result([
      row(1000, "compile (cold)", 10_000, 250),
      row(1000, "write floor (sync)", 9000, 120),
      row(5000, "compile (cold)", 52_000, 399),
      row(5000, "write floor (sync)", 40_000, 700),
      row(1000, "validate", 1000),
      row(5000, "validate", 5300),
    ]);
    expect(line(r, "compile (cold): 5,000")).toMatch(/^- \*\*met\*\*: .* 5\.20x the 1,000-site time .*target ≤ 5\.2x$/);
    expect(line(r, "validate: 5,000")).toMatch(/^- \*\*missed\*\*: .* 5\.30x/);
    expect(line(r, "memory at 5,000")).toBe("- **met**: memory at 5,000 sites: 399 MiB at most (compile (cold)); target < 400 MiB");
    expect(line(r, "memory at 1,000")).toBe("- **met**: memory at 1,000 sites: 250 MiB at most (compile (cold)); target < 300 MiB");
  });
});

describe("many tunnels per site", () => {
  /** Start-up 200 ms, plus `perTunnel` ms a tunnel, plus `square` ms per tunnel². */
  const grow = (command: TunnelCommand, perTunnel: number, square: number) =>
    [1, 50, 100, 250, 500].map((t) => hub(t, command, 200 + perTunnel * t + square * t * t));

  it("subtracts the 1-tunnel site and calls linear growth linear, quadratic growth quadratic", () => {
    const r = result([], [...grow("validate", 2, 0), ...grow("compile (cold)", 2, 0.05)]);
    const validate = line(r, "validate of a site with 250 → 500 tunnels");
    expect(validate).toMatch(/^- \*\*met\*\*: .* grows 2\.00x \(\+498 ms → \+998 ms;.*growth exponent 1\.00: \*\*linear\*\*; 2\.00 ms per tunnel from 50 to 500;/);
    expect(validate).toContain(`≤ ${TARGETS.linearForDouble.toFixed(2)}x, growth exponent ≤ 1.38 (linear 2.00x, quadratic 4.00x)`);
    expect(line(r, "compile (cold) of a site with 250 → 500")).toMatch(/^- \*\*missed\*\*: .*grows 3\.73x .*growth exponent 1\.90: \*\*quadratic\*\*/);
  });

  it("prints the table with the time above the 1-tunnel site and per added tunnel", () => {
    const md = renderMarkdown(result([], grow("validate", 2, 0)));
    expect(md).toContain("| tunnels | flows | files | command | runs | wall | above 1 tunnel | per added tunnel | CPU | peak RSS |");
    expect(md).toContain("| 1 | 1 | 15 | validate | 3 | 202 ms |  |  | 202 ms | 80 MiB |");
    expect(md).toContain("| 500 | 500 | 514 | validate | 3 | 1.20 s | +998 ms | 2.00 ms | 1.20 s | 80 MiB |");
  });

  it("says what is missing: a failed run, too few counts, no hub site", () => {
    const failed = { ...hub(500, "compile (cold)", 900), failure: "exit 1: sitewire: boom" };
    const r = result([], [hub(1, "compile (cold)", 200), hub(250, "compile (cold)", 500), failed]);
    expect(lines(r)[0]).toBe("- **failed**: compile (cold) of the hub site with 500 tunnels (exit 1: sitewire: boom)");
    expect(line(r, "compile (cold) with many tunnels")).toContain("a command failed");
    expect(line(result([], [hub(1, "validate", 200), hub(50, "validate", 300)]), "validate with many tunnels")).toContain("at least two counts");
    expect(line(result([]), "many tunnels per site")).toContain("--tunnels none");
  });
});
