/** Collects diagnostics positioned by intent path. Used by the resolver and by every meaning rule. */
import type { DiagnosticCode } from "../diagnostics/codes.js";
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import { locate, type IntentPath, type SourceFile } from "../intent/source.js";

export interface ReportOptions {
  readonly hint?: string;
  /** Point at the key of the last path segment instead of its value. */
  readonly at?: "key" | "value";
  readonly severity?: Severity;
  readonly redact?: boolean;
  /** The text that replaces the reported node (the key with `at: "key"`): the hint's suggestion, as a Diagnostic fix. */
  readonly fix?: string;
}

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly source: SourceFile) {}

  report(code: DiagnosticCode, path: IntentPath, message: string, options: ReportOptions = {}): void {
    const range = locate(this.source, path, options.at ?? "value");
    this.diagnostics.push({
      code,
      severity: options.severity ?? "error",
      message,
      file: this.source.path,
      range,
      ...(options.hint ? { hint: options.hint } : {}),
      ...(options.redact ? { redact: true } : {}),
      ...(options.fix !== undefined ? { fix: { range, replacement: options.fix } } : {}),
    });
  }
}

/** "did you mean 'x'?" for a misspelt name, by edit distance (at most 2, or a third of the length). */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
