/** Compiling a set of read site files in full (pure): src/compile/site-set.ts with the emitters. */
import { compileSource, type CompileOptions, type SiteResult } from "../compile/pipeline.js";
import { compileEach, type Compiled } from "../compile/site-set.js";
import type { SourceText } from "./inputs.js";

export { duplicateSites, type Compiled } from "../compile/site-set.js";

/**
 * `keepModels` keeps each site's resolved model in its result (diff --against compares models); without it
 * only artifacts and diagnostics are kept, which at a thousand sites is a third of the memory.
 */
export function compileSources(sources: readonly SourceText[], options: SourcesOptions): Compiled {
  return compileEach(sources, (file, text) => compileText(file, text, options));
}

export type SourcesOptions = CompileOptions & { readonly keepModels?: boolean };

/** One read site file (or the reason it could not be read) compiled. */
export function compileOne(source: SourceText, options: SourcesOptions): SiteResult {
  return source.text === undefined ? { file: source.file, artifacts: [], diagnostics: source.diagnostics } : compileText(source.file, source.text, options);
}

function compileText(file: string, text: string, options: SourcesOptions): SiteResult {
  const result = compileSource(file, text, options);
  if (options.keepModels || result.model === undefined) return result;
  const { model: _dropped, ...rest } = result;
  return rest;
}
