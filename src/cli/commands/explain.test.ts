/**
 * `sitewire explain` through the built CLI (run `npm run build` first): the three formats, the exit codes
 * (0 delivered, 1 dropped or intent errors, 64 bad command line), never a stack trace, out/ never read.
 */
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const CLI = join(REPO, "dist", "src", "cli", "main.js");
vi.setConfig({ testTimeout: 120_000 });

let dir: string;

function sitewire(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => {
      expect(stderr).not.toMatch(/^\s+at /m);
      expect(stderr).not.toContain("internal error");
      resolve({ code, stdout, stderr });
    });
  });
}

async function mutateSite(name: string, from: string, to: string) {
  const file = join(dir, "sites", `${name}.yaml`);
  const text = await readFile(file, "utf8");
  expect(text).toContain(from);
  await writeFile(file, text.split(from).join(to));
}

beforeEach(async () => {
  // Only the site files: explain compiles in memory and must not need (or read) out/.
  dir = await mkdtemp(join(tmpdir(), "sitewire-explain-"));
  await cp(join(REPO, "sites"), join(dir, "sites"), { recursive: true });
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("sitewire explain", () => {
  it("text: a delivered flow exits 0 and cites artifact and intent lines", async () => {
    const r = await sitewire("explain", "sites/partner-vpn.yaml", "--flow", "partner-api");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^explain partner-vpn: flow partner-api\n/);
    expect(r.stdout).toMatch(/- MASQUERADE in SITEWIRE-POSTROUTING: source 192\.168\.10\.1 → 172\.16\.0\.10 \(tun0\)\n\s+at hosts\/vpn-front\/etc\/sitewire\/iptables\.rules:\d+  from sites\/partner-vpn\.yaml:\d+\n/);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe("verdict: delivered");
    expect(r.stderr).toBe("");
  });

  it("json: one document with the verdict and every hop", async () => {
    const r = await sitewire("explain", "sites/bjs-hybrid.yaml", "--from", "vpc", "--to", "onprem:tcp/443", "--format", "json");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ command: "explain", ok: true, site: "bjs-hybrid", diagnostics: [], verdict: { delivered: true } });
    expect(doc.paths[0].hops.map((h: { kind: string; at: string }) => `${h.kind} ${h.at}`)).toContain("far-side dc-router-1");
    expect(doc.paths[0].service).toMatchObject({ protocol: "tcp", from: 443 });
  });

  it("a dropped path exits 1 in every format; mermaid marks the dropping hop", async () => {
    await mutateSite("partner-vpn", "ports: [tcp/8080]", "ports: [tcp/9090]");
    const args = ["explain", "sites/partner-vpn.yaml", "--from", "payments/app=curl", "--to", "partner-api:tcp/8080"];
    const text = await sitewire(...args);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/\nverdict: dropped at hop 1 of path 1: egress denied: NetworkPolicy sitewire-default-deny-egress/);
    expect(text.stdout).toContain("hint: allow it in cluster.egress");
    const json = await sitewire(...args, "--format", "json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, verdict: { delivered: false, hop: 1, path: 1 } });
    const mermaid = await sitewire(...args, "--format", "mermaid");
    expect(mermaid.code).toBe(1);
    expect(mermaid.stdout).toMatch(/^flowchart LR\n/);
    expect(mermaid.stdout).toMatch(/ {4}p1h1\{\{"1 cluster pod payments\/app=curl: ✗ egress denied/);
    expect(mermaid.stdout).toContain("  style p1h1 fill:#fdd,stroke:#c00");
  });

  it("mermaid of a delivered flow: forward edges solid, reply edges dotted", async () => {
    const r = await sitewire("explain", "sites/partner-vpn.yaml", "--flow", "partner-api", "--format", "mermaid");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  subgraph p2["node-remote → partner-vpn (172.16.0.1): delivered"]');
    expect(r.stdout).toContain("    p2h1 --> p2h2");
    expect(r.stdout).toContain("    p2h4 -.-> p2h5");
    expect(r.stdout).not.toContain("style");
  });

  it("errors in the intent: diagnostics and exit 1", async () => {
    await mutateSite("partner-vpn", "via: vpn-front", "via: no-such-host");
    const r = await sitewire("explain", "sites/partner-vpn.yaml", "--flow", "partner-api");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/sites\/partner-vpn\.yaml:\d+:\d+: error SW/);
    expect(r.stderr).toContain("nothing to explain");
    expect(r.stdout).toBe("");
    const missing = await sitewire("explain", "sites/none.yaml", "--flow", "x");
    expect(missing.code).toBe(1);
  });

  it("a bad command line or an unknown flow, host or network exits 64", async () => {
    const cases = [
      ["explain"],
      ["explain", "sites/partner-vpn.yaml"],
      ["explain", "sites/partner-vpn.yaml", "sites/bjs-hybrid.yaml", "--flow", "partner-api"],
      ["explain", "sites/partner-vpn.yaml", "--flow", "partner-api", "--format", "github"],
      ["explain", "sites/partner-vpn.yaml", "--flow", "partner-api", "--from", "node-lan"],
      ["explain", "sites/partner-vpn.yaml", "--from", "node-lan"],
      ["explain", "sites/partner-vpn.yaml", "--flow", "partner-api", "--bogus"],
      ["explain", "sites/partner-vpn.yaml", "--flow", "nope"],
      ["explain", "sites/partner-vpn.yaml", "--from", "nowhere", "--to", "partner-api"],
      ["explain", "sites/partner-vpn.yaml", "--from", "node-lan", "--to", "partner-api:tcp/0"],
    ];
    for (const args of cases) {
      const r = await sitewire(...args);
      expect(r.code, args.join(" ")).toBe(64);
      expect(r.stderr, args.join(" ")).toMatch(/^sitewire: .+\nRun 'sitewire explain --help' for usage\.\n$/);
    }
    const unknown = await sitewire("explain", "sites/partner-vpn.yaml", "--flow", "nope");
    expect(unknown.stderr).toContain("has no flow 'nope' (flows: partner-api)");
  });

  it("the README's explain outputs are what the command prints", async () => {
    const readme = await readFile(join(REPO, "README.md"), "utf8");
    const block = (command: string) => {
      const start = readme.indexOf(`$ ${command}\n`);
      expect(start, command).toBeGreaterThan(0);
      const body = readme.slice(start + command.length + 3);
      return body.slice(0, body.indexOf("```")).replace(/…\n[^]*$/, "");
    };
    const ok = "sitewire explain sites/partner-vpn.yaml --from node-remote --to partner-api:tcp/8080";
    expect((await sitewire(...ok.split(" ").slice(1))).stdout).toBe(block(ok));
    // the dropped example: the allowlist's port changed to tcp/9090, as the README says
    await mutateSite("partner-vpn", "ports: [tcp/8080]", "ports: [tcp/9090]");
    const drop = "sitewire explain sites/partner-vpn.yaml --from payments/app=curl --to partner-api:tcp/8080";
    const r = await sitewire(...drop.split(" ").slice(1));
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith(block(drop))).toBe(true);
    expect(readme).toContain(r.stdout.trimEnd().split("\n").at(-1)!);
  });

  it("has help of its own and is listed in the top-level help", async () => {
    for (const args of [["explain", "--help"], ["help", "explain"]]) {
      const r = await sitewire(...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: sitewire explain SITE-FILE --flow NAME/);
    }
    expect((await sitewire("--help")).stdout).toContain("explain FILE --flow NAME | --from WHAT --to WHERE");
  });
});
