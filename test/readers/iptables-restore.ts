/**
 * iptables-restore input, and iptables-save output (the same syntax), read as iptables-restore reads it
 * (iptables 1.8 iptables/iptables-restore.c and xshared.c add_param_to_argv): a line starting with `#` is a
 * comment, `*table` opens a table, `:CHAIN POLICY [packets:bytes]` declares a chain, `COMMIT` closes the
 * table, any other line is one iptables command whose words are split at blanks, a double-quoted run being
 * one word (backslash escapes inside it).
 *
 * Refused: a command outside a table, a table opened before the last one's COMMIT, a table never committed,
 * an unterminated quote, a chain line that is not `:NAME POLICY [p:b]`, a line that is not an iptables
 * command.
 */
import { ReadError, structureOf, type Structure } from "./reader.js";

export interface IptablesRule {
  /** The command as written (one line). */
  readonly text: string;
  /** Its words as iptables sees them (quotes removed). */
  readonly words: readonly string[];
  readonly line: number;
}

export interface IptablesChain {
  readonly name: string;
  /** ACCEPT / DROP / …, or `-` for a chain of one's own. */
  readonly policy: string;
  readonly line: number;
}

export interface IptablesTable {
  readonly name: string;
  readonly line: number;
  readonly chains: readonly IptablesChain[];
  readonly rules: readonly IptablesRule[];
}

const SYNTAX = "iptables-restore";

/** Commands iptables-restore passes on (iptables(8)): append, insert, delete, replace, new/delete/rename chain, flush, zero, policy. */
const COMMANDS = new Set(["-A", "--append", "-I", "--insert", "-D", "--delete", "-R", "--replace", "-N", "--new-chain", "-X", "--delete-chain", "-E", "--rename-chain", "-F", "--flush", "-Z", "--zero", "-P", "--policy"]);

export function readIptablesRestore(text: string): IptablesTable[] {
  const tables: IptablesTable[] = [];
  let current: { name: string; line: number; chains: IptablesChain[]; rules: IptablesRule[] } | undefined;
  text.split("\n").forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith("#")) return;
    if (trimmed.startsWith("*")) {
      if (current) throw new ReadError(SYNTAX, line, `table ${trimmed} opened before COMMIT of *${current.name}`);
      if (!/^\*[a-z]+$/.test(trimmed)) throw new ReadError(SYNTAX, line, `not a table name: ${JSON.stringify(trimmed)}`);
      current = { name: trimmed.slice(1), line, chains: [], rules: [] };
      return;
    }
    if (!current) throw new ReadError(SYNTAX, line, `outside a table: ${JSON.stringify(trimmed)}`);
    if (trimmed === "COMMIT") {
      tables.push(current);
      current = undefined;
    } else if (trimmed.startsWith(":")) {
      const m = /^:(\S+)\s+(\S+)(?:\s+\[\d+:\d+\])?$/.exec(trimmed);
      if (!m) throw new ReadError(SYNTAX, line, `not a chain line ':NAME POLICY [p:b]': ${JSON.stringify(trimmed)}`);
      current.chains.push({ name: m[1]!, policy: m[2]!, line });
    } else {
      const words = ruleWords(trimmed, line);
      if (!COMMANDS.has(words[0]!)) throw new ReadError(SYNTAX, line, `not an iptables command: ${JSON.stringify(trimmed)}`);
      current.rules.push({ text: trimmed, words, line });
    }
  });
  if (current) throw new ReadError(SYNTAX, text.split("\n").length, `*${current.name} never committed`);
  return tables;
}

/** xshared.c add_param_to_argv: blanks split words, except inside double quotes; a backslash escapes the next character there. */
function ruleWords(line: string, lineNo: number): string[] {
  const words: string[] = [];
  let word = "";
  let quoted = false;
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === "\\" && i + 1 < line.length) word += line[++i];
      else if (c === '"') quoted = false;
      else word += c;
    } else if (c === '"') {
      quoted = true;
      inWord = true;
    } else if (c === " " || c === "\t") {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quoted) throw new ReadError(SYNTAX, lineNo, `unterminated quote in ${JSON.stringify(line)}`);
  if (inWord) words.push(word);
  return words;
}

export interface TableContent {
  /** Chain → policy (built-in chains: ACCEPT, DROP…; one's own: `-`). */
  readonly policies: ReadonlyMap<string, string>;
  /** `-A …` commands as written, in order. */
  readonly rules: readonly string[];
}

/** Table name → its chain policies and `-A` rules (a table given twice is merged, as a second restore would add to it). */
export function iptablesTables(text: string): Map<string, TableContent> {
  const out = new Map<string, { policies: Map<string, string>; rules: string[] }>();
  for (const t of readIptablesRestore(text)) {
    const into = out.get(t.name) ?? { policies: new Map<string, string>(), rules: [] };
    for (const c of t.chains) into.policies.set(c.name, c.policy);
    for (const r of t.rules) if (r.words[0] === "-A" || r.words[0] === "--append") into.rules.push(r.text);
    out.set(t.name, into);
  }
  return out;
}

/**
 * Tables, chains with their policy, commands with every word. Shape: `table`, `chain POLICY`, and each rule's
 * options (words starting with `-`), values left out.
 */
export function iptablesStructure(content: string): Structure {
  return structureOf(content, readIptablesRestore, (tables, out) => {
    for (const t of tables) {
      out.add(`table ${t.name}`, "table");
      for (const c of t.chains) out.add(`chain ${t.name} ${c.name} ${c.policy}`, `chain ${c.policy}`);
      for (const r of t.rules) out.add(`rule ${t.name} ${r.words.map((w) => JSON.stringify(w)).join(" ")}`, `rule ${r.words.filter((w) => w.startsWith("-")).join(" ")}`);
      out.add("commit", "commit");
    }
  });
}
