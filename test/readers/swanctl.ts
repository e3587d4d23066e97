/**
 * strongSwan's settings syntax, which swanctl.conf and strongswan.conf (and its strongswan.d drop-ins) share,
 * read as libstrongswan reads it (src/libstrongswan/settings/settings_lexer.l and settings_parser.y):
 * `name {` opens a section and `}` closes it, `name = value` sets a key, `include PATTERN` includes files.
 * A value runs to the end of the line, a `#` or a `}` (so `a { b = c }` is one section holding one key), is
 * made of words and double-quoted strings joined by one space; `#` starts a comment outside quoted strings;
 * a `"` outside a value is an error. Sections and keys of the same name merge, the later key winning
 * (settingsRecord()).
 *
 * Stricter than strongSwan where sitewire never writes what strongSwan would accept: a quoted string must end
 * on its line.
 */
import { ReadError, structureOf, type Structure } from "./reader.js";
import { quoted } from "./strongswan-conf.js";

export interface SettingsKey {
  readonly kind: "key";
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

export interface SettingsSection {
  readonly kind: "section";
  /** "" for the file itself. */
  readonly name: string;
  /** The line of `name {` (0 for the file). */
  readonly line: number;
  /** The line of its `}` (the last line for the file). */
  readonly end: number;
  readonly entries: readonly SettingsEntry[];
}

export interface SettingsInclude {
  readonly kind: "include";
  readonly pattern: string;
  readonly line: number;
}

export type SettingsEntry = SettingsKey | SettingsSection | SettingsInclude;

type Token =
  | { readonly kind: "name"; readonly text: string; readonly line: number }
  | { readonly kind: "{" | "}" | "newline"; readonly line: number }
  | { readonly kind: "value"; readonly text: string; readonly line: number }
  | { readonly kind: "include"; readonly text: string; readonly line: number };

function tokenize(text: string, syntax: string): Token[] {
  const tokens: Token[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    let i = 0;
    const skipBlanks = () => {
      while (i < raw.length && /[\t\r ]/.test(raw[i]!)) i++;
    };
    while (i < raw.length) {
      skipBlanks();
      if (i >= raw.length) break;
      const c = raw[i]!;
      if (c === "#") break;
      if (c === "{" || c === "}") {
        tokens.push({ kind: c, line });
        i++;
      } else if (c === '"') {
        throw new ReadError(syntax, line, `a quoted string where a name belongs: ${JSON.stringify(raw)}`);
      } else if (c === "=") {
        // <val>: words and quoted strings up to `#`, `}` or the end of the line.
        i++;
        const parts: string[] = [];
        for (;;) {
          skipBlanks();
          if (i >= raw.length || raw[i] === "#" || raw[i] === "}") break;
          if (raw[i] === '"') {
            const [s, next] = quoted(raw, i, line, syntax);
            parts.push(s);
            i = next;
          } else {
            const m = /^[^#}"\r\t ]+/.exec(raw.slice(i))!;
            parts.push(m[0]);
            i += m[0].length;
          }
        }
        tokens.push({ kind: "value", text: parts.join(" "), line });
      } else if (raw.startsWith("include", i) && /^[\t ]+[^=\t ]/.test(raw.slice(i + 7))) {
        // <inc>: one quoted string, or characters up to a blank, `#` or `}` (backslash escapes them).
        i += 7;
        skipBlanks();
        let pattern = "";
        if (raw[i] === '"') [pattern, i] = quoted(raw, i, line, syntax);
        else
          for (; i < raw.length && !/[#}\t\r ]/.test(raw[i]!); i++) {
            if (raw[i] === "\\" && /["#} ]/.test(raw[i + 1] ?? "")) i++;
            pattern += raw[i];
          }
        tokens.push({ kind: "include", text: pattern, line });
      } else {
        const m = /^[^#{}="\r\t ]+/.exec(raw.slice(i))!;
        tokens.push({ kind: "name", text: m[0], line });
        i += m[0].length;
      }
    }
    tokens.push({ kind: "newline", line });
  });
  return tokens;
}

/** The file as a tree of sections, keys and includes, in file order. */
export function readSettings(text: string, syntax = "swanctl.conf"): SettingsSection {
  const tokens = tokenize(text, syntax);
  let at = 0;
  const lastLine = text.split("\n").length;
  const section = (name: string, line: number, nested: boolean): SettingsSection => {
    const entries: SettingsEntry[] = [];
    while (at < tokens.length) {
      const t = tokens[at++]!;
      if (t.kind === "newline") continue;
      if (t.kind === "}") {
        if (!nested) throw new ReadError(syntax, t.line, "'}' without an open section");
        return { kind: "section", name, line, end: t.line, entries };
      }
      if (t.kind === "include") {
        entries.push({ kind: "include", pattern: t.text, line: t.line });
        continue;
      }
      if (t.kind !== "name") throw new ReadError(syntax, t.line, `expected a name, got ${t.kind === "value" ? "'='" : t.kind}`);
      const next = tokens[at++];
      if (next?.kind === "{") entries.push(section(t.text, t.line, true));
      else if (next?.kind === "value") entries.push({ kind: "key", name: t.text, value: next.text, line: t.line });
      else throw new ReadError(syntax, t.line, `${t.text} is followed by neither '{' nor '=' on its line`);
    }
    if (nested) throw new ReadError(syntax, lastLine, `section ${name} (line ${line}) is never closed`);
    return { kind: "section", name, line, end: lastLine, entries };
  };
  return section("", 0, false);
}

export interface SettingsRecord {
  readonly [key: string]: string | SettingsRecord;
}

/** The settings as libstrongswan holds them: same-named sections merged, a later key replacing an earlier one. */
export function settingsRecord(tree: SettingsSection): SettingsRecord {
  const out: Record<string, string | SettingsRecord> = {};
  for (const e of tree.entries) {
    if (e.kind === "key") out[e.name] = e.value;
    else if (e.kind === "section") {
      const before = out[e.name];
      out[e.name] = { ...(typeof before === "object" ? before : {}), ...settingsRecord(e) };
    }
  }
  return out;
}

/** `swanctl.conf` read into settingsRecord() form. */
export function swanctlSettings(text: string): SettingsRecord {
  return settingsRecord(readSettings(text, "swanctl.conf"));
}

/** The sections directly under the file's `connections { }` sections, in file order. */
export function swanctlConnections(text: string): SettingsSection[] {
  return readSettings(text, "swanctl.conf")
    .entries.filter((e): e is SettingsSection => e.kind === "section" && e.name === "connections")
    .flatMap((c) => c.entries.filter((e): e is SettingsSection => e.kind === "section"));
}

/** Names of the sections directly under `connections { }`, each once. */
export function swanctlConnectionNames(text: string): string[] {
  return [...new Set(swanctlConnections(text).map((c) => c.name))];
}

/** swanctl.conf and strongswan.conf: sections opened and closed, keys with their section path, includes. */
export function settingsStructure(content: string): Structure {
  return structureOf(
    content,
    (c) => readSettings(c, "settings"),
    (tree, out) => {
      const walk = (s: SettingsSection, path: readonly string[]) => {
        for (const e of s.entries) {
          if (e.kind === "include") out.add(`include ${e.pattern}`, "include");
          else if (e.kind === "key") out.add(`key ${[...path, e.name].join(".")}=${e.value}`, `key ${path.length} ${e.name}`);
          else {
            const inner = [...path, e.name];
            out.add(`open ${inner.join(".")}`, `open ${inner.length}`);
            walk(e, inner);
            out.add(`close ${inner.join(".")}`, `close ${inner.length}`);
          }
        }
      };
      walk(tree, []);
    },
  );
}
