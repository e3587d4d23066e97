/**
 * sysctl.d files as systemd-sysctl reads them (sysctl.d(5)): `key = value`, `-key = value` (errors ignored);
 * lines starting with `#` or `;` are comments. Refused: any other line.
 */
import { ReadError, structureOf, type Structure } from "./reader.js";

export interface SysctlSetting {
  readonly key: string;
  readonly value: string;
  /** `-key`: a failure to set it is ignored. */
  readonly ignoreErrors: boolean;
  readonly line: number;
}

export function readSysctl(text: string): SysctlSetting[] {
  const out: SysctlSetting[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (!line || /^[#;]/.test(line)) return;
    const kv = /^(-?)([A-Za-z0-9_./*-]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) throw new ReadError("sysctl.d", index + 1, `not a 'key = value' line: ${JSON.stringify(line)}`);
    out.push({ key: kv[2]!, value: kv[3]!, ignoreErrors: kv[1] === "-", line: index + 1 });
  });
  return out;
}

/** Each setting with its value. Shape: how many parts the key has and its last part. */
export function sysctlStructure(content: string): Structure {
  return structureOf(content, readSysctl, (settings, out) => {
    for (const s of settings) {
      const dash = s.ignoreErrors ? "-" : "";
      const parts = s.key.split(/[./]/);
      out.add(`set ${dash}${s.key}=${s.value}`, `set ${dash}${parts.length} ${parts.at(-1)}`);
    }
  });
}
