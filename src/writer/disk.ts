/**
 * The only code that touches the output disk: reading out/<site>/ and applying a WritePlan to it.
 *
 * - A site's new and changed files are first written into `<out>/.<site>.sitewire-tmp/` (stagePlan), then put
 *   in place (commitStaged): a new site folder by renaming the aside folder, an existing one file by file,
 *   each renamed over its target, so a killed process leaves every file old or new. Unchanged files are not
 *   touched (their mtime stays). Flushing to stable storage (fsync of each file and directory) is opt-in
 *   (`fsync`): it costs 8x the write itself on a typical disk, and out/ is regenerated and checked
 *   (`sitewire check`), not a database; the option is there for trees on machines that may lose power.
 * - Order: stale files deleted, leftover temp files cleaned, emptied directories removed, new and changed
 *   files renamed into place, manifest.json LAST. An interrupted run leaves the old manifest, and a rerun heals.
 * - Every path is resolved and checked to stay inside <out>/<site>/; directories inside the site tree are
 *   never followed through symlinks.
 */
import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, readFile, readdir, rename, rm, rmdir, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { MANIFEST_PATH } from "../compile/manifest.js";
import { limiter } from "./limit.js";
import { ancestorDirs, compareStrings, resolveInside, siteRoot, WriterError } from "./paths.js";
import type { DiskEntry, WritePlan } from "./plan.js";
import type { TreeReader } from "./read.js";

const TMP_MARK = ".sitewire-tmp-";
/** sitewire's temp file names (`.<name>.sitewire-tmp-<hex>`): a killed run can leave them; compile removes them. */
export const TMP_FILE = /^\..+\.sitewire-tmp-[0-9a-f]+$/;
/** A site folder being built aside (`.<site>.sitewire-tmp`, directly in out/). */
export const ASIDE_DIR = /^\.[a-z][a-z0-9-]*\.sitewire-tmp$/;
/** Reads of every site's tree share this many descriptors (see ./limit.ts). */
const readSlot = limiter(64);

/** Reads entries of `<outDir>/<site>/` from the working tree. */
export function diskReader(outDir: string, site: string, label = `${outDir}/${site}`): TreeReader {
  const root = siteRoot(outDir, site);
  // A site compiled for the first time has no folder yet: one lstat answers for all of its paths.
  let rootMissing: Promise<boolean> | undefined;
  return {
    label,
    async read(path: string): Promise<DiskEntry | undefined> {
      const abs = resolveInside(root, path);
      rootMissing ??= lstat(root).then(
        () => false,
        (err: unknown) => errCode(err) === "ENOENT",
      );
      if (await rootMissing) return undefined;
      return readSlot(() => readEntry(abs, `${label}/${path}`));
    },
  };
}

async function readEntry(abs: string, shown: string): Promise<DiskEntry | undefined> {
  try {
    const st = await lstat(abs);
    if (!st.isFile()) return { type: "other" };
    return { type: "file", content: await readFile(abs, "utf8"), mode: st.mode & 0o7777 };
  } catch (err) {
    if (errCode(err) === "ENOENT") return undefined;
    if (errCode(err) === "ENOTDIR") return { type: "blocked" };
    throw new WriterError(`cannot read ${shown} (${describe(err)})`);
  }
}

export interface ApplyOptions {
  /** How out/<site> is named in error messages (default `<outDir>/<site>`). */
  readonly label?: string;
  /** fsync every written file before its rename, and the directories after (power-loss durability). */
  readonly fsync?: boolean;
}

/**
 * A site's new and changed files, written aside (`<out>/.<site>.sitewire-tmp/`, at their paths in the site) and
 * waiting for commitStaged: the caller holds paths only, never the content. `compile` stages each site as soon
 * as it is planned and commits the sites only once all of them compiled without an error or a conflict, so
 * memory does not grow with the number of sites, and nothing is written when any site fails (discardStaged
 * removes the aside folders; a killed run leaves them to the next run, which removes them first).
 */
export interface StagedSite {
  readonly site: string;
  readonly label: string;
  /** out/<site> did not exist and only gets new files: the aside folder becomes it in one rename. */
  readonly whole: boolean;
  /** New and changed files (manifest.json among them when it changes), sorted by path. */
  readonly writes: readonly string[];
  readonly remove: readonly string[];
  readonly pruneDirs: readonly string[];
  /** Every directory of the plan (for cleaning temp files an interrupted run left). */
  readonly planDirs: readonly string[];
  readonly fsync: boolean;
}

/** Make `<outDir>/<plan.site>/` match the plan (stagePlan, then commitStaged). Refuses a plan with conflicts. */
export async function applyPlan(outDir: string, plan: WritePlan, options: ApplyOptions = {}): Promise<void> {
  await commitStaged(outDir, await stagePlan(outDir, plan, options));
}

/** Write the plan's new and changed files aside (see StagedSite); out/<site> itself is not touched. */
export async function stagePlan(outDir: string, plan: WritePlan, options: ApplyOptions = {}): Promise<StagedSite> {
  const label = options.label ?? `${outDir}/${plan.site}`;
  if (plan.conflicts.length > 0) {
    throw new WriterError(`refusing to write ${label}: ${plan.conflicts.map((c) => c.path).join(", ")} not managed by sitewire`);
  }
  const root = siteRoot(outDir, plan.site);
  const existing = await lstatOrUndefined(root);
  if (existing?.isSymbolicLink())
    throw new WriterError(`refusing to write ${label}: it is a symbolic link (a site folder must be a real directory inside the output folder)`);
  const aside = asideRoot(outDir, plan.site);
  // A site folder a killed run was building aside: never renamed into place, so nothing refers to it.
  await guard(label, "clean", () => rm(aside, { recursive: true, force: true }));
  const fsync = options.fsync ?? false;
  const writes = [...plan.create, ...plan.update].sort((a, b) => compareStrings(a.path, b.path));
  if (writes.length > 0) {
    const dirs = [...new Set(writes.flatMap((w) => ancestorDirs(w.path)))].sort(compareStrings);
    await guard(label, "create", async () => {
      await mkdir(aside, { recursive: true });
      for (const dir of dirs) await mkdir(resolveInside(aside, dir));
    });
    // The aside folder is sitewire's own: plain writes, no temp names.
    await Promise.all(writes.map((w) => guard(`${label}/${w.path}`, "write", () => writeNewFile(resolveInside(aside, w.path), w.content, w.mode, fsync))));
    if (fsync) await Promise.all(["", ...dirs].map((d) => syncDir(d === "" ? aside : resolveInside(aside, d))));
  }
  return {
    site: plan.site,
    label,
    whole: !existing && plan.update.length === 0 && plan.remove.length === 0,
    writes: writes.map((w) => w.path),
    remove: plan.remove.map((r) => r.path),
    pruneDirs: plan.pruneDirs,
    planDirs: planDirs(plan),
    fsync,
  };
}

/**
 * Put a staged site in place. A new site folder: the aside folder is renamed into place in one step (the whole
 * site appears at once or not at all, and a cold compile pays one rename per site instead of one per file:
 * on ext4 a rename costs ten times the write of a small file). An existing one, in this order: stale files
 * deleted, leftover temp files cleaned, emptied directories removed, each new or changed file renamed from
 * aside over its target (atomic: every file is old or new), manifest.json LAST (an interrupted run leaves the
 * old manifest, and a rerun heals), then the emptied aside folder removed.
 */
export async function commitStaged(outDir: string, staged: StagedSite): Promise<void> {
  const { label, fsync } = staged;
  const root = siteRoot(outDir, staged.site);
  const aside = asideRoot(outDir, staged.site);
  if (staged.whole) {
    if (staged.writes.length === 0) return;
    if (await lstatOrUndefined(root)) throw new WriterError(`refusing to write ${label}: it appeared while sitewire was compiling`);
    await guard(label, "create", () => rename(aside, root));
    if (fsync) await syncDir(dirname(root));
    return;
  }
  const dirs = new SiteDirs(root, label);
  await guard(label, "create", () => mkdir(root, { recursive: true }));
  await Promise.all(staged.remove.map((path) => guard(`${label}/${path}`, "remove", () => removeFile(dirs, path))));
  await cleanTempFiles(dirs, staged.planDirs);
  for (const dir of staged.pruneDirs) await removeDirIfEmpty(dirs, dir);

  const place = async (path: string) => {
    await dirs.ensure(parentOf(path), true);
    await rename(resolveInside(aside, path), dirs.abs(path));
  };
  const files = staged.writes.filter((p) => p !== MANIFEST_PATH);
  await Promise.all(files.map((path) => guard(`${label}/${path}`, "write", () => place(path))));
  if (fsync) await Promise.all([...new Set(files.map(parentOf))].map((d) => syncDir(dirs.abs(d))));
  if (staged.writes.includes(MANIFEST_PATH)) {
    await guard(`${label}/${MANIFEST_PATH}`, "write", () => place(MANIFEST_PATH));
    if (fsync) await syncDir(root);
  }
  if (staged.writes.length > 0) await guard(label, "clean", () => rm(aside, { recursive: true, force: true }));
}

/** Remove what stagePlan wrote aside: the run writes nothing after all. */
export async function discardStaged(outDir: string, staged: Pick<StagedSite, "site" | "label">): Promise<void> {
  await guard(staged.label, "clean", () => rm(asideRoot(outDir, staged.site), { recursive: true, force: true }));
}

/** Where a new site folder is built before it is renamed into place (the site name is already checked). */
function asideRoot(outDir: string, site: string): string {
  return join(dirname(siteRoot(outDir, site)), `.${site}${TMP_MARK.slice(0, -1)}`);
}

/** Write one file outside any site tree (e.g. schema/site.schema.json) atomically; false when already current. */
export async function writeFileIfChanged(path: string, content: string, mode = 0o644): Promise<boolean> {
  return guard(path, "write", async () => {
    try {
      const st = await lstat(path);
      if (st.isFile() && (st.mode & 0o7777) === mode && (await readFile(path, "utf8")) === content) return false;
    } catch (err) {
      if (errCode(err) !== "ENOENT") throw err;
    }
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, content, mode);
    return true;
  });
}

/** Write to a temp file beside the target, set its mode (flush it with `fsync`) and rename it over the target. */
export async function writeFileAtomic(path: string, content: string, mode: number, fsync = false): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}${TMP_MARK}${randomBytes(6).toString("hex")}`);
  try {
    await writeNewFile(tmp, content, mode, fsync);
  } catch (err) {
    // EEXIST: the temp name was taken, so nothing of ours is there to remove.
    if (errCode(err) !== "EEXIST") await rm(tmp, { force: true });
    throw err;
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

// --- helpers -------------------------------------------------------------------------------------------------

/** Create `path` (it must not exist) with `content` and exactly `mode`; flush it with `fsync`. */
async function writeNewFile(path: string, content: string, mode: number, fsync: boolean): Promise<void> {
  const handle = await open(path, "wx", mode);
  try {
    await handle.writeFile(content, "utf8");
    // open() applied the mode minus the umask; a chmod (a costly inode update) only when bits were masked.
    if ((mode & processUmask()) !== 0) await handle.chmod(mode);
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
}

let umask: number | undefined;
/** Read once: process.umask() without an argument is deprecated only because a read-modify-write races. */
function processUmask(): number {
  umask ??= process.umask();
  return umask;
}

/**
 * Directories of one site tree. Every directory between the site root and a file is checked to be a real
 * directory (not a symlink that could lead out of the tree) before anything is read, written or deleted in it.
 */
class SiteDirs {
  private readonly checked = new Map<string, Promise<boolean>>();

  constructor(
    readonly root: string,
    readonly label: string,
  ) {}

  abs(rel: string): string {
    return rel === "" ? this.root : resolveInside(this.root, rel);
  }

  /** Create (when `create`) and verify the chain of directories down to `rel`; false when it does not exist. */
  ensure(rel: string, create: boolean): Promise<boolean> {
    if (rel === "") return Promise.resolve(true);
    const key = `${create ? "+" : "?"}${rel}`;
    let result = this.checked.get(key);
    if (!result) {
      result = this.check(rel, create);
      this.checked.set(key, result);
    }
    return result;
  }

  private async check(rel: string, create: boolean): Promise<boolean> {
    const parent = parentOf(rel);
    if (!(await this.ensure(parent, create))) return false;
    const abs = this.abs(rel);
    let st = await lstatOrUndefined(abs);
    if (!st && create) {
      await mkdir(abs).catch((err: unknown) => {
        if (errCode(err) !== "EEXIST") throw err;
      });
      st = await lstat(abs);
    }
    if (!st) return false;
    if (st.isSymbolicLink() || !st.isDirectory()) {
      throw new WriterError(`refusing to use ${this.label}/${rel}: not a plain directory (symlink or file)`);
    }
    return true;
  }
}

async function removeFile(dirs: SiteDirs, path: string): Promise<void> {
  if (!(await dirs.ensure(parentOf(path), false))) return;
  await unlink(dirs.abs(path)).catch((err: unknown) => {
    if (errCode(err) !== "ENOENT") throw err;
  });
}

/** rmdir only succeeds on an empty directory, so nothing unmanaged can be lost here. */
async function removeDirIfEmpty(dirs: SiteDirs, dir: string): Promise<void> {
  try {
    if (!(await dirs.ensure(parentOf(dir), false))) return;
    const st = await lstatOrUndefined(dirs.abs(dir));
    if (st?.isDirectory()) await rmdir(dirs.abs(dir));
  } catch (err) {
    if (["ENOENT", "ENOTEMPTY", "EEXIST", "ENOTDIR"].includes(errCode(err) ?? "")) return;
    throw new WriterError(`cannot remove directory ${dirs.label}/${dir} (${describe(err)})`);
  }
}

/** Remove `.<name>.sitewire-tmp-*` files an interrupted run left in the directories this plan touches. */
async function cleanTempFiles(dirs: SiteDirs, rels: readonly string[]): Promise<void> {
  await Promise.all(
    rels.map(async (rel) => {
      // Not a plain directory (yet): nothing of ours to clean there; writing into it is refused later.
      if (!(await dirs.ensure(rel, false).catch(() => false))) return;
      const names = await readdir(dirs.abs(rel)).catch(() => [] as string[]);
      await Promise.all(
        names
          .filter((n) => TMP_FILE.test(n))
          .map(async (n) => {
            const abs = join(dirs.abs(rel), n);
            if ((await lstatOrUndefined(abs))?.isFile()) await rm(abs, { force: true });
          }),
      );
    }),
  );
}

/** Every directory holding a path of the plan (including stale ones already gone), and the site root. */
function planDirs(plan: WritePlan): string[] {
  const paths = [
    ...plan.create.map((w) => w.path),
    ...plan.update.map((w) => w.path),
    ...plan.unchanged,
    ...plan.remove.map((r) => r.path),
    ...plan.pruneDirs.map((d) => `${d}/x`),
  ];
  const dirs = new Set<string>([""]);
  for (const p of paths) for (const d of ancestorDirs(p)) dirs.add(d);
  return [...dirs].sort(compareStrings);
}

function parentOf(rel: string): string {
  const i = rel.lastIndexOf("/");
  return i < 0 ? "" : rel.slice(0, i);
}

async function syncDir(abs: string): Promise<void> {
  // Best effort: makes the renames durable where the platform allows fsync on a directory.
  try {
    const handle = await open(abs, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* not supported here (e.g. Windows); the rename itself is still atomic */
  }
}

async function lstatOrUndefined(abs: string) {
  try {
    return await lstat(abs);
  } catch (err) {
    if (errCode(err) === "ENOENT") return undefined;
    throw err;
  }
}

/** Run one file-system step; any failure becomes a WriterError naming the file and the OS reason. */
async function guard<T>(what: string, action: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof WriterError) throw err;
    throw new WriterError(`cannot ${action} ${what} (${describe(err)})`);
  }
}

function errCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined;
}

function describe(err: unknown): string {
  const code = errCode(err);
  const message = err instanceof Error ? err.message : String(err);
  // fs messages look like "EACCES: permission denied, open '/abs/path'": keep the reason, drop the path.
  const reason = message.replace(/^[A-Z]+: /, "").replace(/, \w+ '.*'$/, "");
  return code ? `${code}: ${reason}` : reason;
}
