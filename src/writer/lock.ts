/**
 * The output folder's lock: `<out>/.sitewire.lock`, so that two sitewire runs on one out/ never interleave
 * (two compiles would delete each other's half-built site folders; a check reading a half-written tree would
 * report drift that is not there). `compile` holds it from before it reads out/ until it has written
 * everything; `check` and `diff` hold it while they read, so they see a whole tree, old or new.
 *
 * - Taking it: the holder's record (pid, host identity, process start time, a random nonce) is written to a
 *   temp file and hard-linked to the lock's name. link(2) fails with EEXIST when the name is taken, and the
 *   lock file is never seen empty or half-written (open(O_EXCL) followed by a write would be).
 * - Waiting: a run that finds the lock held polls it (50-150 ms, jittered), says so on stderr after a second,
 *   and gives up after a bound (SITEWIRE_LOCK_TIMEOUT seconds, default 600).
 * - Stale locks: a holder on this host (same hostname, boot id and pid namespace) whose pid is gone, or whose
 *   pid now belongs to a process started at another time (/proc/<pid>/stat field 22, "starttime", see
 *   proc(5)), no longer holds it. A lock from another host or pid namespace cannot be judged and is waited for.
 * - Taking over a stale lock safely: unlink(2) is not conditional, so two runs that both saw the same stale
 *   lock must not both delete "it" (the second would delete the first one's fresh lock). Breaking a lock is
 *   therefore itself exclusive, per stale lock: the breaker first creates `.sitewire.lock.break-<nonce>-<k>`
 *   (nonce = the stale lock's), then reads the lock again and deletes it only if it still carries that
 *   nonce. Only one process can create that marker, and nobody but its creator removes a lock with that
 *   nonce (its holder is dead; a plain acquire never replaces an existing file), so the read and the delete
 *   cannot be overtaken. A marker whose creator died is skipped for the next level `k+1`.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, readlinkSync } from "node:fs";
import { link, lstat, open, readFile, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";

export const LOCK_NAME = ".sitewire.lock";
/** Names of sitewire's own lock files at the top of out/ (the lock, break markers, and their temp files). */
export const LOCK_FILE_NAME = /^\.sitewire\.lock(\.break-[0-9a-f]{32}-[1-9])?(\.sitewire-tmp-[0-9a-f]+)?$/;

const DEFAULT_TIMEOUT_MS = 600_000;
const NOTICE_AFTER_MS = 1_000;
const MAX_BREAK_LEVEL = 9;

/** Who holds (or held) a lock, as written in the lock file. */
export interface LockHolder {
  readonly pid: number;
  /** hostname, boot id and pid namespace: a pid means something only where all three are the same. */
  readonly host: string;
  readonly boot: string;
  readonly pidns: string;
  /** The process's start time in clock ticks since boot (Linux), "" where it cannot be read. */
  readonly start: string;
  readonly nonce: string;
  readonly command: string;
}

/** Why the lock could not be taken; the CLI turns it into a diagnostic (SW304/SW305). */
export class LockError extends Error {
  override readonly name = "LockError";
  constructor(
    readonly reason: "timeout" | "unusable",
    message: string,
    readonly holder?: LockHolder,
  ) {
    super(message);
  }
}

export interface LockOptions {
  /** The command taking the lock, recorded for the messages of whoever waits for it. */
  readonly command: string;
  /** Give up after this long (default: SITEWIRE_LOCK_TIMEOUT seconds from `env`, else 600 s). */
  readonly timeoutMs?: number;
  /** Called once, after a second of waiting, with the holder being waited for. */
  readonly onWait?: (holder: LockHolder | undefined) => void;
}

export class OutLock {
  private released = false;
  constructor(
    readonly path: string,
    readonly holder: LockHolder,
  ) {}

  /** Remove the lock if it is still ours (it always is unless someone deleted it by hand). */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const current = await readHolder(this.path).catch(() => undefined);
    if (current?.kind === "holder" && current.holder.nonce === this.holder.nonce) await unlink(this.path).catch(() => undefined);
  }
}

/** The lock timeout `env` asks for (SITEWIRE_LOCK_TIMEOUT, seconds), else the default. */
export function lockTimeoutMs(env: Readonly<Record<string, string | undefined>>): number {
  const s = Number(env.SITEWIRE_LOCK_TIMEOUT);
  return env.SITEWIRE_LOCK_TIMEOUT !== undefined && env.SITEWIRE_LOCK_TIMEOUT.trim() !== "" && Number.isFinite(s) && s >= 0 ? s * 1000 : DEFAULT_TIMEOUT_MS;
}

/** Take the lock of the folder `dir` (which must exist), waiting while another live run holds it. */
export async function acquireLock(dir: string, options: LockOptions): Promise<OutLock> {
  const path = join(dir, LOCK_NAME);
  const me = ownRecord(options.command);
  const started = Date.now();
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let noticed = false;
  for (;;) {
    if (await createExclusive(path, me)) return new OutLock(path, me);
    const current = await readHolder(path);
    if (current.kind === "gone") continue;
    if (current.kind === "holder" && isStale(current.holder)) {
      await breakStale(path, current.holder, me);
      continue;
    }
    const holder = current.kind === "holder" ? current.holder : undefined;
    const waited = Date.now() - started;
    if (waited >= timeout) {
      throw new LockError("timeout", `${describeHolder(holder)} has held it for the last ${Math.round(waited / 1000)} s`, holder);
    }
    if (!noticed && waited >= NOTICE_AFTER_MS) {
      noticed = true;
      options.onWait?.(holder);
    }
    await sleep(50 + Math.random() * 100);
  }
}

export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return "another sitewire run (its lock is being written)";
  const here = sameHost(holder) ? "on this host" : `on host ${JSON.stringify(holder.host)}`;
  return `sitewire ${/^[a-z]+$/.test(holder.command) ? holder.command : "run"} (pid ${holder.pid} ${here})`;
}

// --- the lock file -------------------------------------------------------------------------------------------

type Read = { kind: "holder"; holder: LockHolder } | { kind: "gone" } | { kind: "being-written" };

/** What is at `path`: a holder record, nothing, or a file whose record is not complete yet. */
async function readHolder(path: string): Promise<Read> {
  let st;
  try {
    st = await lstat(path);
  } catch (err) {
    if (errCode(err) === "ENOENT") return { kind: "gone" };
    throw new LockError("unusable", `cannot read it (${errCode(err) ?? String(err)})`);
  }
  if (!st.isFile()) throw new LockError("unusable", "it is not a regular file (a directory, a symbolic link or a device)");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if (errCode(err) === "ENOENT") return { kind: "gone" };
    throw new LockError("unusable", `cannot read it (${errCode(err) ?? String(err)})`);
  }
  const holder = parseHolder(text);
  if (holder) return { kind: "holder", holder };
  // Only where hard links are not supported is the lock written in place; give that writer a moment.
  if (Date.now() - st.mtimeMs < 10_000) return { kind: "being-written" };
  throw new LockError("unusable", "its content is not a sitewire lock record");
}

export function parseHolder(text: string): LockHolder | undefined {
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    const ok =
      Number.isSafeInteger(h.pid) &&
      (h.pid ?? 0) > 0 &&
      typeof h.host === "string" &&
      typeof h.boot === "string" &&
      typeof h.pidns === "string" &&
      typeof h.start === "string" &&
      typeof h.command === "string" &&
      typeof h.nonce === "string" &&
      /^[0-9a-f]{32}$/.test(h.nonce);
    return ok ? (h as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Create `path` holding `record`, atomically and only if nothing is there: false when the name is taken.
 * Written to a temp file first and linked into place, so the file never exists without its full content.
 */
async function createExclusive(path: string, record: LockHolder): Promise<boolean> {
  const content = JSON.stringify(record) + "\n";
  const tmp = join(dirname(path), `.${basename(path).replace(/^\./, "")}.sitewire-tmp-${randomBytes(6).toString("hex")}`);
  const handle = await open(tmp, "wx", 0o644);
  try {
    await handle.writeFile(content, "utf8");
  } finally {
    await handle.close();
  }
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    const code = errCode(err);
    if (code === "EEXIST") return false;
    // A compile holding the lock removed our temp file as a leftover: try again.
    if (code === "ENOENT") return false;
    // File systems without hard links: exclusive create in place (readers wait on an incomplete record).
    if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "EMLINK" || code === "ENOSYS") {
      try {
        const h = await open(path, "wx", 0o644);
        try {
          await h.writeFile(content, "utf8");
        } finally {
          await h.close();
        }
        return true;
      } catch (inner) {
        if (errCode(inner) === "EEXIST") return false;
        throw inner;
      }
    }
    throw err;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Remove the stale lock `stale` (see the header: exclusive per stale lock, re-read before the delete). */
async function breakStale(path: string, stale: LockHolder, me: LockHolder): Promise<void> {
  const markers: string[] = [];
  for (let level = 1; level <= MAX_BREAK_LEVEL; level++) {
    const marker = `${path}.break-${stale.nonce}-${level}`;
    if (await createExclusive(marker, me)) {
      try {
        const again = await readHolder(path).catch(() => undefined);
        if (again?.kind === "holder" && again.holder.nonce === stale.nonce) {
          await unlink(path).catch((err: unknown) => {
            if (errCode(err) !== "ENOENT") throw err;
          });
        }
      } finally {
        // Markers below ours belong to breakers that died; a late breaker re-reads the lock and finds it gone.
        for (const m of [...markers, marker]) await unlink(m).catch(() => undefined);
      }
      return;
    }
    const owner = await readHolder(marker).catch(() => undefined);
    if (owner === undefined || owner.kind === "gone") return; // finished meanwhile: look at the lock again
    if (owner.kind === "being-written" || !isStale(owner.holder)) {
      // Someone alive is breaking it right now: wait for them.
      await sleep(20 + Math.random() * 30);
      return;
    }
    markers.push(marker);
  }
  throw new LockError("unusable", `it is stale (${describeHolder(stale)} is gone) but could not be taken over`, stale);
}

// --- processes -----------------------------------------------------------------------------------------------

let identity: Pick<LockHolder, "host" | "boot" | "pidns"> | undefined;

/** This host as far as pids are concerned: hostname, boot id (proc(5)) and pid namespace. */
export function hostIdentity(): Pick<LockHolder, "host" | "boot" | "pidns"> {
  identity ??= {
    host: hostname(),
    boot: readOr(() => readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim()),
    pidns: readOr(() => readlinkSync("/proc/self/ns/pid")),
  };
  return identity;
}

function ownRecord(command: string): LockHolder {
  return { pid: process.pid, ...hostIdentity(), start: processStart(process.pid), nonce: randomBytes(16).toString("hex"), command };
}

/**
 * Field 22 of /proc/<pid>/stat, "starttime": when the process started, in clock ticks after boot (proc(5)).
 * The fields are counted after the last ')', since field 2 (comm) may itself hold spaces and parentheses.
 */
export function processStart(pid: number): string {
  return readOr(() => {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[22 - 3] ?? "";
  });
}

function sameHost(h: LockHolder): boolean {
  const me = hostIdentity();
  return h.host === me.host && h.boot === me.boot && h.pidns === me.pidns;
}

/** A holder on this host whose process is gone (or whose pid now names a process started at another time). */
export function isStale(h: LockHolder): boolean {
  if (!sameHost(h)) return false;
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    if (errCode(err) === "ESRCH") return true;
  }
  if (h.start === "") return false;
  const now = processStart(h.pid);
  return now !== "" && now !== h.start;
}

function readOr(read: () => string): string {
  try {
    return read();
  } catch {
    return "";
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined;
}
