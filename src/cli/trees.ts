/**
 * Pairing each compiled site with its output tree: where it lives (`out/<site>`, as shown to the user), how
 * its current state is read, and the write plan against it. (`diff --against` pairs sites with trees of
 * another revision itself: ./commands/against.ts.)
 */
import { resolve } from "node:path";
import type { SiteResult } from "../compile/pipeline.js";
import { diskReader } from "../writer/disk.js";
import { siteRoot } from "../writer/paths.js";
import { planSite, type PlanOutline, type WritePlan } from "../writer/plan.js";
import { readSiteState, type TreeReader } from "../writer/read.js";
import { displayPath } from "./inputs.js";

export interface SiteTree<P extends PlanOutline = WritePlan> {
  readonly result: SiteResult;
  readonly site: string;
  /** `out/<site>` relative to the working directory, '/'-separated. */
  readonly label: string;
  /** The write plan; `compile` keeps only its outline once the site's writes are staged on disk. */
  readonly plan: P;
  /** The fresh files' paths, hashes and modes, packed, for the result cache (./cached-sites.ts). */
  readonly outputs?: string;
}

export type ReaderFactory = (site: string, label: string) => TreeReader;

export function diskReaders(outDir: string): ReaderFactory {
  return (site, label) => diskReader(outDir, site, label);
}

/** Read every site's tree in parallel and plan it. Only results with a site and artifacts are included. */
export async function planTrees(results: readonly SiteResult[], outDir: string, cwd: string, readerFor: ReaderFactory): Promise<SiteTree[]> {
  const compiled = results.filter((r): r is SiteResult & { site: string } => r.site !== undefined && r.artifacts.length > 0);
  return Promise.all(compiled.map((result) => planTree(result, outDir, cwd, readerFor)));
}

export async function planTree(result: SiteResult & { site: string }, outDir: string, cwd: string, readerFor: ReaderFactory): Promise<SiteTree> {
  const label = siteLabel(outDir, cwd, result.site);
  const state = await readSiteState(readerFor(result.site, label), result.site, result.artifacts);
  return { result, site: result.site, label, plan: planSite(result.site, result.artifacts, state) };
}

/** How many files a fresh compile of the tree's site produces (whether or not they are still held). */
export function freshFileCount(tree: SiteTree<PlanOutline>): number {
  const p = tree.plan;
  return p.create.length + p.update.length + p.unchanged.length + p.conflicts.length;
}

/** `out/<site>` as shown to the user: relative to the working directory, '/'-separated. */
export function siteLabel(outDir: string, cwd: string, site: string): string {
  return displayPath(siteRoot(resolve(cwd, outDir), site), cwd);
}
