/**
 * Build step (`npm run build`, after tsc and the generated validator): bundle the CLI that package.json `bin`
 * runs. tsc compiles src/ into dist/src/ module by module; starting Node on ~200 small modules cost more than
 * what `validate` does with one site (each one resolved, stat'ed, read, compiled; issue 18). esbuild bundles
 * dist/src/cli/main.js with its dependencies into one file, and every `import()` the CLI keeps lazy
 * (the commands, the compiler behind the result cache, each platform's renderer) into a chunk of its own under
 * dist/src/cli/bundle/, so a command loads only what it runs.
 *
 * Kept resolvable at run time, outside the bundle:
 * - templates/ and package.json: found by walking up from the running file (src/render/package-root.ts);
 * - the generated shape validator, dist/src/intent/validator.generated.cjs, and its V8 code cache;
 * - the LSP's worker (src/lsp/delivery.ts: `new URL("./delivery-worker.js", import.meta.url)`): an entry of its
 *   own, written beside the chunks, where that URL points from whichever chunk holds delivery.ts;
 * - the platform renderers, `import(\`./${platform.folder}/index.js\`)` in src/targets/devices.ts: the plugin
 *   below turns that template into a table of every src/targets/<folder>/ holding a platform.ts, each entry a
 *   static `import()` esbuild bundles (a lazy chunk per renderer);
 * - handlebars, required through createRequire (src/render/templates.ts), from node_modules.
 * The bundle's metafile (which source module is in which output file) is written to bundle/meta.json for
 * src/cli/commands/loaded-modules.test.ts.
 *
 * usage: node src/build/bundle.mjs   (from the package root, after `tsc -p tsconfig.build.json`)
 */
import { build } from "esbuild";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const CLI = join("dist", "src", "cli");
const TMP = join("dist", "src", ".bundle-tmp");

const DEVICE_IMPORT = "import(/* @vite-ignore */ `./${platform.folder}/index.js`)";

/** src/targets/devices.ts: its import by folder name, as a table of static imports esbuild can follow. */
const devicesByFolder = {
  name: "sitewire-devices",
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]targets[\\/]devices\.ts$/ }, (args) => {
      const text = readFileSync(args.path, "utf8");
      if (!text.includes(DEVICE_IMPORT)) throw new Error(`${args.path} no longer holds ${DEVICE_IMPORT}: update src/build/bundle.mjs`);
      const folders = readdirSync(join("src", "targets"), { withFileTypes: true })
        .filter((e) => e.isDirectory() && existsSync(join("src", "targets", e.name, "platform.ts")) && existsSync(join("src", "targets", e.name, "index.ts")))
        .map((e) => e.name)
        .sort();
      const table = folders.map((f) => `  ${JSON.stringify(f)}: () => import(${JSON.stringify(`./${f}/index.js`)}),`).join("\n");
      // The table first: devices.ts uses it in a top-level await, before a const at its end would exist.
      const contents =
        `const __sitewireDevices: Record<string, () => Promise<unknown>> = {\n${table}\n};\n` +
        text.replace(DEVICE_IMPORT, "__sitewireDevice(platform.folder)") +
        "function __sitewireDevice(folder: string): Promise<unknown> {\n" +
        "  const load = __sitewireDevices[folder];\n" +
        "  if (!load) throw new Error(`internal: no src/targets/${folder}/index.ts in the bundle`);\n" +
        "  return load();\n}\n";
      return { contents, loader: "ts" };
    });
  },
};

rmSync(TMP, { recursive: true, force: true });
const result = await build({
  entryPoints: [
    { in: join("src", "cli", "main.ts"), out: "main" },
    { in: join("src", "lsp", "delivery-worker.ts"), out: "bundle/delivery-worker" },
  ],
  outdir: TMP,
  chunkNames: "bundle/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "bundle",
  // CommonJS dependencies bundled into ESM call require() for Node's built-ins: give them one.
  banner: { js: 'import { createRequire as __sitewireRequire } from "node:module"; const require = __sitewireRequire(import.meta.url);' },
  metafile: true,
  legalComments: "none",
  plugins: [devicesByFolder],
  logLevel: "warning",
});
rmSync(join(CLI, "bundle"), { recursive: true, force: true });
// main.js replaces tsc's output, so the bin path stays dist/src/cli/main.js; the chunks go beside it.
renameSync(join(TMP, "main.js"), join(CLI, "main.js"));
renameSync(join(TMP, "bundle"), join(CLI, "bundle"));
rmSync(TMP, { recursive: true, force: true });
mkdirSync(join(CLI, "bundle"), { recursive: true });
// Output names as they are after the move (dist/src/cli/main.js, dist/src/cli/bundle/…), inputs as esbuild saw them.
const outputs = Object.fromEntries(Object.entries(result.metafile.outputs).map(([name, output]) => [name.replace(`${TMP.split("\\").join("/")}/`, "dist/src/cli/"), { inputs: Object.keys(output.inputs), imports: output.imports, bytes: output.bytes }]));
writeFileSync(join(CLI, "bundle", "meta.json"), JSON.stringify({ outputs }));
chmodSync(join(CLI, "main.js"), 0o755);
