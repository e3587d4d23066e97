/**
 * Imported JSON (an AWS CLI or Terraform output, a NetBox API response) with the source position of every
 * value, so that what the import cannot use is reported where it is, as the project's one Diagnostic type.
 *
 * Values come from JSON.parse (the authority); positions from the `yaml` package's parse of the same text
 * (JSON is YAML 1.2 flow syntax). Where that second parse fails (JSON the YAML parser refuses, such as tabs
 * used as indentation) diagnostics are still reported, without a position.
 *
 * Import diagnostics are always `redact`ed: a line of the imported data may hold a pre-shared key, so no
 * printer may echo it as a code frame.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { DiagnosticCode } from "../diagnostics/codes.js";
import type { Diagnostic, Range, Severity } from "../diagnostics/diagnostic.js";

export type DataPath = readonly (string | number)[];

export interface JsonInput {
  /** As shown in diagnostics: a path relative to the working directory, `<stdin>` or a URL. */
  readonly file: string;
  readonly value: unknown;
  /** Where the value at `path` is (the nearest existing parent when the path goes further). */
  rangeOf(path: DataPath): Range | undefined;
}

/** Parse `text` as JSON; a parse failure is diagnostic SW400 (message without the text: it may hold a key). */
export function readJsonInput(file: string, text: string): { input?: JsonInput; diagnostics: Diagnostic[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const where = /position (\d+)/.exec(err instanceof Error ? err.message : "");
    const range = where ? pointAt(text, Number(where[1])) : undefined;
    return { diagnostics: [importDiagnostic("SW400", "error", "not valid JSON", file, range, "give the unmodified JSON output of the command")] };
  }
  const lines = new LineCounter();
  let doc: Document | undefined;
  try {
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, strict: false, prettyErrors: false });
    if (doc.errors.length > 0) doc = undefined;
  } catch {
    doc = undefined;
  }
  const rangeOf = (path: DataPath): Range | undefined => {
    if (!doc) return undefined;
    let node: unknown = doc.contents;
    let found: Node | undefined = doc.contents ?? undefined;
    for (const key of path) {
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
        next = pair?.value;
        if (pair && isScalar(pair.key) && !next) next = pair.key;
      } else if (isSeq(node) && typeof key === "number") next = node.items[key];
      if (!next) break;
      node = next;
      found = next as Node;
    }
    const r = found?.range;
    if (!r) return undefined;
    const start = lines.linePos(r[0]);
    const end = lines.linePos(r[1]);
    return { start: { line: start.line, column: start.col }, end: { line: end.line, column: end.col } };
  };
  return { input: { file, value, rangeOf }, diagnostics: [] };
}

function pointAt(text: string, offset: number): Range {
  const before = text.slice(0, offset).split("\n");
  const position = { line: before.length, column: before[before.length - 1]!.length + 1 };
  return { start: position, end: position };
}

export function importDiagnostic(code: DiagnosticCode, severity: Severity, message: string, file: string, range?: Range, hint?: string): Diagnostic {
  return { code, severity, message: oneLine(message), file, ...(range ? { range } : {}), ...(hint ? { hint: oneLine(hint) } : {}), redact: true };
}

/** A diagnostic at `path` of an input. */
export function diagnosticAt(input: JsonInput, path: DataPath, code: DiagnosticCode, severity: Severity, message: string, hint?: string): Diagnostic {
  return importDiagnostic(code, severity, message, input.file, input.rangeOf(path), hint);
}

/**
 * Text from imported data made safe for one line of a comment, a message or a `description`: control
 * characters (newlines included) become spaces, sitewire's secret placeholder marker is cut, at most `max`
 * characters.
 */
export function oneLine(text: string, max = 400): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").replace(/@@sitewire-secret/g, "@@").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

// Small readers for untyped JSON ------------------------------------------------------------------------------

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A number, or a string of digits (AWS and Terraform give ASNs as strings). */
export function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^[0-9]{1,10}$/.test(value)) return Number(value);
  return undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `seconds` as a sitewire duration: the largest whole unit (8h, 45m, 30s). */
export function duration(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
