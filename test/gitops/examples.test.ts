/**
 * The GitOps examples users copy (test/gitops/examples/): the GitHub Actions workflow's steps are run for real
 * with bash on a repository with a pull request's history (`npx` shimmed to the built CLI), and the Argo CD
 * ApplicationSet's git directory generator is evaluated against the compiled example sites.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { parseInvocation } from "../../src/cli/args.js";
import { globToRegExp } from "../../src/gitrev/glob.js";
import { missing } from "../harness/tools.js";
import { Repo, sitewire } from "./repo.js";

vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const EXAMPLES = join(ROOT, "test", "gitops", "examples");
const CLI = join(ROOT, "dist", "src", "cli", "main.js");

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
}

const workflow = parse(readFileSync(join(EXAMPLES, "github-workflow.yml"), "utf8")) as {
  on: Record<string, unknown>;
  jobs: Record<string, { steps: Step[] }>;
};
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

describe("GitHub Actions workflow example", () => {
  it("checks out with history, and every sitewire command line in it parses", () => {
    expect(Object.keys(workflow.on)).toEqual(expect.arrayContaining(["pull_request", "push"]));
    expect(steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with).toMatchObject({ "fetch-depth": 0 });
    expect(steps.some((s) => s.run?.trim() === "npx sitewire check --format github")).toBe(true);
    const commands = steps.flatMap((s) => (s.run ?? "").split("\n")).flatMap((l) => [...l.matchAll(/npx sitewire ([^|\n]+)/g)].map((m) => m[1]!.trim()));
    expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const c of commands) {
      const argv = c.replace(/"\$BASE"/g, "origin/main").split(/\s+/);
      expect(() => parseInvocation(argv), c).not.toThrow();
    }
  });

  describe.skipIf(missing("git", "bash"))("its steps, run on a pull request's history", () => {
    const repo = new Repo();
    const bin = repo.path(".shim");
    const summary = repo.path(".summary.md");

    beforeAll(async () => {
      if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first (npm test does)`);
      repo.fixture("edge.0-base.yaml", "sites/edge.yaml");
      expect((await sitewire(repo.dir, ["compile"])).code).toBe(0);
      repo.commitAll("base");
      repo.git("update-ref", "refs/remotes/origin/main", "HEAD");
      repo.fixture("edge.2-proposal-changed.yaml", "sites/edge.yaml");
      expect((await sitewire(repo.dir, ["compile"])).code).toBe(0);
      repo.commitAll("pull request: proposal changed, router-2 added");
      // `npx sitewire …` → the built CLI (what `npm ci` provides in the real job).
      mkdirSync(bin);
      writeFileSync(join(bin, "npx"), `#!/bin/sh\n[ "$1" = sitewire ] || exit 127\nshift\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
    });
    afterAll(() => repo.remove());

    function runStep(name: string): { status: number | null; stdout: string } {
      const step = steps.find((s) => s.name === name);
      if (!step?.run) throw new Error(`no step ${name}`);
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, v.replace("${{ github.base_ref }}", "main")]));
      const r = spawnSync("bash", ["-e", "-o", "pipefail", "-c", step.run], {
        cwd: repo.dir,
        encoding: "utf8",
        env: { PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}`, HOME: repo.dir, GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: repo.dir, ...env },
      });
      return { status: r.status, stdout: r.stdout };
    }

    it("check passes on a committed compile and fails with an annotation on a stale file", () => {
      expect(runStep("sitewire check")).toMatchObject({ status: 0 });
      const victim = "out/edge/devices/router-2/ios.cfg";
      const saved = repo.read(victim);
      repo.write(victim, saved + "! by hand\n");
      const stale = runStep("sitewire check");
      expect(stale.status).toBe(2);
      expect(stale.stdout).toContain(`::error file=${victim},title=sitewire check%3A generated file out of date::`);
      repo.write(victim, saved);
    });

    it("plan annotates the intent and writes the plan, without the diffs, to the job summary", () => {
      const r = runStep("sitewire plan");
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^::notice file=sites\/edge\.yaml,line=\d+,.*::device router-2 added/m);
      const text = readFileSync(summary, "utf8");
      expect(text).toMatch(/^## sitewire plan\n```\nsitewire plan: origin\/main \([0-9a-f]{12}\) → working tree: 1 of 1 site change\n/);
      expect(text).toContain("  device router-2\n    + device router-2 added");
      expect(text).not.toContain("diff --git");
      expect(text.trimEnd().endsWith("```")).toBe(true);
    });
  });
});

describe("Argo CD ApplicationSet example", () => {
  const appset = parse(readFileSync(join(EXAMPLES, "argocd-applicationset.yaml"), "utf8")) as {
    apiVersion: string;
    kind: string;
    spec: {
      goTemplate: boolean;
      generators: { git: { repoURL: string; revision: string; directories: { path: string }[] } }[];
      template: { metadata: { name: string }; spec: { source: { repoURL: string; targetRevision: string; path: string }; destination: { name: string } } };
    };
  };
  const work = new Repo();
  afterAll(() => work.remove());

  it("is an ApplicationSet whose generator and source agree", () => {
    expect(appset).toMatchObject({ apiVersion: "argoproj.io/v1alpha1", kind: "ApplicationSet", spec: { goTemplate: true } });
    const [gen] = appset.spec.generators;
    expect(appset.spec.template.spec.source).toMatchObject({ repoURL: gen!.git.repoURL, targetRevision: gen!.git.revision });
  });

  it("generates one Application per compiled site with a cluster, at its kustomize directory", async () => {
    cpSync(join(ROOT, "sites"), work.path("sites"), { recursive: true });
    expect((await sitewire(work.dir, ["compile"])).code).toBe(0);
    const clusterDirs = readdirSync(work.path("out"))
      .filter((site) => existsSync(work.path("out", site, "cluster")))
      .map((site) => `out/${site}/cluster`);
    expect(clusterDirs.length).toBeGreaterThan(0);

    // Argo CD matches directories with Go's path.Match: `*` stays inside one segment, as globToRegExp.
    const patterns = appset.spec.generators[0]!.git.directories.map((d) => globToRegExp(d.path));
    const dirs = readdirSync(work.dir, { recursive: true })
      .map(String)
      .filter((p) => !p.startsWith(".git") && statSync(join(work.dir, p)).isDirectory() && patterns.some((re) => re.test(p)));
    expect(dirs.sort()).toEqual(clusterDirs.sort());

    for (const dir of dirs) {
      // The go template's two expressions, as Argo CD evaluates them for this directory.
      const segments = dir.split("/");
      const render = (t: string) => t.replace("{{ index .path.segments 1 }}", segments[1]!).replace("{{ .path.path }}", dir);
      const name = render(appset.spec.template.metadata.name);
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(name.length).toBeLessThanOrEqual(63);
      expect(render(appset.spec.template.spec.destination.name)).toBe(segments[1]);
      const path = render(appset.spec.template.spec.source.path);
      expect(existsSync(work.path(path, "kustomization.yaml"))).toBe(true);
    }
  });
});
