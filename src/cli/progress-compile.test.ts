/**
 * `compile` of many sites shows its status line on a terminal and nothing with --format json or off a terminal
 * (./progress.ts wired into ./cached-sites.ts). In-process through run(), with a fake terminal as stderr and a
 * repository of generated sites large enough to take over a second.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeRepository } from "../../test/bench/generate.js";
import { run } from "./run.js";

const SITES = 120;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "sitewire-progress-"));
  await writeRepository(dir, SITES);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function compile(isTTY: boolean, ...options: string[]) {
  const err: string[] = [];
  const out: string[] = [];
  const started = Date.now();
  const code = await run(["compile", "--no-cache", "--out", join(dir, `out-${isTTY}-${options.join("")}`), ...options], {
    cwd: dir,
    env: { SITEWIRE_CACHE_DIR: "off", TERM: "xterm" },
    stdout: { isTTY, write: (t: string) => out.push(t) },
    stderr: { isTTY, columns: 120, write: (t: string) => err.push(t) } as { isTTY: boolean; write(t: string): number },
  });
  return { code, stderr: err.join(""), stdout: out.join(""), ms: Date.now() - started };
}

describe("progress of compile", () => {
  it("on a terminal: a status line counting the sites, erased at the end", async () => {
    const r = await compile(true);
    expect(r.code).toBe(0);
    expect(r.ms, "the run must take over a second for the status line to appear").toBeGreaterThan(1000);
    const lines = r.stderr.match(/\r\u001b\[2Ksitewire: compiling \d+\/120 sites · \d+\.\d s · sites\/[a-z]+-\d{4}\.yaml/g) ?? [];
    expect(lines.length).toBeGreaterThan(0);
    // Erased before anything else is printed: the last status line is followed by a bare clear.
    const last = r.stderr.lastIndexOf("sitewire: compiling");
    expect(r.stderr.indexOf("\r\u001b[2K", last)).toBeGreaterThan(last);
  }, 120_000);

  it("nothing with --format json, nor off a terminal", async () => {
    expect((await compile(true, "--format", "json")).stderr).not.toContain("sitewire: compiling");
    expect((await compile(false)).stderr).not.toContain("sitewire: compiling");
  }, 180_000);
});
