/** Test helpers: build a SourceFile straight from YAML text, without the loader's checks. */
import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import type { SiteIntent } from "../../src/intent/schema.js";
import type { SourceFile } from "../../src/intent/source.js";

export function sourceOf(text: string, path = "sites/test.yaml"): { source: SourceFile; intent: SiteIntent } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  return { source: { path, text, doc, lines }, intent: doc.toJS() as SiteIntent };
}

export function siteFile(name: string): { path: string; text: string } {
  const path = `sites/${name}.yaml`;
  return { path, text: readFileSync(new URL(`../../${path}`, import.meta.url), "utf8") };
}
