/**
 * Error recovery after a failed shape check, as compilers do after a syntax error: drop each entry the
 * schema rejected (a whole host, tunnel, cluster section…) so the meaning checks can still run on the rest
 * and the user sees every independent mistake in one run. Names of dropped entries are returned so that the
 * cascade (references to a dropped entry) is not reported.
 */
import { basename } from "node:path";
import { NAME_PATTERN } from "./patterns.js";
import type { SiteIntent } from "./schema.js";
import { shapeFailures, type ShapeFailure } from "./shape.js";

const NAMED_COLLECTIONS = new Set(["networks", "hosts", "peers", "tunnels", "links", "flows", "failover"]);
const MAX_ROUNDS = 3;

export interface Recovered {
  readonly intent: SiteIntent;
  /** Names of the entries that were dropped. */
  readonly dropped: ReadonlySet<string>;
}

export function recoverIntent(file: string, data: unknown, failures: readonly ShapeFailure[]): Recovered | undefined {
  if (!data || typeof data !== "object" || Array.isArray(data)) return undefined;
  const copy = structuredClone(data) as Record<string, unknown>;
  const dropped = new Set<string>();
  let pending = failures;
  for (let round = 0; round < MAX_ROUNDS && pending.length; round++) {
    for (const f of pending) if (!drop(copy, f, file, dropped)) return undefined;
    pending = shapeFailures(copy);
  }
  return pending.length ? undefined : { intent: copy as SiteIntent, dropped };
}

/**
 * Drop the smallest part that makes the failure go away: an unknown key; else the offending property (a list
 * as a whole when one of its items is wrong). A required property that is dropped makes its entry fail in
 * the next round, and then the entry (host, tunnel…) is dropped as a whole.
 */
function drop(data: Record<string, unknown>, f: ShapeFailure, file: string, dropped: Set<string>): boolean {
  const path = [...f.path];
  if (f.extraKey !== undefined) {
    const owner = at(data, path);
    if (owner && typeof owner === "object") delete (owner as Record<string, unknown>)[f.extraKey];
    return true;
  }
  if (path.length === 0 || path[0] === "site") return repairSite(data, file);
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
