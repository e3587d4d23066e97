/**
 * The result cache on disk: one JSON file per output folder, outside the repository (in the user's cache
 * folder), holding for every site file the key of the last compile that reached out/ and what that compile
 * produced: each file's sha256 and mode, and the file-system stamp it had when sitewire last saw it with
 * exactly that content. Nothing in it is a secret: artifacts carry placeholders, never values.
 *
 * Where: $SITEWIRE_CACHE_DIR, else $XDG_CACHE_HOME/sitewire, else $HOME/.cache/sitewire; none of them (or
 * SITEWIRE_CACHE_DIR=off) means no cache. A file that is unreadable, of another version, for another compiler
 * or another output folder is ignored and rewritten.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { writeFileAtomic } from "../writer/disk.js";
import { compareStrings } from "../writer/paths.js";

const VERSION = 1;

export interface CachedFile {
  readonly path: string;
  readonly sha256: string;
  readonly mode: number;
  /** `dev:ino:size:mtimeNs:ctimeNs:mode` when sitewire last saw this content at the path. */
  readonly stamp?: string;
}

export interface CachedSite {
  /** Hash of the compiler fingerprint, the file's path and text and the options that change its result. */
  readonly key: string;
  readonly site: string;
  /** Warnings of that compile (a site with errors is never cached). */
  readonly diagnostics: readonly Diagnostic[];
  /** Every artifact, manifest.json included, path order. */
  readonly files: readonly CachedFile[];
  /** Wall clock (ns since the epoch) just before the stamps were taken: stamps newer than this are racy. */
  readonly stampedAtNs: string;
}

interface CacheDocument {
  readonly version: number;
  readonly fingerprint: string;
  readonly outDir: string;
  readonly sites: Record<string, CachedSite>;
}

/** The cache folder this environment asks for, or undefined when caching is off. */
export function cacheDirFor(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const explicit = env.SITEWIRE_CACHE_DIR;
  if (explicit !== undefined) return explicit === "" || explicit === "off" ? undefined : explicit;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "sitewire");
  if (env.HOME) return join(env.HOME, ".cache", "sitewire");
  return undefined;
}

export function cacheFileFor(cacheDir: string, outDir: string): string {
  return join(cacheDir, `out-${createHash("sha256").update(outDir).digest("hex").slice(0, 32)}.json`);
}

/** The cached sites for `outDir` made by the compiler with `fingerprint`; empty when there are none. */
export async function loadCache(file: string, outDir: string, fingerprint: string): Promise<Map<string, CachedSite>> {
  try {
    const doc = JSON.parse(await readFile(file, "utf8")) as Partial<CacheDocument>;
    if (doc.version !== VERSION || doc.fingerprint !== fingerprint || doc.outDir !== outDir || typeof doc.sites !== "object" || doc.sites === null) return new Map();
    return new Map(Object.entries(doc.sites).filter(([, s]) => isCachedSite(s)));
  } catch {
    return new Map();
  }
}

/** Replace the cache file (atomically, owner-only). Failing to save only costs speed next time. */
export async function saveCache(file: string, dir: string, outDir: string, fingerprint: string, sites: ReadonlyMap<string, CachedSite>): Promise<void> {
  const doc: CacheDocument = { version: VERSION, fingerprint, outDir, sites: Object.fromEntries([...sites].sort(([a], [b]) => compareStrings(a, b))) };
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, JSON.stringify(doc), 0o600);
  } catch {
    /* a read-only or full cache folder: the next run compiles in full */
  }
}

function isCachedSite(value: unknown): value is CachedSite {
  const s = value as Partial<CachedSite> | null;
  return (
    typeof s === "object" &&
    s !== null &&
    typeof s.key === "string" &&
    typeof s.site === "string" &&
    typeof s.stampedAtNs === "string" &&
    Array.isArray(s.diagnostics) &&
    Array.isArray(s.files) &&
    s.files.every((f) => typeof f?.path === "string" && typeof f.sha256 === "string" && typeof f.mode === "number")
  );
}
