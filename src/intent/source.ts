/**
 * A loaded intent file: its text, the parsed YAML document and a line counter, so that any value or key of
 * the intent can be located by its path (["tunnels", "vpn1", "ike", "proposals", 0]).
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair } from "yaml";
import type { Range } from "../diagnostics/diagnostic.js";

export type IntentPath = readonly (string | number)[];

export interface SourceFile {
  /** Path as the user gave it (used in diagnostics and the manifest). */
  readonly path: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/**
 * Range of the node at `path`. `at: "key"` points at the key of the last segment (for unknown keys and for
 * problems with a whole entry); `at: "value"` points at its value. When the path does not exist (a missing
 * key), the range of the deepest existing ancestor's key is returned, which is where a compiler would point.
 */
export function locate(source: SourceFile, path: IntentPath, at: "key" | "value" = "value"): Range {
  let node: unknown = source.doc.contents;
  let lastPair: Pair | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      lastPair = pair;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) break;
      lastPair = undefined;
      node = item;
      if (isPair(item)) node = item.value;
    } else {
      break;
    }
  }
  const target = at === "key" && lastPair && isNodeWithRange(lastPair.key) ? lastPair.key : node;
  if (isNodeWithRange(target)) return toRange(source, target.range[0], target.range[1]);
  if (lastPair && isNodeWithRange(lastPair.key)) return toRange(source, lastPair.key.range[0], lastPair.key.range[1]);
  return toRange(source, 0, 0);
}

export function toRange(source: SourceFile, startOffset: number, endOffset: number): Range {
  const s = source.lines.linePos(startOffset);
  const e = source.lines.linePos(Math.max(startOffset, endOffset));
  return { start: { line: s.line, column: s.col }, end: { line: e.line, column: e.col } };
}

function isNodeWithRange(n: unknown): n is Node & { range: [number, number, number] } {
  return typeof n === "object" && n !== null && Array.isArray((n as { range?: unknown }).range);
}
