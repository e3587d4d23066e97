/**
 * Handlebars, configured once: strict mode (a missing field is an error, not an empty string), no HTML
 * escaping, and the quoting helpers of ./quote.ts registered by syntax. Templates live in
 * templates/<target>/<name>.hbs and are compiled once per process.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { PACKAGE_ROOT } from "./package-root.js";
import { hashComment, iosText, iptablesQuote, shellQuote, strongswanString } from "./quote.js";

export { PACKAGE_ROOT };

const hb = Handlebars.create();
hb.registerHelper("sh", (v: unknown) => shellQuote(String(v)));
hb.registerHelper("ipt", (v: unknown) => iptablesQuote(String(v)));
hb.registerHelper("comment", (v: unknown) => hashComment(String(v)));
hb.registerHelper("ios", (v: unknown) => iosText(String(v)));
hb.registerHelper("ssq", (v: unknown) => strongswanString(String(v)));
hb.registerHelper("eq", (a: unknown, b: unknown) => a === b);
hb.registerHelper("join", (items: unknown, sep: unknown) => (Array.isArray(items) ? items.map(String).join(typeof sep === "string" ? sep : ",") : ""));

/** Renders one of a target's templates by name: the seam tests use to prove a broken template is caught. */
export type TemplateRenderer = (name: string, data: object) => string;

/** The real templates of `target`. */
export function templatesOf(target: string): TemplateRenderer {
  return (name, data) => render(target, name, data);
}

const cache = new Map<string, Handlebars.TemplateDelegate>();

/** Render templates/<target>/<name>.hbs with `data`. */
export function render(target: string, name: string, data: object): string {
  const key = `${target}/${name}`;
  let template = cache.get(key);
  if (!template) {
    const text = readFileSync(join(PACKAGE_ROOT, "templates", target, `${name}.hbs`), "utf8");
    template = hb.compile(text, { strict: true, noEscape: true });
    cache.set(key, template);
  }
  return normalise(template(data));
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
