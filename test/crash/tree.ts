/**
 * Snapshots of an output tree and how a tree left by a killed `compile` compares with the two versions it may
 * hold: every file must be the old or the new version of its path, byte for byte; sitewire's own temp files
 * (`.<name>.sitewire-tmp-<hex>`) and the site folders it stages writes in (`.<site>.sitewire-tmp/`, directly in
 * out/, src/writer/disk.ts) may be left over, never at a real path; so may the killed run's lock
 * (`.sitewire.lock`, taken over by the next run since its holder is dead).
 */
import { createHash } from "node:crypto";
import { lstat, readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";

export interface FileState {
  readonly sha256: string;
  readonly mode: number;
}

/** Path (relative, '/'-separated) → content hash and mode of every regular file under `root`. */
export type Snapshot = ReadonlyMap<string, FileState>;

const TEMP_FILE = /(^|\/)\.[^/]+\.sitewire-tmp-[0-9a-f]+$|^\.[a-z][a-z0-9-]*\.sitewire-tmp\//;
const ASIDE_DIR = /^\.[a-z][a-z0-9-]*\.sitewire-tmp$/;
/** The output folder's lock and its break markers (src/writer/lock.ts), directly in out/. */
export const LOCK_FILE = /^\.sitewire\.lock(\.|$)/;

export async function snapshot(root: string): Promise<Map<string, FileState>> {
  const out = new Map<string, FileState>();
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    await Promise.all(
      entries.map(async (e) => {
        const abs = join(dir, e.name);
        // A folder of staged writes counts even when empty: a run killed after its last rename but before
        // removing the folder leaves it, and `check` reports it (SW302) until the next compile removes it.
        if (e.isDirectory() && dir === root && ASIDE_DIR.test(e.name)) out.set(`${e.name}/`, { sha256: "directory", mode: 0 });
        if (e.isDirectory()) return walk(abs);
        const st = await lstat(abs);
        const sha256 = createHash("sha256").update(await readFile(abs)).digest("hex");
        out.set(relative(root, abs).split(sep).join("/"), { sha256, mode: st.mode & 0o777 });
      }),
    );
  };
  await walk(root);
  return out;
}

export interface Comparison {
  /** Files that are neither the old nor the new version of their path (or are at no known path). */
  readonly torn: readonly string[];
  /** Paths present in both versions that are missing: a file must never vanish. */
  readonly vanished: readonly string[];
  /** sitewire temp files left by the interrupted run. */
  readonly leftovers: readonly string[];
  /** The interrupted run's lock files (they do not count as content of the tree). */
  readonly locks: readonly string[];
  readonly oldFiles: number;
  readonly newFiles: number;
  /** Every file at its old version, nothing else: the run was killed before it changed anything. */
  readonly untouched: boolean;
  /** Exactly the new tree: the run had finished. */
  readonly complete: boolean;
}

export function compare(tree: Snapshot, before: Snapshot, after: Snapshot): Comparison {
  const torn: string[] = [];
  const vanished: string[] = [];
  const leftovers: string[] = [];
  const locks: string[] = [];
  let oldFiles = 0;
  let newFiles = 0;
  for (const [path, state] of tree) {
    if (LOCK_FILE.test(path)) {
      locks.push(path);
      continue;
    }
    if (TEMP_FILE.test(path)) {
      leftovers.push(path);
      continue;
    }
    const isOld = same(before.get(path), state);
    const isNew = same(after.get(path), state);
    if (isOld) oldFiles++;
    if (isNew) newFiles++;
    if (!isOld && !isNew) torn.push(path);
  }
  for (const path of before.keys()) if (after.has(path) && !tree.has(path)) vanished.push(path);
  const real = tree.size - leftovers.length - locks.length;
  return {
    torn,
    vanished,
    leftovers,
    locks,
    oldFiles,
    newFiles,
    untouched: leftovers.length === 0 && real === before.size && oldFiles === before.size,
    complete: leftovers.length === 0 && real === after.size && newFiles === after.size,
  };
}

function same(a: FileState | undefined, b: FileState): boolean {
  return a !== undefined && a.sha256 === b.sha256 && a.mode === b.mode;
}
