/**
 * `sitewire diff --against <ref>`: the plan of an intent change. The site files are compiled as they are at
 * <ref> (read with git plumbing, src/gitrev) and as they are in the working tree, both in memory; sites are
 * matched by name; each site gets the semantic changes (src/plan) and the unified diff of its artifacts,
 * built with the same write plan and differ as `check` and `diff`, over a reader of the base artifacts.
 */
import { resolve } from "node:path";
import type { SiteResult } from "../../compile/pipeline.js";
import { GitError } from "../../gitrev/git.js";
import { revisionReader } from "../../gitrev/reader.js";
import { Revision } from "../../gitrev/revision.js";
import { expandAtRevision } from "../../gitrev/select.js";
import { loadSource } from "../../intent/load.js";
import { locate, type SourceFile } from "../../intent/source.js";
import type { Range } from "../../diagnostics/diagnostic.js";
import { escapeControlChars } from "../../diagnostics/format.js";
import { modelChanges, subjectOfArtifact, type Change } from "../../plan/index.js";
import { PLAN_LEGEND, planText, type FileChange, type PlanStyle, type SitePlan } from "../../plan/report.js";
import { driftOfPlan, type DriftKind, type ModePolicy, type SiteDrift } from "../../writer/check.js";
import { siteRoot } from "../../writer/paths.js";
import { planSite } from "../../writer/plan.js";
import { memoryReader, readSiteState, type TreeReader } from "../../writer/read.js";
import type { SiteArgs } from "../args.js";
import { EXIT, UserError } from "../errors.js";
import { displayPath, expandPatterns, readSources, sourceFromBytes } from "../inputs.js";
import { paint, type Style } from "../io.js";
import type { Annotation, CommandOutput } from "../output.js";
import { compileSources, type Compiled } from "../sites.js";
import { countDiagnostics, invalidOutput, plural, type Context } from "./common.js";
import { colorPatch } from "./drift.js";

type Named = SiteResult & { readonly site: string };

interface SiteComparison {
  readonly plan: SitePlan;
  readonly drift: SiteDrift;
}

export async function againstCommand(args: SiteArgs, ref: string, ctx: Context): Promise<CommandOutput> {
  const cwd = ctx.io.cwd;
  const rev = await Revision.open(ref, cwd).catch(userError);
  const [now, then] = [await expandPatterns(args.paths, cwd), expandAtRevision(args.paths, rev)];
  const unmatched = now.unmatched.filter((p) => then.unmatched.includes(p));
  if (unmatched.length > 0) throw new UserError(unmatched.map((p) => `no site files match '${p}', neither in the working tree nor at ${ref}`).join("\n"));

  const current = compileSources(await readSources(now.files, cwd), { strict: args.strict, keepModels: true });
  if (!current.ok) return invalidOutput("diff", current, "not compared");
  const blobs = await rev.read(then.files).catch(userError);
  const base = compileSources(then.files.map((f) => sourceFromBytes(f, blobs.get(f))), { strict: args.strict, keepModels: true });

  const outDir = resolve(cwd, args.out);
  const sites = siteNames(current, base);
  const comparisons = await Promise.all(
    sites.map((site) => compareSite(site, current, base, rev, { outRel: displayPath(outDir, cwd), label: displayPath(siteRoot(outDir, site), cwd) })),
  );

  const changed = comparisons.filter((c) => c.plan.status !== "unchanged");
  const style = (s: PlanStyle, text: string) => paint(STYLE[s], text, ctx.color.stdout);
  const header = `sitewire plan: ${ref} (${rev.short}) → working tree: ${changed.length === 0 ? "no changes" : `${changed.length} of ${plural(comparisons.length, "site")} change`}`;
  const legend = changed.length > 0 ? [style("dim", PLAN_LEGEND)] : [];
  const where = locator(current);
  const located = comparisons.map((c) => ({ ...c, changes: c.plan.changes.map((ch) => ({ ...ch, ...where(ch, c.plan.file) })) }));

  return {
    exitCode: args.exitCode && changed.length > 0 ? EXIT.drift : EXIT.ok,
    diagnostics: current.diagnostics,
    sources: current.sources,
    data: {
      command: "diff",
      ok: true,
      against: { ref, commit: rev.commit },
      changes: changed.length > 0,
      summary: countDiagnostics(current.results.length, current.diagnostics),
      sites: located.map((c) => ({ ...c.plan, changes: c.changes, patch: c.drift.patch })),
    },
    stdout:
      args.format === "github"
        ? [header, ...legend, planText(comparisons.map((c) => c.plan)), ...changed.map((c) => group(`${c.plan.site}: unified diff`, c.drift.patch))]
        : [style("heading", header), ...legend, planText(comparisons.map((c) => c.plan), style), colorPatch(comparisons.map((c) => c.drift.patch).join(""), ctx.color.stdout)],
    stderr: [],
    annotations: annotations(located.flatMap((c) => c.changes.map((ch) => ({ site: c.plan.site, change: ch })))),
  };
}

const STYLE: Readonly<Record<PlanStyle, Style>> = { add: "green", remove: "red", change: "yellow", attention: "bold", heading: "bold", dim: "dim" };

function userError(err: unknown): never {
  throw err instanceof GitError ? new UserError(`diff --against: ${err.message}`) : err;
}

/** Every site compiled now, plus every site named at the base (even one whose intent does not compile there). */
function siteNames(current: Compiled, base: Compiled): string[] {
  const names = new Set([...current.results, ...base.results].flatMap((r) => (r.site ? [r.site] : [])));
  return [...names].sort();
}

/** A base result counts only when its file has no errors at all (a duplicate site name is one). */
function usable(compiled: Compiled, site: string): Named | undefined {
  const failed = new Set(compiled.diagnostics.filter((d) => d.severity === "error").map((d) => d.file));
  return compiled.results.find((r): r is Named => r.site === site && r.artifacts.length > 0 && !failed.has(r.file));
}

interface Where {
  /** --out relative to the working directory, as paths in the revision are. */
  readonly outRel: string;
  /** out/<site> as shown. */
  readonly label: string;
}

async function compareSite(site: string, current: Compiled, base: Compiled, rev: Revision, where: Where): Promise<SiteComparison> {
  const now = usable(current, site);
  const then = usable(base, site);
  const baseFile = base.results.find((r) => r.site === site)?.file;
  const fresh = now?.artifacts ?? [];

  let reader: TreeReader;
  let modes: ModePolicy = "exact";
  let baseline: SitePlan["baseline"];
  if (then) {
    reader = memoryReader(where.label, then.artifacts);
    baseline = "compiled";
  } else if (rev.entry(`${where.outRel}/${site}/manifest.json`)) {
    // git keeps only the executable bit, so modes compare as git sees them.
    reader = revisionReader(rev, where.outRel, site, where.label);
    modes = "git";
    baseline = "committed";
  } else {
    reader = memoryReader(where.label, []);
    baseline = "none";
  }

  const state = await readSiteState(reader, site, fresh);
  const drift = driftOfPlan(planSite(site, fresh, state), { label: where.label, modes });
  const owners = new Map<string, { host?: string; device?: string }>();
  for (const e of state.manifest?.artifacts ?? []) owners.set(e.path, e);
  for (const a of then?.artifacts ?? []) owners.set(a.path, a);
  for (const a of fresh) owners.set(a.path, a);

  const changes = baseline === "committed" ? [] : modelChanges(then?.model, now?.model);
  const files = drift.drift.map((d) => ({ path: d.path, change: FILE_CHANGE[d.kind], subject: subjectOfArtifact(site, { path: d.path, ...owners.get(d.path) }) }));
  const status: SitePlan["status"] = !now ? "removed" : baseline === "none" ? "added" : changes.length + files.length > 0 ? "changed" : "unchanged";
  return {
    plan: { site, ...(now ? { file: now.file } : {}), ...(baseFile ? { baseFile } : {}), status, baseline, changes, files },
    drift,
  };
}

const FILE_CHANGE: Readonly<Record<DriftKind, FileChange>> = { missing: "added", stale: "removed", modified: "modified", mode: "mode", unmanaged: "modified" };

interface Location {
  readonly file: string;
  readonly range: Range;
}

/** Where in today's intent file a change points (for annotations and bots); each file is parsed once. */
function locator(current: Compiled): (change: Change, file: string | undefined) => { location?: Location } {
  const sources = new Map<string, SourceFile | undefined>();
  return (change, file) => {
    const text = file === undefined ? undefined : current.sources.get(file);
    if (file === undefined || text === undefined || change.at.length === 0) return {};
    if (!sources.has(file)) sources.set(file, loadSource(file, text).source);
    const source = sources.get(file);
    if (!source) return {};
    // A removal points at the nearest thing still there, which may be a whole block: keep its first line.
    const range = locate(source, change.at, "key");
    return { location: { file, range: range.start.line === range.end.line ? range : { start: range.start, end: { line: range.start.line, column: range.start.column } } } };
  };
}

/**
 * One annotation per change and place; a change seen on both ends of a tunnel names both. Those that need
 * attention come first: GitHub shows only the first few annotations of each level per step.
 */
function annotations(changes: readonly { site: string; change: Change & { location?: Location } }[]): Annotation[] {
  const byKey = new Map<string, { change: Change & { location?: Location }; subjects: string[] }>();
  for (const { site, change } of changes) {
    const subject = change.subject.kind === "site" ? `site ${site}` : `${change.subject.kind} ${change.subject.name}`;
    const key = JSON.stringify([change.location?.file, change.location?.range.start, change.text]);
    const seen = byKey.get(key);
    if (seen) seen.subjects.push(subject);
    else byKey.set(key, { change, subjects: [subject] });
  }
  const entries = [...byKey.values()].sort((a, b) => Number(!a.change.attention) - Number(!b.change.attention));
  return entries.map(({ change, subjects }) => ({
    level: change.attention ? "warning" : "notice",
    ...(change.location ?? {}),
    title: `sitewire plan: ${subjects.join(", ")}`,
    message: escapeControlChars(change.text),
  }));
}

/** A foldable group in the Actions log. */
function group(title: string, body: string): string {
  return `::group::${title}\n${body}::endgroup::`;
}
