/**
 * Kubernetes objects as data, and the one way they become text. Every manifest family builds plain objects
 * (keys in the conventional order: apiVersion, kind, metadata, then spec/data) with `objectMeta` labels, and
 * the target serialises them with `toYaml` (the `yaml` library, never a text template).
 */
import { Document } from "yaml";
import { hashComment } from "../../render/quote.js";
import type { Labels, Prefix } from "../../model/types.js";

export const MANAGED_BY = { "app.kubernetes.io/managed-by": "sitewire" } as const;
/** Which site an object belongs to (site names match a DNS-1123 label pattern, so they are valid label values). */
export const SITE_LABEL = "sitewire.dev/site";
/** The label the API server puts on every namespace (immutable, Kubernetes ≥ 1.21): select a namespace by name. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels: Labels;
}

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly [field: string]: unknown;
}

/** What a manifest family produces: one object and the comment lines that explain it. */
export interface Manifest {
  readonly object: K8sObject;
  /** Why this object exists, in words a reviewer reads first; rendered as `#` comments above the object. */
  readonly comment: readonly string[];
}

export function objectMeta(site: string, name: string, namespace?: string): ObjectMeta {
  return {
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    labels: { ...MANAGED_BY, [SITE_LABEL]: site },
  };
}

/** `{ matchLabels }`, or `{}` (everything) when there are no labels. Keys sorted for stable output. */
export function labelSelector(labels: Labels | undefined): { matchLabels?: Labels } {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return {};
  return { matchLabels: Object.fromEntries(keys.map((k) => [k, labels![k]!])) };
}

/** `k=v,k2=v2` (sorted), the way kubectl writes selectors; empty when there are no labels. */
export function formatLabels(labels: Labels | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(",");
}

/** A prefix for comments: `10.10.0.0/16 (onprem)`, or the bare CIDR when it was written literally. */
export function describePrefix(p: Prefix): string {
  return p.name !== undefined && p.name !== p.cidr ? `${p.cidr} (${p.name})` : p.cidr;
}

/**
 * Stable, diff-friendly YAML: no anchors or aliases, no line folding, and strings quoted wherever a YAML 1.1
 * reader (go-yaml v2, PyYAML, older kubectl) would take them for something else (`on`, `yes`, `1:20`,
 * `0777`…): serialising under the 1.1 schema quotes exactly those, and the result reads the same under 1.2.
 */
export function toYaml(value: unknown, comment: readonly string[] = []): string {
  const doc = new Document(value, { version: "1.1", aliasDuplicateObjects: false });
  if (comment.length > 0) doc.commentBefore = comment.map((line) => ` ${hashComment(line)}`.trimEnd()).join("\n");
  return doc.toString({ lineWidth: 0, minContentWidth: 0 });
}

/**
 * Where a manifest lands under out/<site>/: `cluster/<namespace>/<kind>-<name>.yaml` for namespaced
 * objects, `cluster/<kind>-<name>.yaml` for cluster-scoped ones (kind lower-cased). Names never contain '/'
 * and the kind prefix keeps kinds apart, so two objects never share a path.
 */
export function manifestPath(object: K8sObject): string {
  const file = `${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
  return object.metadata.namespace !== undefined ? `cluster/${object.metadata.namespace}/${file}` : `cluster/${file}`;
}
