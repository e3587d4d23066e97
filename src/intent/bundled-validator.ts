/**
 * The generated shape validator when it is part of the CLI's bundle: src/build/bundle.mjs replaces this module
 * with one requiring dist/src/intent/validator.generated.cjs, so the validator is compiled with the rest of the
 * CLI and covered by its code cache. Unbundled (the tests, tsc's output) it is undefined and ./validator.ts
 * loads the generated file with its own code cache.
 */
export const BUNDLED_VALIDATOR: unknown = undefined;
