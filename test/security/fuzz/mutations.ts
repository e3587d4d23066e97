/**
 * Mutated intents: a seed site (an example or a fixture) changed by a short list of structure-aware edits,
 * each addressing a node of the parsed intent by index, so fast-check can shrink a failing list to the one
 * edit that matters. Values come from a pool of the seeds' own values (so most edits stay plausible), edge
 * numbers, fresh CIDRs and names, wrong types and a few hostile strings. Text-level edits (lines deleted,
 * duplicated, swapped, re-indented) exercise the loader on nearly valid YAML.
 */
import fc from "fast-check";
import { parse } from "yaml";
import { CORE_VALUES } from "../hostile-values.js";
import { NAME_POOL } from "./schema-arbitrary.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

export type Edit =
  | { readonly op: "set"; readonly at: number; readonly value: Json }
  | { readonly op: "delete"; readonly at: number }
  | { readonly op: "rename"; readonly at: number; readonly name: string }
  | { readonly op: "copy"; readonly at: number; readonly to: number };

export type TextEdit =
  | { readonly op: "drop-line" | "dup-line" | "indent" | "dedent"; readonly at: number }
  | { readonly op: "swap-lines"; readonly at: number; readonly with: number }
  | { readonly op: "insert"; readonly at: number; readonly text: string };

/** Every node of `value` with its path, containers included (the root is index 0). */
function nodes(value: Json, path: Path = [], out: { path: Path; value: Json }[] = []): { path: Path; value: Json }[] {
  out.push({ path, value });
  if (Array.isArray(value)) value.forEach((v, i) => nodes(v, [...path, i], out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) nodes(v, [...path, k], out);
  return out;
}

function parentOf(root: Json, path: Path): { parent: Json; key: string | number } | undefined {
  if (path.length === 0) return undefined;
  let parent = root;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[step]!;
  return { parent, key: path[path.length - 1]! };
}

function setAt(root: Json, path: Path, value: Json): void {
  const p = parentOf(root, path);
  if (p) (p.parent as Record<string | number, Json>)[p.key] = value;
}

export function applyEdits(seed: Json, edits: readonly Edit[]): Json {
  let root = structuredClone(seed);
  for (const edit of edits) {
    const all = nodes(root);
    const target = all[edit.at % all.length]!;
    const p = parentOf(root, target.path);
    switch (edit.op) {
      case "set":
        if (p) setAt(root, target.path, structuredClone(edit.value));
        else root = structuredClone(edit.value);
        break;
      case "delete":
        if (p && Array.isArray(p.parent)) p.parent.splice(p.key as number, 1);
        else if (p) delete (p.parent as Record<string, Json>)[p.key];
        break;
      case "rename":
        if (p && !Array.isArray(p.parent) && p.parent !== null && typeof p.parent === "object") {
          const entries = Object.entries(p.parent).map(([k, v]) => [k === p.key ? edit.name : k, v] as const);
          for (const k of Object.keys(p.parent)) delete p.parent[k];
          for (const [k, v] of entries) p.parent[k] = v;
        }
        break;
      case "copy": {
        const source = all[edit.to % all.length]!;
        if (p && !target.path.slice(0, source.path.length).every((s, i) => s === source.path[i])) setAt(root, target.path, structuredClone(source.value));
        break;
      }
    }
  }
  return root;
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split("\n");
  for (const e of edits) {
    const i = e.at % lines.length;
    switch (e.op) {
      case "drop-line":
        lines.splice(i, 1);
        break;
      case "dup-line":
        lines.splice(i, 0, lines[i]!);
        break;
      case "swap-lines": {
        const j = e.with % lines.length;
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
        break;
      }
      case "indent":
        lines[i] = `  ${lines[i]}`;
        break;
      case "dedent":
        lines[i] = lines[i]!.replace(/^ {1,2}/, "");
        break;
      case "insert":
        lines.splice(i, 0, e.text);
        break;
    }
  }
  return lines.join("\n");
}

/** Leaf values of all seeds: plausible values for any field. */
export function seedValues(seeds: readonly string[]): Json[] {
  const values = new Set<string>();
  const out: Json[] = [];
  for (const text of seeds)
    for (const { value } of nodes(parse(text) as Json))
      if (value === null || typeof value !== "object") {
        const key = JSON.stringify(value);
        if (!values.has(key)) values.add(key), out.push(value);
      }
  return out;
}

export function editArbitrary(pool: readonly Json[]): fc.Arbitrary<Edit> {
  const value: fc.Arbitrary<Json> = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...pool) },
    { weight: 2, arbitrary: fc.constantFrom<Json>(0, -1, 1, 65535, 65536, 2 ** 31, 2 ** 32, 1.5, 1e300, true, null, "", [], {}) },
    { weight: 2, arbitrary: fc.constantFrom<Json>(...NAME_POOL) },
    { weight: 1, arbitrary: fc.constantFrom<Json>(...CORE_VALUES.map((h) => h.value).filter((v) => v.length < 1000)) },
    { weight: 1, arbitrary: fc.array(fc.constantFrom(...pool), { maxLength: 3 }) as fc.Arbitrary<Json> },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...NAME_POOL), fc.constantFrom(...pool), { maxKeys: 2 }) as fc.Arbitrary<Json> },
  );
  const at = fc.nat({ max: 10_000 });
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ op: fc.constant("set" as const), at, value }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), at }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("rename" as const), at, name: fc.constantFrom(...NAME_POOL, "Bad_Name", "x".repeat(50)) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("copy" as const), at, to: at }) },
  );
}

export const textEditArbitrary: fc.Arbitrary<TextEdit> = fc.oneof(
  fc.record({ op: fc.constantFrom("drop-line" as const, "dup-line" as const, "indent" as const, "dedent" as const), at: fc.nat({ max: 10_000 }) }),
  fc.record({ op: fc.constant("swap-lines" as const), at: fc.nat({ max: 10_000 }), with: fc.nat({ max: 10_000 }) }),
  fc.record({
    op: fc.constant("insert" as const),
    at: fc.nat({ max: 10_000 }),
    text: fc.constantFrom("  extra: 1", "- x", "key: [", "'", '"', "&a x", "*a", "!!binary x", "---", "site: other", "\t", "  description: x\u0085y"),
  }),
);
