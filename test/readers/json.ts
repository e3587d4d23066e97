/**
 * JSON artifacts: manifest.json and Terraform JSON (developer.hashicorp.com/terraform/language/syntax/json).
 * readJson() refuses what JSON.parse refuses; walk() visits every leaf with its path.
 * Terraform reads `${…}` inside a string as an interpolation and `%{…}` as a template directive, and ignores
 * `"//"` comment properties.
 */
import { ReadError, structureOf, type Structure } from "./reader.js";

export function readJson(text: string, syntax = "json"): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message);
    const line = at ? text.slice(0, Number(at[1])).split("\n").length : 0;
    throw new ReadError(syntax, line, (err as Error).message);
  }
}

export type DataPath = readonly (string | number)[];

/** Every leaf of plain data with its path; empty lists and maps count as leaves. */
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

/** manifest.json: every key path and leaf value, hashes left out of `full` (they follow the content by design). */
export function manifestStructure(content: string): Structure {
  return structureOf(
    content,
    (c) => readJson(c, "manifest.json"),
    (data, out) => {
      walk(data, [], (path, value) => {
        const keys = path.map((k) => (typeof k === "number" ? "[]" : k)).join(".");
        out.add(path.at(-1) === "sha256" ? keys : `${JSON.stringify(path)}=${JSON.stringify(value)}`, keys);
      });
    },
  );
}

/**
 * Terraform JSON: every argument path and leaf value, "//" comment properties left out. The shape leaves out
 * the names of resources, variables and outputs (they follow intent names) and keeps every interpolation
 * `${…}` as a statement of its own, so an intent value that became an expression shows as a new one. Refused:
 * a template directive `%{` (sitewire writes none).
 */
export function terraformStructure(content: string): Structure {
  return structureOf(
    content,
    (c) => {
      const data = readJson(c, "terraform json");
      walk(data, [], (path, value) => {
        if (!path.includes("//") && typeof value === "string" && /(?<!%)%\{/.test(value)) throw new ReadError("terraform json", 0, `template directive in ${path.join(".")}`);
      });
      return data;
    },
    (data, out) => {
      walk(data, [], (path, value) => {
        if (path.includes("//")) return;
        const named = path.map((k, i) => (typeof k === "number" ? "[]" : (path[0] === "resource" && i === 2) || ((path[0] === "variable" || path[0] === "output") && i === 1) ? "*" : k));
        const keys = named.join(".");
        out.add(`${JSON.stringify(path)}=${JSON.stringify(value)}`, keys);
        if (typeof value === "string")
          for (const m of value.matchAll(/(?<!\$)\$\{[^}]*\}/g)) out.add(`${keys} ${m[0]}`, `${keys} interpolation ${m[0].replace(/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/, (r) => r.split(".")[0] + ".*")}`);
      });
    },
  );
}
