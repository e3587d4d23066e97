/**
 * The names of an open file: where each network, host, peer, tunnel and link is defined (its key under
 * networks:, hosts:, peers:, tunnels:, links:) and every place that refers to one (found through the schema,
 * ./schema.ts). Go-to-definition, find-references, completion and the hover on names read this index.
 */
import type { IntentPath } from "../intent/source.js";
import type { SiteModel } from "../model/types.js";
import { scalars, type ParsedText } from "./document.js";
import { NAME_KINDS, referenceKinds, referenceKindsOfKey, SECTION_OF, type NameKind } from "./schema.js";

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Definition extends Span {
  readonly name: string;
  readonly kind: NameKind;
}

export interface Reference extends Span {
  readonly name: string;
  /** What the schema allows here (a route list: network or host). */
  readonly kinds: readonly NameKind[];
  readonly path: IntentPath;
}

export interface NameIndex {
  /** The first definition of each name (a duplicate name is the compiler's problem, SW103). */
  readonly definitions: ReadonlyMap<string, Definition>;
  readonly references: readonly Reference[];
}

const KIND_OF_SECTION = new Map(NAME_KINDS.map((k) => [SECTION_OF[k], k] as const));

export function indexNames(parsed: ParsedText): NameIndex {
  const definitions = new Map<string, Definition>();
  const references: Reference[] = [];
  for (const s of scalars(parsed)) {
    const { path, scalar } = s;
    if (typeof scalar.value !== "string") continue;
    const name = scalar.value;
    if (s.role === "key") {
      const kind = path.length === 2 ? KIND_OF_SECTION.get(String(path[0])) : undefined;
      if (kind && !definitions.has(name)) definitions.set(name, { name, kind, start: scalar.start, end: scalar.end });
      const kinds = path.length > 2 ? referenceKindsOfKey(path) : [];
      if (kinds.length > 0) references.push({ name, kinds, path, start: scalar.start, end: scalar.end });
      continue;
    }
    // A literal address or CIDR is no name (names start with a letter and have no ':').
    if (!/^[a-z]/.test(name) || name.includes(":")) continue;
    const kinds = referenceKinds(path);
    if (kinds.length > 0) references.push({ name, kinds, path, start: scalar.start, end: scalar.end });
  }
  return { definitions, references };
}

/** The defined name at `offset`: on its definition or on a reference to it. */
export function nameAt(index: NameIndex, offset: number): Definition | undefined {
  const on = (s: Span) => s.start <= offset && offset <= s.end;
  for (const d of index.definitions.values()) if (on(d)) return d;
  const ref = index.references.find(on);
  if (!ref) return undefined;
  const d = index.definitions.get(ref.name);
  return d && ref.kinds.includes(d.kind) ? d : undefined;
}

/** Every reference to the defined name `d` (where the schema allows its kind). */
export function referencesTo(index: NameIndex, d: Definition): Reference[] {
  return index.references.filter((r) => r.name === d.name && r.kinds.includes(d.kind));
}

/** Names defined with one of `kinds`, in file order. */
export function namesOf(index: NameIndex, kinds: readonly NameKind[]): Definition[] {
  return [...index.definitions.values()].filter((d) => kinds.includes(d.kind));
}

// ---------------------------------------------------------------------------------------------------------
// Hover on a name
// ---------------------------------------------------------------------------------------------------------

type Data = Record<string, unknown>;

function section(data: unknown, kind: NameKind): Data {
  const s = (data as Data | null)?.[SECTION_OF[kind]];
  return s && typeof s === "object" ? (s as Data) : {};
}

function entry(data: unknown, kind: NameKind, name: string): Data {
  const e = section(data, kind)[name];
  return e && typeof e === "object" ? (e as Data) : {};
}

const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : undefined);

/** Tunnels (or links) with `name` at one of their ends: "t1 (gw-a ↔ r1)". */
function endsOf(data: unknown, kind: "tunnel" | "link", name: string): string[] {
  return Object.entries(section(data, kind)).flatMap(([t, v]) => {
    const between = (v as Data | null)?.["between"];
    return Array.isArray(between) && between.includes(name) ? [`\`${t}\` (${between.map(String).join(" ↔ ")})`] : [];
  });
}

/** One line or a few of Markdown: what the name stands for. `model` is the last error-free analysis, if any. */
export function nameHover(d: Definition, data: unknown, model?: SiteModel): string {
  const title = `${d.kind} **${d.name}**`;
  const lines: string[] = [];
  const e = entry(data, d.kind, d.name);
  switch (d.kind) {
    case "network": {
      const value = section(data, "network")[d.name];
      const prefixes = Array.isArray(value) ? value.map(String) : text(value) ? [text(value)!] : [];
      lines.push(`${prefixes.length === 1 ? "prefix" : "prefixes"}: ${prefixes.map((p) => `\`${p}\``).join(", ") || "—"}`);
      break;
    }
    case "host": {
      for (const key of Object.keys(e).filter((k) => /ddress\d*$/.test(k))) lines.push(`${key}: \`${text(e[key]) ?? "?"}\``);
      if (text(e["os"])) lines.push(`os: ${text(e["os"])}`);
      const tunnels = endsOf(data, "tunnel", d.name);
      lines.push(`tunnels: ${tunnels.join(", ") || "none"}`);
      const links = endsOf(data, "link", d.name);
      if (links.length > 0) lines.push(`links: ${links.join(", ")}`);
      break;
    }
    case "peer": {
      lines.push(`platform: ${text(e["platform"]) ?? "?"}`);
      for (const key of Object.keys(e).filter((k) => /ddress\d*$/.test(k))) lines.push(`${key}: \`${text(e[key]) ?? "?"}\``);
      lines.push(`tunnels: ${endsOf(data, "tunnel", d.name).join(", ") || "none"}`);
      break;
    }
    case "tunnel":
    case "link": {
      const between = Array.isArray(e["between"]) ? e["between"].map(String) : [];
      lines.push(`between: ${between.map((b) => `\`${b}\``).join(" ↔ ") || "?"}`);
      if (text(e["inside"])) lines.push(`inside: \`${text(e["inside"])}\``);
      const t = d.kind === "tunnel" ? model?.tunnels.find((x) => x.name === d.name) : undefined;
      if (t) {
        for (const end of [t.host, t.peer])
          lines.push(`${end.node}: ${end.insideAddress ? `inside \`${end.insideAddress.cidr}\`, ` : ""}outside \`${end.localAddress}\``);
      }
      break;
    }
  }
  return [title, "", ...lines.map((l) => `- ${l}`)].join("\n");
}
