/**
 * Intents generated from the schema itself (src/intent/schema.ts): every object gets its required keys and a
 * random subset of the optional ones, strings follow their pattern (via fast-check's stringMatching), integers
 * lean to their bounds, and names come mostly from a small pool so that references resolve often enough for
 * generated sites to reach the meaning checks and the targets, not only the shape check.
 */
import fc from "fast-check";
import { CIDR_PATTERN, NAME_PATTERN, REF_PATTERN, SiteIntent } from "../../../src/intent/schema.js";

interface Schema {
  readonly type?: string;
  readonly const?: unknown;
  readonly pattern?: string;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly properties?: Record<string, Schema>;
  readonly required?: readonly string[];
  readonly additionalProperties?: Schema | boolean;
  readonly propertyNames?: Schema;
  readonly items?: Schema;
  readonly anyOf?: readonly Schema[];
}

/** Names shared by every map and reference, so generated references often point at something generated. */
export const NAME_POOL = ["gw-1", "gw-2", "dc-1", "node-a", "vpc", "onprem", "vpn1", "link1", "payments"] as const;

const CIDR = fc
  .tuple(fc.constantFrom(10, 172, 192, 169), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 32 }))
  .map(([a, b, c, len]) => {
    const n = ((a << 24) | (b << 16) | (c << 8)) >>> 0;
    const aligned = len === 0 ? 0 : (n & (0xffffffff << (32 - len))) >>> 0;
    return `${aligned >>> 24}.${(aligned >>> 16) & 255}.${(aligned >>> 8) & 255}.${aligned & 255}/${len}`;
  });

/** fast-check's regex support has no lookaround: drop those groups (what they forbid may then be generated, which is fine). */
function matching(pattern: string): fc.Arbitrary<string> {
  return fc.stringMatching(new RegExp(pattern.replace(/\(\?[=!][^()]*(\([^()]*\)[^()]*)*\)/g, "")));
}

const NAME = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NAME_POOL) }, { weight: 1, arbitrary: matching(NAME_PATTERN) });

function patternArbitrary(pattern: string, maxLength?: number): fc.Arbitrary<string> {
  if (pattern === NAME_PATTERN) return NAME;
  if (pattern === CIDR_PATTERN) return CIDR;
  if (pattern === REF_PATTERN) return fc.oneof(NAME, CIDR);
  const arb = matching(pattern);
  return maxLength === undefined ? arb : arb.map((s) => s.slice(0, maxLength));
}

function arbitraryOf(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(arbitraryOf));
  if (schema.const !== undefined) return fc.constant(schema.const);
  switch (schema.type) {
    case "object":
      return objectOf(schema);
    case "array": {
      const min = schema.minItems ?? 0;
      return fc.array(arbitraryOf(schema.items ?? {}), { minLength: min, maxLength: Math.max(min, Math.min(schema.maxItems ?? 3, 3)) });
    }
    case "string":
      return schema.pattern ? patternArbitrary(schema.pattern, schema.maxLength) : fc.string({ maxLength: 20 });
    case "integer": {
      const min = schema.minimum ?? -1;
      const max = schema.maximum ?? 10_000;
      return fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max }));
    }
    case "boolean":
      return fc.boolean();
    default:
      return fc.constant(null);
  }
}

function objectOf(schema: Schema): fc.Arbitrary<unknown> {
  if (schema.properties) {
    const required = new Set(schema.required ?? []);
    const entries = Object.entries(schema.properties).map(
      ([key, sub]) => [key, required.has(key) ? arbitraryOf(sub) : fc.option(arbitraryOf(sub), { nil: undefined, freq: 2 })] as const,
    );
    return fc.record(Object.fromEntries(entries)).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));
  }
  const value = typeof schema.additionalProperties === "object" ? schema.additionalProperties : {};
  const key = schema.propertyNames?.pattern ? patternArbitrary(schema.propertyNames.pattern) : NAME;
  return fc.dictionary(key, arbitraryOf(value), { maxKeys: 3 });
}

/** A whole intent; `site` is fixed by the caller (it must equal the file name). */
export const generatedIntent: fc.Arbitrary<Record<string, unknown>> = arbitraryOf(SiteIntent as Schema) as fc.Arbitrary<Record<string, unknown>>;
