/**
 * `sitewire lab <site file> [--flow NAME] [--keep] [--clean] [--format text|json]`: build the site in network
 * namespaces on this machine with its own artifacts and measure every flow (src/lab). Exit 0 every flow
 * passes, 1 some flow fails (or errors in the intent, or the lab could not be built), 2 a bad command line
 * or an unfit machine (not root, missing programs: the Debian packages are named).
 */
import { displayPath, readSources } from "../inputs.js";
import { EXIT, UsageError } from "../errors.js";
import { parseOptions } from "../parse-options.js";
import { colorEnabled, type CliIo } from "../io.js";
import { printOutput } from "../output.js";

export const LAB_FORMATS = ["text", "json"] as const;

export interface LabArgs {
  readonly file: string;
  readonly flow?: string;
  readonly keep: boolean;
  readonly clean: boolean;
  readonly format: (typeof LAB_FORMATS)[number];
  readonly noColor: boolean;
}

/** Parse the arguments after `lab`; undefined for --help. Throws UsageError (the CLI exits 2 for lab). */
export function parseLabArgs(rest: readonly string[]): LabArgs | undefined {
  const parsed = parseOptions("lab", rest, {
    flow: { type: "string" },
    keep: { type: "boolean" },
    clean: { type: "boolean" },
    format: { type: "string" },
    "no-color": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  }, true);
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "lab needs one site file" : `lab takes one site file (got ${positionals.length})`, "lab");
  const format = values.format ?? "text";
  if (!(LAB_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${LAB_FORMATS.join(", ")} (got '${format}')`, "lab");
  if (values.flow !== undefined && values.flow.trim() === "") throw new UsageError("--flow needs a flow name", "lab");
  if (values.clean && (values.keep || values.flow !== undefined)) throw new UsageError("--clean only removes a lab: it takes no --keep or --flow", "lab");
  return {
    file: positionals[0]!,
    ...(values.flow !== undefined ? { flow: values.flow } : {}),
    keep: values.keep === true,
    clean: values.clean === true,
    format: format as LabArgs["format"],
    noColor: values["no-color"] === true,
  };
}

export async function labCommand(args: LabArgs, io: CliIo): Promise<number> {
  const [{ compileSource }, { loadSource }, { hasErrors }, { runLab }] = await Promise.all([
    import("../../compile/pipeline.js"),
    import("../../intent/load.js"),
    import("../../diagnostics/diagnostic.js"),
    import("../../lab/index.js"),
  ]);
  const [source] = await readSources([args.file], io.cwd);
  const file = source!.file.startsWith("/") ? displayPath(source!.file, io.cwd) : source!.file;
  const color = colorEnabled(io.stderr, io.env, args.noColor);
  if (source!.text === undefined) {
    printOutput({ exitCode: EXIT.invalid, diagnostics: source!.diagnostics, sources: new Map(), data: { command: "lab", ok: false }, stdout: [], stderr: [] }, "text", io, color);
    return EXIT.invalid;
  }
  // Without the deliverability check (SW170), as explain: the lab measures what the artifacts do, also for a
  // flow that check would refuse (and then says where explain expects it to die).
  const compiled = compileSource(file, source!.text, { strict: false, deliverability: false });
  if (!compiled.model || hasErrors(compiled.diagnostics)) {
    const sources = new Map([[file, source!.text]]);
    printOutput(
      { exitCode: EXIT.invalid, diagnostics: compiled.diagnostics, sources, data: { command: "lab", ok: false }, stdout: [], stderr: [`sitewire: ${file} has errors: no lab to build`] },
      args.format === "json" ? "json" : "text",
      io,
      color,
    );
    return EXIT.invalid;
  }
  const { source: loaded } = loadSource(file, source!.text);
  return runLab(
    { model: compiled.model, artifacts: compiled.artifacts, ...(loaded ? { source: loaded } : {}) },
    { ...(args.flow !== undefined ? { flow: args.flow } : {}), keep: args.keep, clean: args.clean, format: args.format, ...(io.env.SITEWIRE_LAB_DIR ? { runDir: io.env.SITEWIRE_LAB_DIR } : {}) },
    io,
  );
}
