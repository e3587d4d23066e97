/**
 * `sitewire compile`: compile every site; when any site has errors or any plan has a conflict, write nothing
 * at all. Otherwise apply each site's plan and print one summary line per site.
 */
import { resolve } from "node:path";
import { applyPlan } from "../../writer/disk.js";
import type { SiteArgs } from "../args.js";
import { EXIT } from "../errors.js";
import type { CommandOutput } from "../output.js";
import { diskReaders, planTrees, type SiteTree } from "../trees.js";
import { countDiagnostics, invalidOutput, loadSites, type Context } from "./common.js";

export async function compileCommand(args: SiteArgs, ctx: Context): Promise<CommandOutput> {
  const compiled = await loadSites(args, ctx, {});
  if (!compiled.ok) return invalidOutput("compile", compiled, "nothing written");

  const outDir = resolve(ctx.io.cwd, args.out);
  const trees = await planTrees(compiled.results, outDir, ctx.io.cwd, diskReaders(outDir));
  const summary = countDiagnostics(compiled.results.length, compiled.diagnostics);
  const conflicts = trees.flatMap((t) => t.plan.conflicts.map((c) => ({ site: t.site, path: `${t.label}/${c.path}`, reason: c.reason })));
  if (conflicts.length > 0) {
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

  for (const tree of trees) await applyPlan(outDir, tree.plan, { label: tree.label });

  return {
    exitCode: EXIT.ok,
    diagnostics: compiled.diagnostics,
    sources: compiled.sources,
    data: { command: "compile", ok: true, summary, sites: trees.map(siteJson) },
    stdout: trees.map(summaryLine),
    stderr: [],
  };
}

const CONFLICT_TEXT = {
  "unmanaged-file": "exists but is not listed in the site's manifest.json",
  "not-a-file": "exists and is not a regular file",
  "parent-not-a-directory": "a parent directory is a file",
} as const;

function summaryLine(t: SiteTree): string {
  const written = t.plan.create.length + t.plan.update.length;
  return `${t.site}: ${written} written, ${t.plan.remove.length} removed, ${t.plan.unchanged.length} unchanged`;
}

function siteJson(t: SiteTree) {
  return {
    site: t.site,
    file: t.result.file,
    out: t.label,
    created: t.plan.create.map((w) => w.path),
    updated: t.plan.update.map((w) => w.path),
    removed: t.plan.remove.map((r) => r.path),
    unchanged: t.plan.unchanged.length,
  };
}
