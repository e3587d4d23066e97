import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildManifest, MANIFEST_PATH, parseManifest } from "../compile/manifest.js";
import type { SiteModel } from "../model/types.js";
import type { Artifact } from "../targets/target.js";
import { applyPlan, diskReader, writeFileIfChanged } from "./disk.js";
import { WriterError } from "./paths.js";
import { hasChanges, planSite, type WritePlan } from "./plan.js";
import { readSiteState } from "./read.js";

const SITE = "demo";
const posix = process.platform !== "win32";

const art = (path: string, content = `${path}\n`, mode = 0o644): Artifact => ({ path, content, mode, kind: "readme", target: "t" });

/** Artifacts as the pipeline returns them: sorted, manifest.json last. */
function artifacts(...files: Artifact[]): Artifact[] {
  const model = { name: SITE, source: { file: `sites/${SITE}.yaml`, sha256: "0".repeat(64) } } as unknown as SiteModel;
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : 1));
  return [...sorted, buildManifest(model, sorted)];
}

let out: string;
const site = (...parts: string[]) => join(out, SITE, ...parts);

async function plan(fresh: readonly Artifact[]): Promise<WritePlan> {
  const state = await readSiteState(diskReader(out, SITE), SITE, fresh);
  return planSite(SITE, fresh, state);
}

async function compile(fresh: readonly Artifact[]): Promise<WritePlan> {
  const p = await plan(fresh);
  await applyPlan(out, p);
  return p;
}

async function tree(): Promise<string[]> {
  const names = await readdir(site(), { recursive: true });
  const files = await Promise.all(names.map(async (n) => ((await lstat(site(n))).isFile() ? [n.split("\\").join("/")] : [])));
  return files.flat().sort();
}

beforeEach(async () => {
  out = await mkdtemp(join(tmpdir(), "sitewire-disk-"));
});
afterEach(async () => {
  await rm(out, { recursive: true, force: true });
});

describe("applyPlan", () => {
  const v1 = () => artifacts(art("README.md"), art("hosts/gw/etc/ipsec.conf"), art("hosts/gw/usr/local/sbin/up.sh", "#!/bin/sh\n", 0o755));

  it("writes every artifact, manifest included, and a second run writes nothing (mtimes stay)", async () => {
    await compile(v1());
    expect(await tree()).toEqual(["README.md", "hosts/gw/etc/ipsec.conf", "hosts/gw/usr/local/sbin/up.sh", "manifest.json"]);
    expect(parseManifest(await readFile(site(MANIFEST_PATH), "utf8"))?.artifacts.map((a) => a.path)).toHaveLength(3);

    const past = new Date("2001-01-01T00:00:00Z");
    for (const f of await tree()) await utimes(site(f), past, past);
    const second = await compile(v1());
    expect(hasChanges(second)).toBe(false);
    expect(second.unchanged).toHaveLength(4);
    for (const f of await tree()) expect((await stat(site(f))).mtime.getTime()).toBe(past.getTime());
  });

  it.runIf(posix)("applies artifact modes regardless of umask", async () => {
    await compile(artifacts(art("run.sh", "x\n", 0o755), art("secret", "s\n", 0o600), art("conf")));
    expect((await stat(site("run.sh"))).mode & 0o777).toBe(0o755);
    expect((await stat(site("secret"))).mode & 0o777).toBe(0o600);
    expect((await stat(site("conf"))).mode & 0o777).toBe(0o644);
    // A mode-only change is an update.
    const p = await compile(artifacts(art("run.sh", "x\n", 0o644), art("secret", "s\n", 0o600), art("conf")));
    expect(p.update.map((w) => w.path)).toEqual(["manifest.json", "run.sh"]);
    expect((await stat(site("run.sh"))).mode & 0o777).toBe(0o644);
  });

  it("removes stale managed files and the directories they emptied, keeping unmanaged files", async () => {
    await compile(v1());
    await writeFile(site("hosts/gw/etc/notes.txt"), "mine\n");
    await writeFile(site("NOTES.md"), "mine too\n");
    const p = await compile(artifacts(art("README.md", "changed\n")));
    expect(p.remove.map((r) => r.path)).toEqual(["hosts/gw/etc/ipsec.conf", "hosts/gw/usr/local/sbin/up.sh"]);
    expect(await tree()).toEqual(["NOTES.md", "README.md", "hosts/gw/etc/notes.txt", "manifest.json"]);
    // hosts/gw/usr/** was emptied and removed; hosts/gw/etc still holds the unmanaged file.
    await expect(lstat(site("hosts/gw/usr"))).rejects.toThrow();
    expect(await readFile(site("NOTES.md"), "utf8")).toBe("mine too\n");
  });

  it("refuses to overwrite an unmanaged file at a fresh path, and writes nothing", async () => {
    await mkdir(site(), { recursive: true });
    await writeFile(site("README.md"), "hand-written\n");
    const p = await plan(v1());
    expect(p.conflicts.map((c) => [c.path, c.reason])).toEqual([["README.md", "unmanaged-file"]]);
    await expect(applyPlan(out, p)).rejects.toThrow(WriterError);
    expect(await tree()).toEqual(["README.md"]);
    expect(await readFile(site("README.md"), "utf8")).toBe("hand-written\n");
  });

  it("cleans temp files left by an interrupted run and heals on rerun", async () => {
    await compile(v1());
    const v2 = artifacts(art("README.md", "v2\n"), art("hosts/gw/etc/ipsec.conf"), art("hosts/gw/etc/swanctl.conf"));
    // Interrupted v2 run: one new file renamed into place, one temp file left behind, old manifest kept.
    await writeFile(site("hosts/gw/etc/swanctl.conf"), "hosts/gw/etc/swanctl.conf\n");
    await writeFile(site("hosts/gw/etc/.ipsec.conf.sitewire-tmp-0123abcd"), "half");
    await writeFile(site(".README.md.sitewire-tmp-ff"), "half");

    const p = await compile(v2);
    expect(p.conflicts).toEqual([]);
    expect(await tree()).toEqual(["README.md", "hosts/gw/etc/ipsec.conf", "hosts/gw/etc/swanctl.conf", "manifest.json"]);
    expect(hasChanges(await plan(v2))).toBe(false);
  });

  it("writes manifest.json last: a failed write leaves the old manifest", async () => {
    await compile(v1());
    const before = await readFile(site(MANIFEST_PATH), "utf8");
    // A directory replaced by a symlink is refused (it could lead outside the tree).
    const elsewhere = await mkdtemp(join(tmpdir(), "sitewire-elsewhere-"));
    try {
      await symlink(elsewhere, site("link"), "dir");
      const p = await plan(artifacts(art("README.md", "v2\n"), art("link/x")));
      await expect(applyPlan(out, p)).rejects.toThrow(/not a plain directory/);
      expect(await readFile(site(MANIFEST_PATH), "utf8")).toBe(before);
      expect(await readdir(elsewhere)).toEqual([]);
      // README.md may or may not have been written; either way the next run (after the fix) heals.
      await rm(site("link"));
      await compile(artifacts(art("README.md", "v2\n"), art("link/x")));
      expect(hasChanges(await plan(artifacts(art("README.md", "v2\n"), art("link/x"))))).toBe(false);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  it("replaces a managed file by a directory and back", async () => {
    await compile(artifacts(art("x")));
    await compile(artifacts(art("x/y")));
    expect(await tree()).toEqual(["manifest.json", "x/y"]);
    await compile(artifacts(art("x")));
    expect(await tree()).toEqual(["manifest.json", "x"]);
  });

  it("refuses unsafe site names and paths", async () => {
    expect(() => diskReader(out, "../evil")).toThrow(WriterError);
    const p = planSite("../evil", [], { manifest: undefined, files: new Map() });
    await expect(applyPlan(out, p)).rejects.toThrow(WriterError);
    const bad = { ...planSite(SITE, [], { manifest: undefined, files: new Map() }), create: [{ path: "../../x", content: "", mode: 0o644 }] };
    await expect(applyPlan(out, bad)).rejects.toThrow(/unsafe output path/);
    await expect(diskReader(out, SITE).read("a/../../b")).rejects.toThrow(WriterError);
  });
});

describe("writeFileIfChanged", () => {
  it("creates parents, writes once, then reports no change", async () => {
    const path = join(out, "schema", "site.schema.json");
    expect(await writeFileIfChanged(path, "{}\n")).toBe(true);
    expect(await writeFileIfChanged(path, "{}\n")).toBe(false);
    expect(await readFile(path, "utf8")).toBe("{}\n");
    expect(await readdir(join(out, "schema"))).toEqual(["site.schema.json"]);
  });
});
