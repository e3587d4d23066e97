/**
 * `sitewire lsp [--stdio]`: the language server (src/lsp/server.ts) on standard input and output. It runs until
 * the client sends `exit` or closes its end (vscode-languageserver then ends the process: 0 after `shutdown`,
 * 1 without).
 */
import { UsageError } from "../errors.js";
import type { CliIo } from "../io.js";
import { parseOptions } from "../parse-options.js";
import { readVersion } from "../version.js";

export interface LspArgs {
  readonly transport: "stdio";
}

const LSP_OPTIONS = {
  stdio: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** undefined: --help. */
export function parseLspArgs(rest: readonly string[]): LspArgs | undefined {
  const { values, positionals } = parseOptions("lsp", rest, LSP_OPTIONS, false);
  if (values.help) return undefined;
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, "lsp");
  return { transport: "stdio" };
}

export async function lspCommand(_args: LspArgs, io: CliIo): Promise<number> {
  const { startServer } = await import("../../lsp/server.js");
  const connection = startServer(process.stdin, process.stdout, { version: await readVersion(), cwd: io.cwd });
  // Resolved only if the connection ends without the library ending the process first.
  return new Promise((resolve) => connection.onExit(() => resolve(0)));
}
