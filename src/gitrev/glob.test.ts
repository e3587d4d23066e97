/** globToRegExp matches what globby (fast-glob) finds on disk for the same patterns. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { globby } from "globby";
import { afterAll, describe, expect, it } from "vitest";
import { globToRegExp } from "./glob.js";

const FILES = [
  "sites/a.yaml",
  "sites/b.yaml",
  "sites/.hidden.yaml",
  "sites/notes.txt",
  "sites/eu/c.yaml",
  "sites/eu/deep/d.yaml",
  "sites/.dot/e.yaml",
  "other/f.yaml",
  "top.yaml",
  "sites/x1.yaml",
  "sites/x22.yaml",
  "sites/[odd].yaml",
  "sites/{a,b.yaml",
];

const PATTERNS = [
  "sites/*.yaml",
  "sites/**/*.yaml",
  "**/*.yaml",
  "*.yaml",
  "sites/?.yaml",
  "sites/x?.yaml",
  "sites/{a,b}.yaml",
  "{sites,other}/*.yaml",
  "sites/[ab].yaml",
  "sites/[!a].yaml",
  "sites/eu/**",
  "sites/*/*.yaml",
  "sites/{a,b.yaml",
];

describe("globToRegExp", () => {
  const dir = mkdtempSync(join(tmpdir(), "sw-glob-"));
  for (const f of FILES) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), "");
  }
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(PATTERNS)("%s", async (pattern) => {
    const onDisk = (await globby(pattern, { cwd: dir, onlyFiles: true })).sort();
    const re = globToRegExp(pattern);
    expect(FILES.filter((f) => re.test(f)).sort()).toEqual(onDisk);
  });
});
