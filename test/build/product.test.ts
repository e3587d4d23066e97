/**
 * The product build holds no test code. `npm run build` compiles tsconfig.build.json (src/**, tests left out)
 * into dist/, which package.json `bin` runs; test code compiles on its own (tsconfig.json, into dist-test/,
 * `npm run build:test` for the bench and scripts; `npm test` type-checks it).
 *
 * Test code is: a file under test/, a *.test.ts, a module named as test support (fixture, test-site…), and a
 * module importing any of those or a devDependency (vitest, fast-check…). The build's program (every file
 * tsc would emit, imports followed) must hold none, and dist/ must hold nothing but src/.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/render/package-root.js";

const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as {
  bin: Record<string, string>;
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
};
const DEV_DEPENDENCIES = Object.keys(pkg.devDependencies);

/** The package's own files in the program of a tsconfig (what tsc would compile and emit), relative paths. */
function programFiles(config: string): string[] {
  const read = ts.readConfigFile(join(PACKAGE_ROOT, config), ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, PACKAGE_ROOT);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  return program
    .getSourceFiles()
    .map((f) => relative(PACKAGE_ROOT, f.fileName))
    .filter((f) => !f.startsWith("node_modules/") && !f.startsWith(".."));
}

/** Why `file` (relative path) is test code, or undefined. */
function testCode(file: string, text: string): string | undefined {
  if (!file.startsWith("src/")) return "outside src/";
  if (/\.test\.ts$/.test(file)) return "a test file";
  if (/(^|[/-])(fixtures?|test-[^/]*|testing)(\.ts$|\/)|-fixture\.ts$/.test(file)) return "named as test support";
  for (const imported of ts.preProcessFile(text, true, true).importedFiles.map((i) => i.fileName)) {
    if (/(^|\/)test\//.test(imported) && imported.startsWith(".")) return `imports ${imported}`;
    if (DEV_DEPENDENCIES.some((d) => imported === d || imported.startsWith(`${d}/`))) return `imports the devDependency ${imported}`;
  }
  return undefined;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

describe("the product build holds no test code", () => {
  it("recognises test code (the check can fail)", () => {
    expect(testCode("test/helpers/source.ts", "")).toBe("outside src/");
    expect(testCode("src/a/b.test.ts", "")).toBe("a test file");
    expect(testCode("src/rules/compat/site-fixture.ts", "")).toBe("named as test support");
    expect(testCode("src/targets/cluster/test-site.ts", "")).toBe("named as test support");
    expect(testCode("src/x.ts", 'import { sourceOf } from "../../test/helpers/source.js";')).toMatch(/imports/);
    expect(testCode("src/x.ts", 'import fc from "fast-check";')).toMatch(/devDependency/);
    expect(testCode("src/x.ts", 'const v = await import("vitest");')).toMatch(/devDependency/);
    expect(testCode("src/cli/main.ts", 'import { run } from "./run.js";')).toBeUndefined();
  });

  it("tsconfig.build.json compiles src/ and nothing that is test code", () => {
    const files = programFiles("tsconfig.build.json");
    expect(files).toContain("src/cli/main.ts");
    const found = files.flatMap((f) => {
      const why = testCode(f, readFileSync(join(PACKAGE_ROOT, f), "utf8"));
      return why ? [`${f}: ${why}`] : [];
    });
    expect(found).toEqual([]);
  }, 60_000);

  it("tsconfig.json (tests, bench) compiles elsewhere than dist/, and the scripts use each where they should", () => {
    const read = ts.readConfigFile(join(PACKAGE_ROOT, "tsconfig.json"), ts.sys.readFile);
    const outDir = (read.config as { compilerOptions: { outDir: string } }).compilerOptions.outDir;
    expect(outDir).not.toMatch(/^(\.\/)?dist\/?$/);
    expect(pkg.scripts.build).toContain("tsconfig.build.json");
    expect(pkg.scripts.bench).toContain(`${outDir}/test/bench/run.js`);
    for (const bin of Object.values(pkg.bin)) expect(bin).toMatch(/^dist\/src\//);
  });

  it.skipIf(!existsSync(join(PACKAGE_ROOT, "dist")))("dist/ holds src/ only, and no test file", () => {
    expect(readdirSync(join(PACKAGE_ROOT, "dist"))).toEqual(["src"]);
    const tests = walk(join(PACKAGE_ROOT, "dist", "src")).filter((f) => /\.test\.(js|d\.ts)$|(^|[/-])(fixtures?|test-[^/]*)\.js$/.test(f));
    expect(tests.map((f) => relative(PACKAGE_ROOT, f))).toEqual([]);
  });
});
