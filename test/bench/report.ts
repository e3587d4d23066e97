/**
 * The benchmark's result as markdown: one table row per (repository size, command) and one line per target,
 * each saying whether it was met. The same text goes to stdout and, with --markdown FILE, to a file the
 * README's performance section is updated from.
 */
import type { AnsibleRun } from "./ansible.js";

export type Command =
  | "validate"
  | "compile (cold)"
  | "write floor (sync)"
  | "write floor (async)"
  /** out/ current and the result cache warm: the everyday case on a developer's machine. */
  | "compile (no change)"
  | "check"
  /** out/ current, no result cache (--no-cache): a CI runner's first run. */
  | "compile (no change, no cache)"
  | "check (no cache)";

export interface Row {
  readonly sites: number;
  /** Files in out/ for this size. */
  readonly files: number;
  readonly command: Command;
  readonly runs: number;
  /** Medians over the runs. */
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly rssMiB: number;
  /** Why the command failed (then the numbers are those of the failed run). */
  readonly failure?: string;
}

export interface Result {
  readonly machine: string;
  readonly revision: string;
  readonly loadBefore: number;
  readonly loadAfter: number;
  readonly rusage: string;
  readonly command: string;
  readonly rows: readonly Row[];
  readonly ansible?: AnsibleRun | string;
}

export function renderMarkdown(r: Result): string {
  const lines = [
    `sitewire ${r.revision}. Machine: ${r.machine}.`,
    `Load average (1 min) ${r.loadBefore.toFixed(1)} before, ${r.loadAfter.toFixed(1)} after${busyNote(r)}.`,
    `Medians of the runs shown; wall time from spawn to exit; CPU = user + system; memory = peak RSS (${r.rusage}).`,
    "",
    "| sites | files | command | runs | wall | per site | CPU | peak RSS |",
    "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ...r.rows.map((row) =>
      row.failure
        ? `| ${count(row.sites)} | ${count(row.files)} | ${row.command} | ${row.runs} | failed after ${duration(row.wallMs)}: ${row.failure.replace(/\|/g, "\\|")} | | | ${mib(row.rssMiB)} |`
        : `| ${count(row.sites)} | ${count(row.files)} | ${row.command} | ${row.runs} | ${duration(row.wallMs)} | ${perSite(row.wallMs / row.sites)} | ${duration(row.cpuMs)} | ${mib(row.rssMiB)} |`,
    ),
    "",
    ...targetLines(r).map((l) => `- ${l}`),
    "",
    `Reproduce: \`${r.command}\``,
  ];
  return lines.join("\n") + "\n";
}

function busyNote(r: Result): string {
  return r.loadBefore > 1 || r.loadAfter > 1 ? " (other work was running: wall times are longer than on an idle machine; CPU times are not)" : "";
}

// ---------------------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------------------

const UNCACHED = { "compile (no change)": "compile (no change, no cache)", check: "check (no cache)" } as const satisfies Partial<Record<Command, Command>>;

function targetLines(r: Result): string[] {
  const failures = r.rows.filter((row) => row.failure).map((row) => `**failed**: ${row.command} of ${count(row.sites)} sites (${row.failure})`);
  const find = (sites: number, command: Command) => r.rows.find((row) => row.sites === sites && row.command === command && !row.failure);
  const lines: string[] = [];

  const cold = find(1000, "compile (cold)");
  const floor = fasterFloor(r, 1000);
  lines.push(
    cold && floor
      ? `${verdict(cold.wallMs <= 1.5 * floor.wallMs)} cold compile of 1,000 sites = ${ratio(cold.wallMs / floor.wallMs)} the ${floor.command} (CPU ${ratio(cold.cpuMs / floor.cpuMs)}); target ≤ 1.5x`
      : notMeasured(r, "cold compile vs write floor", 1000),
  );
  for (const command of ["compile (no change)", "check"] as const) {
    const row = find(1000, command);
    const uncached = find(1000, UNCACHED[command]);
    const without = uncached ? `; without the result cache ${duration(uncached.wallMs)} (CPU ${duration(uncached.cpuMs)})` : "";
    lines.push(row ? `${verdict(row.wallMs < 1000)} ${command} of 1,000 sites: ${duration(row.wallMs)} (CPU ${duration(row.cpuMs)}); target < 1 s${without}` : notMeasured(r, command, 1000));
  }
  const validate = find(1, "validate");
  lines.push(
    validate
      ? `${verdict(validate.wallMs < 150)} validate of one site, Node start-up included: ${duration(validate.wallMs)} (CPU ${duration(validate.cpuMs)}); target < 150 ms`
      : notMeasured(r, "validate of one site", 1),
  );
  lines.push(ansibleLine(r));
  const at1000 = r.rows.filter((row) => row.sites === 1000 && !row.command.startsWith("write floor") && !row.failure);
  if (at1000.length > 0) {
    const peak = at1000.reduce((a, b) => (b.rssMiB > a.rssMiB ? b : a));
    lines.push(`${verdict(peak.rssMiB < 300)} memory at 1,000 sites: ${mib(peak.rssMiB)} at most (${peak.command}); target < 300 MiB`);
  } else {
    lines.push(notMeasured(r, "memory", 1000));
  }
  for (const command of ["validate", "compile (cold)", "compile (no change)", "check", "compile (no change, no cache)", "check (no cache)"] as const) {
    const big = find(5000, command);
    const base = find(1000, command);
    lines.push(
      big && base
        ? `${verdict(big.wallMs <= 5.5 * base.wallMs)} ${command}: 5,000 sites take ${ratio(big.wallMs / base.wallMs)} the 1,000-site time (CPU ${ratio(big.cpuMs / base.cpuMs)}); target ≤ 5.5x`
        : notMeasured(r, `${command} scaling`, big ? 1000 : 5000),
    );
  }
  return [...failures, ...lines];
}

/** The floor is the faster of the two ways of writing (which one depends on the disk). */
function fasterFloor(r: Result, sites: number): Row | undefined {
  const floors = r.rows.filter((row) => row.sites === sites && row.command.startsWith("write floor") && !row.failure);
  return floors.length === 0 ? undefined : floors.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
}

function ansibleLine(r: Result): string {
  if (r.ansible === undefined) return "Ansible reference not run (--ansible-sites 0)";
  if (typeof r.ansible === "string") return `Ansible reference skipped: ${r.ansible}`;
  const a = r.ansible;
  const perFileAnsible = a.sample.wallMs / a.files;
  const coldRows = r.rows.filter((row) => row.command === "compile (cold)" && !row.failure);
  const reference = coldRows.find((row) => row.sites === 1000) ?? coldRows.at(-1);
  const head = `Ansible (ansible.builtin.template on localhost, ${a.sites} site${a.sites === 1 ? "" : "s"}, ${a.hosts} inventory hosts): ${count(a.files)} files in ${duration(a.sample.wallMs)}, ${duration(perFileAnsible)} per file`;
  if (!reference) return `${head}; no cold compile measured to compare with`;
  const perFileSitewire = reference.wallMs / reference.files;
  const floor = fasterFloor(r, reference.sites);
  // What the disk allows: the plain script writing the same files is the best any compiler can do.
  const ceiling = floor ? `; the write floor itself is ${ratio(perFileAnsible / (floor.wallMs / floor.files))} faster than Ansible on this machine` : "";
  return `${verdict(perFileAnsible / perFileSitewire >= 1000)} ${head}; sitewire cold compile at ${count(reference.sites)} sites: ${perSite(perFileSitewire)} per file, ${ratio(perFileAnsible / perFileSitewire)} faster per artifact; target ≥ 1,000x${ceiling}`;
}

// ---------------------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------------------

function verdict(met: boolean): string {
  return met ? "**met**:" : "**missed**:";
}

function notMeasured(r: Result, what: string, size: number): string {
  const ran = r.rows.some((row) => row.sites === size);
  return `${what}: no result (${ran ? "a command failed, see above" : `add ${count(size)} to --sizes`})`;
}

export function duration(ms: number): string {
  if (Number.isNaN(ms)) return "n/a";
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function perSite(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`;
}

function mib(value: number): string {
  return Number.isNaN(value) ? "n/a" : `${value.toFixed(0)} MiB`;
}

function ratio(value: number): string {
  return `${value >= 100 ? count(Math.round(value)) : value.toFixed(2)}x`;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
