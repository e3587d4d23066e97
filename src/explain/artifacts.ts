/** Finding the line of a rendered artifact that decides a hop, and the intent line that caused it. */
import type { Artifact } from "../targets/target.js";
import { locate, type IntentPath, type SourceFile } from "../intent/source.js";
import type { ArtifactCite, IntentCite } from "./types.js";

export class ArtifactIndex {
  private readonly lines = new Map<string, readonly string[]>();

  constructor(artifacts: readonly Artifact[]) {
    for (const a of artifacts) this.lines.set(a.path, a.content.split("\n"));
  }

  private readonly memos = new Map<string, unknown>();
  private sorted: string[] | undefined;

  /**
   * What `compute` reads from the artifacts, computed once per key: the walk reads the same chains and policies
   * at every hop, and the deliverability check walks every flow on one index.
   */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  has(path: string): boolean {
    return this.lines.has(path);
  }

  /** Every artifact path, sorted (a fresh array: callers may sort or filter it). */
  paths(): string[] {
    this.sorted ??= [...this.lines.keys()].sort();
    return [...this.sorted];
  }

  text(path: string): readonly string[] {
    return this.lines.get(path) ?? [];
  }

  /** The first line of `path` (from line `after`, 1-based, exclusive) for which `test` holds. */
  find(path: string, test: (line: string) => boolean, after = 0): ArtifactCite | undefined {
    const lines = this.lines.get(path);
    if (!lines) return undefined;
    for (let i = after; i < lines.length; i++) if (test(lines[i]!)) return { path, line: i + 1, text: lines[i]!.trim() };
    return undefined;
  }

  /** The first line of any artifact whose path starts with `prefix` for which `test` holds. */
  findUnder(prefix: string, test: (line: string) => boolean): ArtifactCite | undefined {
    this.sorted ??= [...this.lines.keys()].sort();
    for (const path of this.sorted) {
      if (!path.startsWith(prefix)) continue;
      const hit = this.find(path, test);
      if (hit) return hit;
    }
    return undefined;
  }
}

/** Where the intent says something: the key of `path` (or its deepest existing ancestor). */
export function intentAt(source: SourceFile | undefined, path: IntentPath): IntentCite | undefined {
  if (!source) return undefined;
  // A value the intent leaves to its default is cited at the deepest key it does write.
  let written = [...path];
  while (written.length > 0 && !source.doc.hasIn(written)) written = written.slice(0, -1);
  const range = locate(source, written, "key");
  return { file: source.path, line: range.start.line, key: written.join(".") };
}

/** Where a model value came from, by its `origin` ("flow partner-api", "tunnel vpn1", "route 2"…). */
export function originPath(origin: string, host: string): IntentPath {
  const [kind, ...rest] = origin.split(" ");
  const name = rest.join(" ");
  if (kind === "flow") return ["flows", name];
  if (kind === "tunnel") return ["tunnels", name, "routes"];
  if (kind === "link") return ["links", name];
  return ["hosts", host, "routes"];
}
