/**
 * Printing a command's outcome in the chosen format. Commands return a CommandOutput (no printing of their
 * own); this module alone decides which stream gets what:
 *   text:   diagnostics → stderr, results → stdout, messages → stderr
 *   json:   one JSON object {"diagnostics": [...], ...results} → stdout, messages → stderr
 *   github: diagnostics and annotations as workflow commands → stdout, results → stdout, messages → stderr
 */
import { formatGithub, formatJson, formatText } from "../diagnostics/format.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
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
  /** Extra GitHub workflow commands (e.g. one annotation per drifted file). */
  readonly annotations?: readonly string[];
}

export function printOutput(output: CommandOutput, format: Format, io: CliIo, colorErr: boolean): void {
  const diags = output.diagnostics;
  if (format === "json") {
    io.stdout.write(jsonDocument(diags, output.data));
  } else if (format === "github") {
    writeChunk(io.stdout, diags.length > 0 ? formatGithub(diags) : "");
    for (const a of output.annotations ?? []) writeChunk(io.stdout, a);
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

/** One GitHub Actions annotation (https://docs.github.com/actions/reference/workflow-commands). */
export function githubAnnotation(level: "error" | "warning" | "notice", props: Readonly<Record<string, string>>, message: string): string {
  const escData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const escProp = (s: string) => escData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
  const list = Object.entries(props).map(([k, v]) => `${k}=${escProp(v)}`).join(",");
  return `::${level}${list ? " " + list : ""}::${escData(message)}`;
}

function writeChunk(stream: CliIo["stdout"], text: string): void {
  if (text === "") return;
  stream.write(text.endsWith("\n") ? text : text + "\n");
}
