/**
 * Which modules a run of the built CLI loads: a module hook (off the main thread) records every ES module
 * the loader loads, CommonJS entry points included; at exit, the modules of the CLI's bundle that ran and the
 * CommonJS modules in require.cache.
 * For tests that pin start-up cost by structure rather than by timing.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { PACKAGE_ROOT } from "../../src/render/package-root.js";

/** The built CLI (the product build, dist/), from test/harness (vitest) and from dist-test/test/harness alike. */
export const CLI = join(PACKAGE_ROOT, "dist", "src", "cli", "main.js");

/**
 * Registers HOOKS, defines the call every module of the CLI's bundle makes when it has run (src/build/bundle.mjs:
 * `globalThis.__sitewireLoaded?.("<input path>")`) and, at exit, adds those and the CommonJS modules
 * (require.cache) to the list.
 */
const RECORDER = `
import { register, createRequire } from "node:module";
import { appendFileSync } from "node:fs";
register("./hooks.mjs", import.meta.url, { data: { out: process.env.RECORD_MODULES } });
const bundled = [];
globalThis.__sitewireLoaded = (input) => bundled.push(input);
process.on("exit", () => {
  const cjs = Object.keys(createRequire(import.meta.url).cache).map((p) => new URL("file://" + p).href);
  appendFileSync(process.env.RECORD_MODULES, [...cjs, ...bundled.map((input) => "bundled:" + input)].map((url) => url + "\\n").join(""));
});
`;
/** Runs off the main thread: every module the ES module loader loads, CommonJS entry points included. */
const HOOKS = `
import { appendFileSync } from "node:fs";
let out;
export function initialize(data) { out = data.out; }
export async function load(url, context, next) { appendFileSync(out, url + "\\n"); return next(url, context); }
`;

/**
 * The CLI is bundled (src/build/bundle.mjs): one CommonJS file, dist/src/cli/bundle/cli.cjs, in which each module
 * runs when it is first imported, as it would unbundled. A module of the bundle that ran is named by its input
 * path (node_modules/…, and sitewire's own modules as tsc compiles them, src/a/b.ts as dist/src/a/b.js, or a
 * file of dist/ as itself), as a file URL under the package, so a test can ask which of sitewire's modules and
 * which dependencies a command loaded.
 */
function unbundle(urls: readonly string[]): string[] {
  const root = pathToFileURL(PACKAGE_ROOT).href.replace(/\/?$/, "/");
  const named = (input: string) => root + (/^src\/.*\.ts$/.test(input) ? `dist/${input.replace(/\.ts$/, ".js")}` : input);
  return urls.map((url) => (url.startsWith("bundled:") ? named(url.slice("bundled:".length)) : url));
}

export interface Recorded {
  readonly modules: string[];
  readonly code: number;
}

/** Run `sitewire <args>` (the built CLI) in `cwd` and list the URLs of the modules it loaded. */
export async function modulesLoadedBy(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Recorded> {
  const dir = await mkdtemp(join(tmpdir(), "sitewire-modules-"));
  try {
    const out = join(dir, "modules.txt");
    await writeFile(join(dir, "record.mjs"), RECORDER);
    await writeFile(join(dir, "hooks.mjs"), HOOKS);
    await writeFile(out, "");
    const record = pathToFileURL(join(dir, "record.mjs")).href;
    const code = await promisify(execFile)(process.execPath, ["--import", record, CLI, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env, RECORD_MODULES: out } }).then(
      () => 0,
      (err: { code?: unknown }) => {
        if (typeof err.code !== "number") throw err;
        return err.code;
      },
    );
    const loaded = [...new Set((await readFile(out, "utf8")).split("\n").filter(Boolean))];
    return { modules: [...new Set(unbundle(loaded))], code };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
