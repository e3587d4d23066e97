/**
 * The `sitewire` command bound to the process. Everything real happens in ./run.ts; this file only binds it to
 * the process and turns an unexpected exception into "internal error" with exit code 70 (no stack trace unless
 * SITEWIRE_DEBUG is set). The executable, ./main.ts, runs it: from the CommonJS bundle of the CLI with its V8
 * code cache (src/build/bundle.mjs), or as this ES module where tsc's output runs unbundled.
 */
import { EXIT } from "./errors.js";
import { run } from "./run.js";

process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  // `sitewire diff | head`: the reader went away; stop quietly.
  if (err.code === "EPIPE") process.exit(process.exitCode ?? EXIT.ok);
  process.stderr.write(`sitewire: cannot write to standard output (${err.code ?? err.message})\n`);
  process.exit(EXIT.invalid);
});

// No top-level await: the bundle is CommonJS.
run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`sitewire: internal error: ${message}\nThis is a bug in sitewire; please report it with the command you ran and the site file if you can share it.\n`);
    if (process.env.SITEWIRE_DEBUG && err instanceof Error && err.stack) process.stderr.write(err.stack + "\n");
    process.exitCode = EXIT.internal;
  },
);
