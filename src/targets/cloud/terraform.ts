/**
 * Terraform JSON configuration syntax helpers (developer.hashicorp.com/terraform/language/syntax/json).
 *
 * - Serialisation is JSON.stringify over plain data with object keys sorted, so nothing an intent value holds
 *   can end a string or add a key.
 * - In JSON syntax every string value of an argument is a template: `${` and `%{` start an interpolation or
 *   directive, and the literal forms are `$${` and `%%{` (same page, "Expression Mapping"). `literal` escapes
 *   them, so an intent value can never become an expression; `reference` is the one way to write one, from
 *   names this target builds (Terraform identifiers only).
 * - A property named "//" in a block object is a comment Terraform ignores (same page, "Comment Properties").
 */

export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** An intent value as a literal Terraform string: interpolation and directive openers escaped. */
export function literal(value: string): string {
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(value)) throw new Error("internal: a control character reached a Terraform string");
  // Function replacements: in a replacement string "$$" would itself mean one "$".
  return value.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A Terraform identifier (resource / variable name) from a sitewire name: letters, digits, `_`, `-`. */
export function identifier(...parts: readonly string[]): string {
  const raw = parts.join("_").replace(/[^A-Za-z0-9_-]/g, "_");
  const id = /^[A-Za-z_]/.test(raw) ? raw : `_${raw}`;
  if (!IDENTIFIER.test(id)) throw new Error(`internal: ${JSON.stringify(id)} is no Terraform identifier`);
  return id;
}

/** `${<address>}`: a reference to a variable or another resource's attribute, from identifiers only. */
export function reference(...path: readonly string[]): string {
  for (const p of path) if (!IDENTIFIER.test(p)) throw new Error(`internal: ${JSON.stringify(p)} is no Terraform identifier`);
  return `\${${path.join(".")}}`;
}

/** Plain data with every object's keys sorted (arrays keep their order), then JSON with a final newline. */
export function stringifySorted(value: Json): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return (value as readonly Json[]).map(sortKeys);
  if (value !== null && typeof value === "object") {
    const obj = value as { readonly [key: string]: Json };
    return Object.fromEntries(
      Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort()
        .map((k) => [k, sortKeys(obj[k]!)]),
    );
  }
  return value;
}
