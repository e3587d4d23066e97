/**
 * Running real programs as readers, over many files at once (one process per program, not one per file):
 * ./shell.ts (bash, shellcheck) and ./yaml.ts (PyYAML).
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

export const run = promisify(execFile);
export const BIG = { maxBuffer: 512 * 1024 * 1024 };

/** Write `contents` to files in a fresh temp directory, call `use` with their paths, then delete them. */
export async function withFiles<T>(contents: readonly string[], ext: string, use: (paths: string[]) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "sw-readers-"));
  try {
    const paths = contents.map((_, i) => join(dir, `${i}${ext}`));
    await Promise.all(paths.map((p, i) => writeFile(p, contents[i]!)));
    return await use(paths);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
