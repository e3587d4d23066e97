/**
 * The benchmark's result as markdown: one table row per (repository size, command), a table of the hub site
 * per tunnel count, and one line per target, each saying whether it was met and by what ratio (both sides of
 * every ratio measured in the same run). The same text goes to stdout and, with --markdown FILE, to a file the
 * README's performance section is updated from.
 */
import type { AnsibleRun } from "./ansible.js";

export type Command =
  /** A bare Node start-up (one site only): the yardstick of one-site validate. */
  | "node -e 0"
  | "validate"
  | "compile (cold)"
  | "write floor (sync)"
  | "write floor (async)"
  /** out/ current and the result cache warm: the everyday case on a developer's machine. */
  | "compile (no change)"
  | "check"
  /** ./hash-floor.ts: read and sha256 every file of the current out/, nothing else: check --no-cache's yardstick. */
  | "read+hash floor"
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

export type TunnelCommand = "validate" | "compile (cold)";

/** One hub site (generateHubSite) with `tunnels` tunnels and as many flows. */
export interface TunnelRow {
  readonly tunnels: number;
  readonly flows: number;
  /** Files the cold compile wrote (0 when it failed). */
  readonly files: number;
  readonly command: TunnelCommand;
  readonly runs: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly rssMiB: number;
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
  /** The hub site's rows, the 1-tunnel baseline first (none when --tunnels none). */
  readonly tunnels?: readonly TunnelRow[];
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
    ...tunnelTable(r),
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

/**
 * Every target in one place (2 cores; issue 18). Ratios compare two rows of the same run on the same machine;
 * the one-site validate, the cold compile and check without a cache each against a plain script that does
 * only the part no implementation can skip.
 */
export const TARGETS = {
  /** One-site validate, wall time, at most this times a bare `node -e 0`. */
  validateVsNode: 1.6,
  /** No-change compile and check of 1,000 sites (result cache warm), under this many ms. */
  noChangeMs: 1000,
  /** check --no-cache of 1,000 sites, at most this times the read+hash floor. */
  checkNoCacheVsHashFloor: 3,
  /** Cold compile of 1,000 sites, at most this times the faster write floor. */
  coldVsWriteFloor: 1.2,
  /** 5,000 sites, at most this times the 1,000-site time, per command. */
  scale5000: 5.2,
  /** Peak RSS of any sitewire command, in MiB, below these at 1,000 and 5,000 sites. */
  memoryMiB: { 1000: 300, 5000: 400 },
  /** Per file, at least this many times faster than the Ansible render. */
  ansiblePerFile: 1000,
  /**
   * Linear growth with tunnels: for twice the tunnels the time above the 1-tunnel site may grow at most this
   * much (linear is 2x, quadratic 4x). For any other pair of counts the same growth exponent applies:
   * log2(2.6) = 1.38, i.e. the ratio may be at most (b/a)^1.38.
   */
  linearForDouble: 2.6,
} as const;

const UNCACHED = { "compile (no change)": "compile (no change, no cache)", check: "check (no cache)" } as const satisfies Partial<Record<Command, Command>>;
/** The plain scripts the commands are measured against: never a sitewire command, left out of memory targets. */
const isFloor = (command: Command) => command.startsWith("write floor") || command === "read+hash floor" || command === "node -e 0";

function targetLines(r: Result): string[] {
  const failures = [...r.rows, ...(r.tunnels ?? [])]
    .filter((row) => row.failure)
    .map((row) => `**failed**: ${row.command} of ${"sites" in row ? `${count(row.sites)} sites` : `the hub site with ${count(row.tunnels)} tunnels`} (${row.failure})`);
  const find = (sites: number, command: Command) => r.rows.find((row) => row.sites === sites && row.command === command && !row.failure);
  const lines: string[] = [];

  const validate = find(1, "validate");
  const node = find(1, "node -e 0");
  lines.push(
    validate && node
      ? `${verdict(validate.wallMs <= TARGETS.validateVsNode * node.wallMs)} validate of one site = ${ratio(validate.wallMs / node.wallMs)} a bare \`node -e 0\` (${duration(validate.wallMs)} against ${duration(node.wallMs)}; CPU ${duration(validate.cpuMs)} against ${duration(node.cpuMs)}, ${ratio(validate.cpuMs / node.cpuMs)}); target ≤ ${TARGETS.validateVsNode}x`
      : notMeasured(r, "validate of one site vs node -e 0", 1),
  );
  for (const command of ["compile (no change)", "check"] as const) {
    const row = find(1000, command);
    const uncached = find(1000, UNCACHED[command]);
    const without = command === "compile (no change)" && uncached ? `; without the result cache ${duration(uncached.wallMs)} (CPU ${duration(uncached.cpuMs)})` : "";
    lines.push(
      row
        ? `${verdict(row.wallMs < TARGETS.noChangeMs)} ${command} of 1,000 sites: ${duration(row.wallMs)} (CPU ${duration(row.cpuMs)}); target < ${duration(TARGETS.noChangeMs)}${without}`
        : notMeasured(r, command, 1000),
    );
  }
  const uncachedCheck = find(1000, "check (no cache)");
  const hashFloor = find(1000, "read+hash floor");
  lines.push(
    uncachedCheck && hashFloor
      ? `${verdict(uncachedCheck.wallMs <= TARGETS.checkNoCacheVsHashFloor * hashFloor.wallMs)} check --no-cache of 1,000 sites = ${ratio(uncachedCheck.wallMs / hashFloor.wallMs)} the read+hash floor (${duration(uncachedCheck.wallMs)} against ${duration(hashFloor.wallMs)}; CPU ${ratio(uncachedCheck.cpuMs / hashFloor.cpuMs)}); target ≤ ${TARGETS.checkNoCacheVsHashFloor}x`
      : notMeasured(r, "check --no-cache vs read+hash floor", 1000),
  );
  const cold = find(1000, "compile (cold)");
  const floor = fasterFloor(r, 1000);
  lines.push(
    cold && floor
      ? `${verdict(cold.wallMs <= TARGETS.coldVsWriteFloor * floor.wallMs)} cold compile of 1,000 sites = ${ratio(cold.wallMs / floor.wallMs)} the ${floor.command} (CPU ${ratio(cold.cpuMs / floor.cpuMs)}); target ≤ ${TARGETS.coldVsWriteFloor}x`
      : notMeasured(r, "cold compile vs write floor", 1000),
  );
  lines.push(ansibleLine(r));
  for (const sites of [1000, 5000] as const) {
    const measured = r.rows.filter((row) => row.sites === sites && !isFloor(row.command) && !row.failure);
    const target = TARGETS.memoryMiB[sites];
    if (measured.length > 0) {
      const peak = measured.reduce((a, b) => (b.rssMiB > a.rssMiB ? b : a));
      lines.push(`${verdict(peak.rssMiB < target)} memory at ${count(sites)} sites: ${mib(peak.rssMiB)} at most (${peak.command}); target < ${target} MiB`);
    } else {
      lines.push(notMeasured(r, "memory", sites));
    }
  }
  for (const command of ["validate", "compile (cold)", "compile (no change)", "check", "compile (no change, no cache)", "check (no cache)"] as const) {
    const big = find(5000, command);
    const base = find(1000, command);
    lines.push(
      big && base
        ? `${verdict(big.wallMs <= TARGETS.scale5000 * base.wallMs)} ${command}: 5,000 sites take ${ratio(big.wallMs / base.wallMs)} the 1,000-site time (CPU ${ratio(big.cpuMs / base.cpuMs)}); target ≤ ${TARGETS.scale5000}x`
        : notMeasured(r, `${command} scaling`, big ? 1000 : 5000),
    );
  }
  lines.push(...tunnelLines(r));
  return [...failures, ...lines];
}

// ---------------------------------------------------------------------------------------------------------
// Many tunnels per site
// ---------------------------------------------------------------------------------------------------------

const TUNNEL_COMMANDS = ["validate", "compile (cold)"] as const satisfies readonly TunnelCommand[];

/** The hub site's table: each row's time above the 1-tunnel site, and that per added tunnel. */
function tunnelTable(r: Result): string[] {
  const rows = r.tunnels ?? [];
  if (rows.length === 0) return [];
  const baseline = (command: TunnelCommand) => rows.find((row) => row.tunnels === 1 && row.command === command && !row.failure);
  return [
    `Many tunnels per site: one hub site (a pair of strongSwan gateways, more past 500 tunnels; one IOS branch router, far network and flow per tunnel), validate and cold compile. Above 1 tunnel = wall time minus the 1-tunnel site's (Node start-up and what every site pays once); growth counts as linear when twice the tunnels take at most ${TARGETS.linearForDouble}x the time above 1 tunnel (linear 2x, quadratic 4x).`,
    "",
    "| tunnels | flows | files | command | runs | wall | above 1 tunnel | per added tunnel | CPU | peak RSS |",
    "| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...[...rows]
      .sort((a, b) => TUNNEL_COMMANDS.indexOf(a.command) - TUNNEL_COMMANDS.indexOf(b.command) || a.tunnels - b.tunnels)
      .map((row) => {
        const head = `| ${count(row.tunnels)} | ${count(row.flows)} | ${count(row.files)} | ${row.command} | ${row.runs} |`;
        if (row.failure) return `${head} failed after ${duration(row.wallMs)}: ${row.failure.replace(/\|/g, "\\|")} | | | | ${mib(row.rssMiB)} |`;
        const base = baseline(row.command);
        const above = base && row.tunnels > 1 ? row.wallMs - base.wallMs : undefined;
        return `${head} ${duration(row.wallMs)} | ${above === undefined ? "" : signedDuration(above)} | ${above === undefined ? "" : perSite(above / (row.tunnels - 1))} | ${duration(row.cpuMs)} | ${mib(row.rssMiB)} |`;
      }),
    "",
  ];
}

/**
 * Per command: does the time above the 1-tunnel site grow linearly with tunnels? The two largest counts a < b:
 * the ratio of their times above the baseline against b/a (linear) and (b/a)² (quadratic), and the growth
 * exponent log(ratio) / log(b/a), linear while it is at most log2(TARGETS.linearForDouble). And the cost per
 * tunnel between the smallest and the largest count.
 */
function tunnelLines(r: Result): string[] {
  const rows = r.tunnels ?? [];
  if (rows.length === 0) return ["many tunnels per site: not measured (--tunnels none)"];
  const maxExponent = Math.log2(TARGETS.linearForDouble);
  return TUNNEL_COMMANDS.map((command) => {
    const ok = rows.filter((row) => row.command === command && !row.failure).sort((x, y) => x.tunnels - y.tunnels);
    const base = ok.find((row) => row.tunnels === 1);
    const points = ok.filter((row) => row.tunnels > 1);
    if (!base || points.length < 2) return `${command} with many tunnels: no result (${rows.some((row) => row.command === command && row.failure) ? "a command failed, see above" : "give --tunnels at least two counts"})`;
    const [small, a, b] = [points[0]!, points.at(-2)!, points.at(-1)!];
    const above = (row: TunnelRow) => row.wallMs - base.wallMs;
    const f = b.tunnels / a.tunnels;
    const head = `${command} of a site with ${count(a.tunnels)} → ${count(b.tunnels)} tunnels (and flows)`;
    const slope = (b.wallMs - small.wallMs) / (b.tunnels - small.tunnels);
    const perTunnel = `${perSite(slope)} per tunnel from ${count(small.tunnels)} to ${count(b.tunnels)}`;
    const rule = `target linear: ≤ ${ratio(f ** maxExponent)}, growth exponent ≤ ${maxExponent.toFixed(2)} (linear ${ratio(f)}, quadratic ${ratio(f * f)})`;
    if (above(a) <= 0 || above(b) <= 0) return `**missed**: ${head}: no growth above the 1-tunnel site measurable (${signedDuration(above(a))}, ${signedDuration(above(b))}): use larger --tunnels; ${perTunnel}`;
    const growth = above(b) / above(a);
    const exponent = Math.log(growth) / Math.log(f);
    const cpuGrowth = (b.cpuMs - base.cpuMs) / (a.cpuMs - base.cpuMs);
    const linear = exponent <= maxExponent;
    return `${verdict(linear)} ${head}: the time above the 1-tunnel site grows ${ratio(growth)} (${signedDuration(above(a))} → ${signedDuration(above(b))}; CPU ${Number.isFinite(cpuGrowth) && cpuGrowth > 0 ? ratio(cpuGrowth) : "n/a"}), growth exponent ${exponent.toFixed(2)}: **${linear ? "linear" : exponent >= 1.8 ? "quadratic" : "worse than linear"}**; ${perTunnel}; ${rule}`;
  });
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
  return `${verdict(perFileAnsible / perFileSitewire >= TARGETS.ansiblePerFile)} ${head}; sitewire cold compile at ${count(reference.sites)} sites: ${perSite(perFileSitewire)} per file, ${ratio(perFileAnsible / perFileSitewire)} faster per artifact; target ≥ ${count(TARGETS.ansiblePerFile)}x${ceiling}`;
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

function signedDuration(ms: number): string {
  return ms < 0 ? `−${duration(-ms)}` : `+${duration(ms)}`;
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
