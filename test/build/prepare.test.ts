/**
 * `prepare` builds only when dist/ is not a build of the current sources (src/build/stamp.mjs). npm runs
 * `prepare` not only on `npm ci` but also the first time `npx sitewire` runs in a project folder (npx installs
 * the folder into its cache as a linked dependency). When `prepare` was `npm run build`, that rebuilt dist/
 * from scratch, and every `sitewire` started meanwhile failed with "Cannot find module …/main.js": in CI, a
 * whole test file did.
 *
 * Each case works on a copy of the package in a fresh temp folder (so npx has never seen its path) with its
 * own npm cache (so nothing is left in the user's ~/.npm); node_modules is linked, dist/ copied.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/render/package-root.js";

const MAIN = join("dist", "src", "cli", "main.js");
let work: string;
let copy: string;

function copyPackage(to: string): void {
  for (const f of ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "src", "dist"]) cpSync(join(PACKAGE_ROOT, f), join(to, f), { recursive: true, preserveTimestamps: true });
  symlinkSync(join(PACKAGE_ROOT, "node_modules"), join(to, "node_modules"));
}

const check = (dir: string) => spawnSync(process.execPath, [join(dir, "src", "build", "stamp.mjs"), "check"], { cwd: dir, encoding: "utf8" });

beforeAll(() => {
  if (!existsSync(join(PACKAGE_ROOT, MAIN))) throw new Error(`${MAIN} is missing: run 'npm run build' first (npm test does)`);
  work = mkdtempSync(join(tmpdir(), "sitewire-prepare-"));
  copy = join(work, "package");
  copyPackage(copy);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("prepare", () => {
  it("the build records its inputs: dist/ here is a build of the current sources", () => {
    const r = check(PACKAGE_ROOT);
    expect(r.status, "dist/ is older than src/: run 'npm run build'").toBe(0);
  });

  // foreground_scripts: npm shows what prepare printed (else it keeps a lifecycle script's output to itself).
  it("the first `npx sitewire` in a folder runs prepare, which finds dist/ current and builds nothing", () => {
    const before = statSync(join(copy, MAIN), { bigint: true });
    const r = spawnSync("npx", ["--no-install", "sitewire", "--version"], {
      cwd: copy,
      encoding: "utf8",
      env: { ...process.env, npm_config_cache: join(work, "npm-cache"), npm_config_update_notifier: "false", npm_config_foreground_scripts: "true" },
      timeout: 120_000,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sitewire \d+\.\d+\.\d+/);
    expect(r.stderr).toContain("not building again");
    // Not rebuilt: the very same file (a rebuild starts with rm -rf dist).
    const after = statSync(join(copy, MAIN), { bigint: true });
    expect([after.ino, after.mtimeNs]).toEqual([before.ino, before.mtimeNs]);
  }, 120_000);

  it("any change to the inputs, or a missing built file, makes it build", () => {
    const other = join(work, "changed");
    copyPackage(other);
    expect(check(other).status).toBe(0);
    appendFileSync(join(other, "src", "cli", "main.ts"), "\n");
    expect(check(other).status).toBe(1);

    const missing = join(work, "missing");
    copyPackage(missing);
    rmSync(join(missing, MAIN));
    expect(check(missing).status).toBe(1);

    const lock = join(work, "lock");
    copyPackage(lock);
    writeFileSync(join(lock, "package-lock.json"), "{}\n");
    expect(check(lock).status).toBe(1);
  });
});
