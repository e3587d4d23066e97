/**
 * FortiOS CLI configuration text (`config … / edit … / set … / next / end`) as the FortiGate CLI reads a script,
 * one command per line (FortiOS CLI Reference, "Command syntax" and "Tips":
 * https://docs.fortinet.com/document/fortigate/6.0.0/cli-reference/799476/tips).
 *
 * Grammar, strict on purpose (sitewire writes exactly this; anything else is refused with a ReadError):
 *   file     := (comment | config)*           comment: a line starting with `#` at column 0, outside every block
 *   config   := "config" word+  (set | unset | config | edit)*  "end"
 *   edit     := "edit" value    (set | unset | config)*          "next"
 *   set      := "set" key value+               unset := "unset" key
 *   value    := a bare word [A-Za-z0-9._:/@-]+ | a double-quoted string without `"`, `'`, `\` or `?` inside
 * Indentation must be 4 spaces per open block (what FortiOS `show` prints and sitewire writes), so a line that
 * moved into another block is seen. Refused besides: any other first word (execute, delete, purge, move, show,
 * abort, …), a character outside printable ASCII (a tab completes a command when pasted), a backslash (it
 * escapes the next character, and at the end of a line continues the command on the next line), `?` (opens the
 * CLI help), a single quote, an unterminated string, `set`/`unset` outside a block, an `edit` left without
 * `next`, a `config` left without `end`, a key set twice in one block, the same `edit` twice in one `config`.
 */
import { NOT_PRINTABLE_ASCII, ReadError, structureOf, type Structure } from "./reader.js";

const SYNTAX = "FortiOS";
const INDENT = 4;

export interface FosSetting {
  readonly key: string;
  /** Unquoted values; empty for `unset`. */
  readonly values: readonly string[];
  readonly unset: boolean;
  readonly line: number;
}

export interface FosBlock {
  readonly settings: FosSetting[];
  readonly configs: FosConfig[];
}

export interface FosConfig extends FosBlock {
  /** `config vpn ipsec phase1-interface` → "vpn ipsec phase1-interface". */
  readonly path: string;
  readonly edits: FosEdit[];
  readonly line: number;
}

export interface FosEdit extends FosBlock {
  readonly key: string;
  readonly line: number;
}

type Frame = { kind: "config"; node: FosConfig } | { kind: "edit"; node: FosEdit };

/** The top-level `config` blocks of a FortiOS file, in order. Throws ReadError on anything outside the grammar. */
export function readFortios(text: string): FosConfig[] {
  const top: FosConfig[] = [];
  const stack: Frame[] = [];
  const lines = text.split("\n");
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const fail = (what: string): never => {
      throw new ReadError(SYNTAX, lineNo, `${what}: ${JSON.stringify(raw)}`);
    };
    if (NOT_PRINTABLE_ASCII.test(raw)) fail("a character outside printable ASCII");
    if (raw === "" && index === lines.length - 1) return;
    if (raw.trim() === "") return;
    if (raw.startsWith("#")) {
      if (stack.length) fail("a comment inside a block");
      return;
    }
    const indent = raw.length - raw.trimStart().length;
    const tokens = tokenize(raw.trimStart(), fail);
    const [verb, ...args] = tokens;
    if (!verb || verb.quoted) fail("a line that starts with no command");
    const command = verb!.text;
    const frame = stack[stack.length - 1];
    if (command === "end" && frame?.kind === "edit") fail("end while an edit is open (missing next)");
    if (command === "end" && frame?.kind !== "config") fail("end without an open config");
    if (command === "next" && frame?.kind !== "edit") fail("next without an open edit");
    const closes = command === "next" || command === "end";
    const depth = closes ? stack.length - 1 : stack.length;
    if (indent !== depth * INDENT || raw.endsWith(" ")) fail(`indentation ${indent} where ${depth * INDENT} spaces belong`);
    const block: FosBlock | undefined = frame?.node;
    switch (command) {
      case "config": {
        if (args.length === 0 || args.some((a) => a.quoted || !/^[a-z0-9][a-z0-9-]*$/.test(a.text))) fail("config takes one or more keywords");
        const node: FosConfig = { path: args.map((a) => a.text).join(" "), settings: [], configs: [], edits: [], line: lineNo };
        (block ? block.configs : top).push(node);
        stack.push({ kind: "config", node });
        return;
      }
      case "edit": {
        if (frame?.kind !== "config") fail("edit outside a config block");
        if (args.length !== 1) fail("edit takes one name");
        const key = args[0]!.text;
        const config = (frame as { node: FosConfig }).node;
        if (config.edits.some((e) => e.key === key)) fail(`edit ${JSON.stringify(key)} twice in one config block`);
        const node: FosEdit = { key, settings: [], configs: [], line: lineNo };
        config.edits.push(node);
        stack.push({ kind: "edit", node });
        return;
      }
      case "set":
      case "unset": {
        if (!block) fail(`${command} outside a block`);
        const [key, ...values] = args;
        if (!key || key.quoted || !/^[a-z0-9][a-z0-9-]*$/.test(key.text)) fail(`${command} needs a keyword`);
        if (command === "set" && values.length === 0) fail("set without a value");
        if (command === "unset" && values.length > 0) fail("unset takes no value");
        if (block!.settings.some((s) => s.key === key!.text)) fail(`${key!.text} set twice in one block`);
        block!.settings.push({ key: key!.text, values: values.map((v) => v.text), unset: command === "unset", line: lineNo });
        return;
      }
      case "next": {
        if (frame?.kind !== "edit") fail("next without an open edit");
        if (args.length) fail("next takes nothing");
        stack.pop();
        return;
      }
      case "end": {
        if (frame?.kind === "edit") fail("end while an edit is open (missing next)");
        if (frame?.kind !== "config") fail("end without an open config");
        if (args.length) fail("end takes nothing");
        stack.pop();
        return;
      }
      default:
        fail(`a statement outside the grammar (${command})`);
    }
  });
  if (stack.length) {
    const open = stack[stack.length - 1]!;
    throw new ReadError(SYNTAX, open.node.line, open.kind === "edit" ? `edit ${JSON.stringify(open.node.key)} is never closed with next` : `config ${(open.node as FosConfig).path} is never closed with end`);
  }
  return top;
}

interface Token {
  readonly text: string;
  readonly quoted: boolean;
}

function tokenize(line: string, fail: (what: string) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === " ") {
      if (line[i + 1] === " ") fail("two spaces between words");
      i++;
      continue;
    }
    if (c === "\\") fail("a backslash (escapes the next character, or continues the line)");
    if (c === "?") fail("a question mark (opens the CLI help)");
    if (c === "'") fail("a single quote");
    if (c === '"') {
      const close = line.indexOf('"', i + 1);
      if (close < 0) fail("an unterminated string");
      const text = line.slice(i + 1, close);
      if (/[\\?']/.test(text)) fail("a backslash, question mark or single quote inside a string");
      if (text === "") fail("an empty string");
      const after = line[close + 1];
      if (after !== undefined && after !== " ") fail("a string glued to the next word");
      tokens.push({ text, quoted: true });
      i = close + 1;
      continue;
    }
    let j = i;
    while (j < line.length && line[j] !== " ") j++;
    const word = line.slice(i, j);
    if (!/^[A-Za-z0-9._:/@-]+$/.test(word)) fail(`a word outside [A-Za-z0-9._:/@-]: ${JSON.stringify(word)}`);
    tokens.push({ text: word, quoted: false });
    i = j;
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------------------
// Lookups for parse-back
// ---------------------------------------------------------------------------------------------------------

/** Every top-level `config <path>` block (a file may open one path more than once). */
export function configs(tree: readonly FosConfig[], path: string): FosConfig[] {
  return tree.filter((c) => c.path === path);
}

/** The `edit <key>` entries of every top-level `config <path>` block, in order. */
export function entries(tree: readonly FosConfig[], path: string): FosEdit[] {
  return configs(tree, path).flatMap((c) => c.edits);
}

export function entry(tree: readonly FosConfig[], path: string, key: string): FosEdit | undefined {
  return entries(tree, path).find((e) => e.key === key);
}

/** The values of `set <key>` in a block; undefined when not set (or unset). */
export function values(block: FosBlock | undefined, key: string): readonly string[] | undefined {
  const s = block?.settings.find((x) => x.key === key);
  return s && !s.unset ? s.values : undefined;
}

/** The single value of `set <key>`; undefined when not set or when it has several. */
export function value(block: FosBlock | undefined, key: string): string | undefined {
  const v = values(block, key);
  return v && v.length === 1 ? v[0] : undefined;
}

export function isUnset(block: FosBlock | undefined, key: string): boolean {
  return block?.settings.some((x) => x.key === key && x.unset) ?? false;
}

/** A nested `config <path>` block inside an edit or config block. */
export function sub(block: FosBlock | undefined, path: string): FosConfig | undefined {
  return block?.configs.find((c) => c.path === path);
}

/**
 * Every statement with its block path; `comments` values left out (free text). Shape: the block path and the
 * statement's keyword, with names (edit keys) and values left out.
 */
export function fortiosStructure(content: string): Structure {
  return structureOf(content, readFortios, (tree, out) => {
    const walk = (config: FosConfig, full: string, shape: string) => {
      const [f, sh] = [`${full}config ${config.path}`, `${shape}config ${config.path}`];
      out.add(f, sh);
      const block = (b: FosBlock, bf: string, bs: string) => {
        for (const s of b.settings) {
          const verb = s.unset ? "unset" : "set";
          const text = s.key === "comments" || s.unset ? `${verb} ${s.key}` : `${verb} ${s.key} ${s.values.join(" ")}`;
          out.add(`${bf} ${text}`, `${bs} ${verb} ${s.key}`);
        }
        for (const c of b.configs) walk(c, `${bf} / `, `${bs} / `);
      };
      block(config, f, sh);
      for (const e of config.edits) {
        out.add(`${f} edit ${e.key}`, `${sh} edit`);
        block(e, `${f} edit ${e.key}`, `${sh} edit`);
      }
    };
    for (const c of tree) walk(c, "", "");
  });
}
