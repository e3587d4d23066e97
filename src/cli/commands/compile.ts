/**
 * `sitewire compile`: compile every site; when any site has errors or any plan has a conflict, write nothing
 * at all. Otherwise apply each site's plan and print one summary line per site. Sites the result cache knows
 * to be current (src/cache) are neither compiled nor written. The output folder is refused when a symbolic
 * link leads to it, and locked for the whole run (./out-folder.ts); paths under it that no site produces are
 * reported as warnings, never deleted, except sitewire's own leftover temp names.
 */
import { resolve } from "node:path";
import { fsClockNs } from "../../cache/stamps.js";
import type { CachedSite } from "../../cache/store.js";
import { commitStaged, discardStaged, stagePlan, type StagedSite } from "../../writer/disk.js";
import { limiter } from "../../writer/limit.js";
import { outlineOf, type PlanOutline } from "../../writer/plan.js";
import type { SiteArgs } from "../args.js";
import { loadSitesCached, recordSites } from "../cached-sites.js";
import { EXIT } from "../errors.js";
import type { CommandOutput } from "../output.js";
import { siteLabel, type SiteTree } from "../trees.js";
import { removeLeftovers } from "../../writer/account.js";
import { displayPath } from "../inputs.js";
import { accountOut, findingDiagnostics, holdOutFolder, isHeld } from "../out-folder.js";
import { countDiagnostics, invalidOutput, plural, type Context } from "./common.js";

/** Sites written at once: enough to keep the disk busy while one site waits on its directories. */
const SITES_IN_FLIGHT = 8;

export async function compileCommand(args: SiteArgs, ctx: Context): Promise<CommandOutput> {
  const outDir = resolve(ctx.io.cwd, args.out);
  // A linked out/ is refused; then out/ is locked from before anything of it is read until all is written.
  const held = await holdOutFolder("compile", outDir, ctx, true);
  if (!isHeld(held)) return held;
  let wrote = false;
  try {
    const output = await compileHeld(args, ctx, outDir);
    wrote = output.exitCode === EXIT.ok;
    return output;
  } finally {
    await held.release({ wroteNothing: !wrote });
  }
}

async function compileHeld(args: SiteArgs, ctx: Context, outDir: string): Promise<CommandOutput> {
  // Before anything of out/ is read: a file changed by someone else after this moment is never trusted.
  const startedAt = await fsClockNs(outDir);
  const staging = new Staging(outDir, args.fsync ?? false);
  let load;
  try {
    load = await loadSitesCached(args, ctx, outDir, "exact", (tree) => staging.stage(tree));
  } catch (err) {
    await staging.discard();
    throw err;
  }
  const compiled = load.compiled;
  if (!compiled.ok) {
    await staging.discard();
    return invalidOutput("compile", compiled, "nothing written");
  }

  const trees = load.trees;
  const summary = countDiagnostics(compiled.results.length, compiled.diagnostics);
  const conflicts = trees.flatMap((t) => t.plan.conflicts.map((c) => ({ site: t.site, path: `${t.label}/${c.path}`, reason: c.reason })));
  if (conflicts.length > 0) {
    await staging.discard();
    return {
      exitCode: EXIT.invalid,
      diagnostics: compiled.diagnostics,
      sources: compiled.sources,
      data: { command: "compile", ok: false, summary, conflicts },
      stdout: [],
      stderr: [
        ...conflicts.map((c) => `sitewire: ${c.path}: ${CONFLICT_TEXT[c.reason]}; refusing to overwrite it`),
        "sitewire: nothing written (move those files away, then compile again)",
      ],
    };
  }

  await staging.commit();
  await recordSites(load, trees, args.strict, startedAt, true);
  // Everything under out/ no site accounts for: temp names of interrupted runs are removed (the lock says
  // no other run is writing them); anything else is reported and left alone (compile deletes only what its
  // manifests list).
  const findings = removeLeftovers(outDir, accountOut(load, args, outDir, ctx.io.cwd));
  const outDiagnostics = findingDiagnostics(findings, outDir, ctx.io.cwd, "warning");

  const treeOf = new Map(trees.map((t) => [t.result.file, t]));
  const reports = compiled.results.flatMap((r): SiteReport[] => {
    const hit = load.hits.get(r.file);
    if (hit) return [cachedReport(r.file, hit, siteLabel(outDir, ctx.io.cwd, hit.site))];
    const tree = treeOf.get(r.file);
    return tree ? [treeReport(tree)] : [];
  });
  return {
    exitCode: EXIT.ok,
    diagnostics: [...compiled.diagnostics, ...outDiagnostics],
    sources: compiled.sources,
    data: { command: "compile", ok: true, summary, sites: reports, unaccounted: findings },
    stdout: reports.map(summaryLine),
    stderr:
      findings.length > 0
        ? [`sitewire: ${plural(findings.length, "path")} under ${displayPath(outDir, ctx.io.cwd)} not produced by any site (left alone; 'sitewire check' fails on them)`]
        : [],
  };
}

const CONFLICT_TEXT = {
  "unmanaged-file": "exists but is not listed in the site's manifest.json",
  "not-a-file": "exists and is not a regular file",
  "parent-not-a-directory": "a parent directory is a file",
} as const;

interface SiteReport {
  readonly site: string;
  readonly file: string;
  readonly out: string;
  readonly created: readonly string[];
  readonly updated: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
  /** Answered from the result cache: nothing was compiled or read for this site. */
  readonly cached: boolean;
}

function summaryLine(r: SiteReport): string {
  return `${r.site}: ${r.created.length + r.updated.length} written, ${r.removed.length} removed, ${r.unchanged} unchanged`;
}

function treeReport(t: SiteTree<PlanOutline>): SiteReport {
  return {
    site: t.site,
    file: t.result.file,
    out: t.label,
    created: t.plan.create.map((w) => w.path),
    updated: t.plan.update.map((w) => w.path),
    removed: t.plan.remove.map((r) => r.path),
    unchanged: t.plan.unchanged.length,
    cached: false,
  };
}

function cachedReport(file: string, hit: CachedSite, label: string): SiteReport {
  return { site: hit.site, file, out: label, created: [], updated: [], removed: [], unchanged: hit.files.length, cached: true };
}

/**
 * Each site's writes go to disk as soon as the site is planned, aside (src/writer/disk.ts stagePlan), and the
 * load keeps only the plan's outline: memory stays flat however many sites there are, and writing overlaps
 * compiling. Only when every site compiled without an error or a conflict is each staged site put in place;
 * otherwise the aside folders are removed and nothing in out/ has changed. Once one site has a conflict,
 * the others are no longer staged (nothing will be written).
 */
class Staging {
  private readonly staged: { readonly site: string; readonly label: string; readonly done: Promise<StagedSite> }[] = [];
  private failed = false;

  constructor(
    private readonly outDir: string,
    private readonly fsync: boolean,
  ) {}

  async stage(tree: SiteTree): Promise<SiteTree<PlanOutline>> {
    if (tree.plan.conflicts.length > 0) this.failed = true;
    const outline = { ...tree, plan: outlineOf(tree.plan) };
    if (this.failed) return outline;
    const done = stagePlan(this.outDir, tree.plan, { label: tree.label, fsync: this.fsync });
    this.staged.push({ site: tree.site, label: tree.label, done });
    await done;
    return outline;
  }

  async commit(): Promise<void> {
    const slot = limiter(SITES_IN_FLIGHT);
    await Promise.all(this.staged.map((s) => slot(async () => commitStaged(this.outDir, await s.done))));
  }

  /** Remove every aside folder staged so far, also of stagings that failed half way. */
  async discard(): Promise<void> {
    await Promise.allSettled(this.staged.map((s) => s.done));
    await Promise.all(this.staged.map((s) => discardStaged(this.outDir, s)));
  }
}
