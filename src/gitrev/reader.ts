/**
 * A TreeReader (src/writer/read.ts) over a site's output tree as committed at a revision: what `out/<site>/`
 * held at that commit, read without a checkout. All of the site's files are fetched in one `git cat-file`
 * the first time any is asked for.
 */
import { posix } from "node:path";
import type { DiskEntry } from "../writer/plan.js";
import type { TreeReader } from "../writer/read.js";
import type { Revision } from "./revision.js";

/** `outDir` is relative to the working directory, like the CLI's --out. */
export function revisionReader(rev: Revision, outDir: string, site: string, label: string): TreeReader {
  const root = posix.join(outDir.replace(/\\/g, "/"), site);
  let contents: Promise<Map<string, Buffer | undefined>> | undefined;
  const load = () => (contents ??= rev.read(rev.files().filter((f) => f.startsWith(`${root}/`))));
  return {
    label,
    async read(path: string): Promise<DiskEntry | undefined> {
      const full = `${root}/${path}`;
      const entry = rev.entry(full);
      if (entry === undefined) {
        if (rev.isDirectory(full)) return { type: "other" };
        const parents = path.split("/").slice(0, -1).map((_, i, parts) => `${root}/${parts.slice(0, i + 1).join("/")}`);
        return parents.some((p) => rev.entry(p) !== undefined) ? { type: "blocked" } : undefined;
      }
      if (entry.type !== "blob" || entry.mode === 0o120000) return { type: "other" };
      const content = (await load()).get(full);
      if (content === undefined) return { type: "other" };
      // git records only the executable bit.
      return { type: "file", content: content.toString("utf8"), mode: entry.mode & 0o111 ? 0o755 : 0o644 };
    },
  };
}
