/**
 * Handlebars, configured once: strict mode (a missing field is an error, not an empty string), no HTML
 * escaping, and the quoting helpers of ./quote.ts registered by syntax. Templates live in
 * templates/<target>/<name>.hbs and are compiled once per process.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import type Handlebars from "handlebars";
import { PACKAGE_ROOT } from "./package-root.js";
import { hashComment, iptablesQuote, shellQuote, strongswanString } from "./quote.js";

export { PACKAGE_ROOT };

/**
 * Handlebars is loaded on the first render, not at import: the platform registry (and with it each platform's
 * render function) is imported by the schema, and `sitewire validate` renders nothing.
 */
let instance: typeof Handlebars | undefined;
function hb(): typeof Handlebars {
  if (instance) return instance;
  const created = (createRequire(import.meta.url)("handlebars") as typeof Handlebars).create();
  created.registerHelper("sh", (v: unknown) => shellQuote(String(v)));
  created.registerHelper("ipt", (v: unknown) => iptablesQuote(String(v)));
  created.registerHelper("comment", (v: unknown) => hashComment(String(v)));
  created.registerHelper("ssq", (v: unknown) => strongswanString(String(v)));
  created.registerHelper("eq", (a: unknown, b: unknown) => a === b);
  created.registerHelper("join", (items: unknown, sep: unknown) => (Array.isArray(items) ? items.map(String).join(typeof sep === "string" ? sep : ",") : ""));
  instance = created;
  return created;
}

/** Renders one of a target's templates by name: the seam tests use to prove a broken template is caught. */
export type TemplateRenderer = (name: string, data: object) => string;

/**
 * A target's own quoting functions by helper name (`{{ios description}}`): a far-side platform keeps the quoting
 * of its syntax in its folder (src/targets/<folder>/quote.ts) and hands it to its templates here.
 */
export type Quoters = Readonly<Record<string, (value: string) => string>>;

/** The real templates of `target`, with the target's own quoting helpers. */
export function templatesOf(target: string, quoters: Quoters = {}): TemplateRenderer {
  const helpers = Object.fromEntries(Object.entries(quoters).map(([name, quote]) => [name, (v: unknown) => quote(String(v))]));
  return (name, data) => render(target, name, data, helpers);
}

const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Render templates/<target>/<name>.hbs with `data`. */
export function render(target: string, name: string, data: object, helpers: Readonly<Record<string, Handlebars.HelperDelegate>> = {}): string {
  const key = `${target}/${name}`;
  let template = cache.get(key);
  if (!template) {
    const text = readFileSync(join(PACKAGE_ROOT, "templates", target, `${name}.hbs`), "utf8");
    template = hb().compile(text, { strict: true, noEscape: true });
    cache.set(key, template);
  }
  return normalise(template(data, { helpers }));
}

/** LF only, no trailing spaces, at most one blank line in a row, exactly one final newline. One pass. */
export function normalise(text: string): string {
  const out: string[] = [];
  let blank = false;
  for (const raw of text.split("\n")) {
    let end = raw.length;
    while (end > 0 && (raw.charCodeAt(end - 1) === 32 || raw.charCodeAt(end - 1) === 9)) end--;
    if (end === 0) {
      blank = out.length > 0;
      continue;
    }
    if (blank) out.push("");
    blank = false;
    out.push(end === raw.length ? raw : raw.slice(0, end));
  }
  return out.join("\n") + "\n";
}
