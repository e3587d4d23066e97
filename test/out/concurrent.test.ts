/**
 * Concurrent runs on one out/, with the real built CLI as real processes: 20 pairs of `compile` started at
 * the same moment, from different starting trees (none, a damaged one, a current one), with the same or
 * different site files in flight, with and without a shared result cache, and one burst of 8. Every run must
 * exit 0 and the tree must equal what the same runs give one after the other, byte for byte and mode for
 * mode, with no lock, break marker or temp file left. Then `check` passes.
 */
import { copyFileSync, readdirSync } from "node:fs";
import { chmod, cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { snapshot, type Snapshot } from "../crash/tree.js";
import { REPO, removeWorkspace, spawnCli, workspace, type Result } from "./helpers.js";

vi.setConfig({ testTimeout: 600_000, hookTimeout: 120_000 });

const PAIRS = Number(process.env.SITEWIRE_CONCURRENT_PAIRS ?? 20);

let ws: string;
let cache: string;
/** The tree of the default sites alone, and with the extra site compiled after them. */
let sitesOnly: Snapshot;
let withExtra: Snapshot;
const stats = { runs: 0, waited: 0 };

type Start = "empty" | "damaged" | "current";
/** What each of the two processes compiles: the default sites, one of them, or another directory's site. */
type Pair = readonly [readonly string[], readonly string[]];
const PAIRS_KINDS: readonly { name: string; pair: Pair; extra: boolean }[] = [
  { name: "same sites", pair: [["compile"], ["compile"]], extra: false },
  { name: "one site and all", pair: [["compile", "sites/bjs-hybrid.yaml"], ["compile"]], extra: false },
  { name: "different site files", pair: [["compile"], ["compile", "extra/sw-policy.yaml"]], extra: true },
];
const STARTS: readonly Start[] = ["empty", "damaged", "current"];

function listing(tree: Snapshot): string[] {
  return [...tree].map(([path, s]) => `${path} ${s.sha256} ${s.mode.toString(8)}`).sort();
}

/** Every name under out/ that is not in a plain tree: locks, markers, temp files, aside folders. */
function debris(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: "utf8" }).filter((p) => /(^|\/)\.sitewire\.lock|sitewire-tmp/.test(p));
}

async function setStart(start: Start, extra: boolean): Promise<void> {
  const out = join(ws, "out");
  await rm(out, { recursive: true, force: true });
  if (start === "empty") return;
  await mkdir(out);
  await cp(join(ws, "ref-sites"), out, { recursive: true });
  if (extra) await cp(join(ws, "ref-extra"), join(out, "sw-policy"), { recursive: true });
  if (start === "current") return;
  // Damaged: edited, deleted and chmod-ed files and a temp file of a killed run.
  const files = [...sitesOnly.keys()].filter((p) => !p.endsWith("manifest.json")).sort();
  await writeFile(join(out, files[0]!), "edited by hand\n");
  await rm(join(out, files[3]!));
  await rm(join(out, files[7]!));
  await chmod(join(out, files[5]!), 0o600);
  await writeFile(join(out, files[9]!.replace(/[^/]+$/, ".x.sitewire-tmp-0bad")), "half");
}

function runAll(args: readonly (readonly string[])[], env: Record<string, string>): Promise<Result[]> {
  return Promise.all(args.map((a) => spawnCli(ws, a, env)));
}

beforeAll(async () => {
  ws = await workspace("sw-concurrent-");
  cache = await mkdtemp(join(tmpdir(), "sw-concurrent-cache-"));
  await mkdir(join(ws, "extra"));
  copyFileSync(join(REPO, "test", "fixtures", "sites", "sw-policy.yaml"), join(ws, "extra", "sw-policy.yaml"));
  // The references: the same runs, one after the other.
  expect((await spawnCli(ws, ["compile"])).code).toBe(0);
  sitesOnly = await snapshot(join(ws, "out"));
  await cp(join(ws, "out"), join(ws, "ref-sites"), { recursive: true });
  expect((await spawnCli(ws, ["compile", "extra/sw-policy.yaml"])).code).toBe(0);
  withExtra = await snapshot(join(ws, "out"));
  await cp(join(ws, "out", "sw-policy"), join(ws, "ref-extra"), { recursive: true });
  expect(withExtra.size).toBeGreaterThan(sitesOnly.size);
});

afterAll(async () => {
  console.log(`concurrent runs: ${stats.runs} compiles run in pairs of 2 (${PAIRS}) and a burst of 8; ${stats.waited} waited over a second for the lock (and said so on stderr)`);
  if (ws) await removeWorkspace(ws);
  if (cache) await rm(cache, { recursive: true, force: true });
});

describe("concurrent compiles on one out/", () => {
  it(`${PAIRS} pairs started at once: both exit 0, the tree equals the runs one after the other, nothing left behind`, async () => {
    for (let i = 0; i < PAIRS; i++) {
      const kind = PAIRS_KINDS[i % PAIRS_KINDS.length]!;
      const start = STARTS[Math.floor(i / PAIRS_KINDS.length) % STARTS.length]!;
      const env = i % 2 === 0 ? { SITEWIRE_CACHE_DIR: cache } : {};
      await setStart(start, false);
      const results = await runAll(kind.pair, env);
      const label = `pair ${i} (${kind.name}, ${start} out/, ${i % 2 === 0 ? "cache" : "no cache"})`;
      for (const r of results) expect(r.code, `${label}\n${r.stderr}`).toBe(0);
      stats.runs += results.length;
      stats.waited += results.filter((r) => r.stderr.includes("sitewire: waiting for out/.sitewire.lock")).length;
      const tree = await snapshot(join(ws, "out"));
      expect(listing(tree), label).toEqual(listing(kind.extra ? withExtra : sitesOnly));
      expect(debris(join(ws, "out")), label).toEqual([]);
      const check = await spawnCli(ws, kind.extra ? ["check", "sites/bjs-hybrid.yaml", "sites/partner-vpn.yaml", "extra/sw-policy.yaml"] : ["check"]);
      expect(check.code, `${label}: check\n${check.stderr}`).toBe(0);
    }
  });

  it("a burst of 8 (compiles of all sites, of one site and of another directory's site) on an empty out/", async () => {
    await setStart("empty", true);
    const args = [["compile"], ["compile", "extra/sw-policy.yaml"], ["compile", "sites/partner-vpn.yaml"], ["compile"], ["compile", "extra/sw-policy.yaml"], ["compile"], ["compile", "sites/bjs-hybrid.yaml"], ["compile"]];
    const results = await runAll(args, { SITEWIRE_CACHE_DIR: cache });
    results.forEach((r, i) => expect(r.code, `${args[i]!.join(" ")}\n${r.stderr}`).toBe(0));
    stats.runs += results.length;
    stats.waited += results.filter((r) => r.stderr.includes("sitewire: waiting for")).length;
    expect(listing(await snapshot(join(ws, "out")))).toEqual(listing(withExtra));
    expect(debris(join(ws, "out"))).toEqual([]);
  });
});
