/**
 * The compiler: analyse (load → shape check → resolve → meaning check → model, in ./analyse.ts) → emit → walk
 * every flow and tunnel route through the artifacts (./deliverability.ts, SW170). Pure: text in, artifacts and
 * diagnostics out. Only src/writer touches the disk.
 */
import { analyseWithContext, type AnalyseOptions, type SiteAnalysis } from "./analyse.js";
import { walkSite, type SiteWalk } from "../explain/walks.js";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { PLATFORM_DECLARATIONS } from "../targets/platforms.js";
import { TARGETS } from "../targets/registry.js";
import type { Artifact, Target } from "../targets/target.js";
import type { SiteModel } from "../model/types.js";
import { assertDeclared, compileKinds, MANIFEST_DECLARER } from "./kinds.js";
import { checkDelivery } from "./deliverability.js";
import { buildManifest } from "./manifest.js";

export interface CompileOptions extends AnalyseOptions {
  /** Stop after the meaning checks (validate). */
  readonly validateOnly?: boolean;
  readonly targets?: readonly Target[];
  /**
   * Walk every flow and tunnel route after the emitters and refuse the site when one is dropped (SW170,
   * ./deliverability.ts). Default true, but only with the full target set: the walk reads the artifacts, so a
   * compile with a subset of `targets` (tests of one target) cannot judge delivery. `explain` turns it off, to
   * show where the packet dies instead.
   */
  readonly deliverability?: boolean;
}

export interface SiteResult extends SiteAnalysis {
  /** Every artifact of the site, manifest.json last; empty when there are errors. */
  readonly artifacts: readonly Artifact[];
}

export function compileSource(file: string, text: string, options: CompileOptions = {}): SiteResult {
  const { analysis, source, intent } = analyseWithContext(file, text, options);
  const { model } = analysis;
  if (!model || options.validateOnly) return { ...analysis, artifacts: [] };
  const { artifacts, paths } = emitSite(model, options.targets ?? TARGETS);
  let diagnostics = analysis.diagnostics;
  if ((options.deliverability ?? options.targets === undefined) && source && intent) {
    const context = { source, intent, model, strict: options.strict ?? false, platforms: PLATFORM_DECLARATIONS };
    diagnostics = [...diagnostics, ...checkDelivery(context, paths ?? walkSite({ model, artifacts }))];
    // An error here is an error like any other: no model, no artifacts, nothing written.
    if (hasErrors(diagnostics)) return { file: analysis.file, ...(analysis.site !== undefined ? { site: analysis.site } : {}), diagnostics, artifacts: [] };
  }
  const manifest = buildManifest(model, artifacts);
  assertDeclared(manifest, MANIFEST_DECLARER);
  return { ...analysis, diagnostics, artifacts: [...artifacts, manifest] };
}

/**
 * Run every target and check the contract each must meet (safe unique paths, LF, one trailing newline, a kind it
 * declares with the declared mode). Every target is handed the kinds all of them declare (EmitContext.kinds).
 */
export function emitAll(model: SiteModel, targets: readonly Target[]): Artifact[] {
  return emitSite(model, targets).artifacts;
}

/**
 * emitAll, also returning the paths of every flow and tunnel route the explain engine walked through the early
 * targets' artifacts for the late ones (EmitContext.paths; undefined when no target is late).
 */
export function emitSite(model: SiteModel, targets: readonly Target[]): { artifacts: Artifact[]; paths?: readonly SiteWalk[] } {
  const kinds = compileKinds(targets);
  const seen = new Map<string, string>();
  const out: Artifact[] = [];
  const run = (target: Target, emitted: readonly Artifact[], paths?: readonly SiteWalk[]) => {
    for (const artifact of target.emit(model, { emitted, kinds, ...(paths ? { paths } : {}) })) {
      assertSafePath(artifact.path, target.name);
      assertDeclared(artifact, target);
      const other = seen.get(artifact.path);
      if (other) throw new Error(`internal: targets ${other} and ${target.name} both emit ${artifact.path}`);
      seen.set(artifact.path, target.name);
      if (!artifact.content.endsWith("\n") || artifact.content.includes("\r"))
        throw new Error(`internal: ${target.name} emitted ${artifact.path} without a final LF or with CR`);
      out.push({ ...artifact, target: target.name });
    }
  };
  for (const target of targets) if (!target.late) run(target, []);
  const early = [...out];
  const late = targets.filter((t) => t.late);
  const paths = late.length > 0 ? walkSite({ model, artifacts: early }) : undefined;
  for (const target of late) run(target, early, paths);
  return { artifacts: out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), ...(paths ? { paths } : {}) };
}

const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$/;

function assertSafePath(path: string, target: string): void {
  const ok = path.split("/").every((s) => SAFE_SEGMENT.test(s) && s !== "." && s !== "..");
  if (!ok || path === "manifest.json") throw new Error(`internal: ${target} emitted an unsafe path ${JSON.stringify(path)}`);
}
