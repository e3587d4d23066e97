/** Expanding site paths: the directory-listing fast path for `<dir>/*.yaml` must list what globby lists. */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { globby } from "globby";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expandPatterns } from "./inputs.js";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "sw-inputs-"));
  await mkdir(join(root, "sites/nested"), { recursive: true });
  await mkdir(join(root, "sites/dir.yaml"));
  for (const f of ["a.yaml", "b.yaml", ".hidden.yaml", "c.yml", "notes.txt", "nested/d.yaml"]) await writeFile(join(root, "sites", f), "site: x\n");
  await symlink("a.yaml", join(root, "sites/link.yaml"));
  await symlink("missing.yaml", join(root, "sites/dangling.yaml"));
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe("expandPatterns", () => {
  it("sites/*.yaml lists exactly what globby lists (dotfiles, directories and dangling links out; links to files in)", async () => {
    const ours = await expandPatterns(["sites/*.yaml"], root);
    const theirs = (await globby("sites/*.yaml", { cwd: root, onlyFiles: true })).sort();
    expect(ours.files).toEqual(theirs);
    expect(ours.files).toEqual(["sites/a.yaml", "sites/b.yaml", "sites/link.yaml"]);
  });

  it("a directory argument is its *.yaml files; other globs still go through globby", async () => {
    expect((await expandPatterns(["sites"], root)).files).toEqual(["sites/a.yaml", "sites/b.yaml", "sites/link.yaml"]);
    expect((await expandPatterns(["sites/**/d.yaml"], root)).files).toEqual(["sites/nested/d.yaml"]);
    expect((await expandPatterns(["sites/{a,b}.yaml"], root)).files).toEqual(["sites/a.yaml", "sites/b.yaml"]);
  });

  it("a pattern that matches nothing is reported", async () => {
    expect(await expandPatterns(["nope/*.yaml", "sites/a.yaml"], root)).toEqual({ files: ["sites/a.yaml"], unmatched: ["nope/*.yaml"] });
  });
});
