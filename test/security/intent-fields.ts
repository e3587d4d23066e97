/**
 * Where a hostile value can go in an intent, and how it is put there.
 *
 * A field is every string value of the intent (free text, names, references, addresses…) and every key of a
 * map whose keys are names (the schema gives such maps `propertyNames`: hosts, tunnels, interfaces, labels…).
 * A value is replaced in place; a name key is renamed everywhere it is used, so the intent stays consistent
 * and the only change is the name itself. The site name also renames the file (it must equal the file name).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from "yaml";
import { SiteIntent, TEXT_PATTERN } from "../../src/intent/schema.js";
import type { Range } from "../../src/diagnostics/diagnostic.js";

export type FieldPath = readonly (string | number)[];

export interface Field {
  readonly path: FieldPath;
  /** A string value, or the key of a name-keyed map (renamed everywhere). */
  readonly kind: "value" | "key";
  readonly original: string;
  /** Free text (the schema's one-line-text fields): rendered only into comments. */
  readonly freeText: boolean;
  /** Source offsets of the scalar(s) a placement replaces: the value, or every use of the name. */
  readonly spans: readonly (readonly [number, number])[];
}

export interface Placement {
  readonly file: string;
  readonly text: string;
  /** Where the hostile value now is: a diagnostic rejecting it must touch one of these. */
  readonly ranges: readonly Range[];
}

interface JsonSchema {
  readonly type?: string;
  readonly pattern?: string;
  readonly properties?: Record<string, JsonSchema>;
  readonly additionalProperties?: JsonSchema | boolean;
  readonly propertyNames?: JsonSchema;
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
}

/** The schema of the value at `path`, or undefined where the intent leaves the schema. */
export function schemaAt(path: FieldPath, root: JsonSchema = SiteIntent as JsonSchema): JsonSchema | undefined {
  let node: JsonSchema | undefined = root;
  for (const step of path) {
    if (!node) return undefined;
    node = childOf(node, step);
  }
  return node;
}

function childOf(schema: JsonSchema, step: string | number): JsonSchema | undefined {
  for (const alt of schema.anyOf ?? [schema]) {
    if (typeof step === "number" && alt.items) return alt.items;
    if (typeof step === "string" && alt.properties?.[step]) return alt.properties[step];
    if (typeof step === "string" && typeof alt.additionalProperties === "object") return alt.additionalProperties;
  }
  return undefined;
}

export function fieldsOf(text: string): Field[] {
  const doc = parseDocument(text);
  const uses = new Map<string, [number, number][]>();
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === "string" && node.range) uses.set(node.value, [...(uses.get(node.value) ?? []), [node.range[0], node.range[1]]]);
    },
  });
  const fields: Field[] = [];
  const walk = (node: unknown, path: FieldPath): void => {
    if (isMap(node)) {
      const namedKeys = schemaAt(path)?.propertyNames !== undefined;
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (namedKeys) fields.push({ path: [...path, key], kind: "key", original: key, freeText: false, spans: uses.get(key) ?? [] });
        walk(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    } else if (isScalar(node) && typeof node.value === "string" && node.range) {
      const freeText = schemaAt(path)?.pattern === TEXT_PATTERN;
      fields.push({ path, kind: "value", original: node.value, freeText, spans: [[node.range[0], node.range[1]]] });
    }
  };
  walk(doc.contents, []);
  return fields;
}

/** The intent with `value` written, double-quoted and escaped, over the field's scalar(s). */
export function place(file: string, text: string, field: Field, value: string): Placement {
  // Keep sites/<site>.yaml in step with a hostile site name, unless the name cannot be a path at all (the
  // compiler refuses such a path before reading it: SW001, tested in findings.test.ts).
  const renamesFile = field.kind === "value" && field.path.length === 1 && field.path[0] === "site" && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029/\\]|@@/.test(value);
  return { file: renamesFile ? `sites/${value}.yaml` : file, ...splice(text, field.spans, yamlQuoted(value)) };
}

/**
 * The intent with `value` spliced raw (no YAML quoting) over a free-text field's scalar: what the characters
 * mean to YAML itself is part of the test.
 */
export function placeRaw(file: string, text: string, field: Field, value: string): Placement {
  return { file, ...splice(text, field.spans, value) };
}

/** A YAML double-quoted scalar: JSON's escapes plus \u escapes for what YAML may not hold raw (DEL, C1, BOM). */
export function yamlQuoted(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function splice(text: string, spans: Field["spans"], replacement: string): { text: string; ranges: Range[] } {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let out = "";
  let from = 0;
  const offsets: [number, number][] = [];
  for (const [start, end] of sorted) {
    out += text.slice(from, start);
    offsets.push([out.length, out.length + replacement.length]);
    out += replacement;
    from = end;
  }
  out += text.slice(from);
  const lines = new LineCounter();
  let at = 0;
  for (const line of out.split("\n")) {
    lines.addNewLine(at);
    at += line.length + 1;
  }
  const pos = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line, column: p.col };
  };
  return { text: out, ranges: offsets.map(([s, e]) => ({ start: pos(s), end: pos(e) })) };
}

/** True when two ranges share a position (ranges are inclusive of their start, exclusive of their end). */
export function overlaps(a: Range, b: Range): boolean {
  const before = (x: Range["start"], y: Range["start"]) => x.line < y.line || (x.line === y.line && x.column < y.column);
  const touches = (x: Range["start"], y: Range["start"]) => !before(y, x);
  return touches(a.start, b.end) && touches(b.start, a.end);
}
