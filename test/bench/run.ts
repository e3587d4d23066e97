/**
 * `npm run bench`: how fast the real `sitewire` command is on repositories of 1 to 5,000 synthetic sites.
 *
 * For each size: a fresh repository in a temp folder (./generate.ts), then, each as child processes of the
 * built CLI with the repository as working directory, the median of several runs of
 *   node -e 0              (one site only) a bare Node start-up, run by turns with validate: its yardstick
 *   validate               check every site, write nothing
 *   compile (cold)         into an empty out/ (removed before each run, untimed)
 *   write floor (sync|async) ./floor.ts writing the same bytes to the same paths into an empty out/, both ways
 *   compile (no change)    out/ already current, result cache warm (a developer's machine)
 *   check                  the drift check against the current out/, result cache warm
 *   read+hash floor        ./hash-floor.ts reading and sha256-hashing every file of that same out/
 *   … (no cache)           compile (no change) and check with --no-cache (a CI runner's first run)
 * After the write floor, `sitewire check` must find its tree identical to compile's (same bytes, paths, modes).
 * Then many tunnels per site: one hub site (generateHubSite) with 1 tunnel and with each of --tunnels, each
 * in its own repository, validate and cold compile, to show how the cost of a site grows with its tunnels
 * and flows. Then the Ansible reference (./ansible.ts) renders the files of the first sites with ansible-playbook.
 *
 * usage: node dist-test/test/bench/run.js [--sizes 1,10,100,1000,5000] [--tunnels 50,100,250,500] [--quick]
 *                                    [--runs N] [--seed N] [--ansible-sites N] [--markdown FILE] [--keep]
 *   --sizes          repository sizes in sites ("none": no size)
 *   --tunnels        tunnels of the hub site besides the 1-tunnel baseline ("none": no hub site)
 *   --quick          sizes 1,10,100, tunnels 50,100,200, 2 runs each, Ansible on 1 site
 *   --runs N         runs per command for every size (default: 5 up to 100 sites, 3 up to 1,000, then 1;
 *                    hub sites 5 up to 100 tunnels, then 3)
 *   --ansible-sites  sites rendered by the Ansible reference (default 2; 0 skips it)
 *   --markdown FILE  also write the result table to FILE (for the README's performance section)
 *   --keep           keep the temp folders (printed) for inspection
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runAnsible } from "./ansible.js";
import { DEFAULT_SEED, generateSites, MAX_HUB_TUNNELS, writeHubRepository, writeRepository } from "./generate.js";
import { describeMachine, load, machineFacts, revision } from "./machine.js";
import { measure, median, rusageSource, type Sample } from "./measure.js";
import { readTree, writePack } from "./pack.js";
import { renderMarkdown, type Command, type Result, type Row, type TunnelCommand, type TunnelRow } from "./report.js";

const HERE = dirname(fileURLToPath(import.meta.url));
/** dist-test/test/bench → the package root (templates/, test/bench/ansible/ and dist/ live there). */
const ROOT = resolve(HERE, "../../..");
const CLI = join(ROOT, "dist/src/cli/main.js");
const FLOOR = join(HERE, "floor.js");
const HASH_FLOOR = join(HERE, "hash-floor.js");

interface Options {
  readonly sizes: readonly number[];
  /** Tunnels of the hub site, besides the 1-tunnel baseline that is always measured with them. */
  readonly tunnels: readonly number[];
  readonly runs?: number;
  readonly seed: number;
  readonly ansibleSites: number;
  readonly markdown?: string;
  readonly keep: boolean;
}

function parseArgs(argv: readonly string[]): Options {
  let sizes = [1, 10, 100, 1000, 5000];
  let tunnels = [50, 100, 250, 500];
  let runs: number | undefined;
  let seed = DEFAULT_SEED;
  let ansibleSites = 2;
  let markdown: string | undefined;
  let keep = false;
  const value = (i: number): string => {
    const v = argv[i + 1];
    if (v === undefined) usage(`${argv[i]} needs a value`);
    return v;
  };
  const integer = (text: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min || n > max) usage(`not an integer in ${min}..${max}: ${text}`);
    return n;
  };
  const list = (text: string, min: number, max?: number): number[] => (text === "none" ? [] : text.split(",").map((s) => integer(s, min, max)));
  for (let i = 0; i < argv.length; i++) {
    switch (argv[i]) {
      case "--sizes":
        sizes = list(value(i), 1);
        i++;
        break;
      case "--tunnels":
        tunnels = list(value(i), 2, MAX_HUB_TUNNELS);
        i++;
        break;
      case "--quick":
        sizes = [1, 10, 100];
        tunnels = [50, 100, 200];
        runs = 2;
        ansibleSites = 1;
        break;
      case "--runs":
        runs = integer(value(i), 1);
        i++;
        break;
      case "--seed":
        seed = integer(value(i), 0);
        i++;
        break;
      case "--ansible-sites":
        ansibleSites = integer(value(i), 0);
        i++;
        break;
      case "--markdown":
        markdown = resolve(value(i));
        i++;
        break;
      case "--keep":
        keep = true;
        break;
      default:
        usage(`unknown argument ${argv[i]}`);
    }
  }
  const sorted = (values: readonly number[]) => [...new Set(values)].sort((a, b) => a - b);
  return { sizes: sorted(sizes), tunnels: sorted(tunnels), ...(runs === undefined ? {} : { runs }), seed, ansibleSites, ...(markdown ? { markdown } : {}), keep };
}

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\nusage: node dist-test/test/bench/run.js [--sizes 1,10,100|none] [--tunnels 50,100,250,500|none] [--quick] [--runs N] [--seed N] [--ansible-sites N] [--markdown FILE] [--keep]\n`);
  process.exit(64);
}

function defaultRuns(sites: number): number {
  return sites <= 100 ? 5 : sites <= 1000 ? 3 : 1;
}

function progress(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// Runs and medians
// ---------------------------------------------------------------------------------------------------------

interface Step {
  readonly label: string;
  readonly run: () => Promise<Sample>;
  /** Untimed, before each run. */
  readonly prepare?: () => Promise<unknown>;
}

/** Medians over the runs, or the numbers of the failed run with why it failed. */
interface Stats {
  readonly runs: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly rssMiB: number;
  readonly failure?: string;
}

/**
 * `runs` runs of each step, the steps taken by turns (run 1 of each, then run 2 of each, …) so that a change
 * in the machine's load falls on all of them alike: what a ratio between them needs. A step that fails is not
 * run again; the others go on.
 */
async function sample(runs: number, steps: readonly Step[]): Promise<Stats[]> {
  const samples = steps.map(() => [] as Sample[]);
  const failed = new Map<number, Stats>();
  for (let run = 1; run <= runs; run++) {
    for (const [i, step] of steps.entries()) {
      if (failed.has(i)) continue;
      await step.prepare?.();
      const s = await step.run();
      if (s.exitCode !== 0) {
        const failure = failureOf(s);
        progress(`  ${step.label}, run ${run}/${runs}: FAILED: ${failure}`);
        failed.set(i, { runs: run, wallMs: s.wallMs, cpuMs: s.cpuMs, rssMiB: s.rssMiB, failure });
        continue;
      }
      samples[i]!.push(s);
      progress(`  ${step.label}, run ${run}/${runs}: ${(s.wallMs / 1000).toFixed(2)} s, CPU ${(s.cpuMs / 1000).toFixed(2)} s, ${s.rssMiB.toFixed(0)} MiB`);
    }
  }
  return steps.map(
    (_, i) =>
      failed.get(i) ?? {
        runs,
        wallMs: median(samples[i]!.map((s) => s.wallMs)),
        cpuMs: median(samples[i]!.map((s) => s.cpuMs)),
        rssMiB: median(samples[i]!.map((s) => s.rssMiB)),
      },
  );
}

// ---------------------------------------------------------------------------------------------------------
// One repository size
// ---------------------------------------------------------------------------------------------------------

async function benchSize(sites: number, options: Options): Promise<Row[]> {
  const base = await mkdtemp(join(tmpdir(), `sitewire-bench-${sites}-`));
  const repo = join(base, "repo");
  const out = join(repo, "out");
  const pack = join(base, "out.pack");
  const runs = options.runs ?? defaultRuns(sites);
  progress(`${sites} sites in ${repo} (${runs} run${runs === 1 ? "" : "s"} per command)`);
  await writeRepository(repo, sites, options.seed);

  // The result cache of this repository lives beside it, never in the user's cache folder.
  const cache = join(base, "cache");
  const cli = (...args: string[]) => () => measure(process.execPath, [CLI, ...args], { cwd: repo, env: { SITEWIRE_CACHE_DIR: cache } });
  const emptyOut = () => rm(out, { recursive: true, force: true });
  /** Cold: nothing in out/ and nothing in the cache. */
  const coldStart = () => Promise.all([emptyOut(), rm(cache, { recursive: true, force: true })]);
  let files = 0;
  const rows: Row[] = [];
  /** Runs the commands by turns `runs` times and adds their rows; false when one of them failed. */
  const benchTogether = async (steps: ReadonlyArray<Step & { readonly label: Command }>): Promise<boolean> => {
    const stats = await sample(runs, steps);
    stats.forEach((st, i) => rows.push({ sites, files, command: steps[i]!.label, ...st }));
    return stats.every((st) => st.failure === undefined);
  };
  const bench = (command: Command, run: () => Promise<Sample>, prepare?: () => Promise<unknown>): Promise<boolean> =>
    benchTogether([{ label: command, run, ...(prepare ? { prepare } : {}) }]);

  try {
    // Node's own start-up is validate's yardstick: by turns with it, so both see the same load.
    if (sites === 1) await benchTogether([{ label: "node -e 0", run: () => measure(process.execPath, ["-e", "0"], { cwd: repo }) }, { label: "validate", run: cli("validate") }]);
    else await bench("validate", cli("validate"));
    if (!(await bench("compile (cold)", cli("compile"), coldStart))) return rows;
    const tree = await readTree(out);
    files = tree.length;
    rows.forEach((r, i) => (rows[i] = { ...r, files }));
    await writePack(pack, tree);
    // Which way of writing is faster depends on the disk: both are measured, the faster one is the floor.
    for (const strategy of ["sync", "async"] as const) {
      await bench(`write floor (${strategy})`, () => measure(process.execPath, [FLOOR, pack, out, strategy], { cwd: repo }), emptyOut);
    }
    // The floor must have written exactly what compile writes; if not (or if check itself fails), start over.
    const same = await cli("check")();
    if (same.exitCode !== 0) {
      progress(`  check of the write floor's tree: exit ${same.exitCode}: ${failureOf(same)}; compiling again`);
      await emptyOut();
      expectSuccess(await cli("compile")(), `compile of ${sites} sites`);
    }
    // The floor replaced every file: the first cached run re-hashes them all and stamps them anew (untimed).
    expectSuccess(await cli("compile")(), `compile of ${sites} sites after the floor`);
    await bench("compile (no change)", cli("compile"));
    await bench("check", cli("check"));
    // What reading the same out/ costs at least: check --no-cache's yardstick, on the same files, as warm.
    await bench("read+hash floor", () => measure(process.execPath, [HASH_FLOOR, out], { cwd: repo }));
    await bench("compile (no change, no cache)", cli("compile", "--no-cache"));
    await bench("check (no cache)", cli("check", "--no-cache"));
    return rows;
  } finally {
    if (options.keep) progress(`  kept ${base}`);
    else await rm(base, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Many tunnels per site
// ---------------------------------------------------------------------------------------------------------

/**
 * One hub site (./generate.ts generateHubSite) with 1 tunnel, then with each count of --tunnels, each in a
 * fresh repository: validate and cold compile. The 1-tunnel site is the baseline the report subtracts, so
 * that Node start-up and what every site pays once do not hide how the cost grows with tunnels and flows.
 */
async function benchTunnels(options: Options): Promise<TunnelRow[]> {
  if (options.tunnels.length === 0) return [];
  const rows: TunnelRow[] = [];
  for (const tunnels of [1, ...options.tunnels.filter((t) => t > 1)]) {
    const base = await mkdtemp(join(tmpdir(), `sitewire-bench-hub-${tunnels}-`));
    const repo = join(base, "repo");
    const out = join(repo, "out");
    const cache = join(base, "cache");
    const runs = options.runs ?? (tunnels <= 100 ? 5 : 3);
    progress(`hub site with ${tunnels} tunnel${tunnels === 1 ? "" : "s"} in ${repo} (${runs} run${runs === 1 ? "" : "s"} per command)`);
    try {
      await writeHubRepository(repo, tunnels);
      const cli = (...args: string[]) => () => measure(process.execPath, [CLI, ...args], { cwd: repo, env: { SITEWIRE_CACHE_DIR: cache } });
      const coldStart = () => Promise.all([rm(out, { recursive: true, force: true }), rm(cache, { recursive: true, force: true })]);
      const commands: ReadonlyArray<Step & { readonly label: TunnelCommand }> = [
        { label: "validate", run: cli("validate") },
        { label: "compile (cold)", run: cli("compile"), prepare: coldStart },
      ];
      const stats = await sample(
        runs,
        commands.map((c) => ({ ...c, label: `${c.label} (${tunnels} tunnels)` })),
      );
      const files = stats[1]!.failure === undefined ? (await readTree(out)).length : 0;
      stats.forEach((st, i) => rows.push({ tunnels, flows: tunnels, files, command: commands[i]!.label, ...st }));
    } finally {
      if (options.keep) progress(`  kept ${base}`);
      else await rm(base, { recursive: true, force: true });
    }
  }
  return rows;
}

/** The first line of what a failed command said (sitewire prefixes its own errors with "sitewire: "). */
function failureOf(sample: Sample): string {
  const lines = `${sample.stderr}\n${sample.stdout}`.split("\n").map((l) => l.trim());
  const line = lines.find((l) => l.startsWith("sitewire: ")) ?? lines.find((l) => l !== "") ?? "";
  return `exit ${sample.exitCode}${line ? `: ${line.slice(0, 200)}` : ""}`;
}

function expectSuccess(sample: Sample, what: string): void {
  if (sample.exitCode !== 0) {
    throw new Error(`${what} exited with ${sample.exitCode}:\n${sample.stderr.slice(-3000)}${sample.stdout.slice(-2000)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The Ansible reference
// ---------------------------------------------------------------------------------------------------------

async function benchAnsible(options: Options): Promise<Result["ansible"]> {
  if (options.ansibleSites === 0) return undefined;
  if (!(await onPath("ansible-playbook"))) return "ansible-playbook is not installed (Debian: apt-get install ansible-core)";
  const work = await mkdtemp(join(tmpdir(), "sitewire-bench-ansible-"));
  progress(`Ansible reference: ${options.ansibleSites} site(s) in ${work}`);
  try {
    const run = await runAnsible(generateSites(options.seed, options.ansibleSites), work, join(ROOT, "test/bench/ansible"));
    if (run.files !== run.sitewireFiles) throw new Error(`the playbook wrote ${run.files} files, sitewire compiles ${run.sitewireFiles}`);
    progress(`  ${run.files} files in ${(run.sample.wallMs / 1000).toFixed(1)} s`);
    return run;
  } finally {
    if (options.keep) progress(`  kept ${work}`);
    else await rm(work, { recursive: true, force: true });
  }
}

async function onPath(program: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir && (await readdir(dir).catch(() => [] as string[])).includes(program)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) usage(`${CLI} does not exist: run 'npm run build' first (npm run bench does)`);
  const machine = machineFacts();
  const loadBefore = load();
  progress(describeMachine(machine));
  if (loadBefore.busy) progress(`load average ${loadBefore.oneMinute.toFixed(1)} on ${machine.cores} cores: other work competes, wall times will run long`);

  const rows: Row[] = [];
  for (const sites of options.sizes) rows.push(...(await benchSize(sites, options)));
  const tunnels = await benchTunnels(options);
  const ansible = await benchAnsible(options);

  const result: Result = {
    machine: describeMachine(machine),
    revision: revision(ROOT),
    loadBefore: loadBefore.oneMinute,
    loadAfter: load().oneMinute,
    rusage: rusageSource(),
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim().replace(/ --$/, ""),
    rows,
    tunnels,
    ...(ansible === undefined ? {} : { ansible }),
  };
  const markdown = renderMarkdown(result);
  process.stdout.write(markdown);
  if (options.markdown) await writeFile(options.markdown, markdown);
}

await main();
