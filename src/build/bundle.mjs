/**
 * Build step (`npm run build`, after tsc and the generated validator): bundle the CLI that package.json `bin`
 * runs, and make the V8 code cache it starts with (issue 18: one-site `validate` near a bare `node -e 0`).
 *
 * Node 20 has no module compile cache, and compiling the CLI's ES modules (tsc's ~200 files, or the chunks of an
 * ES module bundle) was a good part of a one-site validate. So the CLI ships as CommonJS, run through
 * `vm.Script` with a code cache (as the generated shape validator, src/intent/code-cache.ts):
 * - dist/src/cli/bundle/cli.cjs: src/cli/cli.ts and everything it imports, one CommonJS file (esbuild, no
 *   splitting), written as Node wraps a module (a function expression), so V8 compiles the file's own string.
 *   Each module the CLI imports lazily (`import()`: the commands, the compiler behind the result cache, the
 *   renderers) stays lazy in execution: esbuild makes it an initialiser run on that import. Its first line names
 *   its id, a hash of its code. It is ASCII (checked below; the loader decodes it as latin1).
 * - dist/src/cli/cli.cjs.v8-cache: that id, then V8's code cache of the bundle, made after a representative
 *   run (`validate` of sites/bjs-hybrid.yaml with SITEWIRE_WRITE_CODE_CACHE=1), so it holds the functions a
 *   validate compiles, not only the top level; then checked to be taken (SITEWIRE_DEBUG says when it is not).
 *   Outside bundle/, so the compiler's fingerprint (src/cache/fingerprint.ts hashes bundle/) stays a function of
 *   the code.
 * - dist/src/cli/main.js, the `bin`: src/cli/main.ts with src/intent/code-cache.ts, a small CommonJS file that
 *   reads the bundle and, when the ids agree, the cache, and runs the bundle. V8 rejects a cache of another Node
 *   or other V8 flags; that costs a normal compile. dist/src/cli/package.json makes that folder CommonJS: Node
 *   starts a CommonJS entry some milliseconds sooner than an ES module one. tsc's ES modules in that folder are
 *   not run once the bundle exists.
 * - dist/src/cli/bundle/delivery-worker.js: the LSP's worker (src/lsp/delivery.ts: `new URL("./delivery-worker.js",
 *   import.meta.url)`, which in the bundle is bundle/cli.cjs's URL), a CommonJS bundle of its own.
 *
 * In the CommonJS output `import.meta.url` is the output file's URL (define + banner): modules use it to find the
 * package (src/render/package-root.ts walks up to templates/ and package.json) and to require handlebars
 * (src/render/templates.ts, createRequire: resolved from node_modules at run time, not bundled).
 *
 * Two modules are replaced in the bundles:
 * - src/targets/device-modules.ts loads each platform's renderer by folder name in a top-level await, which
 *   CommonJS cannot hold: it becomes static imports of every src/targets/<folder>/ holding a platform.ts and an
 *   index.ts. Only the devices target imports it, so the renderers are initialised by compile, never by validate.
 * - src/intent/bundled-validator.ts becomes the generated shape validator (dist/src/intent/validator.generated.cjs,
 *   from build-validator.ts), so that it is compiled with the CLI and covered by its code cache.
 *
 * Which modules a run initialised (src/cli/commands/loaded-modules.test.ts, test/harness/modules.ts): every
 * module in the CLI's bundle ends with `globalThis.__sitewireLoaded?.("<input path>")`, a call the module
 * recorder of the tests defines and a normal run does not.
 *
 * usage: node src/build/bundle.mjs   (from the package root, after `tsc -p tsconfig.build.json` and the validator)
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import { build } from "esbuild";
import { wrapCommonJs } from "../../dist/src/intent/code-cache.js";

const CLI = join("dist", "src", "cli");
const CODE_CACHE = join(CLI, "cli.cjs.v8-cache");
/** The example the code cache is made with: a valid site, so the run compiles what a validate compiles. */
const REPRESENTATIVE = ["validate", join("sites", "bjs-hybrid.yaml")];

const GENERATED_VALIDATOR = join("dist", "src", "intent", "validator.generated.cjs");
const BUNDLED_VALIDATOR = /[\\/]src[\\/]intent[\\/]bundled-validator\.ts$/;
const DEVICE_MODULES = /[\\/]src[\\/]targets[\\/]device-modules\.ts$/;
const DEVICE_IMPORT = "await import(/* @vite-ignore */ `./${platform.folder}/index.js`)";

/** src/targets/device-modules.ts as static imports of every platform folder (see above). */
function deviceModules(path) {
  if (!readFileSync(path, "utf8").includes(DEVICE_IMPORT)) throw new Error(`${path} no longer holds ${DEVICE_IMPORT}: update src/build/bundle.mjs`);
  const folders = readdirSync(join("src", "targets"), { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join("src", "targets", e.name, "platform.ts")) && existsSync(join("src", "targets", e.name, "index.ts")))
    .map((e) => e.name)
    .sort();
  return (
    folders.map((f, i) => `import * as m${i} from ${JSON.stringify(`./${f}/index.js`)};\n`).join("") +
    `export const DEVICE_MODULES: Readonly<Record<string, unknown>> = {\n${folders.map((f, i) => `  ${JSON.stringify(f)}: m${i},\n`).join("")}};\n`
  );
}

/** src/intent/bundled-validator.ts as the generated shape validator (see above). */
function bundledValidator() {
  if (!existsSync(GENERATED_VALIDATOR)) throw new Error(`${GENERATED_VALIDATOR} is missing: run node dist/src/intent/build-validator.js first`);
  // The generated module is CommonJS (`module.exports = validate`): its default export in Node's sense.
  return { text: `import validate from ${JSON.stringify(resolve(GENERATED_VALIDATOR))};\nexport const BUNDLED_VALIDATOR = validate;\n`, loader: "js" };
}

const LOADERS = { ".ts": "ts", ".mts": "ts", ".cts": "ts", ".js": "js", ".mjs": "js", ".cjs": "js" };

/** A module's name in the record: its path from the package root, node_modules/… for dependencies. */
function inputName(path) {
  const posix = path.split(sep).join("/");
  const i = posix.lastIndexOf("/node_modules/");
  return i >= 0 ? posix.slice(i + 1) : relative(process.cwd(), path).split(sep).join("/");
}

/** The device-modules rewrite, and with `mark` the record call at the end of every module. */
const sources = ({ mark }) => ({
  name: "sitewire-sources",
  setup(b) {
    b.onLoad({ filter: /.*/ }, (args) => {
      const loader = LOADERS[extname(args.path)];
      if (!loader) return undefined;
      const replaced = DEVICE_MODULES.test(args.path) ? { text: deviceModules(args.path), loader } : BUNDLED_VALIDATOR.test(args.path) ? bundledValidator() : undefined;
      if (!mark && !replaced) return undefined;
      const { text, loader: as } = replaced ?? { text: readFileSync(args.path, "utf8"), loader };
      return { contents: mark ? `${text}\n;globalThis.__sitewireLoaded?.(${JSON.stringify(inputName(args.path))});\n` : text, loader: as, resolveDir: dirname(args.path) };
    });
  },
});

/**
 * CommonJS output. `import.meta.url` becomes the output file's URL (define + banner); `require` is Node's, or for
 * the bundle the one the loader hands it (src/intent/code-cache.ts). esbuild's own "use strict" would follow the
 * banner, no longer a directive: the banner starts with it.
 */
const commonJs = {
  format: "cjs",
  define: { "import.meta.url": "__sitewireImportMetaUrl" },
  banner: { js: '"use strict"; var __sitewireImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};
const common = { bundle: true, minifyWhitespace: true, platform: "node", target: "node20", packages: "bundle", legalComments: "none", logLevel: "warning", write: false };

// write: false: nothing is written before all three built.
const [cli, worker, loader] = await Promise.all([
  build({
    ...common,
    entryPoints: [join("src", "cli", "cli.ts")],
    outfile: join(CLI, "bundle", "cli.cjs"),
    ...commonJs,
    metafile: true,
    plugins: [sources({ mark: true })],
  }),
  build({
    ...common,
    ...commonJs,
    entryPoints: [join("src", "lsp", "delivery-worker.ts")],
    outfile: join(CLI, "bundle", "delivery-worker.js"),
    plugins: [sources({ mark: false })],
  }),
  build({
    ...common,
    ...commonJs,
    entryPoints: [join("src", "cli", "main.ts")],
    outfile: join(CLI, "main.js"),
    // Its fallback without the bundle, tsc's dist/src/cli/cli.js, is only ever taken where this file is tsc's too.
    plugins: [{ name: "cli-external", setup: (b) => b.onResolve({ filter: /^\.\/cli\.js$/ }, () => ({ path: "./cli.js", external: true })) }],
  }),
]);
const text = (result) => {
  if (result.outputFiles.length !== 1) throw new Error(`esbuild wrote ${result.outputFiles.length} files, expected 1`);
  return result.outputFiles[0].text;
};

const code = text(cli);
// The loader decodes the bundle as latin1 (a two-byte string would cost a slow UTF-8 decoding of 2 MB): esbuild
// escapes non-ASCII characters in code (charset: "ascii") and minifyWhitespace drops the comments.
const nonAscii = /[^\x00-\x7f]/.exec(code);
if (nonAscii) throw new Error(`the CLI bundle is not ASCII (src/cli/main.ts reads it as latin1): ${JSON.stringify(code.slice(nonAscii.index - 80, nonAscii.index + 20))}`);
// vm.Script runs it without an ES module loader: an import() left in it (of something not bundled) would fail.
const dynamic = Object.values(cli.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.kind === "dynamic-import").map((i) => i.path));
if (dynamic.length) throw new Error(`the CLI bundle holds an import() esbuild did not bundle: ${dynamic.join(", ")}`);
const id = createHash("sha256").update(code).digest("hex");

rmSync(join(CLI, "bundle"), { recursive: true, force: true });
rmSync(CODE_CACHE, { force: true });
mkdirSync(join(CLI, "bundle"), { recursive: true });
writeFileSync(join(CLI, "bundle", "cli.cjs"), `// sitewire-bundle ${id}\n${wrapCommonJs(code)}`);
writeFileSync(join(CLI, "bundle", "delivery-worker.js"), text(worker));
// main.js replaces tsc's output of src/cli/main.ts, so the bin path stays dist/src/cli/main.js.
writeFileSync(join(CLI, "main.js"), text(loader));
// tsc's ES modules beside it (dist/src/cli/*.js, dist/src/cli/commands/) are not run once the bundle exists.
writeFileSync(join(CLI, "package.json"), `${JSON.stringify({ type: "commonjs" })}\n`);
chmodSync(join(CLI, "main.js"), 0o755);

// The code cache, after a representative run; without NODE_OPTIONS, whose V8 flags a plain run would not share.
const env = { ...process.env, SITEWIRE_WRITE_CODE_CACHE: "1" };
delete env.NODE_OPTIONS;
const run = spawnSync(process.execPath, [join(CLI, "main.js"), ...REPRESENTATIVE], { env, encoding: "utf8" });
if (run.status !== 0 || !existsSync(CODE_CACHE)) throw new Error(`making the code cache: sitewire ${REPRESENTATIVE.join(" ")} exited ${run.status}\n${run.stdout}${run.stderr}`);
// The Node that made it must take it (SITEWIRE_DEBUG: src/cli/main.ts says when it does not).
delete env.SITEWIRE_WRITE_CODE_CACHE;
const check = spawnSync(process.execPath, [join(CLI, "main.js"), ...REPRESENTATIVE], { env: { ...env, SITEWIRE_DEBUG: "1" }, encoding: "utf8" });
if (check.status !== 0 || check.stderr.includes("code cache")) throw new Error(`the code cache is not used: sitewire ${REPRESENTATIVE.join(" ")} exited ${check.status}\n${check.stderr}`);
