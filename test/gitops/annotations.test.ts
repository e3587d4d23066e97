/**
 * `--format github` end to end: the workflow commands `check` and `validate` print are the ones the Actions
 * runner turns into annotations at the intent's file:line. Each line is parsed as the runner does
 * (`::<level> k=v,k=v::message`, properties and message unescaped as in actions/toolkit command.ts) and
 * checked against the intent text: the line holds the offending key, columns only on one-line ranges,
 * paths relative to the workspace root even when sitewire runs in a subdirectory.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { formatGithub } from "../../src/diagnostics/format.js";
import { formatAnnotation } from "../../src/cli/output.js";
import { Repo, sitewire } from "./repo.js";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const CLI = join(fileURLToPath(new URL("../..", import.meta.url)), "dist", "src", "cli", "main.js");

interface Annotation {
  readonly level: string;
  readonly props: Readonly<Record<string, string>>;
  readonly message: string;
}

/** Workflow commands in `output`, decoded like the runner (escapes from actions/toolkit packages/core/src/command.ts). */
function annotations(output: string): Annotation[] {
  const unescape = (s: string) => s.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");
  return output
    .split("\n")
    .flatMap((line) => {
      const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
      if (!m) return [];
      const props = Object.fromEntries(m[2]!.split(",").map((kv) => [kv.slice(0, kv.indexOf("=")), unescape(kv.slice(kv.indexOf("=") + 1))]));
      return [{ level: m[1]!, props, message: unescape(m[3]!) }];
    });
}

/** What the runner needs: a known property set, numbers where numbers go, columns only on one line. */
function expectWellFormed(a: Annotation): void {
  expect(Object.keys(a.props).every((k) => ["file", "line", "col", "endLine", "endColumn", "title"].includes(k)), JSON.stringify(a)).toBe(true);
  for (const k of ["line", "col", "endLine", "endColumn"]) if (k in a.props) expect(a.props[k]).toMatch(/^[1-9]\d*$/);
  if ("col" in a.props || "endColumn" in a.props) expect(a.props.line).toBe(a.props.endLine);
}

describe("check and validate --format github", () => {
  const repo = new Repo();
  const intent = (edit: (text: string) => string) => repo.write("infra/sites/edge.yaml", edit(repo.read("infra/sites/edge.yaml")));

  beforeAll(() => repo.fixture("edge.0-base.yaml", "infra/sites/edge.yaml"));
  afterAll(() => repo.remove());

  it("the built binary annotates an error at the intent's line and column, relative to the workspace", () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first (npm test does)`);
    intent((t) => t.replace("    key: 10\n", "    key: 10\n    lefsubnet: 10.0.0.0/8\n"));
    const text = repo.read("infra/sites/edge.yaml");
    const r = spawnSync(process.execPath, [CLI, "validate", "--format", "github"], {
      cwd: repo.path("infra"),
      encoding: "utf8",
      env: { ...process.env, GITHUB_WORKSPACE: repo.dir, NO_COLOR: "1" },
    });
    expect(r.status).toBe(1);
    const found = annotations(r.stdout);
    expect(found.length).toBeGreaterThan(0);
    found.forEach(expectWellFormed);
    const line = text.split("\n").findIndex((l) => l.includes("lefsubnet")) + 1;
    expect(found).toContainEqual({
      level: "error",
      props: { file: "infra/sites/edge.yaml", line: String(line), col: "5", endLine: String(line), endColumn: "14", title: "SW011" },
      message: expect.stringContaining("lefsubnet"),
    });
    intent((t) => t.replace("    lefsubnet: 10.0.0.0/8\n", ""));
  });

  it("warnings are warnings and do not fail validate; without GITHUB_WORKSPACE paths stay relative to the working directory", async () => {
    intent((t) => t.replace("proposals: [aes256-sha256-modp3072] }\n    psk", "proposals: [aes128-sha1-modp1024] }\n    psk"));
    try {
      const r = await sitewire(repo.path("infra"), ["validate", "--format", "github"]);
      expect(r.code).toBe(0);
      const found = annotations(r.stdout);
      found.forEach(expectWellFormed);
      const weak = found.filter((a) => a.props.title === "SW112");
      expect(weak.length).toBeGreaterThan(0);
      expect(weak.every((a) => a.level === "warning" && a.props.file === "sites/edge.yaml")).toBe(true);
      const line = repo.read("infra/sites/edge.yaml").split("\n").findIndex((l) => l.includes("aes128-sha1-modp1024")) + 1;
      expect(weak.map((a) => a.props.line)).toContain(String(line));
      expect((await sitewire(repo.path("infra"), ["validate", "--strict", "--format", "github"])).code).toBe(1);
    } finally {
      repo.fixture("edge.0-base.yaml", "infra/sites/edge.yaml");
    }
  });

  it("check annotates every out-of-date file and fails with 2", async () => {
    const cwd = repo.path("infra");
    expect((await sitewire(cwd, ["compile"])).code).toBe(0);
    const clean = await sitewire(cwd, ["check", "--format", "github"], { GITHUB_WORKSPACE: repo.dir });
    expect(clean.code).toBe(0);
    expect(annotations(clean.stdout)).toEqual([]);
    repo.write("infra/out/edge/devices/router-1/ios.cfg", "edited by hand\n");
    const r = await sitewire(cwd, ["check", "--format", "github"], { GITHUB_WORKSPACE: repo.dir });
    expect(r.code).toBe(2);
    const found = annotations(r.stdout);
    found.forEach(expectWellFormed);
    expect(found).toEqual([
      {
        level: "error",
        props: { file: "infra/out/edge/devices/router-1/ios.cfg", title: "sitewire check: generated file out of date" },
        message: "content differs from a fresh compile; run 'sitewire compile' and commit the result",
      },
    ]);
  });
});

describe("check --format github on paths no site produces", () => {
  const repo = new Repo();
  beforeAll(() => repo.fixture("edge.0-base.yaml", "infra/sites/edge.yaml"));
  afterAll(() => repo.remove());

  it("a foreign folder under out/ is one error annotation at the folder, relative to the workspace; a leftover temp file another", async () => {
    const cwd = repo.path("infra");
    expect((await sitewire(cwd, ["compile"])).code).toBe(0);
    repo.write("infra/out/payroll/cluster/kustomization.yaml", "resources: [crb.yaml]\n");
    repo.write("infra/out/payroll/cluster/crb.yaml", "kind: ClusterRoleBinding\n");
    repo.write("infra/out/edge/hosts/.x.sitewire-tmp-0f", "half\n");
    const r = await sitewire(cwd, ["check", "--format", "github"], { GITHUB_WORKSPACE: repo.dir });
    expect(r.code).toBe(2);
    const found = annotations(r.stdout);
    found.forEach(expectWellFormed);
    expect(found.map((a) => [a.level, a.props.file, a.props.title, a.props.line])).toEqual([
      ["error", "infra/out/edge/hosts/.x.sitewire-tmp-0f", "SW302", undefined],
      ["error", "infra/out/payroll", "SW300", undefined],
    ]);
    expect(found[1]!.message).toMatch(/no site produces[\s\S]*\nhint: delete it \(git rm -r out\/payroll\)/);
  });
});

describe("annotation formatting", () => {
  const at = (line: number, col: number, endLine: number, endCol: number) => ({ start: { line, column: col }, end: { line: endLine, column: endCol } });

  it("a range over several lines has no columns (GitHub ignores them there)", () => {
    const d: Diagnostic = { code: "SW011", severity: "error", message: "m", file: "sites/x.yaml", range: at(3, 5, 7, 2) };
    expect(formatGithub([d])).toBe("::error file=sites/x.yaml,line=3,endLine=7,title=SW011::m\n");
    expect(formatAnnotation({ level: "notice", file: "sites/x.yaml", range: at(3, 5, 7, 2), title: "t", message: "m" })).toBe("::notice file=sites/x.yaml,line=3,endLine=7,title=t::m");
  });

  it("escapes data and properties as the runner expects", () => {
    const line = formatAnnotation({ level: "warning", file: "a,b:c.yaml", range: at(1, 2, 1, 4), title: "x: y, z", message: "50% done\nnext: line" });
    expect(line).toBe("::warning file=a%2Cb%3Ac.yaml,line=1,col=2,endLine=1,endColumn=4,title=x%3A y%2C z::50%25 done%0Anext: line");
    expect(annotations(line)).toEqual([{ level: "warning", props: { file: "a,b:c.yaml", line: "1", col: "2", endLine: "1", endColumn: "4", title: "x: y, z" }, message: "50% done\nnext: line" }]);
  });
});
