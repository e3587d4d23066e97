/**
 * The compiler: analyse (load → shape check → resolve → meaning check → model, in ./analyse.ts) → emit. Pure:
 * text in, artifacts and diagnostics out. Only src/writer touches the disk.
 */
import { analyseSource, type AnalyseOptions, type SiteAnalysis } from "./analyse.js";
import { TARGETS } from "../targets/registry.js";
import type { Artifact, Target } from "../targets/target.js";
import type { SiteModel } from "../model/types.js";
import { buildManifest } from "./manifest.js";

export interface CompileOptions extends AnalyseOptions {
  /** Stop after the meaning checks (validate). */
  readonly validateOnly?: boolean;
  readonly targets?: readonly Target[];
}

export interface SiteResult extends SiteAnalysis {
  /** Every artifact of the site, manifest.json last; empty when there are errors. */
  readonly artifacts: readonly Artifact[];
}

export function compileSource(file: string, text: string, options: CompileOptions = {}): SiteResult {
  const analysis = analyseSource(file, text, options);
  const { model } = analysis;
  if (!model || options.validateOnly) return { ...analysis, artifacts: [] };
  const artifacts = emitAll(model, options.targets ?? TARGETS);
  return { ...analysis, artifacts: [...artifacts, buildManifest(model, artifacts)] };
}

/** Run every target and check the contract each must meet (safe unique paths, LF, one trailing newline). */
export function emitAll(model: SiteModel, targets: readonly Target[]): Artifact[] {
  const seen = new Map<string, string>();
  const out: Artifact[] = [];
  const run = (target: Target, emitted: readonly Artifact[]) => {
    for (const artifact of target.emit(model, emitted)) {
      assertSafePath(artifact.path, target.name);
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
  for (const target of targets) if (target.late) run(target, early);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const SAFE_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$/;

function assertSafePath(path: string, target: string): void {
  const ok = path.split("/").every((s) => SAFE_SEGMENT.test(s) && s !== "." && s !== "..");
  if (!ok || path === "manifest.json") throw new Error(`internal: ${target} emitted an unsafe path ${JSON.stringify(path)}`);
}
