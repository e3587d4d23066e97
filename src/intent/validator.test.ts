/**
 * The shape validator `npm run build` generates (validator-code.ts → dist/, loaded by validator.ts) is current
 * and judges exactly like ajv compiling the schema at run time with the same options: the same verdict and
 * the same error objects (paths, keywords, params, schema, data), which are all the shape diagnostics are
 * made from. Checked on every example and fixture site and on thousands of broken variants of them.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import { loadSource } from "./load.js";
import { SiteIntent } from "./schema.js";
import { AJV_OPTIONS, siteValidatorCode } from "./validator-code.js";
import { generatedValidatorPaths, siteValidator } from "./validator.js";

const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SITE_FOLDERS = ["sites", "test/fixtures/sites", "test/fixtures/invalid/mixed", "test/fixtures/rules"];

/** Every site file and its loaded data. */
function fixtures(): { file: string; data: unknown }[] {
  return SITE_FOLDERS.flatMap((folder) =>
    readdirSync(join(REPO, folder))
      .filter((f) => f.endsWith(".yaml"))
      .map((f) => {
        const file = `${folder}/${f}`;
        const loaded = loadSource(file, readFileSync(join(REPO, file), "utf8"));
        if (!loaded.source) throw new Error(`${file} does not load`);
        return { file, data: loaded.data };
      }),
  );
}

const WRONG_VALUES: readonly unknown[] = [null, 42, -1, 1.5, true, "", "Not A Name!", "x".repeat(300), [], ["a", "a"], {}];

/** `data` broken at every node: each value replaced by each wrong value, each key removed, an unknown key added. */
function* brokenVariants(data: unknown, path: string[] = []): Generator<{ at: string; data: unknown }> {
  if (!data || typeof data !== "object") return;
  const entries: [string, unknown][] = Array.isArray(data) ? data.map((v, i) => [String(i), v]) : Object.entries(data);
  const at = (key: string) => [...path, key].join("/");
  if (!Array.isArray(data)) yield { at: at("+bogus"), data: { ...data, bogus: 1 } };
  for (const [key, value] of entries) {
    const copy = (replacement: unknown, remove = false) => {
      if (Array.isArray(data)) return remove ? data.filter((_, i) => String(i) !== key) : data.map((v, i) => (String(i) === key ? replacement : v));
      const next: Record<string, unknown> = { ...(data as Record<string, unknown>) };
      if (remove) delete next[key];
      else next[key] = replacement;
      return next;
    };
    yield { at: `${at(key)}-`, data: copy(undefined, true) };
    for (const wrong of WRONG_VALUES) yield { at: `${at(key)}=${JSON.stringify(wrong).slice(0, 20)}`, data: copy(wrong) };
    for (const inner of brokenVariants(value, [...path, key])) yield { at: inner.at, data: copy(inner.data) };
  }
}

/** What the shape check sees of one validation, as plain data (the schema objects ajv compiled at run time carry TypeBox's symbol keys). */
function judge(validate: ValidateFunction, data: unknown): unknown {
  const valid = validate(data);
  return { valid, errors: JSON.parse(JSON.stringify(validate.errors ?? null)) as unknown };
}

describe("the generated shape validator", () => {
  it("is current: what `npm run build` wrote is what the schema generates now", () => {
    const current = readFileSync(generatedValidatorPaths().code, "utf8") === siteValidatorCode();
    expect(current, `${generatedValidatorPaths().code} is stale: run \`npm run build\``).toBe(true);
  });

  it("comes with a V8 code cache that plain node accepts (else its first call compiles 370 KB of code)", () => {
    const { code, codeCache } = generatedValidatorPaths();
    const probe = [
      `import { readFileSync } from "node:fs";`,
      `import { runCommonJs } from ${JSON.stringify(new URL("../../dist/src/intent/code-cache.js", import.meta.url).href)};`,
      `const { script } = runCommonJs(${JSON.stringify(code)}, readFileSync(${JSON.stringify(codeCache)}));`,
      `process.stdout.write(String(script.cachedDataRejected));`,
    ].join("\n");
    expect(execFileSync(process.execPath, ["--input-type=module", "-e", probe], { encoding: "utf8" })).toBe("false");
  });

  it("judges every site and thousands of broken variants exactly like ajv compiling the schema at run time", () => {
    const generated = siteValidator();
    const compiled = new Ajv({ ...AJV_OPTIONS }).compile(SiteIntent);
    let valid = 0;
    let invalid = 0;
    for (const { file, data } of fixtures()) {
      expect(judge(generated, data), file).toEqual(judge(compiled, data));
      for (const variant of brokenVariants(data)) {
        const verdict = judge(generated, variant.data);
        expect(verdict, `${file} ${variant.at}`).toEqual(judge(compiled, variant.data));
        if ((verdict as { valid: boolean }).valid) valid++;
        else invalid++;
      }
    }
    // Both outcomes are exercised in bulk, not only rejections.
    expect(invalid).toBeGreaterThan(5000);
    expect(valid).toBeGreaterThan(100);
  });
});
