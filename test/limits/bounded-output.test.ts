/**
 * Bounded output, end to end: hostile intents that ask for millions or billions of rules are refused by the
 * real CLI with a positioned SW140 (exit 1, not 70), within 2 s and under 300 MiB. Before the limits,
 * `validate` on the first of these ran out of heap after 1 min 42 s at 3.5 GB (exit 134).
 *
 * The CLI is spawned from dist/ (run `npm run build` first) with a preload that reports its own peak RSS and
 * CPU time. The 2 s bound is on CPU time (user + system): the work the refusal costs, which a loaded CI
 * runner does not inflate the way it inflates wall time (about 0.8 s wall on an idle machine, 2.5 s at a
 * load of 12 on 2 cores); wall time is bounded at 10 × that. SITEWIRE_LIMIT_BOUND_MS changes the bound.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { LIMITS } from "../../src/intent/limits.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** SITEWIRE_TEST_CLI: another build of the CLI (to show these cases fail on a build without the limits). */
const CLI = process.env.SITEWIRE_TEST_CLI ?? join(ROOT, "dist", "src", "cli", "main.js");
const RUSAGE = join(ROOT, "test", "limits", "rusage.mjs");
const BOUND_MS = Number(process.env.SITEWIRE_LIMIT_BOUND_MS ?? 2_000);
const BOUND_KIB = 300 * 1024;

const work = mkdtempSync(join(tmpdir(), "sw-limits-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const list = (n: number, item: (i: number) => string) => `[${Array.from({ length: n }, (_, i) => item(i)).join(", ")}]`;
const net10 = (i: number) => `10.${(i >> 8) & 255}.${i & 255}.0/24`;
const net172 = (i: number) => `172.${16 + ((i >> 8) & 15)}.${i & 255}.0/24`;
const GATEWAY = "  gw: { os: debian, address: 192.168.0.1/24, interfaces: { tun0: { address: 192.168.1.1/24 } } }";

interface Case {
  readonly name: string;
  readonly yaml: (site: string) => string;
  /** 1-based line and column of the key the diagnostic must point at. */
  readonly at: { readonly line: number; readonly column: number };
  readonly limit: string;
}

const CASES: readonly Case[] = [
  {
    name: "a flow of 2,000 sources × 2,000 destinations × 5,000 ports",
    yaml: (site) =>
      [`site: ${site}`, "hosts:", GATEWAY, "flows:", "  big:", `    from: ${list(2000, net10)}`, `    to: ${list(2000, net172)}`, "    via: gw", "    out: tun0", `    ports: ${list(5000, (i) => `tcp/${1000 + i}`)}`].join("\n"),
    at: { line: 5, column: 3 },
    limit: LIMITS.flowRules.name,
  },
  {
    name: "an IKEv1 policy-based tunnel with 3,000 × 3,000 networks (one CHILD_SA each)",
    yaml: (site) =>
      [
        `site: ${site}`,
        "hosts:",
        "  gw: { os: debian, address: 192.168.0.1/24, publicAddress: 198.51.100.1 }",
        "peers:",
        "  far: { platform: strongswan, address: 203.0.113.1 }",
        "tunnels:",
        "  wide:",
        "    between: [gw, far]",
        "    kind: ipsec-policy",
        "    ike: { version: 1, proposals: [aes256-sha256-modp3072] }",
        "    esp: { proposals: [aes256-sha256-modp3072] }",
        "    psk: { env: WIDE_PSK }",
        `    routes: { toHost: ${list(3000, net10)}, toPeer: ${list(3000, net172)} }`,
      ].join("\n"),
    at: { line: 7, column: 3 },
    limit: LIMITS.tunnelSelectors.name,
  },
  {
    name: "40 flows of 40,000 rules each through one gateway",
    yaml: (site) => {
      const flows = Array.from({ length: 40 }, (_, k) => [`  f${k}:`, `    from: ${list(200, (i) => net10(k * 200 + i))}`, `    to: ${list(200, net172)}`, "    via: gw", "    out: tun0"]);
      return [`site: ${site}`, "hosts:", GATEWAY, "flows:", ...flows.flat()].join("\n");
    },
    // f0 and f1 make 80,000; f2 crosses 100,000.
    at: { line: 5 + 2 * 5, column: 3 },
    limit: LIMITS.hostRules.name,
  },
  {
    name: "1,000 isolated namespaces × 1,000 allowFrom addresses",
    yaml: (site) =>
      [`site: ${site}`, "cluster:", "  isolation:", `    namespaces: ${list(1000, (i) => `ns${i}`)}`, `    allowFrom: ${list(1000, net10)}`].join("\n"),
    at: { line: 5, column: 5 },
    limit: LIMITS.siteTotal.name,
  },
  {
    name: "an egress allowlist of 5,000 destinations",
    yaml: (site) =>
      [`site: ${site}`, "cluster:", "  egress:", "    - namespace: payments", "      pods: { app: curl }", `      allow: ${list(5000, (i) => `{ to: ${net10(i)} }`)}`].join("\n"),
    at: { line: 4, column: 7 },
    limit: LIMITS.policyPeers.name,
  },
];

interface Diag {
  readonly code: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

function validate(site: string, yaml: string) {
  const dir = join(work, site);
  mkdirSync(join(dir, "sites"), { recursive: true });
  writeFileSync(join(dir, "sites", `${site}.yaml`), `${yaml}\n`);
  const started = performance.now();
  const r = spawnSync(process.execPath, ["--import", RUSAGE, CLI, "validate", "--format", "json"], {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1", SITEWIRE_CACHE_DIR: "off" },
    // Far beyond the bound: the old code took minutes before the heap ran out.
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  const usage = String(r.output[3] ?? "");
  const { maxRssKiB, cpuMs } = usage ? (JSON.parse(usage) as { maxRssKiB: number; cpuMs: number }) : { maxRssKiB: Infinity, cpuMs: Infinity };
  let diagnostics: Diag[] = [];
  try {
    diagnostics = (JSON.parse(r.stdout) as { diagnostics: Diag[] }).diagnostics;
  } catch {
    // Not JSON: the process crashed; the status assertion says so.
  }
  return { status: r.status, signal: r.signal, ms, cpuMs, maxRssKiB, diagnostics, stderr: r.stderr.slice(0, 2000) };
}

describe("bounded output: hostile expansions are refused before anything is built", () => {
  it.each(CASES.map((c, i) => [c.name, c, i] as const))("%s", (_, c, i) => {
    const site = `hostile-${i}`;
    const r = validate(site, c.yaml(site));
    expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 1, signal: null, stderr: "" });
    const over = r.diagnostics.filter((d) => d.code === "SW140");
    expect(over.map((d) => `${d.line}:${d.column}`)).toContain(`${c.at.line}:${c.at.column}`);
    expect(over.find((d) => d.line === c.at.line)?.message).toContain(`the ${c.limit} limit is`);
    expect(r.cpuMs).toBeLessThan(BOUND_MS);
    expect(r.ms).toBeLessThan(10 * BOUND_MS);
    expect(r.maxRssKiB).toBeLessThan(BOUND_KIB);
  });
});
