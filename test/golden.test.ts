/**
 * Golden files for every artifact of every example site (sites/*.yaml) and every fixture site
 * (test/fixtures/sites/*.yaml): test/golden/<site>/<artifact path>. A mismatch writes `<file>.actual` beside
 * the golden for review (the Aerleon pattern); `UPDATE_GOLDENS=1 npx vitest run test/golden.test.ts`
 * rewrites them — read every changed line before committing.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileSource } from "../src/compile/pipeline.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const goldenDir = join(root, "test", "golden");
const update = process.env.UPDATE_GOLDENS === "1";

const siteFiles = [
  ...readdirSync(join(root, "sites")).filter((f) => f.endsWith(".yaml")).map((f) => `sites/${f}`),
  ...readdirSync(join(root, "test", "fixtures", "sites")).filter((f) => f.endsWith(".yaml")).map((f) => `test/fixtures/sites/${f}`),
].sort();

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !e.name.endsWith(".actual"))
    .map((e) => relative(dir, join(e.parentPath, e.name)).split("\\").join("/"))
    .sort();
}

describe.each(siteFiles)("golden %s", (file) => {
  const result = compileSource(file, readFileSync(join(root, file), "utf8"));
  const site = result.site ?? "unknown";
  const dir = join(goldenDir, site);

  it("compiles without errors", () => {
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("emits exactly the golden set of files", () => {
    const emitted = result.artifacts.map((a) => a.path).sort();
    if (update) {
      for (const stale of listFiles(dir).filter((p) => !emitted.includes(p))) rmSync(join(dir, stale));
    }
    expect(emitted).toEqual(listFiles(dir).length || !update ? listFiles(dir) : emitted);
  });

  for (const artifact of result.artifacts) {
    it(artifact.path, () => {
      const path = join(dir, artifact.path);
      if (update) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, artifact.content);
        rmSync(`${path}.actual`, { force: true });
        return;
      }
      const expected = existsSync(path) ? readFileSync(path, "utf8") : undefined;
      if (expected !== artifact.content) {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(`${path}.actual`, artifact.content);
      } else rmSync(`${path}.actual`, { force: true });
      expect(artifact.content, `golden ${relative(root, path)} differs; see ${relative(root, path)}.actual`).toBe(expected);
    });
  }
});
