/**
 * schema/site.schema.json is generated from src/intent/schema.ts (`sitewire schema --write`). The TypeScript
 * intent types are `Static<>` of the same TypeBox object, so types and runtime schema cannot drift; this test
 * proves the committed JSON file (what editors use for completion) is current too.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { siteSchemaJson } from "../src/intent/schema.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const schemaPath = join(root, "schema", "site.schema.json");

describe("schema/site.schema.json", () => {
  it("is the schema generated from src/intent/schema.ts", () => {
    if (process.env.UPDATE_GOLDENS === "1") writeFileSync(schemaPath, siteSchemaJson());
    expect(readFileSync(schemaPath, "utf8")).toBe(siteSchemaJson());
  });

  it("describes every property (editors show descriptions on hover)", () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== "object") return;
      const n = node as Record<string, unknown>;
      if (n.properties && typeof n.properties === "object")
        for (const [k, v] of Object.entries(n.properties as Record<string, unknown>)) {
          if (!(v as { description?: string }).description) missing.push(`${path}/${k}`);
          walk(v, `${path}/${k}`);
        }
      for (const key of ["items", "additionalProperties"]) walk(n[key], `${path}/${key}`);
      for (const key of ["anyOf", "oneOf", "allOf"]) if (Array.isArray(n[key])) (n[key] as unknown[]).forEach((s, i) => walk(s, `${path}/${key}/${i}`));
    };
    walk(JSON.parse(siteSchemaJson()), "");
    expect(missing).toEqual([]);
  });

  it("is referenced by every example site for editor completion", () => {
    for (const f of readdirSync(join(root, "sites")).filter((f) => f.endsWith(".yaml")))
      expect(readFileSync(join(root, "sites", f), "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=../schema/site.schema.json");
  });
});
