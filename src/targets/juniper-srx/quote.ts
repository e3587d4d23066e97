/**
 * Quoting for Junos `set` commands. A `set` line is split into words at spaces; a double-quoted string is one word
 * and may hold spaces (Junos CLI User Guide, "Special characters in configuration statements": enclose strings with
 * spaces or special characters in quotation marks). A line ends a command, so no value may hold a line break; `;`,
 * `{`, `}`, `[`, `]` and `#` are structure in Junos configuration text and `"`/`\` end or escape a quoted string.
 *
 * Every intent-derived string sitewire writes into a `set` line passes through one of these functions:
 * - `junosWord`: a value that must stay one bare word (identities, names built from schema-checked names). Anything
 *   outside a conservative character set is refused.
 * - `junosString`: a double-quoted value (pre-shared key placeholder). A value holding `"` or `\` is refused.
 * - `junosText`: free text (descriptions, comments), an optional nicety: printable ASCII only, `"` and `\` replaced,
 *   clipped. Control characters are refused outright everywhere: the schema already rejects them, so one reaching
 *   here is a bug, and failing loudly beats emitting a file with an extra command.
 */
import { refuseControl as refuseShared } from "../../render/quote.js";

const refuseControl = (value: string): string => refuseShared(value, "Junos");

/** One bare Junos word: letters, digits and `. _ - : / @`, not starting with `-`. */
export function junosWord(value: string): string {
  refuseControl(value);
  if (!/^[A-Za-z0-9._:/@][A-Za-z0-9._:/@-]*$/.test(value)) throw new Error(`internal: ${JSON.stringify(value)} cannot be written as one Junos word`);
  return value;
}

/** A double-quoted Junos string; `"` and `\` are refused (the quoted string would end or escape early). */
export function junosString(value: string): string {
  refuseControl(value);
  if (/["\\]/.test(value)) throw new Error('internal: a double quote or backslash reached a quoted Junos string');
  return `"${value}"`;
}

/** Longest description sitewire writes (Junos interface descriptions are clipped by the CLI beyond this). */
const TEXT_MAX = 200;

/** Free text, without quotes: printable ASCII, `"` and `\` replaced by `_`, at most 200 characters. */
export function junosText(value: string): string {
  refuseControl(value);
  return [...value].map((c) => (c >= " " && c <= "~" && c !== '"' && c !== "\\" ? c : "_")).join("").slice(0, TEXT_MAX);
}

/** Free text as one double-quoted Junos string (for `description`). */
export function junosDescription(value: string): string {
  return junosString(junosText(value));
}
