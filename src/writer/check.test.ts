import { describe, expect, it } from "vitest";
import { MANIFEST_PATH, type Manifest } from "../compile/manifest.js";
import type { Artifact } from "../targets/target.js";
import { checkSite } from "./check.js";
import type { DiskEntry, SiteState } from "./plan.js";

const art = (path: string, content: string, mode = 0o644): Artifact => ({ path, content, mode, kind: "readme" });
const file = (content: string, mode = 0o644): DiskEntry => ({ type: "file", content, mode });

function state(managed: readonly string[] | undefined, files: Record<string, DiskEntry>): SiteState {
  const manifest: Manifest | undefined = managed && {
    version: 1,
    generator: "sitewire",
    site: "s",
    source: { file: "sites/s.yaml", sha256: "0" },
    artifacts: managed.map((path) => ({ path, kind: "readme", target: "t", sha256: "0", mode: "0644" })),
  };
  return { manifest, files: new Map(Object.entries(files)) };
}

const label = "out/s";

describe("checkSite", () => {
  it("reports nothing when the tree matches", () => {
    const result = checkSite("s", [art("a", "a\n"), art(MANIFEST_PATH, "{}\n")], state(["a"], { a: file("a\n"), [MANIFEST_PATH]: file("{}\n") }), { label });
    expect(result).toEqual({ site: "s", drift: [], patch: "" });
  });

  it("lists modified, missing, stale, mode and unmanaged files, sorted by path", () => {
    const fresh = [art("a-mod", "one\nTWO\nthree\n"), art("b-new", "new\n"), art("d-mode", "x\n", 0o755), art("e-mine", "ours\n")];
    const disk = state(["a-mod", "c-old", "d-mode"], {
      "a-mod": file("one\ntwo\nthree\n"),
      "c-old": file("old\n"),
      "d-mode": file("x\n", 0o644),
      "e-mine": file("theirs\n"),
    });
    const result = checkSite("s", fresh, disk, { label });
    expect(result.drift).toEqual([
      { path: "a-mod", kind: "modified", oldMode: "0644", newMode: "0644" },
      { path: "b-new", kind: "missing", newMode: "0644" },
      { path: "c-old", kind: "stale", oldMode: "0644" },
      { path: "d-mode", kind: "mode", oldMode: "0644", newMode: "0755" },
      { path: "e-mine", kind: "unmanaged", oldMode: "0644", newMode: "0644" },
    ]);
    expect(result.patch).toBe(
      [
        "diff --git a/out/s/a-mod b/out/s/a-mod",
        "--- a/out/s/a-mod",
        "+++ b/out/s/a-mod",
        "@@ -1,3 +1,3 @@",
        " one",
        "-two",
        "+TWO",
        " three",
        "diff --git a/out/s/b-new b/out/s/b-new",
        "new file mode 100644",
        "--- /dev/null",
        "+++ b/out/s/b-new",
        "@@ -0,0 +1,1 @@",
        "+new",
        "diff --git a/out/s/c-old b/out/s/c-old",
        "deleted file mode 100644",
        "--- a/out/s/c-old",
        "+++ /dev/null",
        "@@ -1,1 +0,0 @@",
        "-old",
        "diff --git a/out/s/d-mode b/out/s/d-mode",
        "old mode 100644",
        "new mode 100755",
        "diff --git a/out/s/e-mine b/out/s/e-mine",
        "--- a/out/s/e-mine",
        "+++ b/out/s/e-mine",
        "@@ -1,1 +1,1 @@",
        "-theirs",
        "+ours",
        "",
      ].join("\n"),
    );
  });

  it("with the git mode policy, ignores mode differences git does not record", () => {
    const fresh = [art("secret", "s\n", 0o600), art("run", "r\n", 0o755)];
    const disk = state(["secret", "run"], { secret: file("s\n", 0o644), run: file("r\n", 0o775) });
    expect(checkSite("s", fresh, disk, { label, modes: "git" }).drift).toEqual([]);
    expect(checkSite("s", fresh, disk, { label, modes: "exact" }).drift.map((d) => d.kind)).toEqual(["mode", "mode"]);
    const notExec = state(["run"], { run: file("r\n", 0o644) });
    expect(checkSite("s", [art("run", "r\n", 0o755)], notExec, { label, modes: "git" }).drift.map((d) => d.kind)).toEqual(["mode"]);
  });

  it("shows a missing final newline the way git does", () => {
    const result = checkSite("s", [art("a", "x\n")], state(["a"], { a: file("x") }), { label });
    expect(result.patch).toContain("\\ No newline at end of file");
  });
});
