/**
 * Build step (`npm run build`, after tsc): write the generated shape validator where validator.ts loads it,
 * and its V8 code cache, made after one validation so that it holds the compiled validator.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { runCommonJs } from "./code-cache.js";
import { generatedValidatorPaths } from "./validator.js";
import { siteValidatorCode } from "./validator-code.js";

const { code, codeCache } = generatedValidatorPaths();
mkdirSync(dirname(code), { recursive: true });
writeFileSync(code, siteValidatorCode());
const { exports: validate, script } = runCommonJs(code);
(validate as (data: unknown) => boolean)({});
writeFileSync(codeCache, script.createCachedData());
