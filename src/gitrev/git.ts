/**
 * Running git plumbing commands (no porcelain, nothing that writes): argv only, never a shell, stdin piped in
 * when given, stdout returned as bytes. A failure becomes a GitError carrying git's own first line of stderr.
 */
import { spawn } from "node:child_process";

export class GitError extends Error {
  override readonly name = "GitError";
}

export interface GitOptions {
  readonly cwd: string;
  readonly input?: string;
}

export function git(args: readonly string[], options: GitOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // LC_ALL=C: git's messages in English whatever the user's locale, so they read the same in every report.
    const child = spawn("git", [...args], { cwd: options.cwd, env: { ...process.env, LC_ALL: "C" }, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (e: NodeJS.ErrnoException) =>
      reject(new GitError(e.code === "ENOENT" ? "git is not installed (or not on PATH)" : `cannot run git (${e.code ?? e.message})`)),
    );
    child.on("close", (code) => {
      if (code === 0) return resolve(Buffer.concat(out));
      const first = Buffer.concat(err).toString("utf8").split("\n").find((l) => l.trim() !== "") ?? `exit code ${code}`;
      reject(new GitError(`git ${args[0]}: ${first.replace(/^(fatal|error): /, "")}`));
    });
    child.stdin.on("error", () => undefined); // git may exit before reading all input; the exit code tells.
    child.stdin.end(options.input ?? "");
  });
}
