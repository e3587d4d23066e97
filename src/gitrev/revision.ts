/**
 * The files of one git revision, read with plumbing only: `git rev-parse` finds the work tree and the commit,
 * `git ls-tree -r -z` lists the revision's files once, `git cat-file --batch` reads the ones asked for in a
 * single process. Nothing is checked out and nothing in the repository or the user's tree changes.
 *
 * Paths in and out are relative to the working directory and '/'-separated (the form the CLI uses), so
 * `sites/x.yaml` means the same file in the revision as in the working tree, even from a subdirectory.
 */
import { posix } from "node:path";
import { git, GitError } from "./git.js";

export interface RevisionEntry {
  /** git's mode: 0o100644, 0o100755, 0o120000 (symlink), 0o160000 (submodule). */
  readonly mode: number;
  readonly type: "blob" | "commit";
  readonly oid: string;
}

export class Revision {
  private constructor(
    /** The revision as the user named it. */
    readonly ref: string,
    /** Its full commit id. */
    readonly commit: string,
    /** Top of the work tree (absolute). */
    readonly root: string,
    /** The working directory inside the work tree: "" at the top, else "dir/sub/". */
    readonly prefix: string,
    private readonly entries: ReadonlyMap<string, RevisionEntry>,
    private readonly dirs: ReadonlySet<string>,
  ) {}

  static async open(ref: string, cwd: string): Promise<Revision> {
    if (ref === "" || ref.startsWith("-") || /[\u0000-\u001f\u007f]/.test(ref)) throw new GitError(`not a revision: ${JSON.stringify(ref)}`);
    const where = await git(["rev-parse", "--show-toplevel", "--show-prefix"], { cwd }).catch((err: unknown) => {
      throw err instanceof GitError && /not a git repository/i.test(err.message) ? new GitError(`${cwd} is not inside a git work tree`) : err;
    });
    const [root = "", prefix = ""] = where.toString("utf8").split("\n");
    const commit = (
      await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { cwd }).catch(() => {
        throw new GitError(`unknown revision '${ref}' (is it fetched? CI checkouts are often shallow: fetch it or use fetch-depth: 0)`);
      })
    )
      .toString("utf8")
      .trim();
    const { entries, dirs } = parseLsTree(await git(["ls-tree", "-r", "-z", "--full-tree", commit], { cwd }));
    return new Revision(ref, commit, root, prefix, entries, dirs);
  }

  /** The commit id shortened for people (git's default 7 characters is enough for messages). */
  get short(): string {
    return this.commit.slice(0, 12);
  }

  /** Path from the top of the work tree, or undefined when `path` leaves it. */
  repoPath(path: string): string | undefined {
    const joined = posix.normalize(posix.join(this.prefix, path));
    if (joined === ".") return "";
    return joined === ".." || joined.startsWith("../") || posix.isAbsolute(joined) ? undefined : joined.replace(/\/$/, "");
  }

  entry(path: string): RevisionEntry | undefined {
    const p = this.repoPath(path);
    return p === undefined ? undefined : this.entries.get(p);
  }

  isDirectory(path: string): boolean {
    const p = this.repoPath(path);
    return p !== undefined && (p === "" || this.dirs.has(p));
  }

  /** Every regular file (blob, not symlink) at or below the working directory, relative to it, sorted. */
  files(): string[] {
    const out: string[] = [];
    for (const [path, e] of this.entries) {
      if (e.type === "blob" && e.mode !== 0o120000 && path.startsWith(this.prefix)) out.push(path.slice(this.prefix.length));
    }
    return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Contents of regular files, in one `git cat-file --batch`; paths that are not regular files map to undefined. */
  async read(paths: readonly string[]): Promise<Map<string, Buffer | undefined>> {
    const result = new Map<string, Buffer | undefined>();
    const wanted: [string, string][] = [];
    for (const path of new Set(paths)) {
      const e = this.entry(path);
      if (e?.type === "blob" && e.mode !== 0o120000) wanted.push([path, e.oid]);
      else result.set(path, undefined);
    }
    if (wanted.length === 0) return result;
    const out = await git(["cat-file", "--batch"], { cwd: this.root, input: wanted.map(([, oid]) => `${oid}\n`).join("") });
    const blobs = parseBatch(out);
    for (const [path, oid] of wanted) result.set(path, blobs.get(oid));
    return result;
  }
}

/** `<mode> SP <type> SP <oid> TAB <path> NUL`, repeated (git-ls-tree(1), "OUTPUT FORMAT"). */
function parseLsTree(out: Buffer): { entries: Map<string, RevisionEntry>; dirs: Set<string> } {
  const entries = new Map<string, RevisionEntry>();
  const dirs = new Set<string>();
  for (const record of out.toString("utf8").split("\0")) {
    if (record === "") continue;
    const tab = record.indexOf("\t");
    const [mode = "", type = "", oid = ""] = record.slice(0, tab).split(" ");
    const path = record.slice(tab + 1);
    if (type !== "blob" && type !== "commit") continue;
    entries.set(path, { mode: parseInt(mode, 8), type, oid });
    for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) dirs.add(path.slice(0, i));
  }
  return { entries, dirs };
}

/** `<oid> SP <type> SP <size> LF <contents> LF`, or `<oid> SP missing LF` (git-cat-file(1), "BATCH OUTPUT"). */
function parseBatch(out: Buffer): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) break;
    const [oid = "", type = "", size = ""] = out.subarray(at, eol).toString("utf8").split(" ");
    at = eol + 1;
    if (type === "missing" || size === "") continue;
    const length = Number(size);
    if (type === "blob") blobs.set(oid, out.subarray(at, at + length));
    at += length + 1;
  }
  return blobs;
}
