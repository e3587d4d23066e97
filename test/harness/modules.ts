/**
 * Which modules a run of the built CLI loads: a module hook (off the main thread) records every ES module
 * the loader loads, CommonJS entry points included, and at exit the CommonJS modules in require.cache.
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

/** Registers HOOKS and, at exit, adds the CommonJS modules (require.cache) to the list. */
const RECORDER = `
import { register, createRequire } from "node:module";
import { appendFileSync } from "node:fs";
register("./hooks.mjs", import.meta.url, { data: { out: process.env.RECORD_MODULES } });
process.on("exit", () => {
  const cjs = Object.keys(createRequire(import.meta.url).cache).map((p) => new URL("file://" + p).href);
  appendFileSync(process.env.RECORD_MODULES, cjs.map((url) => url + "\\n").join(""));
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
 * The CLI is bundled (src/build/bundle.mjs): main.js and the chunks under dist/src/cli/bundle/ it loads stand for
 * the modules bundled into them. Each loaded file of the bundle is replaced by the file URLs of its inputs
 * (node_modules/…, and sitewire's own modules named as tsc compiles them, src/a/b.ts as dist/src/a/b.js;
 * from the bundle's metafile), so a test can still ask which of sitewire's modules and which dependencies a
 * command loaded.
 */
async function unbundle(urls: readonly string[]): Promise<string[]> {
  const root = pathToFileURL(PACKAGE_ROOT).href.replace(/\/?$/, "/");
  const meta = JSON.parse(await readFile(join(PACKAGE_ROOT, "dist", "src", "cli", "bundle", "meta.json"), "utf8").catch(() => '{"outputs":{}}')) as {
    outputs: Record<string, { inputs: string[] }>;
  };
  return urls.flatMap((url) => {
    const output = url.startsWith(root) ? meta.outputs[url.slice(root.length)] : undefined;
    const named = (input: string) => root + (/^src\/.*\.ts$/.test(input) ? `dist/${input.replace(/\.ts$/, ".js")}` : input);
    return output ? [url, ...output.inputs.map(named)] : [url];
  });
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
    return { modules: [...new Set(await unbundle(loaded))], code };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
