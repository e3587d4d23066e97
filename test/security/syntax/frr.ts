/**
 * FRRouting frr.conf as vtysh / the daemons read it (FRR 8.4 lib/command.c, vtysh/vtysh_config.c): one command
 * per line; a line whose first non-blank character is `!` or `#` is a comment; leading blanks only indent.
 * `description` (neighbor … description, route-map description) takes the rest of the line as text, which
 * sitewire fills only with a tunnel name. `banner motd line` would also take text: flagged, sitewire never
 * emits it. Shape: the indentation and the command's keywords (values — names, numbers, addresses — left out).
 */
import { linesOf, StructureBuilder, type Structure } from "./structure.js";

/** A word that is a value, not a keyword: numbers, addresses, prefixes, sitewire-made names. */
function isValue(word: string): boolean {
  return /^[0-9][0-9./:]*$/.test(word) || /^sitewire-/.test(word);
}

export function frrConfig(content: string): Structure {
  const out = new StructureBuilder();
  for (const raw of linesOf(content)) {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith("!") || trimmed.startsWith("#")) continue;
    const indent = raw.length - raw.trimStart().length;
    if (/[^\x20-\x7e]/.test(raw)) out.problem(`FRR: non-printable or non-ASCII character in ${JSON.stringify(raw)}`);
    const words = trimmed.split(/\s+/);
    if (words[0] === "banner") out.problem(`FRR: banner takes text: ${JSON.stringify(raw)}`);
    // hostname and description carry names: the shape keeps the keyword only.
    const cut = words.indexOf("description");
    const keywords = (cut >= 0 ? words.slice(0, cut + 1) : words[0] === "hostname" ? ["hostname"] : words).filter((w) => !isValue(w));
    out.add(`${indent} ${trimmed}`, `${indent} ${keywords.join(" ")}`);
  }
  return out.build();
}
