/**
 * File-system stamps of output files, the way git's index avoids re-reading unchanged files: a file whose
 * device, inode, size, mtime, ctime and mode are what they were when sitewire last saw a given content still
 * has that content. ctime cannot be set by user tools (touch sets mtime), so an edit, a chmod or a replace
 * always changes the stamp. One gap remains: an edit within the same clock tick as the moment the stamp was
 * taken. A stamp is therefore trusted only when the file's ctime is older than the moment sitewire started
 * looking by more than RACY_NS; otherwise the file is read and hashed again.
 */
import { createHash } from "node:crypto";
import { lstatSync, type BigIntStats } from "node:fs";
import { lstat, readFile } from "node:fs/promises";
import type { Limiter } from "../writer/limit.js";
import { modeDiffers, type ModePolicy } from "../writer/modes.js";
import { resolveInside, siteRoot } from "../writer/paths.js";
import type { CachedFile, CachedSite } from "./store.js";

/** Generous for coarse file-system clocks (ext4 ticks in milliseconds, some network file systems in seconds). */
export const RACY_NS = 1_000_000_000n;


export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

export function stampOf(st: BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.mode}`;
}

function trusted(st: BigIntStats, stampedAtNs: string): boolean {
  return st.ctimeNs + RACY_NS < BigInt(stampedAtNs);
}

async function lstatFile(abs: string): Promise<BigIntStats | undefined> {
  const st = await lstat(abs, { bigint: true }).catch(() => undefined);
  return st?.isFile() ? st : undefined;
}

export interface Verdict {
  /** Every file is on disk with the cached content and a fitting mode. */
  readonly current: boolean;
  /** The entry with fresh stamps, when some files had to be hashed to prove it current. */
  readonly refreshed?: CachedSite;
}

/**
 * Is out/<site>/ still exactly what the cached compile produced? Reads only files whose stamp moved.
 * The stamps are read with lstatSync: a metadata lookup in the dentry cache costs microseconds, and 23,000
 * of them through the thread pool cost 20x more in promise and queue overhead than the lookups themselves.
 */
export async function verifySite(outDir: string, entry: CachedSite, modes: ModePolicy, slot: Limiter): Promise<Verdict> {
  const startedAt = nowNs();
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
 * stamps in, with stamps out. `startedAt` is the moment before sitewire read or wrote any of them, so that a
 * change made by someone else after that moment is never trusted.
 */
export async function stampFiles(outDir: string, site: string, files: readonly Omit<CachedFile, "stamp">[], slot: Limiter): Promise<CachedFile[]> {
  const root = siteRoot(outDir, site);
  return Promise.all(
    files.map((f) =>
      slot(async () => {
        const st = await lstatFile(resolveInside(root, f.path));
        return st ? { ...f, stamp: stampOf(st) } : { ...f };
      }),
    ),
  );
}
