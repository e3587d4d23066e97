/**
 * Running a CommonJS file with the V8 code cache made for it at build time. V8 compiles a function on its first
 * call; the generated shape validator is one function of some 370 KB, whose first call cost about 15 ms to
 * compile, and the CLI's bundle (src/build/bundle.mjs, run by src/cli/main.ts) is some 2 MB that Node would
 * parse and compile at every start. With the cache V8 reads the compiled code instead. A cache from another
 * Node version or other V8 flags is rejected by V8 (`script.cachedDataRejected`), and the file is compiled as
 * usual: slower, never different.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

/**
 * The V8 flags the bin sets before it compiles the CLI's bundle (src/cli/main.ts). V8 keys a code cache to
 * the flags in force when it was made and rejects it under others, so whatever makes or checks the bundle's
 * cache sets the same ones first.
 */
export const CLI_V8_FLAGS = "--heap-growing-percent=100";

export interface LoadedFile {
  /** What the file assigned to `module.exports`. */
  readonly exports: unknown;
  /** After the exports have run once, `script.createCachedData()` includes what that compiled. */
  readonly script: Script;
}

/** A CommonJS module's text as Node wraps it: a function expression of the module's free variables. */
export function wrapCommonJs(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
}

/**
 * The Script of the CommonJS file at `path` holding `source`, with `cachedData` if given; compiling decides
 * `script.cachedDataRejected`, running it is runCommonJs's. `wrapped`: the file holds wrapCommonJs's output
 * already (the CLI's bundle), so V8 compiles the file's own string, no copy of it.
 */
export function compileCommonJs(path: string, source: string, cachedData?: Buffer, wrapped = false): Script {
  return new Script(wrapped ? source : wrapCommonJs(source), { filename: path, ...(cachedData ? { cachedData } : {}) });
}

/**
 * Runs the CommonJS file at `path` (absolute; its `require` resolves from where it lies). `source`: its text if
 * already read, `wrapped` as for compileCommonJs.
 */
export function runCommonJs(path: string, cachedData?: Buffer, source: string = readFileSync(path, "utf8"), wrapped = false): LoadedFile {
  const script = compileCommonJs(path, source, cachedData, wrapped);
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(path), module, path, dirname(path));
  return { exports: module.exports, script };
}
