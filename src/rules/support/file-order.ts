/**
 * File order for "defined twice" diagnostics: like a compiler, report at the later definition and name the
 * earlier one with its line. The model is sorted by name, so order comes from positions in the source.
 */
import { locate, type IntentPath, type SourceFile } from "../../intent/source.js";

export function lineOf(source: SourceFile, path: IntentPath, at: "key" | "value" = "value"): number {
  return locate(source, path, at).start.line;
}

/** Items sorted by where `pathOf` points in the file (stable for equal positions). */
export function inFileOrder<T>(source: SourceFile, items: readonly T[], pathOf: (item: T) => IntentPath, at: "key" | "value" = "value"): T[] {
  const keyed = items.map((item) => ({ item, start: locate(source, pathOf(item), at).start }));
  return keyed.sort((a, b) => a.start.line - b.start.line || a.start.column - b.start.column).map((k) => k.item);
}

/** Every item whose key an earlier item already has, paired with that first item. */
export function repeats<T>(items: readonly T[], keyOf: (item: T) => string | number): { first: T; again: T }[] {
  const seen = new Map<string | number, T>();
  const out: { first: T; again: T }[] = [];
  for (const item of items) {
    const key = keyOf(item);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, item);
    else out.push({ first, again: item });
  }
  return out;
}
