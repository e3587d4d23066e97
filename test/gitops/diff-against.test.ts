/**
 * `sitewire diff --against <ref>` on a real git repository with a history of intent changes:
 *
 *   c0  README only (before sites/ existed)
 *   c1  sites/edge.yaml: gateway gw-a, node node-b, tunnel vpn1 to router-1, a flow, a cluster allowlist
 *   c2  tunnel vpn2 to a new router-2 added
 *   c3  vpn1's IKE proposal changed
 *   c4  host node-b (and its flow) removed        ← HEAD, working tree clean
 *
 * Each comparison must name exactly what changed, per host and device, point annotations at the intent's
 * lines, print the artifacts' unified diffs, and leave the repository and the working tree untouched.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { missing } from "../harness/tools.js";
import { Repo, sitewire, withRepo } from "./repo.js";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

interface JsonChange {
  readonly subject: { kind: string; name: string };
  readonly action: string;
  readonly category: string;
  readonly text: string;
  readonly effect?: string;
  readonly attention?: boolean;
  readonly location?: { file: string; range: { start: { line: number; column: number }; end: { line: number; column: number } } };
}

interface JsonSite {
  readonly site: string;
  readonly status: string;
  readonly baseline: string;
  readonly changes: JsonChange[];
  readonly files: { path: string; change: string; subject: { kind: string; name: string } }[];
  readonly patch: string;
}

interface JsonPlan {
  readonly command: string;
  readonly against: { ref: string; commit: string };
  readonly changes: boolean;
  readonly sites: JsonSite[];
}

const STEPS = ["edge.0-base.yaml", "edge.1-tunnel-added.yaml", "edge.2-proposal-changed.yaml", "edge.3-host-removed.yaml"] as const;

async function plan(repo: Repo, ref: string, ...more: string[]): Promise<JsonPlan> {
  const r = await sitewire(repo.dir, ["diff", "--against", ref, "--format", "json", ...more]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as JsonPlan;
}

function texts(site: JsonSite, subject: string): string[] {
  return site.changes.filter((c) => `${c.subject.kind} ${c.subject.name}` === subject).map((c) => c.text);
}

/** 1-based line of the first line of `text` matching `re`. */
function lineOf(text: string, re: RegExp): number {
  const i = text.split("\n").findIndex((l) => re.test(l));
  if (i < 0) throw new Error(`no line matches ${re}`);
  return i + 1;
}

describe.skipIf(missing("git"))("diff --against a git revision", () => {
  const repo = new Repo();
  const commits: string[] = [];

  beforeAll(async () => {
    repo.write("README.md", "infrastructure\n");
    commits.push(repo.commitAll("c0: before sites/ existed"));
    for (const step of STEPS) {
      repo.fixture(step, "sites/edge.yaml");
      const compiled = await sitewire(repo.dir, ["compile"]);
      expect(compiled.code, compiled.stderr).toBe(0);
      commits.push(repo.commitAll(step));
    }
  });
  afterAll(() => repo.remove());

  it("HEAD~1: a removed host, its flow gone, the gateway's rules rewritten without allowing less", async () => {
    const doc = await plan(repo, "HEAD~1");
    expect(doc.against.commit).toBe(commits[3]);
    expect(doc.changes).toBe(true);
    const [edge] = doc.sites;
    expect(edge).toMatchObject({ site: "edge", status: "changed", baseline: "compiled" });
    expect(texts(edge!, "host node-b")).toEqual([expect.stringMatching(/^host node-b removed \(was debian, 10\.1\.0\.20\/24\)/)]);
    expect(edge!.changes.find((c) => c.subject.name === "node-b")).toMatchObject({ action: "remove", category: "host", attention: true });
    expect(texts(edge!, "site edge")).toEqual([expect.stringMatching(/^flow to-dc1 removed/)]);
    // `flows:` is gone: the annotation points at one line of what is still there, not at a whole block.
    const flowGone = edge!.changes.find((c) => c.category === "flow")!.location!.range;
    expect(flowGone.end.line).toBe(flowGone.start.line);
    // The flow's FORWARD rule was covered by the tunnel's own rule: nothing is allowed less.
    expect(texts(edge!, "host gw-a")).toEqual(["forwarding rules rewritten; what they allow is unchanged"]);
    expect(edge!.files.filter((f) => f.subject.name === "node-b")).toEqual([
      { path: "hosts/node-b/etc/systemd/system/sitewire-tunnels.service", change: "removed", subject: { kind: "host", name: "node-b" } },
      { path: "hosts/node-b/usr/local/sbin/sitewire-tunnels", change: "removed", subject: { kind: "host", name: "node-b" } },
    ]);
    expect(edge!.patch).toContain("deleted file mode 100755\n--- a/out/edge/hosts/node-b/usr/local/sbin/sitewire-tunnels\n+++ /dev/null");
    expect(edge!.patch).toContain('--A SITEWIRE-FORWARD -s 10.1.0.20/32 -d 10.20.0.0/16 -i eth0 -o vti1 -m comment --comment "flow to-dc1" -j ACCEPT');
  });

  it("HEAD~2: the proposal change, on both ends, annotated at the intent's line", async () => {
    const doc = await plan(repo, "HEAD~2");
    const [edge] = doc.sites;
    const proposal = "tunnel vpn1: IKE proposals: aes256-sha256-modp3072 → aes256gcm16-prfsha384-ecp384";
    expect(texts(edge!, "host gw-a")).toContain(proposal);
    expect(texts(edge!, "device router-1")).toEqual([proposal]);
    const change = edge!.changes.find((c) => c.text === proposal)!;
    expect(change).toMatchObject({ action: "change", category: "proposals" });
    const intent = repo.read("sites/edge.yaml");
    expect(change.location).toMatchObject({ file: "sites/edge.yaml", range: { start: { line: lineOf(intent, /aes256gcm16-prfsha384-ecp384/) } } });
    expect(edge!.patch).toContain("-    proposals = aes256-sha256-modp3072\n+    proposals = aes256gcm16-prfsha384-ecp384");
    expect(edge!.files).toContainEqual({ path: "devices/router-1/ios.cfg", change: "modified", subject: { kind: "device", name: "router-1" } });

    const github = await sitewire(repo.dir, ["diff", "--against", "HEAD~2", "--format", "github"]);
    const line = lineOf(intent, /aes256gcm16-prfsha384-ecp384/);
    const col = intent.split("\n")[line - 1]!.indexOf("proposals") + 1;
    // One annotation for the change seen on both ends, naming both, on the `proposals` key.
    expect(github.stdout.split("\n").filter((l) => l.startsWith("::") && l.includes("IKE proposals"))).toEqual([
      `::notice file=sites/edge.yaml,line=${line},col=${col},endLine=${line},endColumn=${col + "proposals".length},title=sitewire plan%3A host gw-a%2C device router-1::${proposal}`,
    ]);
    expect(github.stdout).toMatch(/^::warning file=sites\/edge\.yaml,line=\d+,.*title=sitewire plan%3A host node-b::host node-b removed/m);
    expect(github.stdout).toContain("::group::edge: unified diff\n");
    expect(github.stdout).toContain("::endgroup::");
  });

  it("HEAD~3: the added tunnel, its new device, routes and the forwarding it opens", async () => {
    const doc = await plan(repo, commits[1]!);
    const [edge] = doc.sites;
    const gw = texts(edge!, "host gw-a");
    expect(gw[0]).toMatch(/^tunnel vpn2 to router-2 added: ipsec-vti, IKEv2 aes256-sha256-modp3072, .*key 20, PSK env:EDGE_VPN2_PSK, to 10\.30\.0\.0\/16 \(dc2\)$/);
    expect(gw).toContain("route 10.30.0.0/16 (dc2) dev vti2 table 20 (tunnel vpn2)");
    expect(gw).toContain("forwarding widened: allows 10.1.0.0/24 (lan) → 10.30.0.0/16 (dc2) all ports (any → vti2, tunnel vpn2)");
    expect(edge!.changes.find((c) => c.text.startsWith("forwarding widened"))).toMatchObject({ effect: "widened", attention: true });
    expect(texts(edge!, "device router-2")).toEqual([
      "device router-2 added: cisco-ios, 10.30.0.1, public 203.0.113.2",
      expect.stringMatching(/^tunnel vpn2 to gw-a added: /),
    ]);
    expect(edge!.files).toContainEqual({ path: "devices/router-2/ios.cfg", change: "added", subject: { kind: "device", name: "router-2" } });
    expect(edge!.patch).toContain("new file mode 100644\n--- /dev/null\n+++ b/out/edge/devices/router-2/ios.cfg");
  });

  it("a ref before sites/ existed: the site is new, every file is added", async () => {
    const doc = await plan(repo, commits[0]!);
    const [edge] = doc.sites;
    expect(edge).toMatchObject({ status: "added", baseline: "none" });
    expect(edge!.changes[0]).toMatchObject({ action: "add", category: "site", text: "site edge added" });
    expect(edge!.files.every((f) => f.change === "added")).toBe(true);
    expect(edge!.files.map((f) => f.path)).toContain("manifest.json");
  });

  it("prints the plan first, then the diffs; no changes against HEAD; --exit-code says which", async () => {
    const text = await sitewire(repo.dir, ["diff", "--against", "HEAD~2"]);
    expect(text.code).toBe(0);
    const planEnd = text.stdout.indexOf("diff --git ");
    expect(planEnd).toBeGreaterThan(0);
    const planText = text.stdout.slice(0, planEnd);
    expect(planText).toMatch(/^sitewire plan: HEAD~2 \([0-9a-f]{12}\) → working tree: 1 of 1 site change$/m);
    expect(planText).toContain("  host node-b\n    ! host node-b removed");
    expect(planText).toContain("  device router-1\n    ~ tunnel vpn1: IKE proposals");
    expect(planText).toContain("      - /usr/local/sbin/sitewire-tunnels\n");
    expect(text.stdout).not.toContain("\u001b[");

    const same = await sitewire(repo.dir, ["diff", "--against", "HEAD", "--exit-code"]);
    expect(same).toMatchObject({ code: 0, stdout: expect.stringContaining("edge (sites/edge.yaml): no changes") });
    expect(same.stdout).not.toContain("diff --git");
    expect((await sitewire(repo.dir, ["diff", "--against", "HEAD~1", "--exit-code"])).code).toBe(2);
  });

  it("compares the working tree as it is, uncommitted edits included", async () => {
    const committed = repo.read("sites/edge.yaml");
    try {
      repo.write("sites/edge.yaml", committed.replace("ports: [tcp/443]", "ports: [tcp/443, tcp/8443]"));
      const doc = await plan(repo, "HEAD");
      expect(texts(doc.sites[0]!, "cluster edge")).toEqual(["egress of payments (app=api) widened: allows more of 10.20.0.0/16 (dc1) tcp/443, tcp/8443"]);
    } finally {
      repo.write("sites/edge.yaml", committed);
    }
  });

  it("leaves the repository, the index and the working tree exactly as they were", async () => {
    const snapshot = () => ({
      head: repo.git("rev-parse", "HEAD"),
      branch: repo.git("symbolic-ref", "HEAD"),
      index: readFileSync(repo.path(".git", "index")).toString("base64"),
      status: repo.git("status", "--porcelain", "--untracked-files=all"),
      refs: repo.git("for-each-ref"),
      tree: listTree(repo.dir),
    });
    repo.git("update-index", "--refresh"); // so that the snapshot's own `git status` rewrites nothing
    const before = snapshot();
    for (const ref of ["HEAD~3", commits[0]!, "main~2"]) expect((await sitewire(repo.dir, ["diff", "--against", ref])).code).toBe(0);
    expect(snapshot()).toEqual(before);
  });

  it("refuses unknown revisions, option-like refs and directories outside git, without a stack trace", async () => {
    const unknown = await sitewire(repo.dir, ["diff", "--against", "no-such-branch"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("sitewire: diff --against: unknown revision 'no-such-branch'");
    expect((await sitewire(repo.dir, ["diff", "--against", "--output=/tmp/x"])).code).toBe(64);
    const outside = new Repo();
    try {
      // A repository without commits: HEAD resolves to nothing.
      outside.fixture(STEPS[0], "sites/edge.yaml");
      const r = await sitewire(outside.dir, ["diff", "--against", "HEAD"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/unknown revision 'HEAD'/);
    } finally {
      outside.remove();
    }
  });
});

describe.skipIf(missing("git"))("diff --against: sites/ differs between revisions", () => {
  it("a site file moved to another directory is the same site; one missing now is removed", () =>
    withRepo(async (repo) => {
      repo.fixture("edge.0-base.yaml", "sites/edge.yaml");
      repo.commitAll("base");
      repo.write("sites/eu/.keep", "");
      repo.git("mv", "sites/edge.yaml", "sites/eu/edge.yaml");
      const moved = await plan(repo, "HEAD", "sites/**/*.yaml");
      // Every artifact names its source file in its header, so files change; the site itself does not.
      expect(moved.sites).toEqual([expect.objectContaining({ site: "edge", baseline: "compiled", file: "sites/eu/edge.yaml", baseFile: "sites/edge.yaml", changes: [] })]);
      expect(moved.sites[0]!.patch).toContain("+# Generated by sitewire from sites/eu/edge.yaml: do not edit here.");

      repo.git("rm", "-q", "-f", "sites/eu/edge.yaml");
      repo.fixture("edge.0-base.yaml", "sites/other.yaml");
      repo.write("sites/other.yaml", repo.read("sites/other.yaml").replace("site: edge", "site: other"));
      const doc = await plan(repo, "HEAD");
      expect(doc.sites.map((s) => [s.site, s.status])).toEqual([
        ["edge", "removed"],
        ["other", "added"],
      ]);
      const removed = doc.sites[0]!;
      expect(removed.changes[0]).toMatchObject({ action: "remove", category: "site", attention: true });
      expect(removed.files.every((f) => f.change === "removed")).toBe(true);
    }));

  it("a base intent that does not compile today is compared through the out/ committed with it", () =>
    withRepo(async (repo) => {
      repo.fixture("edge.0-base.yaml", "sites/edge.yaml");
      expect((await sitewire(repo.dir, ["compile"])).code).toBe(0);
      // As if the intent had been valid for an older sitewire: today it has an error.
      repo.write("sites/edge.yaml", repo.read("sites/edge.yaml").replace("key: 10", "key: 10\n    not-a-key: 1"));
      repo.commitAll("base, not valid today");
      repo.fixture("edge.2-proposal-changed.yaml", "sites/edge.yaml");

      const text = await sitewire(repo.dir, ["diff", "--against", "HEAD"]);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain("note: the intent at the base revision does not compile with this sitewire; compared with the out/ committed there");
      const doc = await plan(repo, "HEAD");
      expect(doc.sites[0]).toMatchObject({ site: "edge", status: "changed", baseline: "committed", changes: [] });
      expect(doc.sites[0]!.files).toContainEqual({ path: "devices/router-2/ios.cfg", change: "added", subject: { kind: "device", name: "router-2" } });
      expect(doc.sites[0]!.patch).toContain("+    proposals = aes256gcm16-prfsha384-ecp384");
    }));

  it("runs from a subdirectory of the repository; annotations name files from the workspace root", () =>
    withRepo(async (repo) => {
      repo.fixture("edge.0-base.yaml", "infra/sites/edge.yaml");
      repo.commitAll("base");
      repo.fixture("edge.2-proposal-changed.yaml", "infra/sites/edge.yaml");
      const cwd = repo.path("infra");
      const r = await sitewire(cwd, ["diff", "--against", "HEAD", "--format", "github"], { GITHUB_WORKSPACE: repo.dir });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^::notice file=infra\/sites\/edge\.yaml,line=\d+,.*::tunnel vpn1: IKE proposals/m);
      expect(r.stdout).toMatch(/^::notice file=infra\/sites\/edge\.yaml,line=\d+,.*::device router-2 added/m);
    }));
});

function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((p) => !p.startsWith(".git"))
    .map((p) => `${p} ${statSync(join(dir, p)).isFile() ? readFileSync(join(dir, p)).length : "dir"}`)
    .sort();
}
