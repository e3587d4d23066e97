/**
 * The output folder's lock (src/writer/lock.ts) with real processes: mutual exclusion among many processes,
 * also when they all find the same stale lock at once; a dead holder's or a reused pid's lock is taken over;
 * a live holder is waited for (with a message), a foreign host's lock until the bound (SW304); a lock name
 * taken by something else is refused (SW305).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { acquireLock, hostIdentity, isStale, LOCK_NAME, processStart, type LockHolder } from "../../src/writer/lock.js";
import { CLI, REPO, removeWorkspace, spawnCli, workspace } from "./helpers.js";

vi.setConfig({ testTimeout: 180_000 });

const LOCK_JS = join(REPO, "dist", "src", "writer", "lock.js");

/**
 * A child that takes the lock `rounds` times and, while holding it, owns `critical`: created with O_EXCL and
 * removed before the release, so two holders at once make the second creation fail (exit 3).
 */
const WORKER = `
import { open, unlink } from "node:fs/promises";
import { join } from "node:path";
const { acquireLock } = await import(process.argv[1]);
const [dir, rounds, holdMs] = process.argv.slice(2);
for (let i = 0; i < Number(rounds); i++) {
  const lock = await acquireLock(dir, { command: "test", timeoutMs: 120000 });
  let h;
  try { h = await open(join(dir, "critical"), "wx"); } catch (e) { console.error("two holders at once: " + e.code); process.exit(3); }
  await new Promise((r) => setTimeout(r, Number(holdMs)));
  await h.close();
  await unlink(join(dir, "critical"));
  await lock.release();
}
`;

function worker(dir: string, rounds: number, holdMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", WORKER, LOCK_JS, dir, String(rounds), String(holdMs)], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

/** A pid that just exited (the kernel does not hand it out again before cycling through pid_max). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  const pid = child.pid!;
  await new Promise((r) => child.on("close", r));
  return pid;
}

function record(over: Partial<LockHolder>): LockHolder {
  return { pid: process.pid, ...hostIdentity(), start: processStart(process.pid), nonce: "0".repeat(32), command: "compile", ...over };
}

let dir: string;
beforeEach(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run 'npm run build' first (npm test does)`);
  dir = await mkdtemp(join(tmpdir(), "sw-lock-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("the output folder lock", () => {
  it("judges holders: alive, dead, pid reused (other start time), other host", async () => {
    expect(processStart(process.pid)).toMatch(/^\d+$/);
    expect(isStale(record({}))).toBe(false);
    expect(isStale(record({ pid: await deadPid() }))).toBe(true);
    expect(isStale(record({ start: String(Number(processStart(process.pid)) + 1) }))).toBe(true);
    expect(isStale(record({ pid: await deadPid(), host: "elsewhere" }))).toBe(false);
    expect(isStale(record({ pid: await deadPid(), pidns: "pid:[1]" }))).toBe(false);
  });

  it("8 processes x 10 rounds: never two holders at once, nothing left behind", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => worker(dir, 10, 3)));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it("8 rounds of 6 processes that all find the same stale lock: one takes it over at a time", async () => {
    for (let round = 0; round < 8; round++) {
      const stale = record({ pid: await deadPid(), nonce: round.toString(16).padStart(32, "f") });
      await writeFile(join(dir, LOCK_NAME), JSON.stringify(stale) + "\n");
      const results = await Promise.all(Array.from({ length: 6 }, () => worker(dir, 1, 20)));
      for (const r of results) expect(r.code, `round ${round}: ${r.stderr}`).toBe(0);
      expect(await readdir(dir), `round ${round}`).toEqual([]);
    }
  });

  it("a break marker left by a breaker that died is passed over", async () => {
    const stale = record({ pid: await deadPid(), nonce: "c".repeat(32) });
    await writeFile(join(dir, LOCK_NAME), JSON.stringify(stale));
    await writeFile(join(dir, `${LOCK_NAME}.break-${stale.nonce}-1`), JSON.stringify(record({ pid: await deadPid(), nonce: "d".repeat(32) })));
    const lock = await acquireLock(dir, { command: "test", timeoutMs: 5000 });
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  describe("compile (the built CLI)", () => {
    let ws: string;
    beforeEach(async () => {
      ws = await workspace("sw-lock-cli-");
      await mkdir(join(ws, "out"));
    });
    afterEach(() => removeWorkspace(ws));

    it("waits for a live holder, says so on stderr, and runs once it is released", async () => {
      const held = await acquireLock(join(ws, "out"), { command: "test" });
      const t0 = Date.now();
      const releaseAt = 2500;
      setTimeout(() => void held.release(), releaseAt);
      const r = await spawnCli(ws, ["compile"]);
      expect(r.code, r.stderr).toBe(0);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(releaseAt);
      expect(r.stderr).toContain(`sitewire: waiting for out/${LOCK_NAME}: held by sitewire test (pid ${process.pid} on this host)`);
      expect((await readdir(join(ws, "out"))).sort()).not.toContain(LOCK_NAME);
    });

    it("takes over the lock of a holder that died", async () => {
      await writeFile(join(ws, "out", LOCK_NAME), JSON.stringify(record({ pid: await deadPid(), nonce: "e".repeat(32) })));
      const r = await spawnCli(ws, ["compile"], { SITEWIRE_LOCK_TIMEOUT: "10" });
      expect(r.code, r.stderr).toBe(0);
      expect(await readdir(join(ws, "out"))).not.toContain(LOCK_NAME);
    });

    it("gives up on another host's lock after SITEWIRE_LOCK_TIMEOUT with SW304, writing nothing", async () => {
      await writeFile(join(ws, "out", LOCK_NAME), JSON.stringify(record({ host: "build-7", nonce: "f".repeat(32) })));
      const r = await spawnCli(ws, ["compile", "--format", "json"], { SITEWIRE_LOCK_TIMEOUT: "1.5" });
      expect(r.code).toBe(1);
      const diags = (JSON.parse(r.stdout) as { diagnostics: { code: string; file: string; message: string }[] }).diagnostics;
      expect(diags.map((d) => `${d.code} ${d.file}`)).toEqual([`SW304 out/${LOCK_NAME}`]);
      expect(diags[0]!.message).toContain('on host "build-7"');
      expect(await readdir(join(ws, "out"))).toEqual([LOCK_NAME]);
    });

    it("refuses a lock name taken by a folder (SW305), for compile and check", async () => {
      await mkdir(join(ws, "out", LOCK_NAME));
      for (const command of ["compile", "check"]) {
        const r = await spawnCli(ws, [command]);
        expect(r.code, command).toBe(1);
        expect(r.stderr).toContain("error SW305");
      }
    });
  });
});
