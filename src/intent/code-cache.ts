/**
 * Running a generated CommonJS file with the V8 code cache made for it at build time. V8 compiles a function
 * on its first call; the generated shape validator is one function of some 370 KB, whose first call cost
 * about 15 ms to compile. With the cache V8 reads the compiled code instead. A cache from another Node
 * version or other V8 flags is rejected by V8, and the file is compiled as usual: slower, never different.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

export interface LoadedFile {
  /** What the file assigned to `module.exports`. */
  readonly exports: unknown;
  /** After the exports have run once, `script.createCachedData()` includes what that compiled. */
  readonly script: Script;
}

/** `path` is absolute; its `require` resolves from where it lies. */
export function runCommonJs(path: string, cachedData?: Buffer): LoadedFile {
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(path, "utf8")}\n})`;
  const script = new Script(wrapped, { filename: path, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(path), module, path, dirname(path));
  return { exports: module.exports, script };
}
