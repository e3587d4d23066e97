/**
 * Which site files a revision holds for the patterns the user gave, by the same rules as the working tree
 * (src/cli/inputs.ts): a file is itself, a directory means its *.yaml, anything else is a glob. A pattern that
 * matches nothing at the revision is not an error (the site may be new); the caller decides.
 */
import { isDynamicPattern } from "globby";
import { globToRegExp } from "./glob.js";
import type { Revision } from "./revision.js";

const YAML_CHILD = /^[^/.][^/]*\.yaml$/;

export function expandAtRevision(patterns: readonly string[], rev: Revision): { files: string[]; unmatched: string[] } {
  const all = rev.files();
  const found = patterns.map((pattern) => expandOne(pattern.replace(/\\/g, "/"), rev, all));
  return {
    files: [...new Set(found.flat())].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    unmatched: patterns.filter((_, i) => found[i]!.length === 0),
  };
}

function expandOne(pattern: string, rev: Revision, all: readonly string[]): string[] {
  const plain = pattern.replace(/^\.\//, "").replace(/\/+$/, "");
  const entry = rev.entry(plain);
  if (entry) return entry.type === "blob" && entry.mode !== 0o120000 ? [plain] : [];
  if (rev.isDirectory(plain)) {
    const dir = plain === "" || plain === "." ? "" : `${plain}/`;
    return all.filter((f) => f.startsWith(dir) && YAML_CHILD.test(f.slice(dir.length)));
  }
  if (!isDynamicPattern(pattern)) return [];
  const re = globToRegExp(plain);
  return all.filter((f) => re.test(f));
}
