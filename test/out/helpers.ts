/** A throwaway copy of the repository's sites, and sitewire run on it in-process or as the built binary. */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "../../src/cli/run.js";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
export const CLI = join(REPO, "dist", "src", "cli", "main.js");

export interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly file: string;
  readonly message: string;
  readonly line?: number;
}

/** A temp directory holding sites/ copied from the repository. */
export async function workspace(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await cp(join(REPO, "sites"), join(dir, "sites"), { recursive: true });
  return dir;
}

export function removeWorkspace(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** `sitewire <args>` in-process (src/cli/run.ts, the code path of the binary). */
export async function sitewire(cwd: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    cwd,
    env: { NO_COLOR: "1", SITEWIRE_CACHE_DIR: "off", ...env },
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

/** The diagnostics of a `--format json` run. */
export function diagnosticsOf(r: Result): JsonDiagnostic[] {
  return (JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
}

/** The built binary as a real process. */
export function spawnCli(cwd: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Result> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first (npm test does)`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", SITEWIRE_CACHE_DIR: "off", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
