/**
 * The write plan of one site (pure): what `compile` must create, update and delete under out/<site>/ to make
 * it match the fresh artifacts, given what is on disk now and the manifest of the previous run.
 *
 * Ownership rule: sitewire manages exactly the files its previous manifest lists (plus manifest.json itself).
 * Anything else in out/<site>/ is never written or deleted. A fresh artifact whose path is taken by such an
 * unmanaged file is a conflict, reported instead of overwritten, with one exception: a file that already has
 * exactly the fresh content and mode is adopted (nothing is written). That is the state an interrupted run
 * leaves behind (new files renamed into place, new manifest not yet written), so a rerun heals it.
 */
import { MANIFEST_PATH, type Manifest } from "../compile/manifest.js";
import type { Artifact } from "../targets/target.js";
import { ancestorDirs, compareStrings, isSafeRelativePath } from "./paths.js";

/** What is at one path under out/<site>/ now; absent from the map = nothing there. */
export type DiskEntry =
  | { readonly type: "file"; readonly content: string; readonly mode: number }
  /** Something that is not a regular file (a directory, a socket…). */
  | { readonly type: "other" }
  /** A parent of the path is not a directory, so nothing can be there. */
  | { readonly type: "blocked" };

export type DiskFile = Extract<DiskEntry, { type: "file" }>;

/** The current state of out/<site>/ as far as the plan needs it. */
export interface SiteState {
  /** The previous run's manifest, when out/<site>/manifest.json is a sitewire manifest for this site. */
  readonly manifest: Manifest | undefined;
  /** Entries for manifest.json, every safe path of the old manifest and every fresh path. */
  readonly files: ReadonlyMap<string, DiskEntry>;
}

export interface PlannedWrite {
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

export interface PlannedUpdate extends PlannedWrite {
  /** The managed file it replaces. */
  readonly before: DiskFile;
}

export interface PlannedRemoval {
  readonly path: string;
  readonly before: DiskFile;
}

export interface Conflict {
  readonly path: string;
  readonly reason: "unmanaged-file" | "not-a-file" | "parent-not-a-directory";
  /** The unmanaged file, when it is one (for diffs). */
  readonly before?: DiskFile;
  readonly content: string;
  readonly mode: number;
}

export interface WritePlan {
  readonly site: string;
  /** Fresh artifacts with nothing at their path. */
  readonly create: readonly PlannedWrite[];
  /** Managed files whose content or mode differs. */
  readonly update: readonly PlannedUpdate[];
  readonly unchanged: readonly string[];
  /** Managed files no longer produced that are still on disk. */
  readonly remove: readonly PlannedRemoval[];
  /** Directories that held stale managed files, deepest first; removed when empty after pruning. */
  readonly pruneDirs: readonly string[];
  /** Fresh paths taken by something sitewire does not manage. A plan with conflicts must not be applied. */
  readonly conflicts: readonly Conflict[];
}

/**
 * A plan without the content it writes or replaces: paths (and why a path conflicts). What `compile` keeps of a
 * site once its writes are staged on disk (./disk.ts stagePlan); a WritePlan is one too.
 */
export interface PlanOutline {
  readonly site: string;
  readonly create: readonly { readonly path: string }[];
  readonly update: readonly { readonly path: string }[];
  readonly unchanged: readonly string[];
  readonly remove: readonly { readonly path: string }[];
  readonly pruneDirs: readonly string[];
  readonly conflicts: readonly Pick<Conflict, "path" | "reason">[];
}

export function outlineOf(plan: WritePlan): PlanOutline {
  const path = (w: { readonly path: string }) => ({ path: w.path });
  return {
    site: plan.site,
    create: plan.create.map(path),
    update: plan.update.map(path),
    unchanged: plan.unchanged,
    remove: plan.remove.map(path),
    pruneDirs: plan.pruneDirs,
    conflicts: plan.conflicts.map((c) => ({ path: c.path, reason: c.reason })),
  };
}

/** Paths the manifest claims, minus any that are not safe relative paths (those are never touched). */
export function managedPaths(manifest: Manifest | undefined): string[] {
  if (!manifest) return [];
  const paths = new Set<string>([MANIFEST_PATH]);
  for (const entry of manifest.artifacts) {
    const path = (entry as { path?: unknown } | null)?.path;
    if (typeof path === "string" && isSafeRelativePath(path)) paths.add(path);
  }
  return [...paths].sort(compareStrings);
}

export function planSite(site: string, artifacts: readonly Artifact[], state: SiteState): WritePlan {
  const managed = new Set(managedPaths(state.manifest));
  const fresh = new Set(artifacts.map((a) => a.path));
  const stale = [...managed].filter((p) => !fresh.has(p)).sort(compareStrings);
  const staleSet = new Set(stale);
  const staleDirs = new Set(stale.flatMap(ancestorDirs));

  const create: PlannedWrite[] = [];
  const update: PlannedUpdate[] = [];
  const unchanged: string[] = [];
  const conflicts: Conflict[] = [];

  for (const artifact of [...artifacts].sort((a, b) => compareStrings(a.path, b.path))) {
    const { path, content, mode } = artifact;
    const entry = state.files.get(path);
    const write = { path, content, mode };
    if (entry === undefined) {
      create.push(write);
    } else if (entry.type === "blocked") {
      // Fine when the blocking file is a stale managed file (it is deleted first); otherwise a conflict.
      if (ancestorDirs(path).some((d) => staleSet.has(d))) create.push(write);
      else conflicts.push({ ...write, reason: "parent-not-a-directory" });
    } else if (entry.type === "other") {
      // Fine when it is a directory that only held stale managed files (pruned first); otherwise a conflict.
      if (staleDirs.has(path)) create.push(write);
      else conflicts.push({ ...write, reason: "not-a-file" });
    } else if (entry.content === content && entry.mode === mode) {
      unchanged.push(path);
    } else if (managed.has(path)) {
      update.push({ ...write, before: entry });
    } else {
      conflicts.push({ ...write, reason: "unmanaged-file", before: entry });
    }
  }

  const remove: PlannedRemoval[] = [];
  for (const path of stale) {
    const entry = state.files.get(path);
    if (entry?.type === "file") remove.push({ path, before: entry });
  }

  const freshDirs = new Set([...fresh].flatMap(ancestorDirs));
  const pruneDirs = [...staleDirs].filter((d) => !freshDirs.has(d)).sort(deepestFirst);

  return { site, create, update, unchanged, remove, pruneDirs, conflicts };
}

export function hasChanges(plan: WritePlan): boolean {
  return plan.create.length + plan.update.length + plan.remove.length > 0;
}

function deepestFirst(a: string, b: string): number {
  return b.split("/").length - a.split("/").length || compareStrings(a, b);
}
