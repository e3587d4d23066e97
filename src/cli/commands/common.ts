/** What every site command shares: its context, loading and compiling the site files, counting. */
import type { CompileOptions } from "../../compile/pipeline.js";
import type { Compiled } from "../../compile/site-results.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { SiteArgs } from "../args.js";
import { EXIT } from "../errors.js";
import { expandPaths, readSources } from "../inputs.js";
import type { CliIo } from "../io.js";
import type { CommandOutput } from "../output.js";

export interface Context {
  readonly io: CliIo;
  /** Colors wanted on stdout / stderr. */
  readonly color: { readonly stdout: boolean; readonly stderr: boolean };
}

export async function loadSites(args: SiteArgs, ctx: Context, options: CompileOptions): Promise<Compiled> {
  const files = await expandPaths(args.paths, ctx.io.cwd);
  const sources = await readSources(files, ctx.io.cwd);
  const settings = { ...options, strict: args.strict };
  // Imported here rather than above: validate does not load the emitters and their templates, and a check
  // answered from the result cache loads no compiler at all.
  if (options.validateOnly) return (await import("../../compile/site-set.js")).checkSources(sources, settings);
  const { compileSources } = await import("../sites.js");
  return compileSources(sources, settings);
}

export interface Counts {
  readonly files: number;
  readonly errors: number;
  readonly warnings: number;
}

export function countDiagnostics(files: number, diagnostics: readonly Diagnostic[]): Counts {
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  // Notes (severity "note", e.g. weak crypto accepted with allowWeak) are neither errors nor warnings.
  return { files, errors, warnings: diagnostics.filter((d) => d.severity === "warning").length };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The output of a command that stopped because the sites have errors. */
export function invalidOutput(command: string, compiled: Compiled, what: string): CommandOutput {
  const counts = countDiagnostics(compiled.results.length, compiled.diagnostics);
  const failed = new Set(compiled.diagnostics.filter((d) => d.severity === "error").map((d) => d.file)).size;
  return {
    exitCode: EXIT.invalid,
    diagnostics: compiled.diagnostics,
    sources: compiled.sources,
    data: { command, ok: false, summary: counts },
    stdout: [],
    stderr: [`sitewire: ${what} (errors in ${failed} of ${plural(counts.files, "site file")})`],
  };
}
