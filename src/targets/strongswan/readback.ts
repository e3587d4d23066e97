/**
 * Readers for the strongSwan syntax sitewire emits, so tests (and cross-checks against other targets, such
 * as the IOS snippet) can compare facts instead of text. They cover what sitewire writes, not every corner of
 * the formats: ipsec.conf sections with indented key=value lines, ipsec.secrets `selectors : TYPE "secret"`
 * lines, and the swanctl.conf settings syntax (sections, key = value, double-quoted strings with escapes).
 */

export interface IpsecConf {
  readonly setup: Readonly<Record<string, string>>;
  /** conn name → its key=value pairs, in file order. */
  readonly conns: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

export function parseIpsecConf(text: string): IpsecConf {
  const setup: Record<string, string> = {};
  const conns = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.replace(/(^|\s)#.*$/, "").trimEnd();
    if (line.trim() === "") continue;
    if (!/^\s/.test(line)) {
      const [keyword, name, ...rest] = line.split(/\s+/);
      if (rest.length > 0 || !name) throw new Error(`ipsec.conf line ${i + 1}: bad section header ${JSON.stringify(raw)}`);
      if (keyword === "config" && name === "setup") current = setup;
      else if (keyword === "conn") {
        if (conns.has(name)) throw new Error(`ipsec.conf line ${i + 1}: conn ${name} defined twice`);
        current = {};
        conns.set(name, current);
      } else throw new Error(`ipsec.conf line ${i + 1}: unknown section ${JSON.stringify(keyword)}`);
      continue;
    }
    const m = /^\s+([a-z0-9_]+)=(.*)$/.exec(line);
    if (!m || !current) throw new Error(`ipsec.conf line ${i + 1}: expected key=value inside a section: ${JSON.stringify(raw)}`);
    if (Object.hasOwn(current, m[1]!)) throw new Error(`ipsec.conf line ${i + 1}: ${m[1]} set twice`);
    current[m[1]!] = m[2]!;
  }
  return { setup, conns };
}

export interface SecretLine {
  readonly selectors: readonly string[];
  readonly type: string;
  readonly secret: string;
}

export function parseIpsecSecrets(text: string): SecretLine[] {
  const out: SecretLine[] = [];
  for (const [i, raw] of text.split("\n").entries()) {
    if (/^\s*(#|$)/.test(raw)) continue;
    const m = /^(.*?)\s+:\s+([A-Z0-9]+)\s+"([^"]*)"\s*$/.exec(raw);
    if (!m) throw new Error(`ipsec.secrets line ${i + 1}: not 'selectors : TYPE "secret"'`);
    out.push({ selectors: m[1]!.trim().split(/\s+/), type: m[2]!, secret: m[3]! });
  }
  return out;
}

/** A swanctl.conf section: values are strings, subsections are nested sections (key order kept). */
export interface Section {
  readonly [key: string]: string | Section;
}

export function parseSwanctl(text: string): Section {
  const tokens = tokenize(text);
  let pos = 0;
  const parseSection = (closing: boolean): Section => {
    const section: Record<string, string | Section> = {};
    for (;;) {
      const token = tokens[pos++];
      if (token === undefined) {
        if (closing) throw new Error("swanctl.conf: missing '}'");
        return section;
      }
      if (token.type === "close") {
        if (!closing) throw new Error(`swanctl.conf line ${token.line}: unexpected '}'`);
        return section;
      }
      if (token.type !== "name") throw new Error(`swanctl.conf line ${token.line}: expected a name`);
      const next = tokens[pos++];
      if (Object.hasOwn(section, token.text)) throw new Error(`swanctl.conf line ${token.line}: ${token.text} defined twice`);
      if (next?.type === "open") section[token.text] = parseSection(true);
      else if (next?.type === "value") section[token.text] = next.text;
      else throw new Error(`swanctl.conf line ${token.line}: expected '{' or '=' after ${token.text}`);
    }
  };
  return parseSection(false);
}

type Token = { type: "name" | "value"; text: string; line: number } | { type: "open" | "close"; line: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") line++;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "{" || c === "}") {
      tokens.push({ type: c === "{" ? "open" : "close", line });
      i++;
    } else if (c === "=") {
      i++;
      while (text[i] === " " || text[i] === "\t") i++;
      if (text[i] === '"') {
        let value = "";
        for (i++; text[i] !== '"'; i++) {
          if (i >= text.length || text[i] === "\n") throw new Error(`swanctl.conf line ${line}: unterminated string`);
          if (text[i] === "\\") {
            i++;
            value += text[i] === "n" ? "\n" : text[i] === "t" ? "\t" : text[i] === "r" ? "\r" : (text[i] ?? "");
          } else value += text[i];
        }
        i++;
        tokens.push({ type: "value", text: value, line });
      } else {
        const m = /^[^#}\n]*/.exec(text.slice(i))!;
        tokens.push({ type: "value", text: m[0].trim(), line });
        i += m[0].length;
      }
    } else {
      const m = /^[^\s#{}="]+/.exec(text.slice(i));
      if (!m) throw new Error(`swanctl.conf line ${line}: unexpected ${JSON.stringify(c)}`);
      tokens.push({ type: "name", text: m[0], line });
      i += m[0].length;
    }
  }
  return tokens;
}

/** The subsection at `path`, or throws naming what is missing. */
export function sectionAt(root: Section, ...path: string[]): Section {
  let node: string | Section = root;
  for (const key of path) {
    const next: string | Section | undefined = typeof node === "object" ? node[key] : undefined;
    if (next === undefined || typeof next === "string") throw new Error(`swanctl.conf: no section ${path.join(".")}`);
    node = next;
  }
  return node as Section;
}

/** Plain string values of a section (subsections left out). */
export function valuesOf(section: Section): Record<string, string> {
  return Object.fromEntries(Object.entries(section).filter((e): e is [string, string] => typeof e[1] === "string"));
}
