/** Test helpers: build a SourceFile straight from YAML text, without the loader's checks. */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { LineCounter, parse, parseDocument, stringify } from "yaml";
import type { SiteIntent } from "../../src/intent/schema.js";
import type { SourceFile } from "../../src/intent/source.js";
import { resolveSite } from "../../src/model/resolve.js";
import type { SiteModel } from "../../src/model/types.js";

export function sourceOf(text: string, path = "sites/test.yaml"): { source: SourceFile; intent: SiteIntent } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  return { source: { path, text, doc, lines }, intent: doc.toJS() as SiteIntent };
}

export function siteFile(name: string): { path: string; text: string } {
  const path = `sites/${name}.yaml`;
  return { path, text: readFileSync(new URL(`../../${path}`, import.meta.url), "utf8") };
}

/**
 * A fixture site's text and two resolvers for target tests: `resolve(text)` (no error diagnostics allowed) and
 * `fixtureWith(edit)` (the fixture with its parsed intent edited first).
 */
export function fixtureSite(path: string): {
  text: string;
  resolve: (text: string) => SiteModel;
  fixtureWith: (edit: (intent: Record<string, any>) => void) => SiteModel;
} {
  const text = readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
  const resolve = (yamlText: string): SiteModel => {
    const { source, intent } = sourceOf(yamlText, path);
    const { model, diagnostics } = resolveSite(source, intent, "0".repeat(64));
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    return model;
  };
  const fixtureWith = (edit: (intent: Record<string, any>) => void): SiteModel => {
    const intent = parse(text) as Record<string, any>;
    edit(intent);
    return resolve(stringify(intent));
  };
  return { text, resolve, fixtureWith };
}
