/** Stamps: trusted only when older than the moment they were taken by more than the racy window. */
import { createHash } from "node:crypto";
import { lstat, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { limiter } from "../writer/limit.js";
import { RACY_NS, stampOf, verifySite } from "./stamps.js";
import type { CachedSite } from "./store.js";

let out: string;
const slot = limiter(4);
const exact = "exact";
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "sw-stamps-"));
  await mkdir(join(out, "s1/hosts"), { recursive: true });
  await writeFile(join(out, "s1/hosts/a.conf"), "new content\n", { mode: 0o644 });
  // The lock compile and check hold: its touched ctime is the file system's clock (fsClockNs).
  await writeFile(join(out, ".sitewire.lock"), "");
});
afterAll(() => rm(out, { recursive: true, force: true }));

async function entry(sha256: string, stampedAtNs: bigint): Promise<CachedSite> {
  const st = await lstat(join(out, "s1/hosts/a.conf"), { bigint: true });
  return { key: "k", site: "s1", diagnostics: [], stampedAtNs: stampedAtNs.toString(), files: [{ path: "hosts/a.conf", sha256, mode: 0o644, stamp: stampOf(st) }] };
}

describe("verifySite", () => {
  it("an old stamp that matches is trusted without reading the file (even when the recorded hash is wrong)", async () => {
    const st = await lstat(join(out, "s1/hosts/a.conf"), { bigint: true });
    // The hash is deliberately wrong: only a verdict that never read the file can say current.
    const verdict = await verifySite(out, await entry(sha("other"), st.ctimeNs + RACY_NS + 1n), exact, slot);
    expect(verdict).toEqual({ current: true });
  });

  it("a stamp taken in the same tick as the file's last change is racy: the file is read and hashed", async () => {
    const st = await lstat(join(out, "s1/hosts/a.conf"), { bigint: true });
    expect((await verifySite(out, await entry(sha("old content\n"), st.ctimeNs), exact, slot)).current).toBe(false);
    const good = await verifySite(out, await entry(sha("new content\n"), st.ctimeNs), exact, slot);
    expect(good.current).toBe(true);
    // Its new moment is read off the file system clock after the file was changed: same tick at the earliest.
    expect(BigInt(good.refreshed!.stampedAtNs)).toBeGreaterThanOrEqual(st.ctimeNs);
  });

  it("a mode that does not fit, a missing file or a directory in its place is not current", async () => {
    const e = await entry(sha("new content\n"), 0n);
    expect((await verifySite(out, { ...e, files: [{ ...e.files[0]!, mode: 0o600 }] }, exact, slot)).current).toBe(false);
    expect((await verifySite(out, { ...e, files: [{ ...e.files[0]!, path: "hosts/b.conf" }] }, exact, slot)).current).toBe(false);
    expect((await verifySite(out, { ...e, files: [{ ...e.files[0]!, path: "hosts" }] }, exact, slot)).current).toBe(false);
  });
});
