/**
 * Printers for diagnostics: compiler-style text with a code frame, JSON for tools, and GitHub workflow
 * commands (annotations). All three print in `sortDiagnostics` order. Nothing printed comes raw from the user:
 * control characters are escaped, and source lines of redacted diagnostics are never shown.
 */
import { styleText } from "node:util";
import { sortDiagnostics, type Diagnostic, type Range } from "./diagnostic.js";

export interface TextOptions {
  readonly color: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------------------

type StyleFormat = Parameters<typeof styleText>[0];
type Style = (format: StyleFormat, text: string) => string;

export function formatText(diags: readonly Diagnostic[], sources: ReadonlyMap<string, string>, options: TextOptions): string {
  const style = styler(options.color);
  const linesOf = sourceLines(sources);
  const sorted = sortDiagnostics(diags);
  const blocks = sorted.map((d) => formatOne(d, linesOf(d.file), style));
  const summary = summaryLine(sorted);
  return blocks.join("") + (summary ? `${summary}\n` : "");
}

function styler(color: boolean): Style {
  // validateStream: false — the caller decided about color (TTY, NO_COLOR, --color); do not second-guess it.
  return color ? (format, text) => styleText(format, text, { validateStream: false }) : (_format, text) => text;
}

/** Source lines per file, split once per call (lines as yaml's LineCounter counts them: on LF only). */
function sourceLines(sources: ReadonlyMap<string, string>): (file: string) => readonly string[] | undefined {
  const cache = new Map<string, readonly string[]>();
  return (file) => {
    const text = sources.get(file);
    if (text === undefined) return undefined;
    let lines = cache.get(file);
    if (!lines) {
      lines = (text.startsWith("\uFEFF") ? text.slice(1) : text).split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
      cache.set(file, lines);
    }
    return lines;
  };
}

function formatOne(d: Diagnostic, lines: readonly string[] | undefined, style: Style): string {
  const out = [header(d, style)];
  if (d.range && lines && !d.redact) out.push(...codeFrame(lines, d.range));
  if (d.hint) out.push(`  hint: ${escapeControlChars(d.hint)}`);
  return out.map((l) => `${l}\n`).join("");
}

function header(d: Diagnostic, style: Style): string {
  const location = d.range ? `${d.file}:${d.range.start.line}:${d.range.start.column}` : d.file;
  const severity = style(d.severity === "error" ? ["bold", "red"] : d.severity === "warning" ? ["bold", "yellow"] : ["bold", "cyan"], d.severity);
  return `${style("bold", escapeControlChars(location))}: ${severity} ${d.code}: ${escapeControlChars(d.message)}`;
}

/** Longer source lines (minified YAML) are shown as a window around the range. */
const MAX_FRAME_WIDTH = 160;

/**
 * The line the range starts on and a caret line under it (`^~~~`), with a line-number gutter. Tabs are kept
 * in the caret line's padding so it stays aligned whatever the terminal's tab width; escaped characters
 * take as many columns as their escape.
 */
function codeFrame(lines: readonly string[], range: Range): string[] {
  const text = lines[range.start.line - 1];
  if (text === undefined || text.trim() === "") return [];
  const startIndex = Math.min(range.start.column - 1, text.length);
  const endIndex = range.end.line === range.start.line ? Math.min(range.end.column - 1, text.length) : text.length;

  // Cells are per UTF-16 unit, so the window can be cut from the text before escaping anything.
  const from = text.length > MAX_FRAME_WIDTH ? Math.max(0, Math.min(startIndex - 40, text.length - MAX_FRAME_WIDTH)) : 0;
  const cells = displayCells(text.slice(from, from + MAX_FRAME_WIDTH));
  const before = from > 0 ? "…" : "";
  const after = from + MAX_FRAME_WIDTH < text.length ? "…" : "";

  const caretAt = startIndex - from;
  const padding = cells.slice(0, caretAt).map((c) => (c.shown === "\t" ? "\t" : " ".repeat(c.width))).join("");
  const underlined = cells.slice(caretAt, Math.max(endIndex - from, caretAt)).reduce((sum, c) => sum + c.width, 0);
  const gutter = String(range.start.line);
  const blank = " ".repeat(gutter.length);
  return [
    ` ${gutter} | ${before}${cells.map((c) => c.shown).join("")}${after}`,
    ` ${blank} | ${" ".repeat(before.length)}${padding}^${"~".repeat(Math.max(underlined, 1) - 1)}`,
  ];
}

interface Cell {
  /** What is printed for this UTF-16 unit ("" for the second half of a surrogate pair). */
  readonly shown: string;
  readonly width: number;
}

/** One cell per UTF-16 code unit, because yaml's columns count code units. */
function displayCells(text: string): Cell[] {
  const cells: Cell[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(code);
    const shown = char === "\t" ? "\t" : escapeControlChars(char);
    cells.push({ shown, width: shown === "\t" ? 1 : shown === char ? 1 : shown.length });
    if (char.length === 2) {
      cells.push({ shown: "", width: 0 });
      i++;
    }
  }
  return cells;
}

function summaryLine(diags: readonly Diagnostic[]): string {
  if (diags.length === 0) return "";
  const count = (severity: Diagnostic["severity"]) => diags.filter((d) => d.severity === severity).length;
  const [errors, warnings, notes] = [count("error"), count("warning"), count("note")];
  const files = new Set(diags.map((d) => d.file)).size;
  const counts = [errors > 0 ? plural(errors, "error") : "", warnings > 0 ? plural(warnings, "warning") : "", notes > 0 ? plural(notes, "note") : ""].filter(Boolean);
  return `${counts.join(", ")} in ${plural(files, "file")}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

// ---------------------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------------------

export function formatJson(diags: readonly Diagnostic[]): string {
  return `${JSON.stringify({ diagnostics: sortDiagnostics(diags).map(toJsonRecord) })}\n`;
}

function toJsonRecord(d: Diagnostic): Record<string, string | number> {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file,
    ...(d.range
      ? { line: d.range.start.line, column: d.range.start.column, endLine: d.range.end.line, endColumn: d.range.end.column }
      : {}),
    ...(d.hint ? { hint: d.hint } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// GitHub workflow commands
// ---------------------------------------------------------------------------------------------------------

/** `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=SW104::message`, one line per diagnostic. */
export function formatGithub(diags: readonly Diagnostic[]): string {
  return sortDiagnostics(diags)
    // A note is GitHub's `notice` annotation (actions/toolkit packages/core/src/core.ts, notice()).
    .map((d) => `::${d.severity === "note" ? "notice" : d.severity} ${githubProperties(d)}::${escapeGithubData(githubMessage(d))}\n`)
    .join("");
}

function githubProperties(d: Diagnostic): string {
  const properties: [string, string | number][] = [["file", d.file]];
  if (d.range) {
    // Columns only for a range on one line (actions/toolkit packages/core/src/core.ts, AnnotationProperties).
    const oneLine = d.range.start.line === d.range.end.line;
    properties.push(["line", d.range.start.line]);
    if (oneLine) properties.push(["col", d.range.start.column]);
    properties.push(["endLine", d.range.end.line]);
    if (oneLine) properties.push(["endColumn", d.range.end.column]);
  }
  properties.push(["title", d.code]);
  return properties.map(([key, value]) => `${key}=${escapeGithubProperty(String(value))}`).join(",");
}

function githubMessage(d: Diagnostic): string {
  const message = escapeControlChars(d.message);
  return d.hint ? `${message}\nhint: ${escapeControlChars(d.hint)}` : message;
}

// Escaping as in actions/toolkit packages/core/src/command.ts (escapeData / escapeProperty).
export function escapeGithubData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeGithubProperty(s: string): string {
  return escapeGithubData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// ---------------------------------------------------------------------------------------------------------
// Terminal safety
// ---------------------------------------------------------------------------------------------------------

/**
 * C0/C1 controls (tab included), DEL, line/paragraph separators, bidirectional overrides ("trojan source")
 * and lone surrogates: anything that could move the cursor, recolor the terminal or reorder what is shown.
 */
const UNSAFE_CHARS =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

/** JSON-style escapes (`\n`, `\u001b`) for characters that must never reach a terminal raw. */
export function escapeControlChars(text: string): string {
  return text.replace(UNSAFE_CHARS, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
