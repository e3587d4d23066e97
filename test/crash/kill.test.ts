/**
 * Crash safety of `sitewire compile`: the real CLI, writing a set of generated sites over the output of an
 * older version of them, is killed with SIGKILL after a seeded random delay, many times. After every kill:
 * - every file in out/ is byte for byte the old or the new version of its path (none torn, none vanished);
 * - `check` exits 0 if the run had completed and 2 otherwise (drift);
 * - a rerun of `compile` heals the tree: exactly the new version, no temp files left, `check` exits 0;
 * - the killed run's lock (out/.sitewire.lock) does not block anyone: its holder is dead, so the next run
 *   takes it over, and none is left after the rerun.
 *
 * The writer has no hook to stop it at a chosen point, so kills land by timing: a watcher on out/ sees the
 * first change (the start of the writes), and the kill follows after a seeded random delay within the write
 * phase as measured beforehand. The test prints where the kills really landed and requires most of
 * them mid-write.
 *
 * SITEWIRE_CRASH_TRIALS (default 50) and SITEWIRE_CRASH_SITES (default 6) scale it.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, watch, type FSWatcher } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/cli/run.js";
import { generateSites } from "../bench/generate.js";
import { createRng } from "../bench/prng.js";
import { compare, LOCK_FILE, snapshot, type Snapshot } from "./tree.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const CLI = join(REPO, "dist", "src", "cli", "main.js");
const TRIALS = Number(process.env.SITEWIRE_CRASH_TRIALS ?? 50);
/** Kills of a first compile into an empty out/ (new site folders are built aside and renamed into place). */
const COLD_TRIALS = Math.max(1, Math.round(TRIALS / 2.5));
const SITES = Number(process.env.SITEWIRE_CRASH_SITES ?? 6);
const SEED = 20_250_610;

let work: string;
let before: Snapshot;
let after: Snapshot;
const cold = { trials: 0, midWrite: 0, sitesComplete: 0, sitesAbsent: 0, asideLeft: 0, writePhaseMs: 0 };
const counts = { trials: 0, midWrite: 0, untouched: 0, complete: 0, filesChecked: 0, torn: 0, vanished: 0, leftovers: 0, locksLeft: 0, checkRight: 0, healed: 0 };
const timing = { fullRunMs: 0, writePhaseMs: 0 };

/** `sitewire <args>` in-process (same code as the binary), for the steps that are not being killed. */
async function sitewire(...args: string[]): Promise<{ code: number; output: string }> {
  let output = "";
  const sink = { write: (t: string) => ((output += t), true) };
  const code = await run(args, { cwd: work, env: { NO_COLOR: "1" }, stdout: sink, stderr: sink });
  return { code, output };
}

interface Spawned {
  /** From the spawn to the first and the last change in out/ (the write phase), and to the exit. */
  readonly firstWriteMs?: number;
  readonly lastWriteMs?: number;
  readonly exitMs: number;
  readonly code: number | null;
}

/**
 * Spawn the real CLI. With `killAfterMs`, SIGKILL it that long after its first change to out/ (seen through
 * inotify), so that kills land in the write phase however long startup and compiling take on this machine.
 */
function spawnCompile(killAfterMs?: number): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let firstWriteMs: number | undefined;
    let lastWriteMs: number | undefined;
    let timer: NodeJS.Timeout | undefined;
    const child = spawn(process.execPath, [CLI, "compile", "new/*.yaml"], { cwd: work, stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
    // The lock is taken before anything is compiled: its creation is not the start of the writes.
    const watchers = watchTree(join(work, "out"), (name) => {
      if (name !== null && LOCK_FILE.test(name)) return;
      lastWriteMs = performance.now() - t0;
      if (firstWriteMs !== undefined) return;
      firstWriteMs = lastWriteMs;
      if (killAfterMs !== undefined) timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
      resolve({ ...(firstWriteMs !== undefined ? { firstWriteMs, lastWriteMs } : {}), exitMs: performance.now() - t0, code });
    });
  });
}

/**
 * One plain (non-recursive) inotify watch per directory that exists now. Node 20's `recursive: true` on Linux
 * rescans a directory on every event with an uncaught readdirSync, so a directory the writer prunes mid-run
 * (a site that lost its cluster/ folder) crashes the test process. Here a vanished directory only ends its
 * own watch; new directories show up as events in their parent, which is all the timing needs.
 */
function watchTree(root: string, onChange: (name: string | null) => void): FSWatcher[] {
  const dirs = [root];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) dirs.push(join(entry.parentPath, entry.name));
  }
  return dirs.map((dir) => watch(dir, (_event, name) => onChange(name)).on("error", () => undefined));
}

async function writeSites(dir: string, seed: number): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const site of generateSites(seed, SITES)) await writeFile(join(dir, `${site.name}.yaml`), site.text);
}

/** out/ as the old version left it. */
async function restoreOld(): Promise<void> {
  await rm(join(work, "out"), { recursive: true, force: true });
  await cp(join(work, "out-old"), join(work, "out"), { recursive: true, preserveTimestamps: true });
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first (npm test does)`);
  work = await mkdtemp(join(tmpdir(), "sw-crash-"));
  // The old version: the same site names, other content (another generator seed), compiled from new/ too, so
  // the manifests' source paths match and only the content differs.
  await writeSites(join(work, "new"), SEED + 1);
  expect((await sitewire("compile", "new/*.yaml")).code).toBe(0);
  await cp(join(work, "out"), join(work, "out-old"), { recursive: true });
  before = await snapshot(join(work, "out"));
  await writeSites(join(work, "new"), SEED);
  // Calibrate: full runs over the old tree; the write phase runs from the first to the last change in out/.
  for (let i = 0; i < 2; i++) {
    await restoreOld();
    const full = await spawnCompile();
    expect(full.code).toBe(0);
    expect(full.firstWriteMs).toBeDefined();
    timing.fullRunMs = Math.max(timing.fullRunMs, full.exitMs);
    timing.writePhaseMs = Math.max(timing.writePhaseMs, full.lastWriteMs! - full.firstWriteMs!);
  }
  after = await snapshot(join(work, "out"));
  // The spawned binary (dist/) and the in-process steps (src/) must be the same compiler.
  await restoreOld();
  expect((await sitewire("compile", "new/*.yaml")).code).toBe(0);
  const inProcess = await snapshot(join(work, "out"));
  const listing = (tree: Snapshot) => [...tree].map(([path, s]) => `${path} ${s.sha256} ${s.mode.toString(8)}`).sort();
  expect(listing(inProcess), "dist/ is older than src/: run 'npm run build'").toEqual(listing(after));
}, 300_000);

afterAll(async () => {
  console.log(
    `crash safety: ${counts.trials} kills of compile (${SITES} sites, ${before.size} old and ${after.size} new files, ` +
      `full run ${timing.fullRunMs.toFixed(0)} ms of which writing ${timing.writePhaseMs.toFixed(0)} ms): ` +
      `${counts.midWrite} landed mid-write, ${counts.untouched} before any write, ${counts.complete} after completion; ` +
      `${counts.filesChecked} files checked, ${counts.torn} torn, ${counts.vanished} vanished, ${counts.leftovers} temp files left (all cleaned by the rerun), ` +
      `${counts.locksLeft} locks left by the killed run (each taken over by the next run, its holder being dead); ` +
      `check exit code right ${counts.checkRight}/${counts.trials}, healed ${counts.healed}/${counts.trials}`,
  );
  console.log(
    `crash safety, first compile: ${cold.trials} kills into an empty out/ (write phase ${cold.writePhaseMs.toFixed(0)} ms), ` +
      `${cold.midWrite} mid-write; site folders found complete ${cold.sitesComplete}, absent ${cold.sitesAbsent} (none partial, or the test fails); ` +
      `${cold.asideLeft} half-built folders left aside (all cleaned by the rerun)`,
  );
  if (work) await rm(work, { recursive: true, force: true });
});

describe("killing compile while it writes", () => {
  it("the two versions differ in most files, so a torn or mixed tree would show", () => {
    const changed = [...after].filter(([p, s]) => before.get(p)?.sha256 !== s.sha256).length;
    expect(changed).toBeGreaterThan(after.size / 2);
  });

  it("the tree comparison flags a truncated file, a vanished file and a stray file", () => {
    const [path, state] = [...after].find(([p, s]) => before.has(p) && before.get(p)!.sha256 !== s.sha256)!;
    const tree = new Map(after);
    tree.set(path, { ...state, sha256: "0".repeat(64) });
    const [gone] = [...after.keys()].filter((p) => p !== path && before.has(p));
    tree.delete(gone!);
    tree.set("hosts/x/.f.sitewire-tmp-0a", state);
    tree.set(".s1.sitewire-tmp/hosts/x/f", state); // staged aside (src/writer/disk.ts stagePlan)
    tree.set("hosts/x/f", state);
    tree.set("s1/.s1.sitewire-tmp/f", state); // an aside name, but not where sitewire stages
    const c = compare(tree, before, after);
    expect([...c.torn].sort()).toEqual([path, "hosts/x/f", "s1/.s1.sitewire-tmp/f"].sort());
    expect(c.vanished).toEqual([gone]);
    expect([...c.leftovers].sort()).toEqual([".s1.sitewire-tmp/hosts/x/f", "hosts/x/.f.sitewire-tmp-0a"]);
    expect(c.complete || c.untouched).toBe(false);
  });

  it(`${TRIALS} kills: every file old or new, check tells drift, a rerun heals`, async () => {
    const rng = createRng(SEED);
    for (let t = 0; t < TRIALS; t++) {
      await restoreOld();
      // Within the first 70% of the write phase: its length varies from run to run, and a kill after the end tests less.
      const delay = (rng.uint32() / 2 ** 32) * timing.writePhaseMs * 0.7;
      await spawnCompile(delay);
      counts.trials++;

      const tree = await snapshot(join(work, "out"));
      const c = compare(tree, before, after);
      counts.filesChecked += tree.size;
      counts.torn += c.torn.length;
      counts.vanished += c.vanished.length;
      counts.leftovers += c.leftovers.length;
      counts.locksLeft += c.locks.length;
      expect(c.torn, `trial ${t} (killed after ${delay.toFixed(0)} ms)`).toEqual([]);
      expect(c.vanished, `trial ${t}`).toEqual([]);

      if (c.untouched) counts.untouched++;
      else if (c.complete) counts.complete++;
      else counts.midWrite++;

      const check = await sitewire("check", "new/*.yaml");
      expect(check.code, `trial ${t}: check after the kill\n${check.output.slice(0, 500)}`).toBe(c.complete ? 0 : 2);
      counts.checkRight++;

      expect((await sitewire("compile", "new/*.yaml")).code).toBe(0);
      expect((await sitewire("check", "new/*.yaml")).code).toBe(0);
      const healed = compare(await snapshot(join(work, "out")), before, after);
      expect(healed.complete, `trial ${t}: after the rerun`).toBe(true);
      expect(healed.locks, `trial ${t}: the killed run's lock is taken over and released`).toEqual([]);
      counts.healed++;
    }
    // Timing decides where kills land; aimed at the write phase, most land in it (a third at the very least).
    expect(counts.midWrite).toBeGreaterThanOrEqual(Math.ceil(TRIALS / 3));
  }, 900_000);

  it(`${COLD_TRIALS} kills of a first compile: every site folder is absent or complete, never partial`, async () => {
    const emptyOut = async () => {
      await rm(join(work, "out"), { recursive: true, force: true });
      await mkdir(join(work, "out"));
    };
    const sites = [...new Set([...after.keys()].map((p) => p.split("/")[0]!))];
    const underSite = (tree: Snapshot, site: string) => [...tree].filter(([p]) => p.startsWith(`${site}/`)).map(([p, f]) => `${p} ${f.sha256} ${f.mode}`).sort();
    for (let i = 0; i < 2; i++) {
      await emptyOut();
      const full = await spawnCompile();
      expect(full.code).toBe(0);
      // From the first change in out/ to the exit: new folders are not watched, so the last change seen
      // would understate the phase.
      cold.writePhaseMs = Math.max(cold.writePhaseMs, full.exitMs - full.firstWriteMs!);
    }
    const rng = createRng(SEED + 7);
    for (let t = 0; t < COLD_TRIALS; t++) {
      await emptyOut();
      const delay = (rng.uint32() / 2 ** 32) * cold.writePhaseMs * 0.8;
      await spawnCompile(delay);
      cold.trials++;

      const tree = await snapshot(join(work, "out"));
      let complete = 0;
      for (const site of sites) {
        const found = underSite(tree, site);
        if (found.length === 0) continue;
        expect(found.join("\n"), `trial ${t}: out/${site} is partial (killed after ${delay.toFixed(0)} ms)`).toEqual(underSite(after, site).join("\n"));
        complete++;
      }
      cold.sitesComplete += complete;
      cold.sitesAbsent += sites.length - complete;
      const aside = [...tree.keys()].filter((p) => !sites.includes(p.split("/")[0]!) && !LOCK_FILE.test(p));
      expect(aside.every((p) => /^\.[a-z0-9-]+\.sitewire-tmp\//.test(p)), `trial ${t}: ${aside.join(", ")}`).toBe(true);
      cold.asideLeft += new Set(aside.map((p) => p.split("/")[0])).size;
      if (complete < sites.length && (complete > 0 || aside.length > 0)) cold.midWrite++;

      expect((await sitewire("check", "new/*.yaml")).code, `trial ${t}: check`).toBe(complete === sites.length ? 0 : 2);
      expect((await sitewire("compile", "new/*.yaml")).code).toBe(0);
      const healed = await snapshot(join(work, "out"));
      expect([...healed.keys()].sort(), `trial ${t}: after the rerun`).toEqual([...after.keys()].sort());
      expect(compare(healed, new Map(), after).complete).toBe(true);
    }
    expect(cold.midWrite).toBeGreaterThanOrEqual(Math.ceil(COLD_TRIALS / 4));
  }, 900_000);
});
