/**
 * `sitewire explain <site file> --flow NAME | --from WHAT --to WHERE[:proto/port] [--format text|json|mermaid]`:
 * the path of a flow, hop by hop, both ways (src/explain). Exit 0 delivered, 1 dropped or errors in the
 * intent, 64 a bad command line or a question the site cannot answer (unknown flow, host or network).
 */
import { displayPath, readSources } from "../inputs.js";
import { EXIT, UsageError } from "../errors.js";
import { parseOptions } from "../parse-options.js";
import { colorEnabled, type CliIo } from "../io.js";
import { printOutput, type CommandOutput } from "../output.js";

export const EXPLAIN_FORMATS = ["text", "json", "mermaid"] as const;

export interface ExplainArgs {
  readonly file: string;
  readonly flow?: string;
  readonly from?: string;
  readonly to?: string;
  readonly format: (typeof EXPLAIN_FORMATS)[number];
  readonly strict: boolean;
  readonly noColor: boolean;
}

/** Parse the arguments after `explain`; undefined for --help. Throws UsageError. */
export function parseExplainArgs(rest: readonly string[]): ExplainArgs | undefined {
  const parsed = parseOptions("explain", rest, {
    flow: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    format: { type: "string" },
    strict: { type: "boolean" },
    "no-color": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  }, true);
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "explain needs one site file" : `explain takes one site file (got ${positionals.length})`, "explain");
  const format = values.format ?? "text";
  if (!(EXPLAIN_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${EXPLAIN_FORMATS.join(", ")} (got '${format}')`, "explain");
  const empty = (["flow", "from", "to"] as const).find((k) => values[k] !== undefined && values[k]!.trim() === "");
  if (empty) throw new UsageError(`--${empty} needs a value`, "explain");
  if (values.flow !== undefined && (values.from !== undefined || values.to !== undefined)) throw new UsageError("give either --flow or --from and --to, not both", "explain");
  if (values.flow === undefined && (values.from === undefined || values.to === undefined)) throw new UsageError("give --flow NAME, or both --from and --to", "explain");
  return {
    file: positionals[0]!,
    ...(values.flow !== undefined ? { flow: values.flow } : {}),
    ...(values.from !== undefined ? { from: values.from } : {}),
    ...(values.to !== undefined ? { to: values.to } : {}),
    format: format as ExplainArgs["format"],
    strict: values.strict === true,
    noColor: values["no-color"] === true,
  };
}

export async function explainCommand(args: ExplainArgs, io: CliIo): Promise<number> {
  const { explainSource, formatText, formatMermaid, toJson, QueryError } = await import("../../explain/index.js");
  const [source] = await readSources([args.file], io.cwd);
  const file = source!.file.startsWith("/") ? displayPath(source!.file, io.cwd) : source!.file;
  const color = colorEnabled(io.stderr, io.env, args.noColor);
  const print = (output: CommandOutput) => printOutput(output, args.format === "json" ? "json" : "text", io, color);
  if (source!.text === undefined) {
    print({ exitCode: EXIT.invalid, diagnostics: source!.diagnostics, sources: new Map(), data: { command: "explain", ok: false }, stdout: [], stderr: [] });
    return EXIT.invalid;
  }
  const query = { ...(args.flow !== undefined ? { flow: args.flow } : {}), ...(args.from !== undefined ? { from: args.from } : {}), ...(args.to !== undefined ? { to: args.to } : {}) };
  let result;
  try {
    result = explainSource(file, source!.text, query, { strict: args.strict });
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    io.stderr.write(`sitewire: ${err.message}\nRun 'sitewire explain --help' for usage.\n`);
    return EXIT.usage;
  }
  const sources = new Map([[file, source!.text]]);
  const e = result.explanation;
  if (!e) {
    print({ exitCode: EXIT.invalid, diagnostics: result.diagnostics, sources, data: { command: "explain", ok: false }, stdout: [], stderr: [`sitewire: ${file} has errors: nothing to explain`] });
    return EXIT.invalid;
  }
  const exitCode = e.verdict.delivered ? EXIT.ok : EXIT.invalid;
  const text = args.format === "mermaid" ? formatMermaid(e) : formatText(e);
  print({ exitCode, diagnostics: result.diagnostics, sources, data: toJson(e), stdout: [text], stderr: [] });
  return exitCode;
}
