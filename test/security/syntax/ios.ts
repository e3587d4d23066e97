/**
 * Cisco IOS configuration text as the CLI takes it when pasted into `configure terminal`: one command per
 * line, `!` lines are comments, indentation marks sub-mode commands. `description` takes the rest of the line
 * as text (the only free text sitewire emits there). `banner` would read the following lines up to its
 * delimiter, so it is flagged: sitewire never emits one.
 */
import { linesOf, StructureBuilder, type Structure } from "./structure.js";

export function iosConfig(content: string): Structure {
  const out = new StructureBuilder();
  for (const raw of linesOf(content)) {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith("!")) continue;
    const indent = raw.length - raw.trimStart().length;
    const [command = ""] = trimmed.split(/\s+/);
    if (/[^\x20-\x7e]/.test(raw)) out.problem(`IOS: non-printable or non-ASCII character in ${JSON.stringify(raw)}`);
    if (command === "banner") out.problem(`IOS: banner reads the following lines: ${JSON.stringify(raw)}`);
    if (command === "description") out.add(`${indent} description`, `${indent} description`);
    else out.add(`${indent} ${trimmed}`, `${indent} ${command}`);
  }
  return out.build();
}
