/**
 * File-system stamps of output files, the way git's index avoids re-reading unchanged files: a file whose
 * device, inode, size, mtime, ctime and mode are what they were when sitewire last saw a given content still
 * has that content. ctime cannot be set by user tools (touch sets mtime), so an edit, a chmod or a replace
 * always changes the stamp. One gap remains: an edit within the same clock tick as the moment the stamp was
 * taken. A stamp is therefore trusted only when the file's ctime is strictly older than `stampedAtNs`, a
 * moment on the file system's own clock taken before the stamps were read (git's "racy clean" rule, with the
 * index file's timestamp as that moment): a later edit gets a later ctime, so the stamp no longer matches.
 *
 * That moment is read off the file system (fsClockNs: the ctime of out/'s lock file, touched), not
 * off Date.now(): file times come from the kernel's coarse clock, which lags the real-time clock by up to a
 * tick, and on network file systems from the server's clock. So only files changed in the last tick before
 * the stamps were taken are racy: a no-change compile right after a cold one trusts what the cold one wrote
 * (issue 18: it used to take the run's start as the moment, and re-read every file the previous run wrote).
 * Where out/ cannot hold that file, the real-time clock minus RACY_NS stands in.
 */
import { createHash } from "node:crypto";
import { lstatSync, type BigIntStats } from "node:fs";
import { lstat, readFile, utimes } from "node:fs/promises";
import { join } from "node:path";
import type { Limiter } from "../writer/limit.js";
import { LOCK_NAME } from "../writer/lock.js";
import { modeDiffers, type ModePolicy } from "../writer/modes.js";
import { resolveInside, siteRoot } from "../writer/paths.js";
import type { CachedFile, CachedSite } from "./store.js";

/** Generous for coarse file-system clocks (ext4 ticks in milliseconds, some network file systems in seconds). */
export const RACY_NS = 1_000_000_000n;


export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/**
 * Now, on the clock that stamps the files of `outDir`: the new ctime of the output folder's lock file
 * (src/writer/lock.ts), whose times are set to now. compile and check hold that lock whenever they call this,
 * so the file is theirs; its content (the holder's record) is not touched. Anything changed in out/ after
 * this call has a ctime at or after the returned value. Without the lock file (a caller holding no lock),
 * the real-time clock minus RACY_NS.
 */
export async function fsClockNs(outDir: string): Promise<bigint> {
  const lock = join(outDir, LOCK_NAME);
  try {
    const now = new Date();
    await utimes(lock, now, now);
    return (await lstat(lock, { bigint: true })).ctimeNs;
  } catch {
    return nowNs() - RACY_NS;
  }
}

export function stampOf(st: BigIntStats): string {
  // join, not a template literal: V8 keeps a template's result as a rope of its pieces (nine string objects),
  // and a cold compile of 5,000 sites held 130,000 stamps at once (27 MB of rope nodes).
  return [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs, st.mode].join(":");
}

function trusted(st: BigIntStats, stampedAtNs: string): boolean {
  return st.ctimeNs < BigInt(stampedAtNs);
}

export interface Verdict {
  /** Every file is on disk with the cached content and a fitting mode. */
  readonly current: boolean;
  /** The entry with fresh stamps, when some files had to be hashed to prove it current. */
  readonly refreshed?: CachedSite;
}

/**
 * Is out/<site>/ still exactly what the cached compile produced? Reads only files whose stamp moved or is
 * racy. `clockNs`: fsClockNs(outDir) taken before this run read anything of out/ (one per run, not per site).
 * The stamps are read with lstatSync: a metadata lookup in the dentry cache costs microseconds, and 23,000
 * of them through the thread pool cost 20x more in promise and queue overhead than the lookups themselves.
 */
export async function verifySite(outDir: string, entry: CachedSite, modes: ModePolicy, slot: Limiter, clockNs?: bigint): Promise<Verdict> {
  const startedAt = clockNs ?? (await fsClockNs(outDir));
  const root = siteRoot(outDir, entry.site);
  const toHash: { file: CachedFile; abs: string; stamp: string }[] = [];
  for (const f of entry.files) {
    const abs = resolveInside(root, f.path);
    const st = lstatSync(abs, { bigint: true, throwIfNoEntry: false });
    if (!st?.isFile() || modeDiffers(Number(st.mode & 0o7777n), f.mode, modes)) return { current: false };
    const stamp = stampOf(st);
    if (stamp !== f.stamp || !trusted(st, entry.stampedAtNs)) toHash.push({ file: f, abs, stamp });
  }
  if (toHash.length === 0) return { current: true };
  const same = await Promise.all(
    toHash.map(({ file, abs }) =>
      slot(async () => {
        const content = await readFile(abs).catch(() => undefined);
        return content !== undefined && createHash("sha256").update(content).digest("hex") === file.sha256;
      }),
    ),
  );
  if (same.includes(false)) return { current: false };
  const restamped = new Map(toHash.map(({ file, stamp }) => [file.path, stamp]));
  const files = entry.files.map((f) => (restamped.has(f.path) ? { ...f, stamp: restamped.get(f.path)! } : f));
  return { current: true, refreshed: { ...entry, files, stampedAtNs: startedAt.toString() } };
}

/**
 * Stamp files whose content sitewire knows (it just wrote them, or just compared them): `files` without
 * stamps in, with stamps out; the caller records fsClockNs(outDir), taken after the writes and before this
 * call, as their `stampedAtNs`. out/ is locked for the whole run, so between sitewire's write and this lstat
 * no other sitewire run touches these files, and an edit by anyone after the lstat changes the stamp.
 * A file this run did not write (`written` lacks it: compared and found current) whose ctime is at or after
 * `startedAtNs` (fsClockNs before the run read out/) was changed by someone else while the run went on: it
 * gets no stamp, so the next run reads and hashes it.
 */
export function stampFiles(
  outDir: string,
  site: string,
  files: readonly Omit<CachedFile, "stamp">[],
  startedAtNs: bigint,
  written: ReadonlySet<string>,
): CachedFile[] {
  // Synchronous lstat, as in verifySite: 130,000 of them for 5,000 sites through the thread pool held a promise,
  // a closure and a BigIntStats each at once, which was the peak of a cold compile's memory.
  const root = siteRoot(outDir, site);
  return files.map((f) => {
    const st = lstatSync(resolveInside(root, f.path), { bigint: true, throwIfNoEntry: false });
    return st?.isFile() && (written.has(f.path) || st.ctimeNs < startedAtNs) ? { ...f, stamp: stampOf(st) } : { ...f };
  });
}
