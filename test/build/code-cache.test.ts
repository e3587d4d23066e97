/**
 * The CLI starts from its CommonJS bundle with a V8 code cache made at build time (src/build/bundle.mjs,
 * src/cli/main.ts; issue 18). The cache the build ships must be one this Node takes, and hold more than the
 * bundle's top level (it is made after a representative run); a cache that is missing, of another build, or
 * that V8 rejects must cost a compile and nothing else. Needs `npm run build` (npm test does it).
 */
import { execFile, execFileSync } from "node:child_process";
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";
import { PACKAGE_ROOT } from "../../src/render/package-root.js";

const CLI_DIR = join(PACKAGE_ROOT, "dist", "src", "cli");
const BUNDLE = join(CLI_DIR, "bundle", "cli.cjs");
const CODE_CACHE = join(CLI_DIR, "cli.cjs.v8-cache");
const SITE = join(PACKAGE_ROOT, "sites", "bjs-hybrid.yaml");
const ID_LENGTH = 64;

/** `sitewire validate` of one example site with SITEWIRE_DEBUG, from the package holding `main`. */
async function validate(main: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [main, "validate", SITE], { cwd: PACKAGE_ROOT, env: { ...process.env, SITEWIRE_DEBUG: "1" } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

/** A copy of the built package (dist/, package.json, templates/, node_modules linked) whose code cache is `cache`. */
async function packageWithCache(cache: Buffer | undefined): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "sitewire-code-cache-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  await cp(join(PACKAGE_ROOT, "dist"), join(dir, "dist"), { recursive: true, filter: (path) => path !== CODE_CACHE });
  await cp(join(PACKAGE_ROOT, "package.json"), join(dir, "package.json"));
  await symlink(join(PACKAGE_ROOT, "templates"), join(dir, "templates"));
  await symlink(join(PACKAGE_ROOT, "node_modules"), join(dir, "node_modules"));
  if (cache) await writeFile(join(dir, "dist", "src", "cli", "cli.cjs.v8-cache"), cache);
  return join(dir, "dist", "src", "cli", "main.js");
}

describe.skipIf(!existsSync(BUNDLE))("the CLI's code cache", () => {
  it("is taken by this Node, and holds what a validate compiled, not only the bundle's top level", async () => {
    const { code, stdout, stderr } = await validate(join(CLI_DIR, "main.js"));
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: "ok: 1 site file valid\n", stderr: "" });

    // The same check as src/cli/main.ts, on V8's verdict alone; and the size of a cache of the top level only.
    const probe = [
      `import { readFileSync } from "node:fs";`,
      `import { setFlagsFromString } from "node:v8";`,
      `import { CLI_V8_FLAGS, compileCommonJs } from ${JSON.stringify(new URL("../../dist/src/intent/code-cache.js", import.meta.url).href)};`,
      // The flags the bin runs under: V8 rejects a cache made under other flags.
      `setFlagsFromString(CLI_V8_FLAGS);`,
      `const source = readFileSync(${JSON.stringify(BUNDLE)}, "latin1");`,
      `const cache = readFileSync(${JSON.stringify(CODE_CACHE)});`,
      `const id = /^\\/\\/ sitewire-bundle ([0-9a-f]{64})\\n/.exec(source)[1];`,
      `const shipped = compileCommonJs(${JSON.stringify(BUNDLE)}, source, cache.subarray(${ID_LENGTH}), true);`,
      `const topLevel = compileCommonJs(${JSON.stringify(BUNDLE)}, source + " ", undefined, true).createCachedData();`,
      `process.stdout.write(JSON.stringify({ ours: cache.toString("latin1", 0, ${ID_LENGTH}) === id, rejected: shipped.cachedDataRejected, shipped: cache.length, topLevel: topLevel.length }));`,
    ].join("\n");
    const verdict = JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", probe], { encoding: "utf8" })) as { ours: boolean; rejected: boolean; shipped: number; topLevel: number };
    expect(verdict).toMatchObject({ ours: true, rejected: false });
    expect(verdict.shipped).toBeGreaterThan(1.5 * verdict.topLevel);
  }, 60_000);

  it("missing, of another build, corrupt or foreign: the CLI compiles its bundle and answers the same", async () => {
    const shipped = await readFile(CODE_CACHE);
    const id = shipped.subarray(0, ID_LENGTH);
    const validatorCache = await readFile(join(PACKAGE_ROOT, "dist", "src", "intent", "validator.generated.cjs.v8-cache"));
    const cases: [string, Buffer | undefined, string][] = [
      ["missing", undefined, "missing"],
      ["of another build", Buffer.concat([Buffer.from("0".repeat(ID_LENGTH)), shipped.subarray(ID_LENGTH)]), "made for another build"],
      ["garbage after the id", Buffer.concat([id, Buffer.alloc(4096, 0xa5)]), "rejected by V8"],
      ["truncated", shipped.subarray(0, ID_LENGTH + Math.floor((shipped.length - ID_LENGTH) / 2)), "rejected by V8"],
      ["V8's cache of another script", Buffer.concat([id, validatorCache]), "rejected by V8"],
      ["the id alone", id, "made for another build"],
    ];
    for (const [name, cache, why] of cases) {
      const { code, stdout, stderr } = await validate(await packageWithCache(cache));
      expect({ name, code, stdout }).toEqual({ name, code: 0, stdout: "ok: 1 site file valid\n" });
      expect(stderr, name).toContain(`code cache`);
      expect(stderr, name).toContain(why);
    }
  }, 120_000);
});
