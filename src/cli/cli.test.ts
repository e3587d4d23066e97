/**
 * End-to-end tests of the built CLI (`npm test` builds first; after editing src/, run `npm run build` before
 * `npx vitest run src/cli`). Each test runs `node dist/src/cli/main.js` in a fresh temp directory holding a
 * copy of the repository's sites/*.yaml.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { parseInvocation } from "./args.js";
import { UsageError } from "./errors.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const CLI = join(REPO, "dist", "src", "cli", "main.js");

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// Each test spawns several node processes; leave room for a busy machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

let dir: string;
let site: string; // name of the first site in sites/

function sitewire(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every entry under `root` (hidden ones too) with its content, for "nothing changed" checks. */
async function treeOf(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    const abs = join(e.parentPath, e.name);
    out[abs.slice(root.length + 1)] = e.isFile() ? await readFile(abs, "utf8") : e.isDirectory() ? "<dir>" : "<other>";
  }
  return out;
}

/** No stack trace, no internal error: what the user sees for any input problem. */
function expectNoCrash(r: Run): void {
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain("sitewire: internal error");
  expect(r.code).not.toBe(70);
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first (npm test does)`);
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sitewire-cli-"));
  await cp(join(REPO, "sites"), join(dir, "sites"), { recursive: true });
  const files = (await readdir(join(dir, "sites"))).filter((f) => f.endsWith(".yaml")).sort();
  expect(files.length).toBeGreaterThan(0);
  site = files[0]!.replace(/\.yaml$/, "");
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("help and usage", () => {
  it("prints help at top level and per command, exit 0", async () => {
    for (const args of [["--help"], ["-h"], ["help"], ["compile", "--help"], ["check", "-h"], ["help", "diff"], ["schema", "--help"], ["secrets", "--help"]]) {
      const r = await sitewire(...args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stdout).toMatch(/^Usage: sitewire|^sitewire: /);
    }
  });

  it("`npx sitewire`, as the README says, runs the built CLI (the bin is executable)", async () => {
    const r = await new Promise<Run>((resolve, reject) => {
      const child = spawn("npx", ["--no-install", "sitewire", "--version"], { cwd: REPO, env: { ...process.env, NO_COLOR: "1" } });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
      child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
      child.on("error", reject).on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(r.stderr).not.toContain("Permission denied");
    expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/^sitewire \d+\.\d+\.\d+\n$/) });
  });

  it("prints the version from package.json", async () => {
    const pkg = JSON.parse(await readFile(join(REPO, "package.json"), "utf8")) as { version: string };
    expect(await sitewire("--version")).toMatchObject({ code: 0, stdout: `sitewire ${pkg.version}\n` });
  });

  it("exits 64 on a bad command line, without a stack trace", async () => {
    for (const args of [[], ["frobnicate"], ["validate", "--bogus"], ["check", "--format", "xml"], ["schema", "extra"]]) {
      const r = await sitewire(...args);
      expect(r.code, args.join(" ")).toBe(64);
      expectNoCrash(r);
    }
  });
});

describe("validate", () => {
  it("exits 0 on the example sites and writes nothing", async () => {
    const r = await sitewire("validate");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("valid");
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("exits 1 with diagnostics on a garbage YAML file, no stack trace", async () => {
    await writeFile(join(dir, "sites", "garbage.yaml"), "site: [unclosed\n  : : :\n\t- {{{\n\u0000");
    const r = await sitewire("validate");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("sites/garbage.yaml:");
    expectNoCrash(r);
  });

  it("exits 1 when a path matches nothing", async () => {
    const r = await sitewire("validate", "nope/*.yaml");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no site files match 'nope/*.yaml'");
    expectNoCrash(r);
  });

  it("reports two files declaring the same site", async () => {
    await mkdir(join(dir, "more"));
    await cp(join(dir, "sites", `${site}.yaml`), join(dir, "more", `${site}.yaml`));
    const r = await sitewire("validate", "sites", "more/*.yaml", "--format", "json");
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { diagnostics: { code: string; message: string }[] };
    expect(doc.diagnostics).toContainEqual(expect.objectContaining({ code: "SW103", message: expect.stringContaining(`site '${site}'`) }));
  });

  it("prints one JSON object with --format json", async () => {
    const r = await sitewire("validate", "--format", "json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Array.isArray(doc.diagnostics)).toBe(true);
    expect(doc).toMatchObject({ command: "validate", ok: true });
  });
});

describe("compile, check and diff", () => {
  const siteFile = (...p: string[]) => join(dir, "out", site, ...p);

  it("compiles, then check is clean; a hand edit is drift (2) until compiled again", async () => {
    expect((await sitewire("compile")).code).toBe(0);
    const manifest = JSON.parse(await readFile(siteFile("manifest.json"), "utf8")) as { source: { file: string }; artifacts: { path: string }[] };
    expect(manifest.source.file).toBe(`sites/${site}.yaml`);
    expect(await sitewire("check")).toMatchObject({ code: 0 });

    const victim = manifest.artifacts[0]!.path;
    await writeFile(siteFile(victim), "edited by hand\n");
    const drift = await sitewire("check");
    expect(drift.code).toBe(2);
    expect(drift.stdout).toContain(`diff --git a/out/${site}/${victim} b/out/${site}/${victim}`);
    expect(drift.stdout).toContain("-edited by hand");
    expect(drift.stdout).toMatch(new RegExp(`^${site}: 1 file differs \\(1 modified\\)$`, "m"));
    expect(drift.stdout).not.toContain("\u001b[");

    const again = await sitewire("compile");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`${site}: 1 written, 0 removed`);
    expect((await sitewire("check")).code).toBe(0);
  });

  it("writes exact modes under a restrictive umask (0600 secrets, 0640 FRR, 0755 scripts, 0644 the rest)", async () => {
    const r = await new Promise<number | null>((resolve, reject) => {
      const child = spawn("sh", ["-c", `umask 077 && exec "${process.execPath}" "${CLI}" compile`], { cwd: dir, stdio: "ignore" });
      child.on("error", reject).on("close", resolve);
    });
    expect(r).toBe(0);
    const modes = new Set<string>();
    for (const name of (await readdir(join(dir, "sites"))).filter((f) => f.endsWith(".yaml")).map((f) => f.replace(/\.yaml$/, ""))) {
      const manifest = JSON.parse(await readFile(join(dir, "out", name, "manifest.json"), "utf8")) as { artifacts: { path: string; mode: string }[] };
      for (const a of manifest.artifacts) {
        modes.add(a.mode);
        expect(((await stat(join(dir, "out", name, a.path))).mode & 0o777).toString(8).padStart(4, "0"), `${name}/${a.path}`).toBe(a.mode);
      }
    }
    // 0640: FRRouting's files (group frr reads them), as Debian's frr package ships them.
    expect([...modes].sort()).toEqual(["0600", "0640", "0644", "0755"]);
  });

  it("a second compile writes nothing", async () => {
    await sitewire("compile");
    const r = await sitewire("compile");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${site}: 0 written, 0 removed, \\d+ unchanged$`, "m"));
  });

  it("keeps unmanaged files in out/<site>/ (compile warns, check fails on them) and refuses to overwrite one at a generated path", async () => {
    await sitewire("compile");
    await writeFile(siteFile("NOTES.txt"), "mine\n");
    const compiled = await sitewire("compile");
    expect(compiled.code).toBe(0);
    expect(compiled.stderr).toContain(`out/${site}/NOTES.txt: warning SW300`);
    const checked = await sitewire("check");
    expect(checked.code).toBe(2);
    expect(checked.stderr).toContain(`out/${site}/NOTES.txt: error SW300`);
    expect(await readFile(siteFile("NOTES.txt"), "utf8")).toBe("mine\n");

    await rm(join(dir, "out"), { recursive: true });
    await mkdir(siteFile(), { recursive: true });
    await writeFile(siteFile("README.md"), "hand-written\n");
    const r = await sitewire("compile");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`out/${site}/README.md`);
    expectNoCrash(r);
    expect(await readdir(siteFile())).toEqual(["README.md"]);
    expect(await readFile(siteFile("README.md"), "utf8")).toBe("hand-written\n");
    // The other sites' files were staged aside while compiling (src/writer/disk.ts): all removed again.
    expect(await readdir(join(dir, "out"))).toEqual([site]);
  });

  it("writes nothing at all when any site has errors", async () => {
    await writeFile(join(dir, "sites", "zz-broken.yaml"), "site: zz-broken\nnot-a-key: 1\n");
    const r = await sitewire("compile");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("nothing written");
    expect(existsSync(join(dir, "out"))).toBe(false);
    // Over an existing out/: the sites that compiled were staged aside, then removed; not a byte changed.
    expect((await sitewire("compile", "sites/[a-y]*.yaml")).code).toBe(0);
    const before = await treeOf(join(dir, "out"));
    await writeFile(join(dir, "sites", site + ".yaml"), (await readFile(join(dir, "sites", site + ".yaml"), "utf8")).replace(/^site: .*$/m, (l) => `${l}\n# changed`));
    expect((await sitewire("compile")).code).toBe(1);
    expect(await treeOf(join(dir, "out"))).toEqual(before);
    expect((await sitewire("check")).code).toBe(1);
  });

  it("check exits 2 on a fresh checkout without out/, diff shows it and exits 0", async () => {
    expect((await sitewire("check")).code).toBe(2);
    const diff = await sitewire("diff");
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain(`+++ b/out/${site}/manifest.json`);
    expect(diff.stdout).toContain("new file mode");
    await sitewire("compile");
    expect(await sitewire("diff")).toMatchObject({ code: 0, stdout: "" });
  });

  it("--format json puts results and diagnostics in one object", async () => {
    const compiled = JSON.parse((await sitewire("compile", "--format", "json")).stdout) as { diagnostics: unknown[]; sites: { site: string; created: string[] }[] };
    expect(Array.isArray(compiled.diagnostics)).toBe(true);
    expect(compiled.sites.find((s) => s.site === site)?.created).toContain("manifest.json");

    await writeFile(siteFile("README.md"), "x\n");
    const r = await sitewire("check", "--format", "json");
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout) as { drift: boolean; sites: { site: string; drift: { path: string; kind: string }[] }[] };
    expect(doc.drift).toBe(true);
    expect(doc.sites.find((s) => s.site === site)?.drift).toEqual([expect.objectContaining({ path: "README.md", kind: "modified" })]);
  });

  it("--format github annotates drifted files", async () => {
    await sitewire("compile");
    await writeFile(siteFile("README.md"), "x\n");
    const r = await sitewire("check", "--format", "github");
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`::error file=out/${site}/README.md,`);
  });

  it("honours --out", async () => {
    expect((await sitewire("compile", "--out", "build/gen")).code).toBe(0);
    expect(existsSync(join(dir, "build", "gen", site, "manifest.json"))).toBe(true);
    expect((await sitewire("check", "--out", "build/gen")).code).toBe(0);
    expect((await sitewire("check")).code).toBe(2);
  });
});

describe("schema", () => {
  it("prints the schema and writes schema/site.schema.json", async () => {
    const printed = await sitewire("schema");
    expect(printed.code).toBe(0);
    expect(JSON.parse(printed.stdout)).toHaveProperty("$schema");
    expect(await sitewire("schema", "--write")).toMatchObject({ code: 0, stdout: "wrote schema/site.schema.json\n" });
    expect(await readFile(join(dir, "schema", "site.schema.json"), "utf8")).toBe(printed.stdout);
    expect((await sitewire("schema", "--write")).stdout).toContain("up to date");
  });
});

describe("parseInvocation", () => {
  it("defaults paths, out and format", async () => {
    expect(parseInvocation(["check"])).toEqual({
      kind: "site",
      command: "check",
      args: { paths: ["sites/*.yaml"], strict: false, out: "out", format: "text", noColor: false },
    });
    expect(parseInvocation(["compile", "a.yaml", "--strict", "--out=x", "--no-color", "--format", "github"])).toMatchObject({
      args: { paths: ["a.yaml"], strict: true, out: "x", format: "github", noColor: true },
    });
  });

  it("takes --against and --exit-code for diff only, and secrets' own options", async () => {
    expect(parseInvocation(["diff", "--against", "origin/main", "--exit-code"])).toMatchObject({
      kind: "site",
      command: "diff",
      args: { against: "origin/main", exitCode: true, paths: ["sites/*.yaml"] },
    });
    expect(parseInvocation(["secrets", "--site", "s", "--host", "h", "--dest", "/tmp/x"])).toEqual({
      kind: "secrets",
      args: { site: "s", host: "h", dest: "/tmp/x", out: "out" },
    });
    expect(parseInvocation(["compile", "--no-cache", "--fsync"])).toMatchObject({ args: { noCache: true, fsync: true } });
    expect(parseInvocation(["check", "--no-cache"])).toMatchObject({ args: { noCache: true } });
    for (const argv of [["check", "--fsync"], ["validate", "--no-cache"], ["diff", "--no-cache"], ["check", "--against", "main"], ["diff", "--against", ""], ["diff", "--against", "-x"], ["secrets", "--site", "s", "--host", "h"], ["secrets", "--site", "s", "--host", "h", "--dest", "d", "extra"]]) {
      expect(() => parseInvocation(argv), argv.join(" ")).toThrow(UsageError);
    }
  });

  it("rejects malformed command lines with a UsageError", async () => {
    for (const argv of [[], ["--strict", "check"], ["nope"], ["check", "--out"], ["check", "--format", "yaml"], ["help", "nope"]]) {
      expect(() => parseInvocation(argv), argv.join(" ")).toThrow(UsageError);
    }
  });
});
