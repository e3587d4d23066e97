/**
 * `sitewire check` and `sitewire diff`: compile in memory, compare with an output tree, print the unified
 * diff. check exits 2 on drift (for CI); diff only shows what `compile` would change and exits 0 (2 with
 * --exit-code when something would change). check answers sites the result cache knows to be current
 * without compiling them (src/cache), and remembers the sites it found current. Both read out/ under its
 * lock (./out-folder.ts); check also accounts for every path under out/ (src/writer/account.ts): whatever
 * no site produces is drift too, whatever the cache said.
 */
import { resolve } from "node:path";
import { fsClockNs } from "../../cache/stamps.js";
import { driftOfPlan, type DriftKind, type ModePolicy, type SiteDrift } from "../../writer/check.js";
import type { SiteArgs } from "../args.js";
import { loadSitesCached, recordSites, type CachedLoad } from "../cached-sites.js";
import { EXIT } from "../errors.js";
import { paint } from "../io.js";
import type { CommandOutput } from "../output.js";
import { diskReaders, freshFileCount, planTrees, siteLabel } from "../trees.js";
import { displayPath } from "../inputs.js";
import { accountOut, findingDiagnostics, holdOutFolder, isHeld } from "../out-folder.js";
import { countDiagnostics, invalidOutput, loadSites, plural, type Context } from "./common.js";

export function checkCommand(args: SiteArgs, ctx: Context): Promise<CommandOutput> {
  return compare("check", args, ctx, "git");
}

/** With --against, the plan against a git revision instead (./against.ts). */
export async function diffCommand(args: SiteArgs, ctx: Context): Promise<CommandOutput> {
  if (args.against !== undefined) return (await import("./against.js")).againstCommand(args, args.against, ctx);
  const output = await compare("diff", args, ctx, "exact");
  const changed = (output.data.sites as { upToDate: boolean }[] | undefined)?.some((s) => !s.upToDate) ?? false;
  return args.exitCode && changed ? { ...output, exitCode: EXIT.drift } : output;
}

async function compare(command: "check" | "diff", args: SiteArgs, ctx: Context, modes: ModePolicy): Promise<CommandOutput> {
  const outDir = resolve(ctx.io.cwd, args.out);
  // A linked out/ is refused; a compile in progress is waited for, so what is read is a whole tree.
  const held = await holdOutFolder(command, outDir, ctx, false);
  if (!isHeld(held)) return held;
  try {
    return await compareHeld(command, args, ctx, modes, outDir);
  } finally {
    await held.release();
  }
}

async function compareHeld(command: "check" | "diff", args: SiteArgs, ctx: Context, modes: ModePolicy, outDir: string): Promise<CommandOutput> {
  // check, for CI and for every save, uses the result cache; diff shows patches and always compiles.
  const startedAt = await fsClockNs(outDir);
  const load: CachedLoad = command === "check" ? await loadSitesCached(args, ctx, outDir, "git") : await loadAndPlan(args, ctx, outDir);
  const compiled = load.compiled;
  if (!compiled.ok) return invalidOutput(command, compiled, "not compared");

  const trees = load.trees;
  const compared = trees.map((t) => ({ site: t.site, file: t.result.file, out: t.label, files: freshFileCount(t), cached: false, drift: driftOfPlan(t.plan, { label: t.label, modes }) }));
  if (command === "check") {
    const current = new Set(compared.filter((s) => s.drift.drift.length === 0).map((s) => s.file));
    await recordSites(load, trees.filter((t) => current.has(t.result.file)), args.strict, startedAt, false);
  }
  const cached = [...load.hits].map(([file, hit]) => ({ site: hit.site, file, out: siteLabel(outDir, ctx.io.cwd, hit.site), files: hit.files.length, cached: true, drift: { site: hit.site, drift: [], patch: "" } }));
  const byFile = new Map([...compared, ...cached].map((s) => [s.file, s]));
  const sites = compiled.results.flatMap((r) => byFile.get(r.file) ?? []);
  const drifted = sites.filter((s) => s.drift.drift.length > 0);
  // check: every path under out/ must be accounted for, whatever the result cache answered for the sites.
  const findings = command === "check" ? accountOut(load, args, outDir, ctx.io.cwd) : [];
  const outDiagnostics = findingDiagnostics(findings, outDir, ctx.io.cwd, "error");
  const patch = sites.map((s) => s.drift.patch).join("");
  const lines = sites.map((s) => summaryLine(s.site, s.files, s.drift));

  const data = {
    command,
    ok: true,
    drift: drifted.length > 0 || findings.length > 0,
    summary: countDiagnostics(compiled.results.length, compiled.diagnostics),
    sites: sites.map((s) => ({
      site: s.site,
      file: s.file,
      out: s.out,
      upToDate: s.drift.drift.length === 0,
      cached: s.cached,
      drift: s.drift.drift,
      patch: s.drift.patch,
    })),
    ...(command === "check" ? { unaccounted: findings } : {}),
  };
  const base = { diagnostics: [...compiled.diagnostics, ...outDiagnostics], sources: compiled.sources, data };
  const coloredPatch = colorPatch(patch, ctx.color.stdout);

  if (command === "diff") {
    return { ...base, exitCode: EXIT.ok, stdout: [coloredPatch], stderr: lines };
  }
  const outLabel = displayPath(outDir, ctx.io.cwd);
  return {
    ...base,
    exitCode: drifted.length > 0 || findings.length > 0 ? EXIT.drift : EXIT.ok,
    stdout: [coloredPatch, ...lines],
    stderr: [
      ...(drifted.length > 0 ? [`sitewire: ${plural(drifted.length, "site")} out of date: run 'sitewire compile' and commit the result`] : []),
      ...(findings.length > 0 ? [`sitewire: ${plural(findings.length, "path")} under ${outLabel} not produced by any site: delete ${findings.length === 1 ? "it" : "them"}, or add the site files that produce ${findings.length === 1 ? "it" : "them"}`] : []),
    ],
    annotations: drifted.flatMap((s) =>
      s.drift.drift.map((d) => ({
        level: "error" as const,
        file: `${s.out}/${d.path}`,
        title: "sitewire check: generated file out of date",
        message: `${KIND_TEXT[d.kind]}; run 'sitewire compile' and commit the result`,
      })),
    ),
  };
}

/** diff: every site compiled and planned, no cache. */
async function loadAndPlan(args: SiteArgs, ctx: Context, outDir: string): Promise<CachedLoad> {
  const compiled = await loadSites(args, ctx, {});
  return { compiled, hits: new Map(), trees: compiled.ok ? await planTrees(compiled.results, outDir, ctx.io.cwd, diskReaders(outDir)) : [] };
}

const KIND_ORDER: readonly DriftKind[] = ["modified", "mode", "missing", "stale", "unmanaged"];

const KIND_TEXT: Readonly<Record<DriftKind, string>> = {
  modified: "content differs from a fresh compile",
  mode: "file mode differs from a fresh compile",
  missing: "missing: a fresh compile produces this file",
  stale: "stale: no longer produced, still on disk",
  unmanaged: "not managed by sitewire, but a fresh compile produces this path",
};

function summaryLine(site: string, files: number, d: SiteDrift): string {
  if (d.drift.length === 0) return `${site}: up to date (${plural(files, "file")})`;
  const counts = KIND_ORDER.map((k) => [k, d.drift.filter((x) => x.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  return `${site}: ${plural(d.drift.length, "file")} ${d.drift.length === 1 ? "differs" : "differ"} (${counts.join(", ")})`;
}

/** Color a git-style patch: headers bold, hunk ranges cyan, removals red, additions green. */
export function colorPatch(patch: string, enabled: boolean): string {
  if (!enabled || patch === "") return patch;
  let inHeader = false;
  return patch
    .split("\n")
    .map((line) => {
      if (line.startsWith("diff --git ")) inHeader = true;
      if (line.startsWith("@@")) {
        inHeader = false;
        return paint("cyan", line, true);
      }
      if (inHeader) return paint("bold", line, true);
      if (line.startsWith("+")) return paint("green", line, true);
      if (line.startsWith("-")) return paint("red", line, true);
      return line;
    })
    .join("\n");
}
