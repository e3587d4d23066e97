/**
 * One quoting helper per output syntax. Every intent value that reaches an artifact as text either has a
 * type that cannot carry syntax (a parsed address, an integer, a name matching a strict pattern) or passes
 * through exactly one of these. Each refuses control characters outright: the schema already rejects them,
 * so reaching one here is a bug, and failing loudly beats emitting a file with an extra line.
 */

export function refuseControl(value: string, syntax: string): string {
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value))
    throw new Error(`internal: a control character reached a ${syntax} value; the schema should have rejected it`);
  return value;
}

/** POSIX shell: one single-quoted word. */
export function shellQuote(value: string): string {
  refuseControl(value, "shell");
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * iptables-restore: only double quotes group words (backslash escapes inside); comments ≤ 256 chars.
 * Source: iptables 1.8 iptables/xshared.c add_param_to_argv (quote handling).
 */
export function iptablesQuote(value: string): string {
  refuseControl(value, "iptables");
  const clipped = [...value].slice(0, 240).join("");
  return `"${clipped.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Text after `#` in ipsec.conf, swanctl.conf, sysctl.d, systemd units and shell: one line, nothing else. */
export function hashComment(value: string): string {
  return refuseControl(value, "comment");
}

/**
 * A strongSwan double-quoted value (ipsec.conf / ipsec.secrets / swanctl.conf). Neither format has an escape
 * for '"', so a value containing one is refused.
 * Source: strongSwan src/libstrongswan/settings/settings_lexer.l and src/starter/parser/lexer.l.
 */
export function strongswanString(value: string): string {
  refuseControl(value, "strongSwan");
  if (value.includes('"')) throw new Error('internal: a double quote reached a strongSwan string value');
  return `"${value}"`;
}
