/**
 * Where a value of the model came from in the intent. Rules judge the model but must point at the text the
 * user wrote: the override that set a per-end value, the tunnel key a device name was derived from, the
 * index of a reference the resolver kept.
 */
import type { IntentPath } from "../../intent/source.js";
import { addressBits, familyOf, isIp, parseCidr } from "../../net/ip.js";
import type { Prefix } from "../../model/types.js";

/** The value at `path` in the intent, or undefined when the path is not set. */
export function valueAt(intent: unknown, path: IntentPath): unknown {
  let node = intent;
  for (const segment of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** The first of `paths` that the intent sets. */
export function firstSet(intent: unknown, ...paths: IntentPath[]): IntentPath | undefined {
  return paths.find((p) => valueAt(intent, p) !== undefined);
}

/** A per-end tunnel setting: the end's override wins over the tunnel's own value (as in src/model/tunnels.ts). */
export function tunnelSetting(intent: unknown, tunnel: string, end: string, key: IntentPath): IntentPath | undefined {
  return firstSet(intent, ["tunnels", tunnel, "overrides", end, ...key], ["tunnels", tunnel, ...key]);
}

/**
 * Pairs resolved items with the index of the reference they came from. The resolver keeps the resolved
 * references of a list in order and drops the others (already reported), so the model's list is a
 * subsequence of the intent's and a greedy walk pairs them exactly. A dual-stack host's name resolves to one
 * prefix per family (NameTable.prefixes): each of them is paired with that one reference.
 */
export function alignResolved<T>(refs: readonly string[] | undefined, resolved: readonly T[], prefixOf: (item: T) => Prefix): { item: T; index: number }[] {
  const out: { item: T; index: number }[] = [];
  let k = 0;
  (refs ?? []).forEach((ref, index) => {
    const families = new Set<number>();
    for (let item = resolved[k]; item !== undefined && refersTo(ref, prefixOf(item)) && !families.has(prefixOf(item).family); item = resolved[k]) {
      families.add(prefixOf(item).family);
      out.push({ item, index });
      k++;
      // A literal stands for one prefix; only a (host) name may stand for one of each family.
      if (isLiteral(ref)) break;
    }
  });
  return out;
}

/** Each resolved prefix of a reference list with the path of the reference that named it. */
export function refPaths(refs: readonly string[] | undefined, prefixes: readonly Prefix[], base: IntentPath): { prefix: Prefix; ref: string; path: IntentPath }[] {
  return alignResolved(refs, prefixes, (p) => p).map(({ item, index }) => ({ prefix: item, ref: refs![index]!, path: [...base, index] }));
}

/** A literal address or CIDR, as NameTable.prefix tells them from names: IPv4 starts with a digit, IPv6 has a ':'. */
function isLiteral(ref: string): boolean {
  return /^\d/.test(ref) || ref.includes(":");
}

/** Did the resolver turn `ref` into `prefix`? Names are kept on the prefix; literals resolve to themselves. */
function refersTo(ref: string, prefix: Prefix): boolean {
  if (!isLiteral(ref)) return prefix.name === ref;
  const [address = ""] = ref.split("/");
  if (prefix.name !== undefined || !isIp(address)) return false;
  const text = ref.includes("/") ? ref : `${ref}/${addressBits(familyOf(address))}`;
  return parseCidr(text).prefix.cidr === prefix.cidr;
}

/** A filter that passes each path the first time only (one written value can serve both ends of a tunnel). */
export function oncePerPath(): (path: IntentPath) => boolean {
  const seen = new Set<string>();
  return (path) => {
    const key = JSON.stringify(path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}

/** "tunnel 'vpn1'", or "tunnel 'vpn1' on 'r1'" when the value at `path` is that end's override. */
export function tunnelValueOwner(tunnel: string, path: IntentPath): string {
  return path[2] === "overrides" ? `tunnel '${tunnel}' on '${String(path[3])}'` : `tunnel '${tunnel}'`;
}
