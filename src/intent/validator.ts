/**
 * The shape validator at run time: the module `npm run build` generated from the intent schema
 * (validator-code.ts), so no command compiles the schema (about a quarter of a second) or loads ajv's
 * compiler and TypeBox. From src/ (the tests) and from dist/src/ alike it is the one in dist/.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv";
import { BUNDLED_VALIDATOR } from "./bundled-validator.js";
import { runCommonJs } from "./code-cache.js";
import type { SiteIntent } from "./schema.js";

const GENERATED = join("dist", "src", "intent", "validator.generated.cjs");

let loaded: ValidateFunction<SiteIntent> | undefined;

export function siteValidator(): ValidateFunction<SiteIntent> {
  if (loaded) return loaded;
  if (BUNDLED_VALIDATOR) return (loaded = BUNDLED_VALIDATOR as ValidateFunction<SiteIntent>);
  const { code, codeCache } = generatedValidatorPaths();
  // Failing beats compiling the schema here: that would bring back the start-up cost unnoticed.
  if (!existsSync(code)) throw new Error(`the generated shape validator ${code} is missing: run \`npm run build\``);
  loaded = runCommonJs(code, existsSync(codeCache) ? readFileSync(codeCache) : undefined).exports as ValidateFunction<SiteIntent>;
  return loaded;
}

/** In the package root (the nearest folder upwards holding package.json): the code and its V8 code cache. */
export function generatedValidatorPaths(): { readonly code: string; readonly codeCache: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  const code = join(dir, GENERATED);
  return { code, codeCache: `${code}.v8-cache` };
}
