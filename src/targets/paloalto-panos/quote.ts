/**
 * The one quoting helper of the PAN-OS `set` syntax. In configure mode a line is one command; words are
 * separated by spaces, and a double-quoted string is one word that may hold spaces (e.g. `set rulebase security
 * rules X description "Permit bidirectional HCs"` in Cloudflare's PAN-OS guide, cloudflare/cloudflare-docs
 * content/magic-wan/third-party/palo-alto.md). No documented escape puts a double quote inside a quoted word, so
 * a value holding one is not written, and a line break would end the command.
 *
 * - panosString: a value that must arrive as it is (the pre-shared key placeholder): refused (thrown) when it
 *   holds a control character, a double quote, a backslash or `?`, else written in double quotes.
 * - panosComment: free text (descriptions), an optional nicety: control characters are refused (the schema
 *   already rejects them, so one here is a bug); everything outside printable ASCII, the double quote, the
 *   backslash and `?` (the CLI opens its help on it when the line is pasted) become `_`; at most 1023 characters (the `comment` limit, PaloAltoNetworks/pan-os-codegen
 *   specs/network/tunnels/ipsec.yaml).
 * - panosName: a name sitewire builds (from schema-checked names): checked, never quoted.
 */
import { refuseControl as refuseShared } from "../../render/quote.js";

const refuseControl = (value: string, what: string): void => void refuseShared(value, `PAN-OS ${what}`);

/** A value written exactly, as one double-quoted word. */
export function panosString(value: string): string {
  refuseControl(value, "string");
  if (/["\\?]/.test(value)) throw new Error("internal: a double quote, backslash or ? reached a PAN-OS quoted string, which cannot hold one");
  return `"${value}"`;
}

/** Free text as one double-quoted word: printable ASCII without `"`, `\` and `?`, at most 1023 characters. */
export function panosComment(value: string): string {
  refuseControl(value, "comment");
  const text = [...value].map((c) => (c >= " " && c <= "~" && c !== '"' && c !== "\\" && c !== "?" ? c : "_")).join("").slice(0, 1023);
  return `"${text}"`;
}

/** PAN-OS object names: a letter or digit, then letters, digits, `.`, `_`, `-`; at most `max` characters. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function panosName(value: string, max: number): string {
  if (!NAME.test(value) || value.length > max) throw new Error(`internal: ${JSON.stringify(value)} is not a PAN-OS object name of at most ${max} characters`);
  return value;
}
