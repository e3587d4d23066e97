/**
 * The open file as the editor features read it: a lenient YAML parse (also of a half-typed file the compiler
 * refuses) and the intent path of any position. Offsets are UTF-16 code units of the editor's text, as LSP and
 * the yaml library both count them; a leading BOM is skipped and added back.
 */
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Pair } from "yaml";
import type { IntentPath } from "../intent/source.js";

export interface ParsedText {
  readonly text: string;
  readonly doc: Document.Parsed;
  /** 1 when the text starts with a BOM (the parse saw the text without it). */
  readonly shift: number;
  /** The document as plain data, as far as it parses (null when not even that). */
  readonly data: unknown;
}

export function parseText(text: string): ParsedText {
  const shift = text.startsWith("\uFEFF") ? 1 : 0;
  const doc = parseDocument(shift ? text.slice(1) : text, { version: "1.2", schema: "core", uniqueKeys: false, prettyErrors: false, logLevel: "silent" });
  let data: unknown = null;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch {
    data = null;
  }
  return { text, doc, shift, data };
}

/** What is at a position: the intent path and whether it is the key of the last segment or a value there. */
export interface Located {
  readonly path: IntentPath;
  readonly role: "key" | "value";
  /** The scalar at the position (absent on an empty item of a list, between `[a, ` and `]`). */
  readonly scalar?: { readonly value: unknown; readonly start: number; readonly end: number };
}

/** The innermost key or value at `offset` (an offset into the editor's text). */
export function locateOffset(parsed: ParsedText, offset: number): Located | undefined {
  const at = offset - parsed.shift;
  const root = parsed.doc.contents;
  if (!root) return undefined;
  return visitNode(root, [], at, parsed.shift);
}

function visitNode(node: unknown, path: (string | number)[], at: number, shift: number): Located | undefined {
  if (isMap(node)) {
    for (const item of node.items) {
      const pair = item as Pair<unknown, unknown>;
      const key = pair.key;
      if (isScalar(key) && key.range && within(key.range, at)) {
        return { path: [...path, String(key.value)], role: "key", scalar: scalarOf(key, shift) };
      }
      if (isScalar(key) && pair.value && within((pair.value as Node).range, at)) return visitNode(pair.value, [...path, String(key.value)], at, shift);
    }
    return undefined;
  }
  if (isSeq(node)) {
    let before = 0;
    for (const [i, item] of node.items.entries()) {
      const inner = isPair(item) ? item.value : item;
      const range = (inner as Node | null)?.range;
      if (range && within(range, at)) return visitNode(inner, [...path, i], at, shift);
      if (range && range[1] <= at) before = i + 1;
    }
    // Inside the list but on no item: a new item is being typed there.
    return node.range && within(node.range, at) ? { path: [...path, before], role: "value" } : undefined;
  }
  if (isScalar(node)) return { path, role: "value", scalar: scalarOf(node, shift) };
  return undefined;
}

function scalarOf(node: Node, shift: number) {
  const [start, end] = node.range ?? [0, 0];
  return { value: isScalar(node) ? node.value : undefined, start: start + shift, end: end + shift };
}

/** The range contains `at`, its end included (the cursor right after a word is on it). */
function within(range: readonly number[] | null | undefined, at: number): boolean {
  return !!range && range[0]! <= at && at <= range[1]!;
}

/** Every scalar key and value with its path, in document order (for the name index). */
export function* scalars(parsed: ParsedText): Generator<Located & { scalar: NonNullable<Located["scalar"]> }> {
  function* walk(node: unknown, path: (string | number)[]): Generator<Located & { scalar: NonNullable<Located["scalar"]> }> {
    if (isMap(node)) {
      for (const item of node.items) {
        const pair = item as Pair<unknown, unknown>;
        if (!isScalar(pair.key)) continue;
        const p = [...path, String(pair.key.value)];
        yield { path: p, role: "key", scalar: scalarOf(pair.key, parsed.shift) };
        yield* walk(pair.value, p);
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) yield* walk(isPair(item) ? item.value : item, [...path, i]);
    } else if (isScalar(node)) {
      yield { path, role: "value", scalar: scalarOf(node, parsed.shift) };
    }
  }
  yield* walk(parsed.doc.contents, []);
}
