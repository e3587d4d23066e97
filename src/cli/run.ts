/**
 * The sitewire command, as a function of its arguments and IO: parse, dispatch, print, return the exit
 * code. Expected failures (usage, user and writer errors) become messages here; anything else propagates to
 * ./main.ts as an internal error.
 */
import { WriterError } from "../writer/paths.js";
import { parseInvocation, type SiteArgs } from "./args.js";
import type { Context } from "./commands/common.js";
import { EXIT, UsageError, UserError } from "./errors.js";
import { colorEnabled, type CliIo } from "./io.js";
import { printOutput, type CommandOutput } from "./output.js";
import { COMMAND_HELP, TOP_HELP } from "./usage.js";
import { readVersion } from "./version.js";

type SiteCommand = (args: SiteArgs, ctx: Context) => Promise<CommandOutput>;

/** Loaded on demand, so --help, --version and usage errors do not pay for loading the compiler. */
const SITE_COMMANDS: Readonly<Record<"validate" | "compile" | "check" | "diff", () => Promise<SiteCommand>>> = {
  validate: async () => (await import("./commands/validate.js")).validateCommand,
  compile: async () => (await import("./commands/compile.js")).compileCommand,
  check: async () => (await import("./commands/drift.js")).checkCommand,
  diff: async () => (await import("./commands/drift.js")).diffCommand,
};

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let invocation;
  try {
    invocation = parseInvocation(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (argv.length === 0) {
      io.stderr.write(TOP_HELP);
      return EXIT.usage;
    }
    const help = err.command ? `sitewire ${err.command} --help` : "sitewire --help";
    io.stderr.write(`sitewire: ${err.message}\nRun '${help}' for usage.\n`);
    // lab's exit codes are 0 pass, 1 fail, 2 usage or environment (its --help).
    return err.command === "lab" ? 2 : EXIT.usage;
  }

  switch (invocation.kind) {
    case "help":
      io.stdout.write(invocation.command ? COMMAND_HELP[invocation.command] : TOP_HELP);
      return EXIT.ok;
    case "version":
      io.stdout.write(`sitewire ${await readVersion()}\n`);
      return EXIT.ok;
    case "schema":
      try {
        const { schemaCommand } = await import("./commands/schema.js");
        return await schemaCommand(invocation.write, io);
      } catch (err) {
        if (!(err instanceof WriterError)) throw err;
        io.stderr.write(`sitewire: ${err.message}\n`);
        return EXIT.invalid;
      }
    case "explain": {
      const { explainCommand } = await import("./commands/explain.js");
      return explainCommand(invocation.args, io);
    }
    case "lab": {
      const { labCommand } = await import("./commands/lab.js");
      return labCommand(invocation.args, io);
    }
    case "lsp": {
      const { lspCommand } = await import("./commands/lsp.js");
      return lspCommand(invocation.args, io);
    }
    case "import": {
      const { importCommand } = await import("./commands/import.js");
      return importCommand(invocation.args, io);
    }
    case "secrets": {
      const { secretsCommand } = await import("./commands/secrets.js");
      return secretsCommand(invocation.args, io);
    }
    case "site": {
      const { command, args } = invocation;
      const ctx: Context = {
        io,
        color: { stdout: colorEnabled(io.stdout, io.env, args.noColor), stderr: colorEnabled(io.stderr, io.env, args.noColor) },
      };
      let output: CommandOutput;
      try {
        const execute = await SITE_COMMANDS[command]();
        output = await execute(args, ctx);
      } catch (err) {
        if (!(err instanceof UserError || err instanceof WriterError)) throw err;
        output = failure(command, err.message);
      }
      printOutput(output, args.format, io, ctx.color.stderr);
      return output.exitCode;
    }
  }
}

function failure(command: string, message: string): CommandOutput {
  return {
    exitCode: EXIT.invalid,
    diagnostics: [],
    sources: new Map(),
    data: { command, ok: false, error: message },
    stdout: [],
    stderr: message.split("\n").map((line) => `sitewire: ${line}`),
  };
}
