/**
 * No symbolic link redirects what sitewire writes (or reads) as out/: `out` itself, or any component of the
 * path given with --out, being a link is refused with SW303 before anything is written anywhere.
 */
import { existsSync, readdirSync } from "node:fs";
import { mkdir, symlink } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { symlinkInPath } from "../../src/writer/out-dir.js";
import { diagnosticsOf, removeWorkspace, sitewire, workspace } from "./helpers.js";

let dir: string;
beforeEach(async () => {
  dir = await workspace("sw-links-");
});
afterEach(() => removeWorkspace(dir));

describe("a linked output folder is refused", () => {
  it("out -> another folder: compile writes nothing there (SW303, exit 1); check and diff do not read through it", async () => {
    await mkdir(join(dir, "target"));
    await symlink("target", join(dir, "out"));
    const r = await sitewire(dir, ["compile", "--format", "json"]);
    expect(r.code).toBe(1);
    expect(diagnosticsOf(r).map((d) => `${d.code} ${d.file} ${d.line ?? "-"}`)).toEqual(["SW303 out -"]);
    expect(readdirSync(join(dir, "target"))).toEqual([]);
    for (const command of ["check", "diff"]) {
      const c = await sitewire(dir, [command]);
      expect(c.code, command).toBe(1);
      expect(c.stderr).toContain("error SW303");
    }
  });

  it("a linked parent given with --out (relative or absolute) is refused; a real path to the same place is not", async () => {
    await mkdir(join(dir, "real"));
    await symlink("real", join(dir, "link"));
    for (const outArg of ["link/out", join(dir, "link", "deep", "out")]) {
      const r = await sitewire(dir, ["compile", "--out", outArg, "--format", "json"]);
      expect(r.code, outArg).toBe(1);
      expect(diagnosticsOf(r).map((d) => d.code)).toEqual(["SW303"]);
      expect(diagnosticsOf(r)[0]!.file).toBe("link");
    }
    expect(readdirSync(join(dir, "real"))).toEqual([]);
    expect((await sitewire(dir, ["compile", "--out", "real/out"])).code).toBe(0);
    expect(existsSync(join(dir, "real", "out"))).toBe(true);
  });

  it("components are checked from the root down; missing ones end the walk", async () => {
    await mkdir(join(dir, "a", "b"), { recursive: true });
    await symlink(join(dir, "a"), join(dir, "l"));
    expect(await symlinkInPath(join(dir, "a", "b", "c", "d"))).toBeUndefined();
    expect(await symlinkInPath(join(dir, "l", "b", "out"))).toEqual({ path: join(dir, "l"), target: join(dir, "a") });
    expect(await symlinkInPath(join(dir, "missing", "l"))).toBeUndefined();
  });
});
