/**
 * What a set of site files compiled to, gathered: the results (however each was obtained: compiled, analysed
 * or taken from the result cache) and the cross-file rule that no two files declare the same site. Light on
 * purpose: a `check` answered from the cache loads this and not the compiler.
 */
import type { SourceText } from "../cli/inputs.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { SiteResult } from "./pipeline.js";

export interface Compiled {
  readonly results: readonly SiteResult[];
  /** Every diagnostic of every file, in compiler order. */
  readonly diagnostics: readonly Diagnostic[];
  /** File → text, for code frames. */
  readonly sources: ReadonlyMap<string, string>;
  readonly ok: boolean;
}

/** The results of `sources` (one each, however obtained) with the cross-file diagnostics. */
export function collectResults(sources: readonly SourceText[], results: readonly SiteResult[]): Compiled {
  const texts = new Map(sources.flatMap((s) => (s.text === undefined ? [] : [[s.file, s.text] as const])));
  const diagnostics = sortDiagnostics([...results.flatMap((r) => r.diagnostics), ...duplicateSites(results, texts)]);
  return { results, diagnostics, sources: texts, ok: !hasErrors(diagnostics) };
}

/** Every file after the first that declares an already-declared site gets an error. */
export function duplicateSites(results: readonly SiteResult[], texts: ReadonlyMap<string, string>): Diagnostic[] {
  const firstFile = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const r of results) {
    if (r.site === undefined) continue;
    const first = firstFile.get(r.site);
    if (first === undefined) {
      firstFile.set(r.site, r.file);
      continue;
    }
    const range = siteKeyRange(texts.get(r.file) ?? "");
    out.push({
      code: "SW103",
      severity: "error",
      message: `site '${r.site}' is also declared in ${first}`,
      file: r.file,
      ...(range ? { range } : {}),
      hint: "each site has exactly one intent file; rename one of the sites",
    });
  }
  return out;
}

/** Where the top-level `site:` key is (a plain block mapping key at column 1), for pointing at it. */
function siteKeyRange(text: string): Diagnostic["range"] {
  const lines = text.split("\n");
  const index = lines.findIndex((l) => /^site\s*:/.test(l));
  if (index < 0) return undefined;
  return { start: { line: index + 1, column: 1 }, end: { line: index + 1, column: 5 } };
}
