/**
 * Test helpers for the GitOps loop: throwaway git repositories (committed with a fixed identity and date, so
 * they are the same on every machine) and the sitewire CLI run in-process on them (src/cli/run.ts with
 * captured streams: the same code path as the binary, without a build or a node start per call).
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "../../src/cli/run.js";

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "fixtures");

export interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function sitewire(cwd: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const code = await run(args, {
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  return { code, stdout, stderr };
}

export class Repo {
  readonly dir: string;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "sw-gitops-"));
    this.git("init", "-q", "-b", "main");
  }

  git(...args: string[]): string {
    return execFileSync("git", args, {
      cwd: this.dir,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: this.dir,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@example.com",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@example.com",
        GIT_AUTHOR_DATE: "2024-01-01T00:00:00Z",
        GIT_COMMITTER_DATE: "2024-01-01T00:00:00Z",
      },
    });
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  write(rel: string, content: string): void {
    mkdirSync(dirname(this.path(rel)), { recursive: true });
    writeFileSync(this.path(rel), content);
  }

  read(rel: string): string {
    return readFileSync(this.path(rel), "utf8");
  }

  /** Copy test/gitops/fixtures/<fixture> to `rel`. */
  fixture(fixture: string, rel: string): void {
    mkdirSync(dirname(this.path(rel)), { recursive: true });
    copyFileSync(join(FIXTURES, fixture), this.path(rel));
  }

  commitAll(message: string): string {
    this.git("add", "-A");
    this.git("commit", "-q", "--allow-empty", "-m", message);
    return this.git("rev-parse", "HEAD").trim();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A fresh repository for one test, removed afterwards whatever happens. */
export async function withRepo(f: (repo: Repo) => Promise<void>): Promise<void> {
  const repo = new Repo();
  try {
    await f(repo);
  } finally {
    repo.remove();
  }
}
