/**
 * Throwaway network namespaces for tests. Names are unique per process and test; everything created is
 * removed in `cleanup()`, by name of what this process created, never by pattern. Traffic stays inside.
 */
import { execFile, execFileSync, type ExecFileSyncOptions } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);
let counter = 0;

export class Netns {
  readonly name: string;
  private alive = true;

  constructor(label: string) {
    this.name = `sw${process.pid % 100000}${label}${counter++}`.slice(0, 15);
    execFileSync("ip", ["netns", "add", this.name]);
    this.exec(["ip", "link", "set", "lo", "up"]);
  }

  /** Run a command inside the namespace; returns stdout. Throws with stderr on failure. */
  exec(argv: string[], options: ExecFileSyncOptions = {}): string {
    return execFileSync("ip", ["netns", "exec", this.name, ...argv], { encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], ...options }) as string;
  }

  async execAsync(argv: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
    const child = run("ip", ["netns", "exec", this.name, ...argv], { encoding: "utf8" });
    if (input !== undefined) {
      child.child.stdin?.end(input);
    }
    return child;
  }

  cleanup(): void {
    if (!this.alive) return;
    this.alive = false;
    try {
      execFileSync("ip", ["netns", "del", this.name], { stdio: "ignore" });
    } catch {
      /* already gone */
    }
  }
}

/** Run `fn` with fresh namespaces and always remove them. */
export async function withNetns<T>(labels: string[], fn: (...ns: Netns[]) => Promise<T> | T): Promise<T> {
  const created: Netns[] = [];
  try {
    for (const l of labels) created.push(new Netns(l));
    return await fn(...created);
  } finally {
    for (const ns of created) ns.cleanup();
  }
}
