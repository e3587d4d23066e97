/** Compiling a set of read site files in full (pure): src/compile/site-set.ts with the emitters. */
import { compileSource, type CompileOptions } from "../compile/pipeline.js";
import { compileEach, type Compiled } from "../compile/site-set.js";
import type { SourceText } from "./inputs.js";

export { duplicateSites, type Compiled } from "../compile/site-set.js";

export function compileSources(sources: readonly SourceText[], options: CompileOptions): Compiled {
  return compileEach(sources, (file, text) => compileSource(file, text, options));
}
