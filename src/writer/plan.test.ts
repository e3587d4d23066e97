import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MANIFEST_PATH, type Manifest } from "../compile/manifest.js";
import type { Artifact } from "../targets/target.js";
import { managedPaths, planSite, type DiskEntry, type SiteState } from "./plan.js";

const art = (path: string, content = `${path}\n`, mode = 0o644): Artifact => ({ path, content, mode, kind: "readme" });
const file = (content: string, mode = 0o644): DiskEntry => ({ type: "file", content, mode });

function manifest(paths: readonly string[], site = "s"): Manifest {
  return {
    version: 1,
    generator: "sitewire",
    site,
    source: { file: `sites/${site}.yaml`, sha256: "0" },
    artifacts: paths.map((path) => ({ path, kind: "readme", target: "t", sha256: "0", mode: "0644" })),
  };
}

function state(m: Manifest | undefined, files: Record<string, DiskEntry>): SiteState {
  return { manifest: m, files: new Map(Object.entries(files)) };
}

const M = art(MANIFEST_PATH, "{}\n");

describe("planSite", () => {
  it("creates everything into an empty directory", () => {
    const plan = planSite("s", [art("a.conf"), art("hosts/h/run.sh", "x\n", 0o755), M], state(undefined, {}));
    expect(plan.create.map((w) => w.path)).toEqual(["a.conf", "hosts/h/run.sh", MANIFEST_PATH]);
    expect(plan.update).toEqual([]);
    expect(plan.remove).toEqual([]);
    expect(plan.conflicts).toEqual([]);
  });

  it("leaves identical files alone and updates content or mode changes", () => {
    const plan = planSite(
      "s",
      [art("same"), art("content", "new\n"), art("mode", "mode\n", 0o755), M],
      state(manifest(["same", "content", "mode"]), {
        same: file("same\n"),
        content: file("old\n"),
        mode: file("mode\n", 0o644),
        [MANIFEST_PATH]: file("{}\n"),
      }),
    );
    expect(plan.unchanged).toEqual(["manifest.json", "same"]);
    expect(plan.update.map((w) => [w.path, w.before.content])).toEqual([
      ["content", "old\n"],
      ["mode", "mode\n"],
    ]);
  });

  it("removes stale managed files and prunes their directories deepest first", () => {
    const plan = planSite(
      "s",
      [art("keep/a"), M],
      state(manifest(["keep/a", "keep/old", "gone/deep/x", "gone/y", "absent"]), {
        "keep/a": file("keep/a\n"),
        "keep/old": file("old\n"),
        "gone/deep/x": file("x\n"),
        "gone/y": file("y\n"),
      }),
    );
    expect(plan.remove.map((r) => r.path)).toEqual(["gone/deep/x", "gone/y", "keep/old"]);
    expect(plan.pruneDirs).toEqual(["gone/deep", "gone"]);
  });

  it("never touches unmanaged files, and reports a fresh path taken by one as a conflict", () => {
    const plan = planSite("s", [art("mine"), M], state(manifest([]), { mine: file("hand-written\n"), [MANIFEST_PATH]: file("{}\n") }));
    expect(plan.conflicts).toEqual([expect.objectContaining({ path: "mine", reason: "unmanaged-file" })]);
    expect(plan.create).toEqual([]);
    expect(plan.update).toEqual([]);
  });

  it("treats a foreign manifest.json as an unmanaged file", () => {
    const plan = planSite("s", [M], state(undefined, { [MANIFEST_PATH]: file('{"mine": true}\n') }));
    expect(plan.conflicts.map((c) => c.path)).toEqual([MANIFEST_PATH]);
  });

  it("adopts an unmanaged file that already has the fresh content and mode (heals an interrupted run)", () => {
    const plan = planSite("s", [art("new"), M], state(manifest([]), { new: file("new\n"), [MANIFEST_PATH]: file("old\n") }));
    expect(plan.conflicts).toEqual([]);
    expect(plan.unchanged).toEqual(["new"]);
    expect(plan.update.map((w) => w.path)).toEqual([MANIFEST_PATH]);
  });

  it("refuses paths blocked by unmanaged things, but not by stale managed ones", () => {
    const blocked = planSite("s", [art("d/x"), art("dir"), M], state(manifest([]), { "d/x": { type: "blocked" }, dir: { type: "other" } }));
    expect(blocked.conflicts.map((c) => [c.path, c.reason])).toEqual([
      ["d/x", "parent-not-a-directory"],
      ["dir", "not-a-file"],
    ]);
    // old tree: file `d` and directory `dir/` with one file; new tree: `d/x` and file `dir`.
    const reshaped = planSite(
      "s",
      [art("d/x"), art("dir"), M],
      state(manifest(["d", "dir/old"]), { d: file("d\n"), "d/x": { type: "blocked" }, dir: { type: "other" }, "dir/old": file("o\n") }),
    );
    expect(reshaped.conflicts).toEqual([]);
    expect(reshaped.create.map((w) => w.path)).toEqual(["d/x", "dir", MANIFEST_PATH]);
    expect(reshaped.remove.map((r) => r.path)).toEqual(["d", "dir/old"]);
    expect(reshaped.pruneDirs).toEqual(["dir"]);
  });

  it("ignores unsafe paths in a tampered manifest", () => {
    const m = manifest(["../../etc/passwd", "/abs", "ok", "a/../b", ""]);
    expect(managedPaths(m)).toEqual([MANIFEST_PATH, "ok"]);
    const plan = planSite("s", [M], state(m, { ok: file("ok\n") }));
    expect(plan.remove.map((r) => r.path)).toEqual(["ok"]);
  });

  it("is deterministic: output order does not depend on input order", () => {
    const paths = fc.uniqueArray(fc.stringMatching(/^[a-c]{1,2}(\/[a-c]{1,2})?$/), { maxLength: 8 });
    fc.assert(
      fc.property(paths, paths, (fresh, old) => {
        // A path cannot be both a file and a directory in one tree.
        const clean = (ps: string[]) => ps.filter((p) => !ps.some((q) => q.startsWith(p + "/")));
        const artifacts = clean(fresh).map((p) => art(p));
        const st = state(manifest(clean(old)), Object.fromEntries(clean(old).map((p) => [p, file("x\n")])));
        const a = planSite("s", artifacts, st);
        const b = planSite("s", [...artifacts].reverse(), st);
        expect(b).toEqual(a);
        const touched = [...a.create, ...a.update].map((w) => w.path).concat(a.unchanged, a.remove.map((r) => r.path));
        expect(new Set(touched).size).toBe(touched.length);
      }),
    );
  });
});
