/**
 * Loading site files for `compile` and `check` with the result cache (src/cache): files whose output is
 * known current are not compiled again; the rest are, and the cross-file rules run over all of them. With
 * `--no-cache`, or no cache folder, everything is compiled.
 */
import { ResultCache } from "../cache/results.js";
import type { ModeRule } from "../cache/stamps.js";
import type { CachedFile, CachedSite } from "../cache/store.js";
import { MANIFEST_PATH, parseManifest, sha256 } from "../compile/manifest.js";
import type { SiteResult } from "../compile/pipeline.js";
import type { SiteArgs } from "./args.js";
import type { Context } from "./commands/common.js";
import { expandPaths, readSources } from "./inputs.js";
import { collectResults, type Compiled } from "../compile/site-results.js";

export interface CachedLoad {
  /** Every file's result; a cache hit has its site and warnings but no artifacts. */
  readonly compiled: Compiled;
  /** Cache hits by file. */
  readonly hits: ReadonlyMap<string, CachedSite>;
  readonly cache?: ResultCache;
}

export async function loadSitesCached(args: SiteArgs, ctx: Context, outDir: string, modeRule: ModeRule): Promise<CachedLoad> {
  const files = await expandPaths(args.paths, ctx.io.cwd);
  const [sources, cache] = await Promise.all([readSources(files, ctx.io.cwd), args.noCache ? undefined : ResultCache.open(ctx.io.env, outDir)]);
  const hits = cache ? await cache.current(sources, args.strict, modeRule) : new Map<string, CachedSite>();

  const misses = sources.filter((s) => !hits.has(s.file));
  // The compiler (and its templates) is loaded only when some site has to be compiled.
  const fresh = misses.length > 0 ? (await import("./sites.js")).compileSources(misses, { strict: args.strict }).results : [];
  const freshByFile = new Map(fresh.map((r) => [r.file, r]));
  const results = sources.map((s): SiteResult => {
    const hit = hits.get(s.file);
    return hit ? { file: s.file, site: hit.site, artifacts: [], diagnostics: hit.diagnostics } : freshByFile.get(s.file)!;
  });
  return { compiled: collectResults(sources, results), hits, ...(cache ? { cache } : {}) };
}

/** What the cache keeps of a compiled site: each artifact's path, hash and mode, read off its manifest. */
export function cachedFilesOf(result: SiteResult): Omit<CachedFile, "stamp">[] {
  const manifestArtifact = result.artifacts.find((a) => a.path === MANIFEST_PATH);
  const manifest = manifestArtifact && parseManifest(manifestArtifact.content);
  if (!manifestArtifact || !manifest) throw new Error(`internal: ${result.file} compiled without a manifest`);
  return [
    ...manifest.artifacts.map((a) => ({ path: a.path, sha256: a.sha256, mode: parseInt(a.mode, 8) })),
    { path: MANIFEST_PATH, sha256: sha256(manifestArtifact.content), mode: manifestArtifact.mode },
  ];
}

/** Record every site of `results` that has artifacts, then save the cache. */
export async function recordSites(load: CachedLoad, results: readonly SiteResult[], strict: boolean, startedAtNs: bigint): Promise<void> {
  const cache = load.cache;
  if (!cache) return;
  await Promise.all(
    results.map((r) => {
      const text = load.compiled.sources.get(r.file);
      if (r.site === undefined || r.artifacts.length === 0 || text === undefined) return undefined;
      return cache.record({ file: r.file, text }, strict, r.site, r.diagnostics, cachedFilesOf(r), startedAtNs);
    }),
  );
  await cache.save();
}

/** compile writes exact modes. */
export const exactModes: ModeRule = (disk, wanted) => disk === wanted;
/** check compares only the executable bit, the one mode git records (see src/writer/check.ts). */
export const gitModes: ModeRule = (disk, wanted) => (disk & 0o100) === (wanted & 0o100);
