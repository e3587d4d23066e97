/**
 * What commands load, pinned by structure rather than by timing (issue: one-site validate under 150 ms with
 * Node's start-up; no-change check of 1,000 sites under 1 s). The built CLI runs with a module recorder
 * (test/harness/modules.ts). validate must not load TypeBox (the schema builder), ajv's schema compiler (the
 * validator is generated at build time), handlebars, the template renderer or the emitters; a check answered
 * from the result cache must not load the compiler at all. Needs `npm run build` (npm test does it).
 */
import { execFile } from "node:child_process";
import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it, onTestFinished } from "vitest";
import { modulesLoadedBy } from "../../../test/harness/modules.js";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));

/**
 * The far-side platform registry and each platform's declaration (capability data, no renderer), which the
 * pipeline hands to the rules (RuleContext.platforms) and the schema reads.
 */
const isDeclaration = (module: string) => module === "platforms.js" || /^[a-z0-9-]+\/platform\.js$/.test(module);

describe("validate", () => {
  it("loads no schema builder, schema compiler, template engine or emitter", async () => {
    // A valid site and one with shape and meaning errors: error recovery runs too.
    const { modules, code } = await modulesLoadedBy(["validate", "sites/bjs-hybrid.yaml", "test/fixtures/invalid/mixed/bjs-hybrid.yaml"], { cwd: REPO });
    expect(code).toBe(1); // the invalid site, as intended
    const ours = (folder: string) => modules.filter((url) => url.includes(`/dist/src/${folder}/`));

    // The recorder sees ES modules and CommonJS ones (yaml's inner files): else the checks below prove nothing.
    expect(ours("intent").map((url) => url.split("/").pop())).toEqual(expect.arrayContaining(["shape.js", "validator.js"]));
    expect(modules.some((url) => url.includes("/node_modules/yaml/dist/compose/"))).toBe(true);
    // The generated validator ran: this is the one ajv helper it requires.
    expect(modules.some((url) => url.endsWith("/node_modules/ajv/dist/runtime/ucs2length.js"))).toBe(true);

    expect(modules.filter((url) => /\/node_modules\/(?:@sinclair\/typebox|handlebars)\//.test(url))).toEqual([]);
    expect(modules.filter((url) => url.includes("/node_modules/ajv/") && !url.includes("/ajv/dist/runtime/"))).toEqual([]);
    expect(ours("intent").filter((url) => /\/(?:schema|validator-code|build-validator)\.js$/.test(url))).toEqual([]);
    expect(ours("render")).toEqual([]);
    expect(ours("targets").filter((url) => !isDeclaration(url.split("/dist/src/targets/")[1]!))).toEqual([]);
    expect(ours("targets").filter((url) => url.endsWith("/platform.js")).length).toBeGreaterThan(1);
    expect(ours("compile").map((url) => url.split("/").pop()).sort()).toEqual(["analyse.js", "site-results.js", "site-set.js"]);
  });

  it("without the generated validator (tsc run alone), stops and says to run npm run build", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sitewire-package-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const copy = join(dir, "package");
    // tsc's output alone: no generated validator and no bundle of the CLI (which would hold the validator), so
    // tsc's modules run: its src/cli/cli.ts, which the built src/cli/main.ts would import without the bundle.
    const bundled = /[\\/]cli[\\/](?:bundle(?:[\\/]|$)|cli\.cjs\.v8-cache$|package\.json$)/;
    await cp(join(REPO, "dist"), join(copy, "dist"), { recursive: true, filter: (path) => !path.includes("validator.generated") && !bundled.test(path) });
    await cp(join(REPO, "package.json"), join(copy, "package.json"));
    await symlink(join(REPO, "node_modules"), join(copy, "node_modules"));
    const run = promisify(execFile)(process.execPath, [join(copy, "dist", "src", "cli", "cli.js"), "validate", "sites/bjs-hybrid.yaml"], { cwd: REPO });
    await expect(run).rejects.toMatchObject({ code: 70, stderr: expect.stringContaining("is missing: run `npm run build`") });
  });
});

describe("check answered from the result cache", () => {
  it("loads neither the loader, the schema, the rules nor the emitters, and compiles nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sitewire-cached-check-"));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await cp(join(REPO, "sites"), join(dir, "sites"), { recursive: true });
    const env = { SITEWIRE_CACHE_DIR: join(dir, "cache") };
    expect((await modulesLoadedBy(["compile"], { cwd: dir, env })).code).toBe(0);

    const { modules, code } = await modulesLoadedBy(["check"], { cwd: dir, env });
    expect(code).toBe(0);
    const ours = modules.filter((url) => url.includes("/dist/src/")).map((url) => url.split("/dist/src/")[1]!);
    expect(ours).toEqual(expect.arrayContaining(["cache/results.js", "cli/commands/drift.js"]));
    // render/package-root.js only finds the package folder (the fingerprint hashes its templates).
    // The bundle (src/build/bundle.mjs) may put the platform declarations (capability data) into a chunk check
    // shares with validate; no renderer, rule or loader.
    const compiler = ours.filter((m) => /^(?:intent|model|rules|targets|render|net)\//.test(m) || m === "compile/analyse.js" || m === "compile/pipeline.js").filter((m) => !(m.startsWith("targets/") && isDeclaration(m.slice("targets/".length))));
    expect(compiler).toEqual(["render/package-root.js"]);
    expect(modules.filter((url) => /\/node_modules\/(?:yaml|ajv|handlebars|ip-num|@sinclair\/typebox)\//.test(url))).toEqual([]);

    // The same check without the cache loads the compiler: the recorder would have seen it.
    const full = await modulesLoadedBy(["check", "--no-cache"], { cwd: dir, env });
    expect(full.modules.some((url) => url.endsWith("/dist/src/compile/analyse.js"))).toBe(true);
  });
});
