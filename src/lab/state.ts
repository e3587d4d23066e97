/**
 * The lab's state file (`/run/sitewire-lab/<prefix>.json`): written before anything is created, so a run that
 * is interrupted, killed or kept (`--keep`) leaves a record of everything it may have made, and the next run
 * of the same site removes it first. Removal works from the record and from the name prefix alone (a state
 * file lost or cut short still leaves `ip netns list` to go by): every process inside the lab's namespaces
 * is ended by its pid, the namespaces are deleted (their veths, bridges and routes go with them), the working
 * folder is removed.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isLabNamespace, LAB_RUN_DIR } from "./names.js";
import { alive, commandLine, endProcessesIn, listNamespaces, run } from "./system.js";

export interface LabState {
  readonly version: 1;
  readonly site: string;
  readonly prefix: string;
  /** The sitewire process that made the lab. */
  readonly pid: number;
  /** The lab's working folder (configuration, logs, lab keys). */
  readonly dir: string;
  readonly namespaces: readonly string[];
  /** Left up on purpose (--keep). */
  readonly kept: boolean;
}

export function stateFile(prefix: string, root = LAB_RUN_DIR): string {
  return join(root, `${prefix}.json`);
}

export function readState(prefix: string, root = LAB_RUN_DIR): LabState | undefined {
  const path = stateFile(prefix, root);
  if (!existsSync(path)) return undefined;
  try {
    const s = JSON.parse(readFileSync(path, "utf8")) as LabState;
    if (s.version !== 1 || s.prefix !== prefix || !Array.isArray(s.namespaces)) return undefined;
    return s;
  } catch {
    return undefined;
  }
}

export function writeState(state: LabState, root = LAB_RUN_DIR): void {
  mkdirSync(root, { recursive: true, mode: 0o711 });
  const path = stateFile(state.prefix, root);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + "\n", { mode: 0o600 });
  renameSync(tmp, path);
}

/** Is the process that made `state` still running a lab (and not this process)? */
export function runningElsewhere(state: LabState): boolean {
  if (state.pid === process.pid || !alive(state.pid)) return false;
  const cmd = commandLine(state.pid);
  return /\blab\b/.test(cmd) && /sitewire|main\.js/.test(cmd);
}

export interface Removed {
  readonly namespaces: number;
  readonly processes: number;
}

/**
 * Remove everything of the lab with `prefix`: what the state file records and every namespace with the prefix.
 * Safe to run when nothing is left.
 */
export async function removeLab(prefix: string, root = LAB_RUN_DIR): Promise<Removed> {
  const state = readState(prefix, root);
  const present = new Set(listNamespaces());
  const namespaces = [...new Set([...(state?.namespaces ?? []), ...[...present].filter((n) => isLabNamespace(prefix, n))])].filter((n) => present.has(n) && isLabNamespace(prefix, n));
  const processes = await endProcessesIn(namespaces);
  for (const ns of namespaces) {
    try {
      run({ argv: ["ip", "netns", "del", ns] });
    } catch {
      /* gone meanwhile */
    }
  }
  // The working folder: only the lab's own (under the run folder, named after the prefix).
  const dir = join(root, prefix);
  if (state?.dir === dir || existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  rmSync(stateFile(prefix, root), { force: true });
  return { namespaces: namespaces.length, processes };
}
