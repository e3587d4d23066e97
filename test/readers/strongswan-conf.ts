/**
 * strongSwan's legacy (starter/stroke) configuration, read as strongSwan reads it:
 *
 * - ipsec.conf: the starter lexer and grammar (strongSwan src/starter/parser/lexer.l and parser.y). A line at
 *   column 0 opens a section (`config setup`, `conn [NAME]`, `ca [NAME]`); an indented line is a setting
 *   `key=value` of the section above; a value is one or more words or double-quoted strings, joined by one
 *   space. `#` starts a comment outside a quoted string (except in a word starting `@#`). `include PATTERN`
 *   is taken by the lexer wherever it appears, even inside a value. `%default` and `also=` are applied as
 *   starter applies them by ipsecConns().
 * - ipsec.secrets: one secret per line, `SELECTORS : TYPE SECRET` (strongSwan
 *   src/libcharon/plugins/stroke/stroke_cred.c load_secrets), `include PATTERN`, `#` comments.
 *
 * Stricter than strongSwan where sitewire never writes what strongSwan would accept: a quoted string must end
 * on its line (strongSwan lets one run across lines), a key is a plain word, a key or a conn appears once.
 * swanctl.conf and strongswan.conf have another syntax: ./swanctl.ts.
 */
import { ReadError, StructureBuilder, structureOf, type Structure } from "./reader.js";

export type Settings = Readonly<Record<string, string>>;

export interface IpsecSetting {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

export interface IpsecSection {
  readonly type: "config" | "conn" | "ca";
  /** "" for an unnamed section (`conn` alone). */
  readonly name: string;
  /** The header's line. */
  readonly line: number;
  /** The section's last line: the line before the next line at column 0 that is a statement, or the file's last. */
  readonly end: number;
  readonly settings: readonly IpsecSetting[];
}

export interface Include {
  readonly pattern: string;
  readonly line: number;
}

/** Every statement in file order. */
export type IpsecConfStatement =
  | { readonly kind: "section"; readonly section: IpsecSection }
  | { readonly kind: "setting"; readonly section: IpsecSection; readonly setting: IpsecSetting }
  | { readonly kind: "include"; readonly include: Include };

export interface IpsecConf {
  readonly sections: readonly IpsecSection[];
  readonly statements: readonly IpsecConfStatement[];
}

const CONF = "ipsec.conf";

type Token = { readonly kind: "word" | "string" | "eq"; readonly text: string };

/** The tokens of one line (lexer.l), includes taken out as the lexer takes them. */
function tokenize(raw: string, line: number, includes: Include[]): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === " " || c === "\t") i++;
    else if (c === "#") break;
    else if (c === "=") {
      tokens.push({ kind: "eq", text: "=" });
      i++;
    } else if (c === '"') {
      const [text, next] = quoted(raw, i, line, CONF);
      tokens.push({ kind: "string", text });
      i = next;
    } else if (raw.startsWith("include", i) && /^[\t ]+[^=\t ]/.test(raw.slice(i + 7)) && (i === 0 || /[\t =]/.test(raw[i - 1]!))) {
      // `"include"[\t ]+/[^=]`: the pattern runs to a blank or `#` (backslash escapes), or is one quoted string.
      i += 7;
      while (raw[i] === " " || raw[i] === "\t") i++;
      let pattern = "";
      if (raw[i] === '"') [pattern, i] = quoted(raw, i, line, CONF);
      else
        for (; i < raw.length && !/[#\t ]/.test(raw[i]!); i++) {
          if (raw[i] === "\\" && /["#} ]/.test(raw[i + 1] ?? "")) i++;
          pattern += raw[i];
        }
      includes.push({ pattern, line });
    } else {
      // `(@#)?[^"#= \t\n]+`
      let j = raw.startsWith("@#", i) ? i + 2 : i;
      while (j < raw.length && !/["#= \t]/.test(raw[j]!)) j++;
      tokens.push({ kind: "word", text: raw.slice(i, j) });
      i = j;
    }
  }
  return tokens;
}

/**
 * A double-quoted string starting at `start` (lexer.l `<str>`): `\n`, `\r`, `\t` and `\<char>` escapes.
 * Returns its text and the index after the closing quote; a string still open at the end of the line is refused.
 */
export function quoted(raw: string, start: number, line: number, syntax: string): [string, number] {
  let text = "";
  for (let i = start + 1; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"') return [text, i + 1];
    if (c === "\\") {
      const e = raw[++i];
      if (e === undefined) break;
      text += e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e;
    } else text += c;
  }
  throw new ReadError(syntax, line, "a quoted string does not end on its line (strongSwan would read on into the next lines)");
}

export function readIpsecConf(text: string): IpsecConf {
  const sections: { type: IpsecSection["type"]; name: string; line: number; end: number; settings: IpsecSetting[] }[] = [];
  const statements: IpsecConfStatement[] = [];
  const conns = new Set<string>();
  const lines = text.split("\n");
  lines.forEach((raw, index) => {
    const line = index + 1;
    // `^[\t ]*"version"[^\n]*$`: a legacy version declaration, eaten whole.
    if (/^[\t ]*version/.test(raw)) return;
    const includes: Include[] = [];
    const tokens = tokenize(raw, line, includes);
    for (const include of includes) statements.push({ kind: "include", include });
    if (tokens.length === 0) return;
    const current = sections.at(-1);
    if (!/^[\t ]/.test(raw)) {
      if (current) current.end = line - 1;
      const [head, ...rest] = tokens.map((t) => t.text);
      const type: IpsecSection["type"] | undefined = head === "config" && rest[0] === "setup" && raw.startsWith("config setup") ? "config" : head === "conn" || head === "ca" ? head : undefined;
      if (!type || tokens[0]!.kind !== "word") throw new ReadError(CONF, line, `a line at column 0 must open a section (config setup, conn, ca): ${JSON.stringify(raw)}`);
      const names = type === "config" ? rest.slice(1) : rest;
      if (names.length > 1 || tokens.some((t) => t.kind === "eq")) throw new ReadError(CONF, line, `a section header takes one name: ${JSON.stringify(raw)}`);
      const name = type === "config" ? "setup" : (names[0] ?? "");
      if (type === "conn") {
        if (conns.has(name)) throw new ReadError(CONF, line, `conn ${name} appears twice`);
        conns.add(name);
      }
      const section = { type, name, line, end: lines.length, settings: [] as IpsecSetting[] };
      sections.push(section);
      statements.push({ kind: "section", section });
      return;
    }
    if (!current) throw new ReadError(CONF, line, `a setting before any section: ${JSON.stringify(raw)}`);
    const [key, eq, ...value] = tokens;
    if (key?.kind !== "word" || eq?.kind !== "eq") throw new ReadError(CONF, line, `not a key=value setting: ${JSON.stringify(raw)}`);
    if (!/^[A-Za-z0-9_]+$/.test(key.text)) throw new ReadError(CONF, line, `not a plain key: ${JSON.stringify(key.text)}`);
    if (value.some((t) => t.kind === "eq")) throw new ReadError(CONF, line, `a second '=' in a setting: ${JSON.stringify(raw)}`);
    if (current.settings.some((s) => s.key === key.text)) throw new ReadError(CONF, line, `${key.text} appears twice in ${current.type} ${current.name}`);
    const setting = { key: key.text, value: value.map((t) => t.text).join(" "), line };
    current.settings.push(setting);
    statements.push({ kind: "setting", section: current, setting });
  });
  return { sections, statements };
}

/** ipsec.conf → conn name → settings, with `conn %default` and `also=` applied as starter applies them. */
export function ipsecConns(text: string): Map<string, Settings> {
  const parsed = readIpsecConf(text).sections.filter((s) => s.type === "conn");
  const byName = new Map(parsed.map((s) => [s.name, Object.fromEntries(s.settings.map((k) => [k.key, k.value])) as Record<string, string>]));
  const defaults = byName.get("%default") ?? {};
  const resolve = (name: string, seen: readonly string[] = []): Record<string, string> => {
    if (seen.includes(name)) throw new ReadError(CONF, 0, `also= loop through ${name}`);
    const own = byName.get(name);
    if (!own) throw new ReadError(CONF, 0, `also=${name} names no conn`);
    const inherited = (own.also ?? "").split(/\s+/).filter(Boolean).map((a) => resolve(a, [...seen, name]));
    return Object.assign({}, ...inherited, own);
  };
  const conns = new Map<string, Settings>();
  for (const name of byName.keys()) if (name !== "%default") conns.set(name, { ...defaults, ...resolve(name) });
  return conns;
}

/** The `conn` names of an ipsec.conf, in file order, without %default. */
export function ipsecConnNames(text: string): string[] {
  return readIpsecConf(text)
    .sections.filter((s) => s.type === "conn" && s.name !== "%default")
    .map((s) => s.name);
}

export function ipsecConfStructure(content: string): Structure {
  return structureOf(content, readIpsecConf, (conf, out) => {
    for (const s of conf.statements) {
      if (s.kind === "section") out.add(`section ${s.section.type} ${s.section.name}`, `section ${s.section.type}`);
      else if (s.kind === "setting") out.add(`key ${s.setting.key}=${s.setting.value}`, `key ${s.setting.key}`);
      else out.add(`include ${s.include.pattern}`, "include");
    }
  });
}

// ---------------------------------------------------------------------------------------------------------
// ipsec.secrets
// ---------------------------------------------------------------------------------------------------------

export interface SecretLine {
  readonly selectors: readonly string[];
  readonly type: string;
  readonly secret: string;
  readonly line: number;
}

export type IpsecSecretsStatement = { readonly kind: "secret"; readonly secret: SecretLine } | { readonly kind: "include"; readonly include: Include };

const SECRETS = "ipsec.secrets";
const SECRET_TYPES = new Set(["PSK", "RSA", "ECDSA", "BLISS", "PKCS8", "PKCS12", "P12", "EAP", "XAUTH", "NTLM", "PIN"]);

export function readIpsecSecrets(text: string): IpsecSecretsStatement[] {
  const out: IpsecSecretsStatement[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    const rest = raw.replace(/^[\t ]+/, "");
    if (!rest || rest.startsWith("#")) return;
    const include = /^include[\t ]+(\S+)[\t ]*(?:#.*)?$/.exec(rest);
    if (include) {
      out.push({ kind: "include", include: { pattern: include[1]!, line } });
      return;
    }
    // Selectors up to a ':' standing alone outside quotes (strongSwan splits at " : ", so IPv6 addresses keep their
    // colons: src/libcharon/plugins/stroke/stroke_cred.c load_secrets, extract_token_str(&ids, " : ", &line)), then
    // the type, then one secret, then nothing but a comment.
    const selectors: string[] = [];
    let i = 0;
    for (;;) {
      while (rest[i] === " " || rest[i] === "\t") i++;
      if (i >= rest.length) throw new ReadError(SECRETS, line, `missing ':' separator: ${JSON.stringify(raw)}`);
      if (rest[i] === ":" && (rest[i + 1] === " " || rest[i + 1] === "\t")) break;
      if (rest[i] === '"') {
        const end = rest.indexOf('"', i + 1);
        if (end < 0) throw new ReadError(SECRETS, line, `unterminated selector: ${JSON.stringify(raw)}`);
        selectors.push(rest.slice(i + 1, end));
        i = end + 1;
      } else {
        const m = /^[^\s"]+/.exec(rest.slice(i))!;
        selectors.push(m[0]);
        i += m[0].length;
      }
    }
    const m = /^:[\t ]+(\S+)[\t ]+("[^"]*"|'[^']*'|[^\s"'#]+)[\t ]*(#.*)?$/.exec(rest.slice(i));
    if (!m) throw new ReadError(SECRETS, line, `not 'SELECTORS : TYPE SECRET': ${JSON.stringify(raw)}`);
    if (!SECRET_TYPES.has(m[1]!)) throw new ReadError(SECRETS, line, `unknown secret type ${m[1]}`);
    const secret = /^["']/.test(m[2]!) ? m[2]!.slice(1, -1) : m[2]!;
    out.push({ kind: "secret", secret: { selectors, type: m[1]!, secret, line } });
  });
  return out;
}

/** The secret lines of an ipsec.secrets (includes left out). */
export function ipsecSecrets(text: string): SecretLine[] {
  return readIpsecSecrets(text).flatMap((s) => (s.kind === "secret" ? [s.secret] : []));
}

export function ipsecSecretsStructure(content: string): Structure {
  return structureOf(content, readIpsecSecrets, (statements, out: StructureBuilder) => {
    for (const s of statements) {
      if (s.kind === "include") out.add(`include ${s.include.pattern}`, "include");
      else out.add(`secret ${s.secret.type} ${s.secret.selectors.join(" ")} ${s.secret.secret}`, `secret ${s.secret.type} ${s.secret.selectors.length}`);
    }
  });
}
