/**
 * Printing a command's outcome in the chosen format. Commands return a CommandOutput (no printing of their
 * own); this module alone decides which stream gets what:
 *   text:   diagnostics → stderr, results → stdout, messages → stderr
 *   json:   one JSON object {"diagnostics": [...], ...results} → stdout, messages → stderr
 *   github: diagnostics and annotations as workflow commands → stdout, results → stdout, messages → stderr
 */
import { relative, resolve, sep } from "node:path";
import { escapeGithubData, escapeGithubProperty, formatGithub, formatJson, formatText } from "../diagnostics/format.js";
import type { Diagnostic, Range } from "../diagnostics/diagnostic.js";
import { isWithin } from "../writer/paths.js";
import type { Format } from "./args.js";
import type { ExitCode } from "./errors.js";
import type { CliIo } from "./io.js";

export interface CommandOutput {
  readonly exitCode: ExitCode;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, string>;
  /** Results for --format json, merged into the top-level object beside "diagnostics". */
  readonly data: Readonly<Record<string, unknown>>;
  /** Results for text and github formats (already colored as wanted), printed in order. */
  readonly stdout: readonly string[];
  /** Human messages (summaries meant for stderr, errors, hints), printed in every format. */
  readonly stderr: readonly string[];
  /** Extra GitHub annotations (one per drifted file, one per planned change), printed before stdout. */
  readonly annotations?: readonly Annotation[];
}

export interface Annotation {
  readonly level: "error" | "warning" | "notice";
  /** Relative to the working directory, like diagnostics; absent for an annotation about no file. */
  readonly file?: string;
  readonly range?: Range;
  readonly title: string;
  readonly message: string;
}

export function printOutput(output: CommandOutput, format: Format, io: CliIo, colorErr: boolean): void {
  const diags = output.diagnostics;
  if (format === "json") {
    io.stdout.write(jsonDocument(diags, output.data));
  } else if (format === "github") {
    const where = workspacePath(io);
    writeChunk(io.stdout, diags.length > 0 ? formatGithub(diags.map((d) => ({ ...d, file: where(d.file) }))) : "");
    for (const a of output.annotations ?? []) writeChunk(io.stdout, formatAnnotation(a, where));
    for (const chunk of output.stdout) writeChunk(io.stdout, chunk);
  } else {
    writeChunk(io.stderr, diags.length > 0 ? formatText(diags, output.sources, { color: colorErr }) : "");
    for (const chunk of output.stdout) writeChunk(io.stdout, chunk);
  }
  for (const line of output.stderr) writeChunk(io.stderr, line);
}

/** The diagnostics as formatJson renders them, with the command's results beside them in one object. */
export function jsonDocument(diagnostics: readonly Diagnostic[], data: Readonly<Record<string, unknown>>): string {
  const parsed: unknown = JSON.parse(formatJson(diagnostics));
  const base: Record<string, unknown> = Array.isArray(parsed)
    ? { diagnostics: parsed }
    : parsed !== null && typeof parsed === "object"
      ? (parsed as Record<string, unknown>)
      : { diagnostics: diagnostics };
  return JSON.stringify({ ...base, ...data }, null, 2) + "\n";
}

/**
 * GitHub resolves an annotation's file against the repository root ($GITHUB_WORKSPACE), not against the
 * directory sitewire ran in: rebase paths when sitewire runs in a subdirectory of the workspace.
 */
export function workspacePath(io: CliIo): (file: string) => string {
  const workspace = io.env.GITHUB_WORKSPACE;
  if (!workspace) return (file) => file;
  return (file) => {
    const abs = resolve(io.cwd, file);
    return isWithin(workspace, abs) ? relative(resolve(workspace), abs).split(sep).join("/") : file;
  };
}

/**
 * One annotation as a workflow command (https://docs.github.com/actions/reference/workflow-commands), in the
 * same form as formatGithub gives diagnostics. Columns only for a range on one line: GitHub ignores or
 * rejects them otherwise (actions/toolkit packages/core/src/core.ts, AnnotationProperties).
 */
export function formatAnnotation(a: Annotation, where: (file: string) => string = (f) => f): string {
  const props: [string, string | number][] = [];
  if (a.file !== undefined) props.push(["file", where(a.file)]);
  if (a.file !== undefined && a.range) {
    const oneLine = a.range.start.line === a.range.end.line;
    props.push(["line", a.range.start.line]);
    if (oneLine) props.push(["col", a.range.start.column]);
    props.push(["endLine", a.range.end.line]);
    if (oneLine) props.push(["endColumn", a.range.end.column]);
  }
  props.push(["title", a.title]);
  return `::${a.level} ${props.map(([k, v]) => `${k}=${escapeGithubProperty(String(v))}`).join(",")}::${escapeGithubData(a.message)}`;
}

function writeChunk(stream: CliIo["stdout"], text: string): void {
  if (text === "") return;
  stream.write(text.endsWith("\n") ? text : text + "\n");
}
