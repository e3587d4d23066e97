/**
 * Reading the current state of one site's output tree, independent of where that tree lives. `diskReader`
 * (./disk.ts) reads out/<site>/ from the working tree; a reader over a git revision can be dropped in for
 * `sitewire diff --against <ref>` without touching the planner or the differ.
 */
import { MANIFEST_PATH, parseManifest, type Manifest } from "../compile/manifest.js";
import type { Artifact } from "../targets/target.js";
import { ancestorDirs, compareStrings } from "./paths.js";
import { managedPaths, type DiskEntry, type SiteState } from "./plan.js";

export interface TreeReader {
  /** A human name for the tree in messages, e.g. `out/bjs-hybrid`. */
  readonly label: string;
  /** The entry at a safe relative path, or undefined when nothing is there. */
  read(path: string): Promise<DiskEntry | undefined>;
}

/** Read manifest.json, then (in parallel) every path the old manifest lists and every fresh path. */
export async function readSiteState(reader: TreeReader, site: string, artifacts: readonly Artifact[]): Promise<SiteState> {
  const manifestEntry = await reader.read(MANIFEST_PATH);
  const manifest = manifestEntry?.type === "file" ? ownManifest(manifestEntry.content, site) : undefined;

  const paths = new Set([...managedPaths(manifest), ...artifacts.map((a) => a.path)]);
  paths.delete(MANIFEST_PATH);
  const sorted = [...paths].sort(compareStrings);
  const entries = await Promise.all(sorted.map((p) => reader.read(p)));

  const files = new Map<string, DiskEntry>();
  if (manifestEntry) files.set(MANIFEST_PATH, manifestEntry);
  sorted.forEach((p, i) => {
    const entry = entries[i];
    if (entry) files.set(p, entry);
  });
  return { manifest, files };
}

/** A manifest counts only when sitewire wrote it for this very site; otherwise nothing is pruned. */
function ownManifest(text: string, site: string): Manifest | undefined {
  const manifest = parseManifest(text);
  return manifest?.site === site ? manifest : undefined;
}

/**
 * A reader over files held in memory, e.g. the artifacts of compiling another revision of the intent (for
 * `sitewire diff --against`). A path below a file is blocked, a path above one is a directory.
 */
export function memoryReader(label: string, files: readonly Pick<Artifact, "path" | "content" | "mode">[]): TreeReader {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const dirs = new Set(files.flatMap((f) => ancestorDirs(f.path)));
  return {
    label,
    async read(path: string): Promise<DiskEntry | undefined> {
      const file = byPath.get(path);
      if (file) return { type: "file", content: file.content, mode: file.mode };
      if (dirs.has(path)) return { type: "other" };
      return ancestorDirs(path).some((d) => byPath.has(d)) ? { type: "blocked" } : undefined;
    },
  };
}
