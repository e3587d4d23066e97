/**
 * The compiler's checks on an open file's text, in-process, exactly as `validate` and `compile` run them:
 *
 *  1. analyse (src/compile/analyse.ts): load → shape → resolve → meaning rules and two-end compatibility;
 *  2. when that leaves a model without errors: emit every target and walk every flow and tunnel route through
 *     the artifacts (the post-emit deliverability check SW170, src/compile/deliverability.ts), as
 *     compileSource does. Nothing is written anywhere.
 *
 * The server publishes after step 1 (fast: the diagnostics a user is typing against) and again after step 2
 * when it adds something, so a long emit never delays what step 1 found.
 */
import type { Diagnostic as LspDiagnostic, Range as LspRange } from "vscode-languageserver/node";
import { analyseWithContext, type SiteAnalysis } from "../compile/analyse.js";
import { checkDelivery } from "../compile/deliverability.js";
import { emitSite } from "../compile/pipeline.js";
import type { Diagnostic, Range } from "../diagnostics/diagnostic.js";
import { walkSite } from "../explain/walks.js";
import type { SiteIntent } from "../intent/schema.js";
import type { SourceFile } from "../intent/source.js";
import { PLATFORM_DECLARATIONS } from "../targets/platforms.js";
import { TARGETS } from "../targets/registry.js";

export interface FirstPass {
  readonly analysis: SiteAnalysis;
  readonly source?: SourceFile;
  readonly intent?: SiteIntent;
}

export function analyseText(file: string, text: string, strict: boolean): FirstPass {
  return analyseWithContext(file, text, { strict });
}

/** Step 2: the deliverability diagnostics of an error-free analysis ([] when there is nothing to walk). */
export function deliveryDiagnostics(first: FirstPass, strict: boolean): Diagnostic[] {
  const { analysis, source, intent } = first;
  if (!analysis.model || !source || !intent) return [];
  const { artifacts, paths } = emitSite(analysis.model, TARGETS);
  const context = { source, intent, model: analysis.model, strict, platforms: PLATFORM_DECLARATIONS };
  return checkDelivery(context, paths ?? walkSite({ model: analysis.model, artifacts }));
}

/**
 * A sitewire range (1-based lines and columns counted in UTF-16 code units of the text without its BOM, as the
 * yaml library counts) as an LSP range (0-based; columns in UTF-16 code units, LSP's default encoding).
 */
export function toLspRange(range: Range | undefined, bom: boolean): LspRange {
  if (!range) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const at = (p: Range["start"]) => ({ line: Math.max(0, p.line - 1), character: Math.max(0, p.column - 1 + (bom && p.line === 1 ? 1 : 0)) });
  return { start: at(range.start), end: at(range.end) };
}

const SEVERITY = { error: 1, warning: 2, note: 3 } as const;

/** The quick fix a diagnostic carries, as the server hands it to the client and back (LSP Diagnostic.data). */
export interface FixData {
  readonly fix: { readonly range: LspRange; readonly replacement: string };
}

export function toLspDiagnostic(d: Diagnostic, bom: boolean): LspDiagnostic {
  return {
    range: toLspRange(d.range, bom),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: "sitewire",
    message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
    ...(d.fix ? { data: { fix: { range: toLspRange(d.fix.range, bom), replacement: d.fix.replacement } } satisfies FixData } : {}),
  };
}
