/**
 * Finding and reading site files. Paths and globs are expanded relative to the working directory into a
 * sorted, de-duplicated list of '/'-separated relative paths (the form used in diagnostics and manifests);
 * every file is then read once, all in parallel.
 */
import { open, readdir, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { compareStrings } from "../writer/paths.js";
import { UserError } from "./errors.js";

/** Above this, a file is not read at all (the loader itself rejects anything above its own, smaller limit). */
export const MAX_READ_BYTES = 4 * 1024 * 1024;

export interface SourceText {
  readonly file: string;
  /** Absent when the file could not be read; then `diagnostics` says why. */
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Expand files, directories (their *.yaml) and globs; every argument must match at least one file. */
export async function expandPaths(patterns: readonly string[], cwd: string): Promise<string[]> {
  const { files, unmatched } = await expandPatterns(patterns, cwd);
  if (unmatched.length > 0) {
    throw new UserError(unmatched.map((p) => `no site files match '${p}'`).join("\n"));
  }
  return files;
}

/** The same expansion, reporting the patterns that matched nothing instead of failing. */
export async function expandPatterns(patterns: readonly string[], cwd: string): Promise<{ files: string[]; unmatched: string[] }> {
  const found = await Promise.all(patterns.map((p) => expandOne(p, cwd)));
  return {
    files: [...new Set(found.flat())].sort(compareStrings),
    unmatched: patterns.filter((_, i) => found[i]!.length === 0),
  };
}

async function expandOne(pattern: string, cwd: string): Promise<string[]> {
  const abs = resolve(cwd, pattern);
  const st = await stat(abs).catch(() => undefined);
  if (st?.isFile()) return [displayPath(abs, cwd)];
  if (st?.isDirectory()) {
    return yamlFilesIn(abs, cwd);
  }
  // The default `sites/*.yaml` (and any `<dir>/*.yaml`) is a directory listing: no glob engine to load.
  const simple = /^((?:[^*?[\]{}()!\\]+\/)*)\*\.yaml$/.exec(pattern);
  if (simple) return yamlFilesIn(resolve(cwd, simple[1] || "."), cwd);
  const { globby, isDynamicPattern } = await import("globby");
  if (!isDynamicPattern(pattern)) return [];
  const matches = await globby(pattern.split(sep).join("/"), { cwd, onlyFiles: true, absolute: true });
  return matches.map((m) => displayPath(m, cwd));
}

/** The `*.yaml` files of one directory, as globby would list them: no dotfiles, symlinks to files included. */
async function yamlFilesIn(dir: string, cwd: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const named = entries.filter((e) => e.name.endsWith(".yaml") && !e.name.startsWith("."));
  const isFile = await Promise.all(
    named.map(async (e) => e.isFile() || (e.isSymbolicLink() && (await stat(resolve(dir, e.name)).catch(() => undefined))?.isFile() === true)),
  );
  return named.filter((_, i) => isFile[i]).map((e) => displayPath(resolve(dir, e.name), cwd));
}

/** Relative to the working directory, '/'-separated; absolute only when outside it on another drive. */
export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return (isAbsolute(rel) ? rel : rel || ".").split(sep).join("/");
}

export function readSources(files: readonly string[], cwd: string): Promise<SourceText[]> {
  return Promise.all(files.map((file) => readSource(file, cwd)));
}

async function readSource(file: string, cwd: string): Promise<SourceText> {
  let handle;
  try {
    handle = await open(resolve(cwd, file), "r");
    const st = await handle.stat();
    if (!st.isFile()) return unreadable(file, "SW001", "not a regular file");
    if (st.size > MAX_READ_BYTES) {
      return unreadable(file, "SW002", tooLarge(st.size));
    }
    return { file, text: await handle.readFile("utf8"), diagnostics: [] };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return unreadable(file, "SW001", `cannot read file${typeof code === "string" ? ` (${code})` : ""}`);
  } finally {
    await handle?.close();
  }
}

/** A site file read from somewhere else (a git revision): the same limits as on disk. */
export function sourceFromBytes(file: string, bytes: Buffer | undefined): SourceText {
  if (bytes === undefined) return unreadable(file, "SW001", "not a regular file");
  if (bytes.length > MAX_READ_BYTES) return unreadable(file, "SW002", tooLarge(bytes.length));
  return { file, text: bytes.toString("utf8"), diagnostics: [] };
}

function tooLarge(bytes: number): string {
  return `file is ${(bytes / (1024 * 1024)).toFixed(1)} MiB; an intent file may be at most 1 MiB`;
}

function unreadable(file: string, code: "SW001" | "SW002", message: string): SourceText {
  return { file, diagnostics: [{ code, severity: "error", message, file }] };
}
