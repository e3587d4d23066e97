/**
 * Error recovery after a failed shape check, as compilers do after a syntax error: drop the smallest part the
 * schema rejected (an unknown key, one bad item of a list, a key, and only when that leaves it incomplete a
 * whole host, tunnel, cluster section…) so the meaning checks can still run on the rest and the user sees
 * every independent mistake in one run. Names of dropped entries are returned so that the cascade
 * (references to a dropped entry) is not reported.
 *
 * A list item is removed from the data and, in step, from a copy of the YAML document, so that the meaning
 * checks, which locate their diagnostics by path (["cluster", "masquerade", "nonMasqueradeCIDRs", 2]), still
 * point at the item the user wrote after the removed one. Where the document cannot follow (the list is
 * reached through an alias), the list is dropped as a whole instead.
 */
import { basename } from "node:path";
import { isAlias, isMap, isScalar, isSeq, type Document } from "yaml";
import { NAME_PATTERN } from "./patterns.js";
import type { SiteIntent } from "./schema.js";
import { shapeFailures, type ShapeFailure } from "./shape.js";
import type { SourceFile } from "./source.js";

const NAMED_COLLECTIONS = new Set(["networks", "hosts", "peers", "tunnels", "links", "flows", "failover"]);
/** Each round removes one level (item → list → key → entry): the deepest intent path takes about 8. */
const MAX_ROUNDS = 12;

export interface Recovered {
  readonly intent: SiteIntent;
  /** Names of the entries that were dropped. */
  readonly dropped: ReadonlySet<string>;
  /** The source whose document matches `intent` (list items removed in step); the given one if none was. */
  readonly source?: SourceFile;
}

export function recoverIntent(file: string, data: unknown, failures: readonly ShapeFailure[], source?: SourceFile): Recovered | undefined {
  if (!data || typeof data !== "object" || Array.isArray(data)) return undefined;
  const copy = structuredClone(data) as Record<string, unknown>;
  const doc = source ? (source.doc.clone() as Document.Parsed) : undefined;
  const dropped = new Set<string>();
  let pending = failures;
  let removedItems = false;
  for (let round = 0; round < MAX_ROUNDS && pending.length; round++) {
    const removals: Removal[] = [];
    for (const f of pending) if (!drop(copy, f, file, dropped, doc, removals)) return undefined;
    removedItems = applyRemovals(copy, doc, removals) || removedItems;
    pending = shapeFailures(copy);
  }
  if (pending.length) return undefined;
  return { intent: copy as SiteIntent, dropped, ...(source ? { source: removedItems && doc ? { ...source, doc } : source } : {}) };
}

/** One list item to remove at the end of a round (removing it at once would shift the indexes of the others). */
interface Removal {
  readonly list: readonly string[];
  readonly index: number;
}

/**
 * Drop the smallest part that makes the failure go away: an unknown key; one item of a list; else the
 * offending property. A required property that is dropped makes its entry fail in the next round, an emptied
 * list its owner, and so on up to the entry (host, tunnel…), which is then dropped as a whole.
 */
function drop(data: Record<string, unknown>, f: ShapeFailure, file: string, dropped: Set<string>, doc: Document.Parsed | undefined, removals: Removal[]): boolean {
  const path = f.item !== undefined ? [...f.path, String(f.item)] : [...f.path];
  if (f.extraKey !== undefined) {
    const owner = at(data, path);
    if (owner && typeof owner === "object") delete (owner as Record<string, unknown>)[f.extraKey];
    return true;
  }
  if (path.length === 0 || path[0] === "site") return repairSite(data, file);
  const last = path[path.length - 1]!;
  const list = path.slice(0, -1);
  if (/^\d+$/.test(last) && Array.isArray(at(data, list)) && (!doc || seqAt(doc, list))) {
    if (!removals.some((r) => sameList(r.list, list) && r.index === Number(last))) removals.push({ list, index: Number(last) });
    return true;
  }
  while (path.length && /^\d+$/.test(path[path.length - 1]!)) path.pop();
  const [top, name] = path;
  if (path.length <= 2 && NAMED_COLLECTIONS.has(top!) && name !== undefined) {
    dropped.add(name);
    // What the dropped entry connected would be judged without it (a gateway "without a tunnel"): taint it.
    for (const other of connectedNames(at(data, [top!, name]))) dropped.add(other);
  }
  const key = path.pop()!;
  const owner = path.length ? at(data, path) : data;
  if (owner && typeof owner === "object") delete (owner as Record<string, unknown>)[key];
  return true;
}

/**
 * Remove the marked items from the data and the document alike. A list an
 * earlier failure of the round deleted (or whose document node is gone) is skipped: nothing is left to fix.
 */
function applyRemovals(data: Record<string, unknown>, doc: Document.Parsed | undefined, removals: readonly Removal[]): boolean {
  // Deeper lists first (removing from an outer list shifts the paths of the lists inside it), then by list,
  // then from the end of each list.
  const key = (r: Removal) => r.list.join("\u0000");
  const ordered = [...removals].sort((a, b) => b.list.length - a.list.length || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : b.index - a.index));
  let removed = false;
  for (const r of ordered) {
    const items = at(data, r.list);
    if (!Array.isArray(items) || r.index >= items.length) continue;
    const seq = doc ? seqAt(doc, r.list) : undefined;
    if (doc && (!seq || r.index >= seq.items.length)) continue;
    items.splice(r.index, 1);
    seq?.items.splice(r.index, 1);
    removed = true;
  }
  return removed;
}

/** The sequence node at `path` in the document, unless an alias lies on the way. */
function seqAt(doc: Document.Parsed, path: readonly string[]): { items: unknown[] } | undefined {
  let node: unknown = doc.contents;
  for (const segment of path) {
    if (isAlias(node)) return undefined;
    if (isMap(node)) node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment)?.value;
    else if (isSeq(node) && /^\d+$/.test(segment)) node = node.items[Number(segment)];
    else return undefined;
  }
  return isSeq(node) ? node : undefined;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

/** A missing or invalid site name: take it from the file name, as SW100 demands anyway. */
function repairSite(data: Record<string, unknown>, file: string): boolean {
  const name = basename(file).replace(/\.ya?ml$/, "");
  if (!new RegExp(NAME_PATTERN).test(name)) return false;
  data.site = name;
  return true;
}

function connectedNames(entry: unknown): string[] {
  if (!entry || typeof entry !== "object") return [];
  const e = entry as { between?: unknown; via?: unknown; gateways?: unknown };
  return [e.between, e.gateways, [e.via]].flatMap((v) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []));
}

function at(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const seg of path) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}
