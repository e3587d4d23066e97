/**
 * Loading site files for `compile` and `check` with the result cache (src/cache): files whose output is
 * known current are not compiled again; the rest are, and the cross-file rules run over all of them. With
 * `--no-cache`, or no cache folder, everything is compiled.
 */
import { ResultCache } from "../cache/results.js";
import type { CachedFile, CachedSite } from "../cache/store.js";
import { MANIFEST_PATH, parseManifest, sha256 } from "../compile/manifest.js";
import type { SiteResult } from "../compile/pipeline.js";
import { collectResults, type Compiled } from "../compile/site-results.js";
import { limiter } from "../writer/limit.js";
import type { ModePolicy } from "../writer/modes.js";
import type { PlanOutline, WritePlan } from "../writer/plan.js";
import type { SiteArgs } from "./args.js";
import type { Context } from "./commands/common.js";
import { expandPaths, readSources } from "./inputs.js";
import { createProgress, progressEnabled } from "./progress.js";
import { diskReaders, planTree, type SiteTree } from "./trees.js";

export interface CachedLoad<P extends PlanOutline = WritePlan> {
  /**
   * Every file's result. A cache hit has its site and warnings but no artifacts; a compiled site keeps none
   * once planned (its tree holds the plan, or its outline once staged, and the files' hashes for the cache).
   */
  readonly compiled: Compiled;
  /** Cache hits by file. */
  readonly hits: ReadonlyMap<string, CachedSite>;
  /** The write plan of every compiled site without errors, in file order (as `afterPlan` returned it). */
  readonly trees: readonly SiteTree<P>[];
  readonly cache?: ResultCache;
}

/**
 * Sites compiled but not yet planned at one time. Each is compiled and planned against out/ in turn and then
 * drops its artifacts, so memory does not grow with the number of sites (a thousand sites' artifacts and
 * the files read to compare with them are half a gigabyte).
 */
const SITES_IN_FLIGHT = 16;

/**
 * `afterPlan`, when given, takes each site's tree as soon as it is planned and returns what the load keeps of
 * it (compile stages the writes on disk and keeps the plan's outline: ./commands/compile.ts).
 */
export async function loadSitesCached(args: SiteArgs, ctx: Context, outDir: string, modes: ModePolicy): Promise<CachedLoad>;
export async function loadSitesCached<P extends PlanOutline>(
  args: SiteArgs,
  ctx: Context,
  outDir: string,
  modes: ModePolicy,
  afterPlan: (tree: SiteTree) => Promise<SiteTree<P>>,
): Promise<CachedLoad<P>>;
export async function loadSitesCached(
  args: SiteArgs,
  ctx: Context,
  outDir: string,
  modes: ModePolicy,
  afterPlan: (tree: SiteTree) => Promise<SiteTree<PlanOutline>> = (tree) => Promise.resolve(tree),
): Promise<CachedLoad<PlanOutline>> {
  const files = await expandPaths(args.paths, ctx.io.cwd);
  const [sources, cache] = await Promise.all([readSources(files, ctx.io.cwd), args.noCache ? undefined : ResultCache.open(ctx.io.env, outDir)]);
  const hits = cache ? await cache.current(sources, args.strict, modes) : new Map<string, CachedSite>();

  const misses = sources.filter((s) => !hits.has(s.file));
  const fresh = new Map<string, { result: SiteResult; tree?: SiteTree<PlanOutline> }>();
  if (misses.length > 0) {
    // The compiler (and its templates) is loaded only when some site has to be compiled.
    const { compileOne } = await import("./sites.js");
    const slot = limiter(SITES_IN_FLIGHT);
    const readers = diskReaders(outDir);
    // A status line on a terminal once this has taken a second (src/cli/progress.ts).
    const progress = createProgress(ctx.io.stderr, { enabled: progressEnabled(ctx.io.stderr, args.format, ctx.io.env) });
    progress.phase("compiling", misses.length, "site");
    try {
      await Promise.all(
        misses.map((source) =>
          slot(async () => {
            const result = compileOne(source, { strict: args.strict });
            progress.tick(source.file);
            if (result.site === undefined || result.artifacts.length === 0) return void fresh.set(source.file, { result });
            const planned = await planTree({ ...result, site: result.site }, outDir, ctx.io.cwd, readers);
            const slim = { ...result, artifacts: [] };
            fresh.set(source.file, { result: slim, tree: await afterPlan({ ...planned, result: slim, outputs: packFiles(cachedFilesOf(result)) }) });
          }),
        ),
      );
    } finally {
      progress.done();
    }
  }
  const results = sources.map((s): SiteResult => {
    const hit = hits.get(s.file);
    return hit ? { file: s.file, site: hit.site, artifacts: [], diagnostics: hit.diagnostics } : fresh.get(s.file)!.result;
  });
  const trees = sources.flatMap((s) => fresh.get(s.file)?.tree ?? []);
  return { compiled: collectResults(sources, results), hits, trees, ...(cache ? { cache } : {}) };
}

/**
 * A site's files for the result cache, packed into one string per site ("<sha256> <mode> <path>" lines): the
 * load holds it for every site until the cache is saved, and at 5,000 sites the manifests it was read off were
 * a third of the memory that stays live.
 */
function packFiles(files: readonly Omit<CachedFile, "stamp">[]): string {
  return files.map((f) => `${f.sha256} ${f.mode.toString(8)} ${f.path}`).join("\n");
}

function unpackFiles(packed: string): Omit<CachedFile, "stamp">[] {
  return packed.split("\n").map((line) => {
    const [sha256, mode, ...path] = line.split(" ");
    return { path: path.join(" "), sha256: sha256!, mode: parseInt(mode!, 8) };
  });
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

/**
 * Record every site of `trees` that has artifacts, then save the cache. `startedAtNs`: fsClockNs(outDir)
 * before the run read anything of out/; `wrote`: whether the trees' plans were applied (compile) or only
 * compared (check). The stamps' moment is taken now, after the writes, on the file system's clock, so the
 * files this run wrote are trusted by the next run (src/cache/stamps.ts).
 */
export async function recordSites(load: CachedLoad<PlanOutline>, trees: readonly SiteTree<PlanOutline>[], strict: boolean, startedAtNs: bigint, wrote: boolean): Promise<void> {
  const cache = load.cache;
  if (!cache) return;
  const clock = { startedAt: startedAtNs, now: await cache.clockNs() };
  await Promise.all(
    trees.map(({ result: r, plan, outputs }) => {
      const text = load.compiled.sources.get(r.file);
      if (r.site === undefined || outputs === undefined || text === undefined) return undefined;
      const written = new Set(wrote ? [...plan.create, ...plan.update].map((w) => w.path) : []);
      return cache.record({ file: r.file, text }, strict, r.site, r.diagnostics, unpackFiles(outputs), clock, written);
    }),
  );
  await cache.save();
}
