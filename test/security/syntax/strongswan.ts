/**
 * strongSwan's three configuration syntaxes, tokenised the way charon and starter read them:
 * - ipsec.conf (starter, src/starter/parser/lexer.l + parser.y): `config setup`, `conn NAME`, `ca NAME` and
 *   `include PATH` at column 0; indented `key=value` lines belong to the section above.
 * - ipsec.secrets (src/libcharon/plugins/stroke/stroke_cred.c): `selectors : TYPE secret`, `include PATH`.
 * - swanctl.conf / strongswan.conf (src/libstrongswan/settings/settings_lexer.l): `name {`, `}`,
 *   `key = value`, `include PATH`, nested to any depth.
 * `#` starts a comment outside double quotes in all three.
 */
import { linesOf, StructureBuilder, withoutHashComment, type Structure } from "./structure.js";

export function ipsecConf(content: string): Structure {
  const out = new StructureBuilder();
  for (const raw of linesOf(content)) {
    const line = withoutHashComment(raw).trimEnd();
    if (!line.trim()) continue;
    if (/^\S/.test(line)) {
      const [keyword = "", ...rest] = line.split(/\s+/);
      if (!["config", "conn", "ca", "include"].includes(keyword)) out.problem(`ipsec.conf: unknown section line ${JSON.stringify(line)}`);
      out.add(`section ${keyword} ${rest.join(" ")}`, `section ${keyword}`);
      continue;
    }
    const kv = /^\s+([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) {
      out.problem(`ipsec.conf: not a key=value line ${JSON.stringify(line)}`);
      continue;
    }
    out.add(`key ${kv[1]}=${kv[2]}`, `key ${kv[1]}`);
  }
  return out.build();
}

export function ipsecSecrets(content: string): Structure {
  const out = new StructureBuilder();
  for (const raw of linesOf(content)) {
    const line = withoutHashComment(raw).trim();
    if (!line) continue;
    if (/^include\s/.test(line)) {
      out.add(`include ${line}`, "include");
      continue;
    }
    const m = /^(.*?)\s*:\s*(PSK|RSA|ECDSA|PKCS12|EAP|XAUTH|NTLM|PIN|P12)\s+(.*)$/.exec(line);
    if (!m) {
      out.problem(`ipsec.secrets: not a secret line ${JSON.stringify(line)}`);
      continue;
    }
    const selectors = m[1]!.split(/\s+/).filter(Boolean);
    out.add(`secret ${m[2]} ${selectors.join(" ")} ${m[3]}`, `secret ${m[2]} ${selectors.length}`);
  }
  return out.build();
}

/** swanctl.conf and strongswan.conf (the settings syntax). */
export function settings(content: string): Structure {
  const out = new StructureBuilder();
  const path: string[] = [];
  for (const raw of linesOf(content)) {
    const line = withoutHashComment(raw).trim();
    if (!line) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([^\s{}=]+)\s*\{$/.exec(line))) {
      path.push(m[1]!);
      out.add(`open ${path.join(".")}`, `open ${path.length}`);
    } else if (line === "}") {
      if (path.length === 0) out.problem("settings: '}' without a section");
      out.add(`close ${path.join(".")}`, `close ${path.length}`);
      path.pop();
    } else if ((m = /^include\s+(.*)$/.exec(line))) {
      out.add(`include ${m[1]}`, "include");
    } else if ((m = /^([^\s{}=]+)\s*=\s*(.*)$/.exec(line))) {
      out.add(`key ${[...path, m[1]].join(".")}=${m[2]}`, `key ${path.length} ${m[1]}`);
    } else {
      out.problem(`settings: cannot read ${JSON.stringify(line)}`);
    }
  }
  if (path.length > 0) out.problem(`settings: ${path.length} section(s) left open`);
  return out.build();
}
