/**
 * systemd unit files as systemd reads them (systemd.syntax(7)): `[Section]` headers, `Key=Value` lines, lines
 * starting with `#` or `;` are comments, a line ending in `\` continues on the next one (comment lines inside a
 * continuation are skipped). Refused: a line that is none of these, a key before any section, a file ending
 * inside a continued line.
 */
import { ReadError, structureOf, type Structure } from "./reader.js";

export interface UnitEntry {
  readonly section: string;
  readonly key: string;
  readonly value: string;
  /** The line the entry starts on. */
  readonly line: number;
}

export interface UnitFile {
  /** Section headers in file order, `[…]` removed. */
  readonly sections: readonly { readonly name: string; readonly line: number }[];
  readonly entries: readonly UnitEntry[];
}

const SYNTAX = "systemd unit";

export function readUnit(text: string): UnitFile {
  const sections: { name: string; line: number }[] = [];
  const entries: UnitEntry[] = [];
  let pending = "";
  let start = 0;
  const lines = text.split("\n");
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (/^[#;]/.test(trimmed) || (!trimmed && !pending)) return;
    if (!pending) start = line;
    if (trimmed.endsWith("\\")) {
      pending += trimmed.slice(0, -1).trimEnd() + " ";
      return;
    }
    const logical = (pending + trimmed).trim();
    pending = "";
    const header = /^\[([^\]]+)\]$/.exec(logical);
    if (header) {
      sections.push({ name: header[1]!, line: start });
      return;
    }
    const kv = /^([A-Za-z0-9-]+)\s*=\s*(.*)$/.exec(logical);
    if (!kv) throw new ReadError(SYNTAX, start, `not a section or Key=Value line: ${JSON.stringify(logical)}`);
    const section = sections.at(-1);
    if (!section) throw new ReadError(SYNTAX, start, `a key before any section: ${JSON.stringify(logical)}`);
    entries.push({ section: section.name, key: kv[1]!, value: kv[2]!, line: start });
  });
  if (pending) throw new ReadError(SYNTAX, lines.length, "the file ends inside a continued line");
  return { sections, entries };
}

/** The values of `key` in `section`, in file order. */
export function unitValues(unit: UnitFile, section: string, key: string): string[] {
  return unit.entries.filter((e) => e.section === section && e.key === key).map((e) => e.value);
}

/** Sections and keys with their values. Shape: `section`, `key KEY`. */
export function unitStructure(content: string): Structure {
  return structureOf(content, readUnit, (unit, out) => {
    const all = [...unit.sections.map((s) => ({ line: s.line, section: s })), ...unit.entries.map((e) => ({ line: e.line, entry: e }))].sort((a, b) => a.line - b.line);
    for (const item of all) {
      if ("section" in item) out.add(`section [${item.section.name}]`, "section");
      else out.add(`key [${item.entry.section}] ${item.entry.key}=${item.entry.value}`, `key ${item.entry.key}`);
    }
  });
}
