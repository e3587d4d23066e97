/**
 * Accounting for every path under out/: each file, folder, symbolic link or other node must be something a
 * site of this run produces (listed in its fresh manifest, or a folder on the way to such a file), the
 * site's manifest.json, or one of sitewire's own lock files. Anything else is a finding: Argo CD and Ansible
 * deploy what is in out/, not what sitewire wrote, so a folder a pull request added by hand
 * (`out/<name>/cluster/kustomization.yaml` with a ClusterRoleBinding) must fail `check`.
 *
 * There is no place under out/ for hand-kept files: keep them beside it.
 *
 * One finding per top-level unaccounted path: a foreign folder is reported once, not file by file, and is
 * never descended into. The walk reads directories only (readdir with file types), never file contents, so
 * it costs one directory read per folder of out/ whatever the result cache says. Files that are accounted
 * for are judged elsewhere (the write plan or the result cache compare their content and mode).
 */
import { lstatSync, readdirSync, readFileSync, rmSync, type Dirent } from "node:fs";
import { join } from "node:path";
import { MANIFEST_PATH, parseManifest, type Manifest } from "../compile/manifest.js";
import { ASIDE_DIR, TMP_FILE } from "./disk.js";
import { LOCK_FILE_NAME } from "./lock.js";
import { ancestorDirs, compareStrings, isSafeSiteName, WriterError } from "./paths.js";

/** A site of this run and every file path (relative to out/<site>/) that accounts for something. */
export interface AccountedSite {
  readonly site: string;
  readonly paths: readonly string[];
}

export type NodeType = "file" | "directory" | "symlink" | "other";

export type OutFinding =
  /** Produced by no site of this run. `expectedDir`: a folder sitewire writes is not a plain folder here. */
  | { readonly kind: "unaccounted"; readonly path: string; readonly node: NodeType; readonly expectedDir?: boolean }
  /** A site folder (with sitewire's manifest for that site) whose site is not among the site files. */
  | { readonly kind: "orphan-site"; readonly path: string; readonly node: "directory"; readonly site: string; readonly source?: string }
  /** sitewire's own temp name: left by an interrupted compile (or added under that name by hand). */
  | { readonly kind: "leftover"; readonly path: string; readonly node: NodeType };

export interface AccountOptions {
  /**
   * A folder `out/<site>` for a site not in this run, with sitewire's manifest for that site: true leaves it
   * alone (a run given some of the site files leaves the others' folders to the runs that cover them).
   */
  readonly defer?: (site: string, manifest: Manifest) => boolean;
}

/** Every finding under `outDir` (absolute), sorted by path ('/'-separated, relative to `outDir`). */
export function accountOutTree(outDir: string, sites: readonly AccountedSite[], options: AccountOptions = {}): OutFinding[] {
  const findings: OutFinding[] = [];
  const bySite = new Map(sites.map((s) => [s.site, s]));
  for (const entry of list(outDir)) {
    const name = entry.name;
    const node = nodeType(entry);
    if (node === "file" && LOCK_FILE_NAME.test(name)) continue;
    const site = bySite.get(name);
    if (site) {
      if (node === "directory") walkSite(join(outDir, name), name, site, findings);
      else findings.push({ kind: "unaccounted", path: name, node, expectedDir: true });
      continue;
    }
    if (ASIDE_DIR.test(name) || (node === "file" && TMP_FILE.test(name))) {
      findings.push({ kind: "leftover", path: name, node });
      continue;
    }
    const manifest = node === "directory" && isSafeSiteName(name) ? ownManifest(join(outDir, name), name) : undefined;
    if (manifest && options.defer?.(name, manifest)) continue;
    if (manifest) {
      const source = typeof manifest.source?.file === "string" ? manifest.source.file : undefined;
      findings.push({ kind: "orphan-site", path: name, node: "directory", site: name, ...(source !== undefined ? { source } : {}) });
      continue;
    }
    findings.push({ kind: "unaccounted", path: name, node });
  }
  return findings.sort((a, b) => compareStrings(a.path, b.path));
}

/**
 * Remove the leftovers among `findings` (sitewire's temp names: a compile holding the lock knows no other run
 * is writing them). Returns the findings that remain: everything else, and leftovers that could not be removed.
 */
export function removeLeftovers(outDir: string, findings: readonly OutFinding[]): OutFinding[] {
  return findings.filter((f) => {
    if (f.kind !== "leftover") return true;
    try {
      // A link is removed itself, never followed; an aside folder with everything in it.
      rmSync(join(outDir, ...f.path.split("/")), { recursive: true, force: true });
      return false;
    } catch {
      return true;
    }
  });
}

function walkSite(root: string, site: string, accounted: AccountedSite, findings: OutFinding[]): void {
  const files = new Set([MANIFEST_PATH, ...accounted.paths]);
  const dirs = new Set([...files].flatMap(ancestorDirs));
  const walk = (abs: string, rel: string): void => {
    for (const entry of list(abs)) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      const node = nodeType(entry);
      if (files.has(path)) continue;
      if (dirs.has(path)) {
        if (node === "directory") walk(join(abs, entry.name), path);
        else findings.push({ kind: "unaccounted", path: `${site}/${path}`, node, expectedDir: true });
      } else if (node === "file" && TMP_FILE.test(entry.name)) {
        findings.push({ kind: "leftover", path: `${site}/${path}`, node });
      } else {
        findings.push({ kind: "unaccounted", path: `${site}/${path}`, node });
      }
    }
  };
  walk(root, "");
}

/** The entries of a directory; none when it does not exist (an out/ not created yet). */
function list(abs: string): Dirent[] {
  try {
    return readdirSync(abs, { withFileTypes: true }).sort((a, b) => compareStrings(a.name, b.name));
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === "ENOENT") return [];
    throw new WriterError(`cannot list ${abs} (${typeof code === "string" ? code : String(err)})`);
  }
}

function nodeType(entry: Dirent): NodeType {
  if (entry.isSymbolicLink()) return "symlink";
  if (entry.isDirectory()) return "directory";
  if (entry.isFile()) return "file";
  return "other";
}

/** out/<site>/manifest.json when it is a regular file holding sitewire's manifest for that very site. */
function ownManifest(dir: string, site: string): Manifest | undefined {
  try {
    const path = join(dir, MANIFEST_PATH);
    if (!lstatSync(path).isFile()) return undefined;
    const text = readFileSync(path, "utf8");
    const manifest = parseManifest(text);
    return manifest?.site === site ? manifest : undefined;
  } catch {
    return undefined;
  }
}
