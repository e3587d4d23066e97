#!/usr/bin/env node
/**
 * The `sitewire` executable. Everything real happens in ./run.ts; this file only binds it to the process and
 * turns an unexpected exception into "internal error" with exit code 70 (no stack trace unless
 * SITEWIRE_DEBUG is set).
 */
import { EXIT } from "./errors.js";
import { run } from "./run.js";

process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  // `sitewire diff | head`: the reader went away; stop quietly.
  if (err.code === "EPIPE") process.exit(process.exitCode ?? EXIT.ok);
  process.stderr.write(`sitewire: cannot write to standard output (${err.code ?? err.message})\n`);
  process.exit(EXIT.invalid);
});

try {
  process.exitCode = await run(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  });
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`sitewire: internal error: ${message}\nThis is a bug in sitewire; please report it with the command you ran and the site file if you can share it.\n`);
  if (process.env.SITEWIRE_DEBUG && err instanceof Error && err.stack) process.stderr.write(err.stack + "\n");
  process.exitCode = EXIT.internal;
}
