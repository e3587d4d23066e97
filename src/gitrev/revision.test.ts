/**
 * Reading a revision with plumbing: the files and bytes of that commit whatever the working tree holds now,
 * from the top of the work tree or from a subdirectory, and an out/ tree through the TreeReader seam.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missing } from "../../test/harness/tools.js";
import { revisionReader } from "./reader.js";
import { Revision } from "./revision.js";
import { expandAtRevision } from "./select.js";

describe.skipIf(missing("git"))("Revision", () => {
  const dir = mkdtempSync(join(tmpdir(), "sw-rev-"));
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: dir, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
  const write = (rel: string, content: string | Buffer) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  };
  const binary = Buffer.from([0, 1, 2, 10, 255, 0, 10, 10]);
  let first = "";

  beforeAll(() => {
    git("init", "-q");
    write("infra/sites/a.yaml", "site: a\n");
    write("infra/sites/b.yaml", "");
    write("infra/sites/blob.bin", binary);
    write("infra/out/a/hosts/h/usr/local/sbin/run", "#!/bin/sh\n");
    chmodSync(join(dir, "infra/out/a/hosts/h/usr/local/sbin/run"), 0o755);
    write("infra/out/a/manifest.json", "{}\n");
    symlinkSync("a.yaml", join(dir, "infra/sites/link.yaml"));
    write("top.yaml", "top\n");
    git("add", "-A");
    git("commit", "-q", "-m", "first");
    first = git("rev-parse", "HEAD").trim();
    // The working tree moves on; the revision must not see any of it.
    write("infra/sites/a.yaml", "site: changed\n");
    write("infra/sites/c.yaml", "new\n");
    git("add", "-A");
    git("commit", "-q", "-m", "second");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lists the revision's regular files below the working directory, relative to it", async () => {
    const rev = await Revision.open("HEAD~1", join(dir, "infra"));
    expect(rev.commit).toBe(first);
    expect(rev.prefix).toBe("infra/");
    expect(rev.files()).toEqual(["out/a/hosts/h/usr/local/sbin/run", "out/a/manifest.json", "sites/a.yaml", "sites/b.yaml", "sites/blob.bin"]);
    expect(rev.isDirectory("sites")).toBe(true);
    expect(rev.isDirectory("sites/a.yaml")).toBe(false);
    expect(rev.repoPath("../top.yaml")).toBe("top.yaml");
    expect(rev.repoPath("../../elsewhere")).toBeUndefined();
  });

  it("reads the bytes as committed, in one batch; symlinks and absent paths are not files", async () => {
    const rev = await Revision.open(first, join(dir, "infra"));
    const got = await rev.read(["sites/a.yaml", "sites/b.yaml", "sites/blob.bin", "sites/link.yaml", "sites/nope.yaml", "../top.yaml"]);
    expect(got.get("sites/a.yaml")?.toString()).toBe("site: a\n");
    expect(got.get("sites/b.yaml")?.length).toBe(0);
    expect(got.get("sites/blob.bin")?.equals(binary)).toBe(true);
    expect(got.get("sites/link.yaml")).toBeUndefined();
    expect(got.get("sites/nope.yaml")).toBeUndefined();
    expect(got.get("../top.yaml")?.toString()).toBe("top\n");
  });

  it("expands site patterns against the revision, not the working tree", async () => {
    const rev = await Revision.open("HEAD~1", join(dir, "infra"));
    expect(expandAtRevision(["sites"], rev)).toEqual({ files: ["sites/a.yaml", "sites/b.yaml"], unmatched: [] });
    expect(expandAtRevision(["sites/*.yaml", "sites/c.yaml", "nothing/*.yaml"], rev)).toEqual({
      files: ["sites/a.yaml", "sites/b.yaml"],
      unmatched: ["sites/c.yaml", "nothing/*.yaml"],
    });
  });

  it("reads an output tree as committed: files with git's modes, directories, blocked paths", async () => {
    const rev = await Revision.open("HEAD", join(dir, "infra"));
    const reader = revisionReader(rev, "out", "a", "out/a");
    expect(await reader.read("hosts/h/usr/local/sbin/run")).toEqual({ type: "file", content: "#!/bin/sh\n", mode: 0o755 });
    expect(await reader.read("manifest.json")).toEqual({ type: "file", content: "{}\n", mode: 0o644 });
    expect(await reader.read("hosts/h")).toEqual({ type: "other" });
    expect(await reader.read("manifest.json/below")).toEqual({ type: "blocked" });
    expect(await reader.read("hosts/other")).toBeUndefined();
  });

  it("names the problem: unknown revision, option-like revision, no repository", async () => {
    await expect(Revision.open("nope", dir)).rejects.toThrow(/unknown revision 'nope'/);
    await expect(Revision.open("--all", dir)).rejects.toThrow(/not a revision/);
    const outside = mkdtempSync(join(tmpdir(), "sw-norepo-"));
    try {
      await expect(Revision.open("HEAD", outside)).rejects.toThrow(/not inside a git work tree/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
