/** The facts a benchmark result is meaningless without: CPU, cores, memory, OS, Node, load. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, release, totalmem } from "node:os";

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly ansible: string;
}

export function machineFacts(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    cores: availableParallelism(),
    memoryGiB: totalmem() / 1024 ** 3,
    os: `${osName()} (Linux ${release()})`,
    node: process.version,
    ansible: ansibleVersion(),
  };
}

export function describeMachine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB.toFixed(0)} GiB RAM; ${m.os}; Node ${m.node}; ${m.ansible}`;
}

/** The sitewire revision measured: the commit, and whether the working tree differs from it. */
export function revision(root: string): string {
  try {
    const git = (...args: string[]) => execFileSync("git", ["-C", root, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const commit = git("rev-parse", "--short", "HEAD");
    return git("status", "--porcelain", "--untracked-files=no") === "" ? commit : `${commit} with uncommitted changes`;
  } catch {
    return "unknown revision (not a git checkout)";
  }
}

/** 1-minute load average, and whether other work competes for the cores (timings then run long). */
export function load(): { readonly oneMinute: number; readonly busy: boolean } {
  const oneMinute = loadavg()[0] ?? 0;
  return { oneMinute, busy: oneMinute > availableParallelism() * 0.5 };
}

function osName(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1] ?? "Linux";
  } catch {
    return process.platform;
  }
}

function ansibleVersion(): string {
  try {
    const out = execFileSync("ansible-playbook", ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return out.split("\n")[0]?.replace(/^ansible-playbook \[core ([^\]]+)\]/, "ansible-core $1") ?? "ansible-core";
  } catch {
    return "ansible-core not installed";
  }
}
