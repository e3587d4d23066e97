/**
 * What the intent schema (src/intent/schema.ts, written to schema/site.schema.json) says about a position:
 * the key's description (which ends with its default from src/intent/defaults.ts), and where a value or key is a
 * reference to a network, host, peer or link. References are found in the schema itself, not in a list of our
 * own: a string whose pattern is the name pattern (NAME_PATTERN) or the prefix-reference pattern (REF_PATTERN),
 * and a map keyed by names ("keyed by the end's host or peer name"); what it refers to is what its description
 * names ("a network name, a host name…", "A host name, then a peer name.", "The host that forwards…"), the same
 * sentence editors show on hover.
 */
import { DEFAULTS, shownDefault, type DefaultKey } from "../intent/defaults.js";
import { NAME_PATTERN, REF_PATTERN } from "../intent/patterns.js";
import type { IntentPath } from "../intent/source.js";
import { SiteIntent } from "../intent/schema.js";

export type SchemaNode = Readonly<Record<string, unknown>> & {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly pattern?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly propertyNames?: SchemaNode;
  readonly items?: SchemaNode;
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
};

/** The kinds of named things an intent defines, and the top-level section each is defined in. */
export const NAME_KINDS = ["network", "host", "peer", "tunnel", "link"] as const;
export type NameKind = (typeof NAME_KINDS)[number];
export const SECTION_OF: Readonly<Record<NameKind, string>> = { network: "networks", host: "hosts", peer: "peers", tunnel: "tunnels", link: "links" };

/** The schema object itself (what `sitewire schema` prints), so patterns compare with ./patterns.ts exactly. */
export function siteSchema(): SchemaNode {
  return SiteIntent as unknown as SchemaNode;
}

/** The schema of the value at `path` (of a key's value, for a key), or undefined where the schema has none. */
export function schemaAt(path: IntentPath, root: SchemaNode = siteSchema()): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const segment of path) {
    if (!node) return undefined;
    node = step(node, segment);
  }
  return node;
}

function step(node: SchemaNode, segment: string | number): SchemaNode | undefined {
  for (const branch of [node, ...(node.anyOf ?? []), ...(node.oneOf ?? [])]) {
    if (typeof segment === "number" || /^\d+$/.test(String(segment))) {
      if (branch.items) return branch.items;
    }
    if (typeof segment === "string") {
      const own = branch.properties?.[segment];
      if (own) return own;
      if (typeof branch.additionalProperties === "object" && (branch.properties === undefined || branch.propertyNames !== undefined)) return branch.additionalProperties;
    }
  }
  return undefined;
}

/** The schema of the map that holds the key at `path` (its parent), for keys that are themselves names. */
export function mapOfKey(path: IntentPath): SchemaNode | undefined {
  return path.length === 0 ? undefined : schemaAt(path.slice(0, -1));
}

/** The kinds named in a description, in the order written ("A host name, then a peer name." → host, peer). */
function kindsNamed(description: string): NameKind[] {
  const out: NameKind[] = [];
  for (const m of description.matchAll(/\b(network|host|peer|tunnel|link)(?:'s)? (?:name|that)\b|\bkeyed by [^.]*?\b(network|host|peer|tunnel|link)\b(?: or (network|host|peer|tunnel|link))?/gi)) {
    for (const k of [m[1], m[2], m[3]]) if (k) out.push(k.toLowerCase() as NameKind);
  }
  return out;
}

/**
 * What the value at `path` may name, or [] when it is no reference. A list item whose description names its
 * kinds in order ("A host name, then a peer name.") takes the one at its index.
 */
export function referenceKinds(path: IntentPath): NameKind[] {
  const node = schemaAt(path);
  if (!node || (node.pattern !== NAME_PATTERN && node.pattern !== REF_PATTERN) || path.length < 2) return [];
  const kinds = kindsNamed(node.description ?? "");
  const last = path[path.length - 1];
  if (/, then /.test(node.description ?? "") && typeof last === "number") return kinds[last] ? [kinds[last]] : [];
  return [...new Set(kinds)];
}

/** What the key at `path` names, when its map is keyed by names of other entries (tunnels.<t>.overrides.<end>). */
export function referenceKindsOfKey(path: IntentPath): NameKind[] {
  const map = mapOfKey(path);
  if (!map || map.propertyNames?.pattern !== NAME_PATTERN || !/\bkeyed by\b/i.test(map.description ?? "")) return [];
  return [...new Set(kindsNamed(map.description ?? ""))];
}

/**
 * The defaults table's key for an intent path: names become `<h>`, `<p>`, `<t>`, `<l>`, `<f>`, `<pair>`, list
 * indexes `[]`; an end's override (tunnels.<t>.overrides.<end>.mtu) takes the tunnel's default.
 */
export function defaultKeyOf(path: IntentPath): DefaultKey | undefined {
  const placeholder: Readonly<Record<string, string>> = { hosts: "<h>", peers: "<p>", tunnels: "<t>", links: "<l>", flows: "<f>", failover: "<pair>" };
  const parts: string[] = [];
  const segments = [...path];
  if (segments[0] === "tunnels" && segments[2] === "overrides") segments.splice(2, 2);
  segments.forEach((s, i) => {
    if (typeof s === "number" || /^\d+$/.test(String(s))) {
      if (parts.length > 0) parts[parts.length - 1] += "[]";
    } else if (i === 1 && placeholder[String(segments[0])]) parts.push(placeholder[String(segments[0])]!);
    else parts.push(String(s));
  });
  const key = parts.join(".");
  return Object.hasOwn(DEFAULTS, key) ? (key as DefaultKey) : undefined;
}

/** The hover text of the key at `path`: its description and default, Markdown. */
export function keyHover(path: IntentPath): string | undefined {
  const node = schemaAt(path);
  if (!node) return undefined;
  const key = defaultKeyOf(path);
  const lines = [`**${shownPath(path)}**`];
  const description = node.description ?? "";
  if (description) lines.push("", description);
  // Descriptions end with "Default: … (why)." (src/intent/schema.ts withDefault); an end's override does not.
  if (key && !/\bDefault: /.test(description)) lines.push("", `Default: ${shownDefault(key)} (${DEFAULTS[key].why}).`);
  const choices = choicesOf(node);
  if (choices.length > 0) lines.push("", `One of: ${choices.map((c) => `\`${c}\``).join(", ")}`);
  return lines.join("\n");
}

function shownPath(path: IntentPath): string {
  return path.map((s) => (typeof s === "number" ? `[${s}]` : s)).join(".").replace(/\.\[/g, "[");
}

function choicesOf(node: SchemaNode): string[] {
  const consts = [...(node.anyOf ?? []), ...(node.oneOf ?? [])].map((b) => b["const"]).filter((c) => c !== undefined);
  const own = Array.isArray(node["enum"]) ? (node["enum"] as unknown[]) : [];
  return [...own, ...consts].map(String);
}
