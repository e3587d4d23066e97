import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./errors.js";

/** node:util parseArgs, strict, with its errors turned into a UsageError of `command` (the one way every command parses). */
export function parseOptions<O extends NonNullable<ParseArgsConfig["options"]>>(command: string, args: readonly string[], options: O, allowPositionals: boolean) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) {
      throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ""), command);
    }
    throw err;
  }
}
