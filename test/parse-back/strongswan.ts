/**
 * Reads strongSwan configuration back (test-only): ipsec.conf (`conn` sections of `key=value` lines, with
 * `also=` and `conn %default` applied as starter does), ipsec.secrets (`selectors : PSK "secret"`) and
 * swanctl.conf (nested `name { key = value }` sections). Syntax per man ipsec.conf / ipsec.secrets and
 * strongSwan src/swanctl/swanctl.opt; comments (`#`) are dropped.
 */

export type Settings = Readonly<Record<string, string>>;

/** ipsec.conf → conn name → settings, with %default and also= merged in. */
export function parseIpsecConf(text: string): Map<string, Settings> {
  const sections = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const raw of text.split("\n")) {
    const line = stripComment(raw);
    if (!line.trim()) continue;
    if (!/^\s/.test(line)) {
      const [kind, name = ""] = line.trim().split(/\s+/);
      current = kind === "conn" ? (sections.get(name) ?? {}) : undefined;
      if (current) sections.set(name, current);
      continue;
    }
    const m = /^\s+([a-z_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m) throw new Error(`ipsec.conf: cannot read ${JSON.stringify(raw)}`);
    if (current) current[m[1]!] = unquote(m[2]!);
  }
  const defaults = sections.get("%default") ?? {};
  const resolve = (name: string, seen: string[] = []): Record<string, string> => {
    if (seen.includes(name)) throw new Error(`ipsec.conf: also= loop through ${name}`);
    const own = sections.get(name) ?? {};
    const inherited = (own.also ?? "").split(/\s+/).filter(Boolean).map((a) => resolve(a, [...seen, name]));
    return Object.assign({}, ...inherited, own);
  };
  const conns = new Map<string, Settings>();
  for (const name of sections.keys()) if (name !== "%default") conns.set(name, { ...defaults, ...resolve(name) });
  return conns;
}

export interface SecretLine {
  readonly selectors: readonly string[];
  readonly type: string;
  readonly secret: string;
}

export function parseIpsecSecrets(text: string): SecretLine[] {
  return text
    .split("\n")
    .map(stripComment)
    .filter((l) => l.trim())
    .map((line) => {
      const m = /^(.*?)\s:\s(PSK|RSA|ECDSA|XAUTH|EAP)\s+(.*?)\s*$/.exec(line);
      if (!m) throw new Error(`ipsec.secrets: cannot read ${JSON.stringify(line)}`);
      return { selectors: m[1]!.trim().split(/\s+/).filter(Boolean), type: m[2]!, secret: unquote(m[3]!) };
    });
}

export interface SwanctlSection {
  readonly [key: string]: string | SwanctlSection;
}

export function parseSwanctl(text: string): SwanctlSection {
  const root: Record<string, string | SwanctlSection> = {};
  const stack: Record<string, string | SwanctlSection>[] = [root];
  for (const raw of text.split("\n")) {
    const line = stripComment(raw).trim();
    if (!line) continue;
    const top = stack[stack.length - 1]!;
    let m: RegExpExecArray | null;
    if ((m = /^([^\s{}=]+)\s*\{$/.exec(line))) {
      const section: Record<string, string | SwanctlSection> = {};
      top[m[1]!] = section;
      stack.push(section);
    } else if (line === "}") {
      if (stack.length === 1) throw new Error("swanctl.conf: unbalanced }");
      stack.pop();
    } else if ((m = /^([^\s{}=]+)\s*=\s*(.*)$/.exec(line))) top[m[1]!] = unquote(m[2]!);
    else throw new Error(`swanctl.conf: cannot read ${JSON.stringify(raw)}`);
  }
  if (stack.length !== 1) throw new Error("swanctl.conf: unclosed section");
  return root;
}

/** `#` starts a comment at line start or after whitespace, outside double quotes. */
function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === "#" && !quoted && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

function unquote(value: string): string {
  return /^".*"$/.test(value) ? value.slice(1, -1) : value;
}
