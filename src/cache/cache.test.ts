/**
 * The result cache end to end, through the CLI in-process: what it may skip, and every way out/ can change
 * behind its back that must make it compile (or compare) in full again.
 */
import { chmod, cp, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../cli/run.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));

let work: string;
let cacheDir: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), "sw-cache-"));
  cacheDir = join(work, "cache");
  // The two seed sites (the cases below name them); the other examples add nothing to what the cache does.
  await mkdir(join(work, "sites"), { recursive: true });
  for (const name of ["bjs-hybrid", "partner-vpn"]) await cp(join(REPO, "sites", `${name}.yaml`), join(work, "sites", `${name}.yaml`));
});
afterEach(() => rm(work, { recursive: true, force: true }));

interface SiteData {
  readonly site: string;
  readonly cached: boolean;
  readonly upToDate?: boolean;
  readonly created?: string[];
  readonly updated?: string[];
}

async function sitewire(env: Record<string, string>, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await run([...args, "--format", "json"], {
    cwd: work,
    env: { NO_COLOR: "1", SITEWIRE_CACHE_DIR: cacheDir, ...env },
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  });
  const data = JSON.parse(stdout) as { sites?: SiteData[]; diagnostics?: { code: string; severity: string }[]; drift?: boolean };
  return { code, data, stderr, cached: Object.fromEntries((data.sites ?? []).map((s) => [s.site, s.cached])) };
}
const compile = (...args: string[]) => sitewire({}, "compile", ...args);
const check = (...args: string[]) => sitewire({}, "check", ...args);

/** Every file under out/ with its content and mode. */
async function tree(): Promise<Map<string, string>> {
  const root = join(work, "out");
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const e of entries.filter((x) => x.isFile()).sort((a, b) => (a.parentPath + a.name < b.parentPath + b.name ? -1 : 1))) {
    const abs = join(e.parentPath, e.name);
    files.set(abs.slice(root.length), `${((await stat(abs)).mode & 0o777).toString(8)} ${await readFile(abs, "utf8")}`);
  }
  return files;
}

/** Set every output file's mtime into the past (which also moves every ctime to now). */
async function ageOutput(): Promise<void> {
  const past = new Date(Date.now() - 10_000);
  for (const e of await readdir(join(work, "out"), { recursive: true, withFileTypes: true })) {
    if (e.isFile()) await utimes(join(e.parentPath, e.name), past, past);
  }
}

describe("compile with the result cache", () => {
  it("a second compile of unchanged sites compiles nothing and leaves the same tree", async () => {
    const first = await compile();
    expect(first.code).toBe(0);
    expect(first.cached).toEqual({ "bjs-hybrid": false, "partner-vpn": false });
    const before = await tree();
    const second = await compile();
    expect(second.code).toBe(0);
    expect(second.cached).toEqual({ "bjs-hybrid": true, "partner-vpn": true });
    expect(await tree()).toEqual(before);
    expect((await check()).cached).toEqual({ "bjs-hybrid": true, "partner-vpn": true });
  });

  it("an edited site file is compiled again; the other site still comes from the cache", async () => {
    await compile();
    const file = join(work, "sites/partner-vpn.yaml");
    await writeFile(file, (await readFile(file, "utf8")) + "\n# a comment changes the file's hash\n");
    const r = await compile();
    expect(r.cached).toEqual({ "bjs-hybrid": true, "partner-vpn": false });
  });

  it("an output file edited by hand (same size, mtime restored) is found by check and healed by compile", async () => {
    await compile();
    const path = join(work, "out/bjs-hybrid/README.md");
    const original = await readFile(path, "utf8");
    const { mtime, atime } = await stat(path);
    await writeFile(path, original.replace(/[a-z]/, (c) => (c === "a" ? "b" : "a")));
    await utimes(path, atime, mtime);

    const drift = await check();
    expect(drift.code).toBe(2);
    expect(drift.cached["bjs-hybrid"]).toBe(false);
    expect(drift.cached["partner-vpn"]).toBe(true);
    const healed = await compile();
    expect(healed.data.sites!.find((s) => s.site === "bjs-hybrid")!.updated).toEqual(["README.md"]);
    expect(await readFile(path, "utf8")).toBe(original);
  });

  it("a removed output file and a removed site folder are found", async () => {
    await compile();
    await rm(join(work, "out/partner-vpn/manifest.json"));
    await rm(join(work, "out/bjs-hybrid"), { recursive: true });
    const r = await check();
    expect(r.code).toBe(2);
    expect(r.cached).toEqual({ "bjs-hybrid": false, "partner-vpn": false });
    expect((await compile()).code).toBe(0);
    expect((await check()).code).toBe(0);
  });

  it("modes: compile restores an exact mode; check, like git, only minds the executable bit", async () => {
    await compile();
    const secrets = (await readdir(join(work, "out/bjs-hybrid"), { recursive: true })).find((p) => p.endsWith("ipsec.secrets"))!;
    const script = (await readdir(join(work, "out/bjs-hybrid"), { recursive: true })).find((p) => p.endsWith("sbin/sitewire-tunnels"))!;
    await chmod(join(work, "out/bjs-hybrid", secrets), 0o644);
    expect((await check()).code).toBe(0);
    const r = await compile();
    expect(r.data.sites!.find((s) => s.site === "bjs-hybrid")!.updated).toEqual([secrets]);
    expect((await lstat(join(work, "out/bjs-hybrid", secrets))).mode & 0o777).toBe(0o600);
    await chmod(join(work, "out/bjs-hybrid", script), 0o644);
    expect((await check()).code).toBe(2);
  });

  it("--no-cache and SITEWIRE_CACHE_DIR=off compile everything", async () => {
    await compile();
    expect((await compile("--no-cache")).cached).toEqual({ "bjs-hybrid": false, "partner-vpn": false });
    expect((await check("--no-cache")).cached).toEqual({ "bjs-hybrid": false, "partner-vpn": false });
    expect((await sitewire({ SITEWIRE_CACHE_DIR: "off" }, "compile")).cached).toEqual({ "bjs-hybrid": false, "partner-vpn": false });
  });

  it("warnings of a cached site are reported again, as in the compile that filled the cache", async () => {
    const file = join(work, "sites/bjs-hybrid.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replaceAll("aes256-sha256-modp3072", "aes256-sha1-modp1024"));
    const first = await compile();
    const warnings = first.data.diagnostics!.filter((d) => d.severity === "warning");
    expect(warnings.length).toBeGreaterThan(0);
    const second = await compile();
    expect(second.cached["bjs-hybrid"]).toBe(true);
    expect(second.data.diagnostics).toEqual(first.data.diagnostics);
    // --strict is another key: the warnings become errors, nothing is taken from the cache.
    expect((await compile("--strict")).code).toBe(1);
  });

  it("a corrupt cache file is ignored and replaced", async () => {
    await compile();
    const [name] = await readdir(cacheDir);
    await writeFile(join(cacheDir, name!), "{ not json");
    expect((await compile()).cached).toEqual({ "bjs-hybrid": false, "partner-vpn": false });
    expect((await compile()).cached).toEqual({ "bjs-hybrid": true, "partner-vpn": true });
    expect((await stat(join(cacheDir, name!))).mode & 0o777).toBe(0o600);
  });

  it("files touched behind its back are hashed again, found unchanged, and stamped anew", async () => {
    await compile();
    await ageOutput();
    // utimes changed every ctime: this run re-hashes and re-stamps every file.
    expect((await check()).cached).toEqual({ "bjs-hybrid": true, "partner-vpn": true });
    const [name] = await readdir(cacheDir);
    const doc = JSON.parse(await readFile(join(cacheDir, name!), "utf8")) as { sites: Record<string, { files: { stamp?: string }[] }> };
    const stamps = Object.values(doc.sites).flatMap((s) => s.files.map((f) => f.stamp));
    expect(stamps.every((s) => typeof s === "string" && s.split(":").length === 6)).toBe(true);
  });
});
