/**
 * The shape validator as JavaScript source: ajv compiles the intent schema once, at build time, into a
 * CommonJS module (ajv's standalone code `require`s a few of its run-time helpers, which an ES module
 * cannot). src/intent/build-validator.ts writes it; src/intent/validator.ts loads it.
 */
import { Ajv, type Options } from "ajv";
import standalone from "ajv/dist/standalone/index.js";
import { SiteIntent } from "./schema.js";

/** The options the shape check's diagnostics rely on: every error, with the failing data and schema. */
export const AJV_OPTIONS = { allErrors: true, strict: true, verbose: true } as const satisfies Options;

export function siteValidatorCode(): string {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: false } });
  // A CommonJS module seen from ESM: the function ajv declares as its default export is `.default`.
  return `${standalone.default(ajv, ajv.compile(SiteIntent))}\n`;
}
