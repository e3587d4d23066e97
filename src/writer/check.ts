/**
 * Drift (pure): how the files on disk differ from the fresh artifacts, as a per-file list and as a unified
 * diff in git's format (`a/` = on disk, `b/` = fresh), so the patch reads like `git diff` and applies with
 * `git apply`. Built on the write plan, so `check`, `diff` and `compile` can never disagree about a file.
 */
import { createTwoFilesPatch } from "diff";
import type { Artifact } from "../targets/target.js";
import { modeDiffers, type ModePolicy } from "./modes.js";
import { compareStrings } from "./paths.js";
import { planSite, type DiskFile, type SiteState, type WritePlan } from "./plan.js";

export type { ModePolicy } from "./modes.js";

export type DriftKind =
  /** A fresh artifact is not on disk. */
  | "missing"
  /** Content differs (the mode may differ too). */
  | "modified"
  /** Only the mode differs. */
  | "mode"
  /** Listed in the old manifest, no longer produced, still on disk. */
  | "stale"
  /** A fresh path is taken by a file or directory sitewire does not manage (compile refuses it). */
  | "unmanaged";

export interface Drift {
  readonly path: string;
  readonly kind: DriftKind;
  /** Mode on disk and fresh mode, as "0644", when both exist. */
  readonly oldMode?: string;
  readonly newMode?: string;
}


export interface DriftOptions {
  /** How out/<site> is named in the patch labels, e.g. `out/bjs-hybrid` → `a/out/bjs-hybrid/<path>`. */
  readonly label: string;
  readonly modes?: ModePolicy;
  /** Lines of context around each change (default 3, like git). */
  readonly context?: number;
}

export interface SiteDrift {
  readonly site: string;
  readonly drift: readonly Drift[];
  /** The unified diff of every drifted file, "" when there is none. */
  readonly patch: string;
}

/** Compare the fresh artifacts of a site with its current state. */
export function checkSite(site: string, artifacts: readonly Artifact[], state: SiteState, options: DriftOptions): SiteDrift {
  return driftOfPlan(planSite(site, artifacts, state), options);
}

/** The drift a plan represents: every file the plan would write or delete, and every conflict. */
export function driftOfPlan(plan: WritePlan, options: DriftOptions): SiteDrift {
  const modes = options.modes ?? "exact";
  const files: FileDiff[] = [];
  for (const w of plan.create) files.push({ path: w.path, kind: "missing", after: { content: w.content, mode: w.mode } });
  for (const w of plan.update) {
    const before = w.before;
    const contentChanged = before.content !== w.content;
    if (!contentChanged && !modeDiffers(before.mode, w.mode, modes)) continue;
    files.push({ path: w.path, kind: contentChanged ? "modified" : "mode", before, after: { content: w.content, mode: w.mode } });
  }
  for (const r of plan.remove) files.push({ path: r.path, kind: "stale", before: r.before });
  for (const c of plan.conflicts) files.push({ path: c.path, kind: "unmanaged", before: c.before, after: { content: c.content, mode: c.mode } });
  files.sort((a, b) => compareStrings(a.path, b.path));

  return {
    site: plan.site,
    drift: files.map(toDrift),
    patch: files.map((f) => filePatch(f, options.label, options.context ?? 3, modes)).join(""),
  };
}

// -------------------------------------------------------------------------------------------------------------

interface FileDiff {
  readonly path: string;
  readonly kind: DriftKind;
  readonly before?: Pick<DiskFile, "content" | "mode">;
  readonly after?: Pick<DiskFile, "content" | "mode">;
}

function toDrift(f: FileDiff): Drift {
  return {
    path: f.path,
    kind: f.kind,
    ...(f.before ? { oldMode: octal(f.before.mode) } : {}),
    ...(f.after ? { newMode: octal(f.after.mode) } : {}),
  };
}

/** One file's section of a git-style patch. */
function filePatch(f: FileDiff, label: string, context: number, modes: ModePolicy): string {
  const a = `a/${label}/${f.path}`;
  const b = `b/${label}/${f.path}`;
  const head = [`diff --git ${a} ${b}`];
  if (!f.before && f.after) head.push(`new file mode ${gitMode(f.after.mode)}`);
  else if (f.before && !f.after) head.push(`deleted file mode ${gitMode(f.before.mode)}`);
  else if (f.before && f.after && modeDiffers(f.before.mode, f.after.mode, modes)) {
    head.push(`old mode ${gitMode(f.before.mode)}`, `new mode ${gitMode(f.after.mode)}`);
  }
  const oldText = f.before?.content ?? "";
  const newText = f.after?.content ?? "";
  if (oldText === newText) return head.join("\n") + "\n";
  const body = createTwoFilesPatch(f.before ? a : "/dev/null", f.after ? b : "/dev/null", oldText, newText, undefined, undefined, {
    context,
    headerOptions: { includeIndex: false, includeUnderline: false, includeFileHeaders: true },
  });
  return head.join("\n") + "\n" + body;
}

function gitMode(mode: number): string {
  return "100" + (mode & 0o777).toString(8).padStart(3, "0");
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, "0");
}
