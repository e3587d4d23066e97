/** `sitewire secrets`: the CLI face of src/secrets/command.ts (which prints its own messages). */
import { runSecretsCommand } from "../../secrets/command.js";
import type { SecretsArgs } from "../args.js";
import type { CliIo } from "../io.js";

export function secretsCommand(args: SecretsArgs, io: CliIo): Promise<number> {
  return runSecretsCommand(
    { site: args.site, host: args.host, outDir: args.out, dest: args.dest, env: io.env as NodeJS.ProcessEnv },
    { cwd: io.cwd, stdout: io.stdout, stderr: io.stderr },
  );
}
