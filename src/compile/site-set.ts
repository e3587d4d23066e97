/**
 * A set of read site files, each compiled on its own (pure), gathered with the cross-file rules of
 * ./site-results.ts. `checkSources` only analyses (validate); src/cli/sites.ts compiles in full.
 */
import type { SourceText } from "../cli/inputs.js";
import { analyseSource, type AnalyseOptions } from "./analyse.js";
import type { SiteResult } from "./pipeline.js";
import { collectResults, type Compiled } from "./site-results.js";

export { collectResults, duplicateSites, type Compiled } from "./site-results.js";

/** Load, shape and meaning checks of every file; no artifacts. */
export function checkSources(sources: readonly SourceText[], options: AnalyseOptions): Compiled {
  return compileEach(sources, (file, text) => ({ ...analyseSource(file, text, options), artifacts: [] }));
}

export function compileEach(sources: readonly SourceText[], compileOne: (file: string, text: string) => SiteResult): Compiled {
  const results = sources.map((s): SiteResult =>
    s.text === undefined ? { file: s.file, artifacts: [], diagnostics: s.diagnostics } : compileOne(s.file, s.text),
  );
  return collectResults(sources, results);
}
