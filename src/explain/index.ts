/**
 * `sitewire explain` without the CLI: compile one site in memory (never reading out/) and walk the question
 * through it. Errors in the intent come back as diagnostics and no explanation.
 */
import { compileSource } from "../compile/pipeline.js";
import { hasErrors, type Diagnostic } from "../diagnostics/diagnostic.js";
import { loadSource } from "../intent/load.js";
import { explain } from "./engine.js";
import type { Explanation, Query } from "./types.js";

export { explain, representative } from "./engine.js";
export { formatText, formatMermaid, toJson } from "./format.js";
export { QueryError, type Explanation, type Query, type PathExplanation, type Hop, type Step } from "./types.js";

export interface ExplainResult {
  readonly diagnostics: readonly Diagnostic[];
  /** Absent when the intent has errors. */
  readonly explanation?: Explanation;
}

/** Throws QueryError for a question the site cannot answer (unknown flow, host or network). */
export function explainSource(file: string, text: string, query: Query, options: { strict?: boolean } = {}): ExplainResult {
  // Without the deliverability check (SW170): an undeliverable flow is what explain is asked about.
  const compiled = compileSource(file, text, { strict: options.strict ?? false, deliverability: false });
  if (!compiled.model || hasErrors(compiled.diagnostics)) return { diagnostics: compiled.diagnostics };
  const { source } = loadSource(file, text);
  return { diagnostics: compiled.diagnostics, explanation: explain({ model: compiled.model, artifacts: compiled.artifacts, ...(source ? { source } : {}) }, query) };
}
