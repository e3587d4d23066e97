/**
 * Secret values never leak. Every secret reference of the example and fixture sites gets a real, unique value
 * (environment variables, and files for `file:` references); then every command runs as a user and CI would run
 * it: validate, compile, check and diff in every output format, with drift and without, and `sitewire secrets`
 * for every host. Nothing under out/, no stdout or stderr, no diagnostic and no diff may contain a value; the
 * files `sitewire secrets` materialises hold them (the positive control), with mode 0600 in 0700 directories.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { lstat, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileSource } from "../../src/compile/pipeline.js";
import { run } from "../../src/cli/run.js";
import type { SecretModel } from "../../src/model/types.js";
import { filesUnder } from "./files.js";
import { securitySites } from "./sites.js";

interface Transcript {
  readonly command: string;
  readonly code: number;
  readonly output: string;
}

let repo: string;
let stage: string;
const secrets = new Map<string, string>(); // reference ("env:NAME" / "file:PATH") → value
const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1" };
const transcripts: Transcript[] = [];
const counts = { filesSearched: 0, bytesSearched: 0, materialised: 0, leaks: 0 };

async function sitewire(...args: string[]): Promise<Transcript> {
  let output = "";
  const sink = { write: (text: string) => ((output += text), true) };
  const code = await run(args, { cwd: repo, env, stdout: sink, stderr: sink });
  const t = { command: `sitewire ${args.join(" ")}`, code, output };
  transcripts.push(t);
  return t;
}

/** Every value found in `text`, by reference. */
function leaked(text: string): string[] {
  return [...secrets].filter(([, value]) => text.includes(value)).map(([ref]) => ref);
}

async function expectNoValueUnder(dir: string): Promise<void> {
  for (const file of await filesUnder(dir)) {
    const content = await readFile(file, "utf8");
    counts.filesSearched++;
    counts.bytesSearched += content.length;
    const found = leaked(content);
    counts.leaks += found.length;
    expect(found, relative(repo, file)).toEqual([]);
  }
}

function expectNoValueIn(t: Transcript): void {
  counts.bytesSearched += t.output.length;
  const found = leaked(t.output);
  counts.leaks += found.length;
  expect(found, t.command).toEqual([]);
}

/** Every host with secret-bearing files, from the compiled manifests, with the references its files hold. */
async function secretHosts(): Promise<{ site: string; host: string; references: string[] }[]> {
  const hosts: { site: string; host: string; references: string[] }[] = [];
  for (const m of (await filesUnder(join(repo, "out"))).filter((f) => f.endsWith("/manifest.json"))) {
    const manifest = JSON.parse(await readFile(m, "utf8")) as { site: string; artifacts: { host?: string; path: string; kind: string }[] };
    const byHost = new Map<string, Set<string>>();
    for (const a of manifest.artifacts.filter((a) => a.host && /strongswan-secrets|swanctl-conf/.test(a.kind))) {
      const content = await readFile(join(dirname(m), a.path), "utf8");
      const refs = [...content.matchAll(/@@sitewire-secret:(env|file):([^@]+)@@/g)].map((x) => `${x[1]}:${x[2]}`);
      byHost.set(a.host!, new Set([...(byHost.get(a.host!) ?? []), ...refs]));
    }
    for (const [host, refs] of byHost) hosts.push({ site: manifest.site, host, references: [...refs] });
  }
  return hosts;
}

function readFileSyncHas(file: string, text: string): boolean {
  return readFileSync(file, "utf8").includes(text);
}

async function treeHash(dir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const file of (await filesUnder(dir)).sort()) hash.update(file).update(await readFile(file));
  return hash.digest("hex");
}

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), "sw-leak-repo-"));
  stage = await mkdtemp(join(tmpdir(), "sw-leak-stage-"));
  const secretFiles = join(stage, "secret-files");
  await mkdir(join(repo, "sites"), { recursive: true });
  await mkdir(secretFiles, { mode: 0o700 });
  for (const site of securitySites()) {
    // file: references point into this test's own directory, where their values are written.
    const text = site.text.replace(/(file:\s*)\/run\/secrets\//g, `$1${secretFiles}/`);
    await writeFile(join(repo, site.file), text);
    const model = compileSource(site.file, text).model;
    const refs: SecretModel[] = model?.tunnels.flatMap((t) => [t.host.psk, t.peer.psk]) ?? [];
    for (const ref of refs) {
      const key = `${ref.kind}:${ref.ref}`;
      if (secrets.has(key)) continue;
      const value = `sw-leak-${randomBytes(12).toString("base64url")}`;
      secrets.set(key, value);
      if (ref.kind === "env") env[ref.ref] = value;
      else await writeFile(ref.ref, `${value}\n`, { mode: 0o600 });
    }
  }
});

afterAll(async () => {
  console.log(
    `secrets leak: ${secrets.size} secret values (${[...secrets.keys()].filter((k) => k.startsWith("file:")).length} from files), ` +
      `${transcripts.length} command outputs and ${counts.filesSearched} files searched (${counts.bytesSearched} bytes), ` +
      `${counts.materialised} files materialised, ${counts.leaks} leaks`,
  );
  await rm(repo, { recursive: true, force: true });
  await rm(stage, { recursive: true, force: true });
});

describe("secret values never leak", () => {
  it("the sites reference secrets of both kinds", () => {
    expect([...secrets.keys()].some((k) => k.startsWith("env:"))).toBe(true);
    expect([...secrets.keys()].some((k) => k.startsWith("file:"))).toBe(true);
  });

  it("validate, compile, check and diff, clean and with drift, in every format, print none and write none to out/", async () => {
    for (const format of ["text", "json", "github"]) expect((await sitewire("validate", "--format", format)).code).toBe(0);
    expect([0, 1]).toContain((await sitewire("validate", "--strict")).code);
    expect((await sitewire("compile")).code).toBe(0);
    for (const format of ["text", "json", "github"]) expect((await sitewire("check", "--format", format)).code).toBe(0);
    expect((await sitewire("diff")).code).toBe(0);

    // Drift in every secret-bearing file: check and diff print those files' diffs (placeholders only).
    const secretFiles = (await filesUnder(join(repo, "out"))).filter((f) => /ipsec\.secrets$|swanctl.*\.conf$|ios\.cfg$/.test(f));
    expect(secretFiles.length).toBeGreaterThan(0);
    for (const f of secretFiles) await writeFile(f, `# hand edit\n${await readFile(f, "utf8")}`);
    for (const format of ["text", "json", "github"]) expect((await sitewire("check", "--format", format)).code).toBe(2);
    expect((await sitewire("diff")).code).toBe(0);
    expect((await sitewire("compile")).code).toBe(0);
    expect((await sitewire("check")).code).toBe(0);

    for (const t of transcripts) expectNoValueIn(t);
    await expectNoValueUnder(join(repo, "out"));
  });

  it("sitewire secrets writes the values only into --dest, 0600 files in 0700 directories, and prints none", async () => {
    const before = await treeHash(join(repo, "out"));
    const found = new Set<string>();
    for (const { site, host } of await secretHosts()) {
      const dest = join(stage, "dest", site, host);
      const t = await sitewire("secrets", "--site", site, "--host", host, "--dest", dest);
      expect(t.code, t.output).toBe(0);
      expectNoValueIn(t);
      for (const file of await filesUnder(dest)) {
        counts.materialised++;
        expect((await stat(file)).mode & 0o777, file).toBe(0o600);
        for (const ref of leaked(await readFile(file, "utf8"))) found.add(ref);
        for (let dir = dirname(file); dir !== dest; dir = dirname(dir)) expect((await lstat(dir)).mode & 0o777, dir).toBe(0o700);
      }
    }
    // Positive control: the search does find every value, where it belongs.
    expect([...found].sort()).toEqual([...secrets.keys()].sort());
    expect(await treeHash(join(repo, "out"))).toBe(before);
  });

  it("refusals name the file and the reference, never the value", async () => {
    const name = [...secrets.keys()].find((k) => k.startsWith("env:"))!.slice(4);
    const users = (await secretHosts()).filter((h) => h.references.includes(`env:${name}`));
    expect(users.length).toBeGreaterThan(0);
    const saved = env[name];
    try {
      for (const bad of ['quote"', "line\nbreak", "0sbase64"].map((b) => `${b}-${randomBytes(6).toString("hex")}`)) {
        env[name] = bad;
        secrets.set(`refused:${name}`, bad);
        for (const { site, host } of users) {
          const t = await sitewire("secrets", "--site", site, "--host", host, "--dest", join(stage, "refused", site, host));
          expectNoValueIn(t);
          if (t.code === 1) expect(t.output).toContain(name);
        }
      }
    } finally {
      env[name] = saved;
      secrets.delete(`refused:${name}`);
    }
    expect(transcripts.filter((t) => t.command.startsWith("sitewire secrets") && t.code === 1).length).toBeGreaterThan(0);
  });

  // Finding 4 (reported, not fixed here; see ./findings.test.ts): a value pasted into a committed file by hand
  // (testing on a box, then committing) is printed by check and diff, e.g. into CI logs. The values of the
  // references the sites use are in check's environment; src/writer/check.ts could mask them in the patch.
  it.fails("finding 4: check and diff mask a secret value someone pasted into out/", async () => {
    const [ref, value] = [...secrets].find(([k]) => k.startsWith("env:"))!;
    const file = (await filesUnder(join(repo, "out"))).find((f) => f.endsWith("ipsec.secrets") && readFileSyncHas(f, ref.slice(4)))!;
    const committed = await readFile(file, "utf8");
    await writeFile(file, committed.replace(`@@sitewire-secret:${ref}@@`, value));
    try {
      for (const command of ["check", "diff"]) {
        const t = await sitewire(command);
        transcripts.pop(); // judged here, not by the leak count of the other tests
        expect(leaked(t.output), command).toEqual([]);
      }
    } finally {
      await writeFile(file, committed);
    }
  });

  it("a literal secret in an intent is reported without being printed", async () => {
    const literal = `sw-literal-${randomBytes(12).toString("base64url")}`;
    secrets.set("literal", literal);
    const file = join(repo, "sites", "bjs-hybrid.yaml");
    const original = await readFile(file, "utf8");
    await writeFile(file, original.replace("psk: { env: BJS_VPN1_PSK }", `psk: ${literal}`));
    try {
      for (const command of ["validate", "compile", "check", "diff"])
        for (const format of ["text", "json", "github"]) {
          const t = await sitewire(command, "--format", format);
          expect(t.code, t.command).toBe(1);
          expectNoValueIn(t);
        }
      await expectNoValueUnder(join(repo, "out"));
    } finally {
      await writeFile(file, original);
    }
  });
});
