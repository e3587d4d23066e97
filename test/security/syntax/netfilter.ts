/**
 * iptables-restore input, read as iptables-restore reads it (iptables 1.8 iptables/iptables-restore.c and
 * xshared.c add_param_to_argv): a line starting with `#` is a comment, `*table` opens a table, `:CHAIN POLICY
 * [p:b]` declares a chain, `COMMIT` closes the table, anything else is one rule whose words are split at
 * blanks, a double-quoted run being one word (backslash escapes inside it).
 */
import { linesOf, StructureBuilder, type Structure } from "./structure.js";

export function iptablesRestore(content: string): Structure {
  const out = new StructureBuilder();
  let table: string | undefined;
  for (const raw of linesOf(content)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    if (line.startsWith("*")) {
      if (table) out.problem(`iptables: table ${line} opened before COMMIT of *${table}`);
      table = line.slice(1);
      out.add(`table ${table}`, "table");
    } else if (line === "COMMIT") {
      if (!table) out.problem("iptables: COMMIT outside a table");
      table = undefined;
      out.add("commit", "commit");
    } else if (line.startsWith(":")) {
      const [chain = "", policy = ""] = line.slice(1).split(/\s+/);
      out.add(`chain ${table} ${chain} ${policy}`, `chain ${policy}`);
    } else {
      const words = ruleWords(line, out);
      if (!table) out.problem(`iptables: rule outside a table ${JSON.stringify(line)}`);
      if (words[0] !== "-A" && words[0] !== "-I") out.problem(`iptables: not a rule ${JSON.stringify(line)}`);
      out.add(`rule ${table} ${words.map((w) => JSON.stringify(w)).join(" ")}`, `rule ${words.filter((w) => w.startsWith("-")).join(" ")}`);
    }
  }
  if (table) out.problem(`iptables: *${table} never committed`);
  return out.build();
}

function ruleWords(line: string, out: StructureBuilder): string[] {
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
  if (quoted) out.problem(`iptables: unterminated quote in ${JSON.stringify(line)}`);
  if (inWord) words.push(word);
  return words;
}
