/**
 * Running one command as a child process and measuring it: wall time (from spawn to exit, in this process),
 * CPU time (user + system) and peak resident memory of the child. The child's rusage comes from GNU time
 * (`/usr/bin/time -f … -o FILE`) when it is installed; otherwise a Node child is started with
 * `--import rusage-hook.js`, which writes its own process.resourceUsage() at exit.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface Sample {
  readonly wallMs: number;
  /** User + system CPU time of the child, NaN when it could not be measured. */
  readonly cpuMs: number;
  /** Peak resident set size of the child in MiB, NaN when it could not be measured. */
  readonly rssMiB: number;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

const GNU_TIME = "/usr/bin/time";
const HOOK = join(dirname(fileURLToPath(import.meta.url)), "rusage-hook.js");
/** Keep at most this much of a child's output (enough for any error message). */
const OUTPUT_LIMIT = 64 * 1024;

let counter = 0;

export function rusageSource(): string {
  return existsSync(GNU_TIME) ? "GNU time" : "process.resourceUsage() hook";
}

export async function measure(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Sample> {
  const usageFile = join(tmpdir(), `sitewire-bench-rusage-${process.pid}-${counter++}`);
  const env = { ...process.env, ...options.env };
  let argv: string[];
  if (existsSync(GNU_TIME)) {
    argv = [GNU_TIME, "-f", "%U %S %M", "-o", usageFile, command, ...args];
  } else if (command === process.execPath || command === "node") {
    argv = [command, "--import", HOOK, ...args];
    env.SITEWIRE_BENCH_RUSAGE = usageFile;
  } else {
    argv = [command, ...args];
  }

  const started = process.hrtime.bigint();
  const { exitCode, stdout, stderr } = await run(argv, options.cwd, env);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;

  const usage = await readFile(usageFile, "utf8").catch(() => "");
  await rm(usageFile, { force: true });
  const [cpuMs, rssMiB] = parseUsage(usage);
  return { wallMs, cpuMs, rssMiB, exitCode, stdout, stderr };
}

/** GNU time: "user sys maxrssKiB" (its last line; earlier lines say why a command failed). Hook: JSON. */
function parseUsage(text: string): [number, number] {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    const u = JSON.parse(trimmed) as NodeJS.ResourceUsage;
    return [(u.userCPUTime + u.systemCPUTime) / 1000, u.maxRSS / 1024];
  }
  const last = trimmed.split("\n").pop() ?? "";
  const [user, sys, rss] = last.split(" ").map(Number);
  if (user === undefined || sys === undefined || rss === undefined || [user, sys, rss].some(Number.isNaN)) return [NaN, NaN];
  return [(user + sys) * 1000, rss / 1024];
}

function run(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    child.stdout.on("data", (b: Buffer) => {
      if (outBytes < OUTPUT_LIMIT) out.push(b);
      outBytes += b.length;
    });
    child.stderr.on("data", (b: Buffer) => {
      if (errBytes < OUTPUT_LIMIT) err.push(b);
      errBytes += b.length;
    });
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
