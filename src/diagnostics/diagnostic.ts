/**
 * The one diagnostic type of sitewire. Every stage reports problems as values of this type (never throws for
 * user input); the CLI sorts them by position and prints them as text, JSON or GitHub annotations.
 */
import type { DiagnosticCode } from "./codes.js";

/**
 * "note": information that never fails a run, also not with --strict (e.g. weak crypto a tunnel accepts with
 * `allowWeak: "<reason>"`).
 */
export type Severity = "error" | "warning" | "note";

/** 1-based line and column, as editors and compilers show them. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/**
 * A machine-readable fix: replace the text at `range` with `replacement` (the language server offers it as a
 * quick fix). Set only where the hint names one certain replacement ("did you mean 'x'?", the aligned network).
 */
export interface Fix {
  readonly range: Range;
  readonly replacement: string;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** Path of the intent file as given on the command line (relative to the working directory). */
  readonly file: string;
  /** Where in the file; absent only for whole-file problems (unreadable, too large). */
  readonly range?: Range;
  readonly hint?: string;
  /**
   * The source line may hold a secret value: printers must not echo the source line (no code frame).
   * Set by every diagnostic about a literal secret.
   */
  readonly redact?: boolean;
  /** The replacement the hint suggests, for editors (not printed: the hint says it in words). */
  readonly fix?: Fix;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Compiler order: file, then line, then column, then code. Stable for equal keys. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      (a.range?.start.line ?? 0) - (b.range?.start.line ?? 0) ||
      (a.range?.start.column ?? 0) - (b.range?.start.column ?? 0) ||
      cmp(a.code, b.code) ||
      cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
