/** Command-line parsing with node:util parseArgs: one option table per command, no hidden globals. */
import type { ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.js";
import { parseOptions as parse } from "./parse-options.js";
import { COMMANDS, type CommandName } from "./usage.js";
import { parseExplainArgs, type ExplainArgs } from "./commands/explain.js";
import { parseLabArgs, type LabArgs } from "./commands/lab.js";
import { parseLspArgs, type LspArgs } from "./commands/lsp.js";
import { parseImportArgs, type ImportArgs } from "./commands/import.js";

export const FORMATS = ["text", "json", "github"] as const;
export type Format = (typeof FORMATS)[number];

export const DEFAULT_PATTERNS: readonly string[] = ["sites/*.yaml"];

/** Options of validate, compile, check and diff. */
export interface SiteArgs {
  readonly paths: readonly string[];
  readonly strict: boolean;
  readonly out: string;
  readonly format: Format;
  readonly noColor: boolean;
  /** compile and check: compile every site even when the result cache says its output is current. */
  readonly noCache?: boolean;
  /** compile only: flush every written file to stable storage before it replaces the old one. */
  readonly fsync?: boolean;
  /** diff only: compare with the intent at this git revision instead of with out/. */
  readonly against?: string;
  /** diff only: exit 2 when there are changes (like `git diff --exit-code`, Terraform's -detailed-exitcode). */
  readonly exitCode?: boolean;
}

/** `sitewire secrets`: materialise one host's secret-bearing files outside the repository. */
export interface SecretsArgs {
  readonly site: string;
  readonly host: string;
  readonly dest: string;
  readonly out: string;
}

export type Invocation =
  | { readonly kind: "help"; readonly command?: CommandName }
  | { readonly kind: "version" }
  | { readonly kind: "site"; readonly command: Exclude<CommandName, "schema" | "secrets" | "explain" | "lab" | "lsp" | "import">; readonly args: SiteArgs }
  | { readonly kind: "lsp"; readonly args: LspArgs }
  | { readonly kind: "import"; readonly args: ImportArgs }
  | { readonly kind: "explain"; readonly args: ExplainArgs }
  | { readonly kind: "lab"; readonly args: LabArgs }
  | { readonly kind: "schema"; readonly write: boolean }
  | { readonly kind: "secrets"; readonly args: SecretsArgs };

const SITE_OPTIONS = {
  strict: { type: "boolean" },
  out: { type: "string" },
  format: { type: "string" },
  "no-color": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

const CHECK_OPTIONS = {
  ...SITE_OPTIONS,
  "no-cache": { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

const COMPILE_OPTIONS = {
  ...CHECK_OPTIONS,
  fsync: { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

const DIFF_OPTIONS = {
  ...SITE_OPTIONS,
  against: { type: "string" },
  "exit-code": { type: "boolean" },
} as const satisfies ParseArgsConfig["options"];

const SECRETS_OPTIONS = {
  site: { type: "string" },
  host: { type: "string" },
  dest: { type: "string" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

const SCHEMA_OPTIONS = {
  write: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

/** `argv` without node and script. Throws UsageError for anything malformed. */
export function parseInvocation(argv: readonly string[]): Invocation {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError("missing command");
  if (first === "-h" || first === "--help") return { kind: "help" };
  if (first === "--version" || first === "-V") return { kind: "version" };
  if (first === "help") return parseHelp(rest);
  if (first.startsWith("-")) throw new UsageError(`unknown option '${first}' (the command comes first)`);
  const command = asCommand(first);

  if (command === "schema") {
    const { values, positionals } = parse(command, rest, SCHEMA_OPTIONS, false);
    if (values.help) return { kind: "help", command };
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, command);
    return { kind: "schema", write: values.write === true };
  }

  if (command === "secrets") return parseSecrets(rest);
  if (command === "explain") {
    const args = parseExplainArgs(rest);
    return args ? { kind: "explain", args } : { kind: "help", command };
  }
  if (command === "lab") {
    const args = parseLabArgs(rest);
    return args ? { kind: "lab", args } : { kind: "help", command };
  }
  if (command === "lsp") {
    const args = parseLspArgs(rest);
    return args ? { kind: "lsp", args } : { kind: "help", command };
  }
  if (command === "import") {
    const args = parseImportArgs(rest);
    return args ? { kind: "import", args } : { kind: "help", command };
  }

  const table = { diff: DIFF_OPTIONS, compile: COMPILE_OPTIONS, check: CHECK_OPTIONS, validate: SITE_OPTIONS }[command];
  const { values, positionals } = parse(command, rest, table, true);
  if (values.help) return { kind: "help", command };
  const format = values.format ?? "text";
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")} (got '${format}')`, command);
  }
  if (values.out !== undefined && values.out.trim() === "") throw new UsageError("--out needs a directory", command);
  // Only some option tables have these; the other commands' strict parse rejects them.
  const diff = values as { against?: string; "exit-code"?: boolean };
  const writes = values as { "no-cache"?: boolean; fsync?: boolean };
  if (diff.against !== undefined && (diff.against.trim() === "" || diff.against.startsWith("-")))
    throw new UsageError("--against needs a git revision (a branch, tag or commit)", command);
  return {
    kind: "site",
    command,
    args: {
      paths: positionals.length > 0 ? positionals : DEFAULT_PATTERNS,
      strict: values.strict === true,
      out: values.out ?? "out",
      format: format as Format,
      noColor: values["no-color"] === true,
      ...(diff.against !== undefined ? { against: diff.against } : {}),
      ...(diff["exit-code"] ? { exitCode: true } : {}),
      ...(writes["no-cache"] ? { noCache: true } : {}),
      ...(writes.fsync ? { fsync: true } : {}),
    },
  };
}

function parseSecrets(rest: readonly string[]): Invocation {
  const { values, positionals } = parse("secrets", rest, SECRETS_OPTIONS, false);
  if (values.help) return { kind: "help", command: "secrets" };
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, "secrets");
  const need = (name: "site" | "host" | "dest") => {
    const v = values[name];
    if (v === undefined || v.trim() === "") throw new UsageError(`--${name} is required`, "secrets");
    return v;
  };
  if (values.out !== undefined && values.out.trim() === "") throw new UsageError("--out needs a directory", "secrets");
  return { kind: "secrets", args: { site: need("site"), host: need("host"), dest: need("dest"), out: values.out ?? "out" } };
}

function parseHelp(rest: readonly string[]): Invocation {
  if (rest.length === 0) return { kind: "help" };
  if (rest.length > 1) throw new UsageError(`unexpected argument '${rest[1]}'`);
  return { kind: "help", command: asCommand(rest[0]!) };
}

function asCommand(name: string): CommandName {
  if ((COMMANDS as readonly string[]).includes(name)) return name as CommandName;
  throw new UsageError(`unknown command '${name}' (commands: ${COMMANDS.join(", ")})`);
}
