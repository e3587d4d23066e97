/**
 * The lab's only contact with the machine: running commands in its network namespaces, starting daemons
 * there, and finding and ending what it started. Commands are argv lists (never a shell line built from
 * intent text); processes are ended by their pid only, and only processes that run inside the lab's own
 * namespaces (`ip netns pids`).
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import type { Cmd } from "./plan.js";

export class LabCommandError extends Error {
  override readonly name = "LabCommandError";
  constructor(
    readonly cmd: Cmd,
    readonly output: string,
  ) {
    super(`${cmd.ns ? `in ${cmd.ns}: ` : ""}${cmd.argv.join(" ")} failed${output.trim() ? `: ${output.trim().split("\n").slice(-6).join("\n")}` : ""}`);
  }
}

/** argv for running `cmd` (inside its namespace through `ip netns exec`). */
export function argvOf(cmd: Cmd): string[] {
  return cmd.ns !== undefined ? ["ip", "netns", "exec", cmd.ns, ...cmd.argv] : [...cmd.argv];
}

/** Run a command to completion (bounded by `timeoutMs`); its stdout. Throws LabCommandError with its output. */
export function run(cmd: Cmd, timeoutMs = 30_000, env?: NodeJS.ProcessEnv): string {
  const [program, ...args] = argvOf(cmd);
  try {
    return execFileSync(program!, args, { encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], timeout: timeoutMs, ...(cmd.input !== undefined ? { input: cmd.input } : {}), ...(env ? { env } : {}) });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message?: string };
    throw new LabCommandError(cmd, `${err.stderr ?? ""}${err.stdout ?? ""}` || (err.message ?? ""));
  }
}

/** Like run(), but never throws: exit code and output. */
export function runAsync(cmd: Cmd, timeoutMs = 30_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const [program, ...args] = argvOf(cmd);
  return new Promise((resolve) => {
    const child = execFile(program!, args, { encoding: "utf8", timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (cmd.input !== undefined) child.stdin?.end(cmd.input);
  });
}

/**
 * Start a long-running process in a namespace, detached (its own session, so a terminal's Ctrl-C reaches
 * the lab, which then stops it in order), output appended to `logFile`. Returns its pid.
 */
export function startDaemon(cmd: Cmd, logFile: string): number {
  const [program, ...args] = argvOf(cmd);
  const fd = openSync(logFile, "a", 0o600);
  try {
    const child = spawn(program!, args, { detached: true, stdio: ["ignore", fd, fd] });
    child.on("error", () => undefined);
    child.unref();
    if (child.pid === undefined) throw new LabCommandError(cmd, "could not start");
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** The namespaces `ip netns list` shows (names only). */
export function listNamespaces(): string[] {
  try {
    return run({ argv: ["ip", "netns", "list"] })
      .split("\n")
      .map((l) => l.trim().split(/\s+/)[0] ?? "")
      .filter((n) => n !== "");
  } catch {
    return [];
  }
}

/** Pids of the processes running in namespace `ns`. */
export function pidsIn(ns: string): number[] {
  try {
    return run({ argv: ["ip", "netns", "pids", ns] })
      .split("\n")
      .map((l) => Number(l.trim()))
      .filter((n) => Number.isInteger(n) && n > 1 && n !== process.pid);
  } catch {
    return [];
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
}

/** A process's command line (empty when it is gone or unreadable). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
  } catch {
    return "";
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * End every process inside `namespaces`: SIGTERM, up to `graceMs` for them to go, then SIGKILL. Only pids
 * `ip netns pids` reports for the lab's own namespaces are signalled.
 */
export async function endProcessesIn(namespaces: readonly string[], graceMs = 3000): Promise<number> {
  const pids = new Set(namespaces.flatMap((ns) => pidsIn(ns)));
  for (const pid of pids) signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while ([...pids].some(alive) && Date.now() < deadline) await sleep(50);
  for (const pid of pids) if (alive(pid)) signal(pid, "SIGKILL");
  // A process may have started in the meantime (a daemon forking): one more round, without grace.
  for (const pid of namespaces.flatMap((ns) => pidsIn(ns))) signal(pid, "SIGKILL");
  return pids.size;
}
