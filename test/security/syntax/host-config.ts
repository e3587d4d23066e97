/**
 * Host configuration files read by systemd:
 * - unit files (systemd.syntax(7)): `[Section]`, `Key=Value`; lines starting with `#` or `;` are comments; a
 *   line ending in `\` continues on the next one (comment lines inside a continuation are skipped).
 * - sysctl.d (sysctl.d(5)): `key = value`, `-key = value` (errors ignored); `#` and `;` start comments.
 */
import { linesOf, StructureBuilder, type Structure } from "./structure.js";

export function systemdUnit(content: string): Structure {
  const out = new StructureBuilder();
  let section: string | undefined;
  let pending = "";
  for (const raw of linesOf(content)) {
    const line = raw.trim();
    if (/^[#;]/.test(line) || (!line && !pending)) continue;
    if (line.endsWith("\\")) {
      pending += line.slice(0, -1) + " ";
      continue;
    }
    const logical = (pending + line).trim();
    pending = "";
    if (/^\[[^\]]+\]$/.test(logical)) {
      section = logical;
      out.add(`section ${section}`, "section");
      continue;
    }
    const kv = /^([A-Za-z0-9-]+)\s*=\s*(.*)$/.exec(logical);
    if (!kv || !section) {
      out.problem(`systemd: cannot read ${JSON.stringify(logical)}`);
      continue;
    }
    out.add(`key ${section} ${kv[1]}=${kv[2]}`, `key ${kv[1]}`);
  }
  if (pending) out.problem("systemd: file ends inside a continued line");
  return out.build();
}

export function sysctlConf(content: string): Structure {
  const out = new StructureBuilder();
  for (const raw of linesOf(content)) {
    const line = raw.trim();
    if (!line || /^[#;]/.test(line)) continue;
    const kv = /^(-?)([A-Za-z0-9_./*-]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) {
      out.problem(`sysctl: cannot read ${JSON.stringify(line)}`);
      continue;
    }
    const key = kv[2]!;
    out.add(`set ${kv[1]}${key}=${kv[3]}`, `set ${kv[1]}${key.split(/[./]/).length} ${key.split(/[./]/).pop()}`);
  }
  return out.build();
}
