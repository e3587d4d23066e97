/**
 * Review documents: the site README (GitHub-flavoured Markdown) and manifest.json.
 * - Markdown: what a renderer builds from each line: a heading, a table row with N cells (cells split at
 *   unescaped `|`), a list item, a fenced block (each fenced line is a statement of its own
 *   language, e.g. mermaid); plus raw HTML (an unescaped `<` outside code spans), which could hide what follows.
 * - manifest.json: every key path and leaf value, hashes left out (they follow the content by design).
 */
import { linesOf, StructureBuilder, type Structure } from "./structure.js";

export function markdown(content: string): Structure {
  const out = new StructureBuilder();
  let fence: string | undefined;
  for (const line of linesOf(content)) {
    if (fence !== undefined) {
      // Inside a fence (the mermaid topology) every line is a statement of the fenced language.
      if (line.startsWith(fence)) fence = undefined;
      out.add(fence === undefined ? "fence end" : `${line}`, fence === undefined ? "fence end" : "fenced");
      continue;
    }
    const open = /^(```|~~~)(\S*)/.exec(line);
    if (open) {
      fence = open[1]!;
      out.add(`fence ${open[2]}`, `fence ${open[2]}`);
      continue;
    }
    // A description is a paragraph of its own: paragraphs and blank lines are text, not structure.
    const kind = markdownLine(line);
    if (kind !== "paragraph" && kind !== "blank") out.add(kind, kind);
    if (/(^|[^\\])</.test(withoutCodeSpans(line))) out.problem(`markdown: raw HTML in ${JSON.stringify(line)}`);
  }
  if (fence !== undefined) out.problem("markdown: a fence is never closed");
  return out.build();
}

function withoutCodeSpans(line: string): string {
  return line.replace(/(`+)[^`]*?\1/g, "");
}

function markdownLine(line: string): string {
  if (!line.trim()) return "blank";
  const heading = /^(#{1,6})\s/.exec(line);
  if (heading) return `heading ${heading[1]!.length}`;
  if (line.startsWith("|")) return `row ${line.split(/(?<!\\)\|/).length - 2}`;
  if (/^[-*] /.test(line)) return "item";
  return "paragraph";
}

export function manifestJson(content: string): Structure {
  const out = new StructureBuilder();
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch (err) {
    out.problem(`manifest.json: ${(err as Error).message}`);
    return out.build();
  }
  walk(data, [], (path, value) => {
    const keys = path.map((k) => (typeof k === "number" ? "[]" : k)).join(".");
    out.add(path.at(-1) === "sha256" ? keys : `${JSON.stringify(path)}=${JSON.stringify(value)}`, keys);
  });
  return out.build();
}

export type DataPath = readonly (string | number)[];

/** Every leaf of plain data with its path; empty lists and maps count as leaves. Shared with the YAML projection. */
export function walk(value: unknown, path: DataPath, leaf: (path: DataPath, value: unknown) => void): void {
  if (Array.isArray(value)) {
    if (value.length === 0) leaf(path, []);
    value.forEach((v, i) => walk(v, [...path, i], leaf));
  } else if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) leaf(path, {});
    for (const [k, v] of entries) walk(v, [...path, k], leaf);
  } else {
    leaf(path, value);
  }
}

/**
 * Terraform JSON (developer.hashicorp.com/terraform/language/syntax/json): every argument path and leaf value,
 * "//" comment properties left out (Terraform ignores them). The shape leaves out the names of resources,
 * variables and outputs (they follow intent names) and keeps every interpolation `${…}` as a statement of its
 * own, so an intent value that became an expression shows as a new one; a template directive `%{` is a problem.
 */
export function terraformJson(content: string): Structure {
  const out = new StructureBuilder();
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch (err) {
    out.problem(`terraform json: ${(err as Error).message}`);
    return out.build();
  }
  walk(data, [], (path, value) => {
    if (path.includes("//")) return;
    const named = path.map((k, i) => (typeof k === "number" ? "[]" : (path[0] === "resource" && i === 2) || ((path[0] === "variable" || path[0] === "output") && i === 1) ? "*" : k));
    const keys = named.join(".");
    out.add(`${JSON.stringify(path)}=${JSON.stringify(value)}`, keys);
    if (typeof value === "string") {
      for (const m of value.matchAll(/(?<!\$)\$\{[^}]*\}/g)) out.add(`${keys} ${m[0]}`, `${keys} interpolation ${m[0].replace(/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/, (r) => r.split(".")[0] + ".*")}`);
      if (/(?<!%)%\{/.test(value)) out.problem(`terraform json: template directive in ${keys}`);
    }
  });
  return out.build();
}
