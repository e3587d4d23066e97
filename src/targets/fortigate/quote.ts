/**
 * The only ways a string reaches a FortiOS CLI file. FortiOS reads one command per line; inside a string a
 * backslash escapes the next character, a backslash at the end of a line continues the command on the next line,
 * and `?` opens the CLI help (FortiOS CLI Reference, "Tips": https://docs.fortinet.com/document/fortigate/6.0.0/cli-reference/799476/tips;
 * FortiOS Handbook "Command syntax": quotes and backslashes in strings must be escaped).
 *
 * sitewire never needs any of that: every string it writes is a name it built from schema-checked names, an
 * address, or a secret placeholder. So instead of escaping, fortiosString refuses (throws on) anything that
 * could end the string, continue the line or start another command: control characters (newline, CR, tab, NUL,
 * DEL, C1, U+2028/U+2029), `"`, `'`, `\`, `?`, and anything outside printable ASCII. Intent descriptions are
 * never passed here: they are left out of the device file (the intent is the place to read them).
 */

const FORBIDDEN = /[^\x20-\x7e]|["'\\?]/;

function check(value: string, what: string): void {
  const bad = FORBIDDEN.exec(value);
  if (bad) throw new Error(`refusing to write ${what} ${JSON.stringify(value)} into a FortiOS file: character ${JSON.stringify(bad[0])} could end the string or start another command`);
}

/** A FortiOS string argument in double quotes: `"sitewire-61"`. Throws on anything that could break out. */
export function fortiosString(value: string): string {
  if (value.length === 0) throw new Error("refusing to write an empty string into a FortiOS file");
  check(value, "the string");
  return `"${value}"`;
}

const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;

/**
 * Text for a `#` comment line (FortiOS configuration files start with such lines). A control character (a line
 * break among them) is refused, so a comment can never add a command; any other character a CLI would treat
 * specially, or outside printable ASCII (a site file's path may hold one), becomes `_`.
 */
export function fortiosComment(value: string): string {
  const bad = CONTROL.exec(value);
  if (bad) throw new Error(`refusing to write the comment ${JSON.stringify(value)} into a FortiOS file: control character ${JSON.stringify(bad[0])}`);
  return value.replace(/[^\x20-\x7e]|["'\\?]/gu, "_");
}
