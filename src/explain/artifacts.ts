/** Finding the line of a rendered artifact that decides a hop, and the intent line that caused it. */
import type { Artifact } from "../targets/target.js";
import { locate, type IntentPath, type SourceFile } from "../intent/source.js";
import type { ArtifactCite, IntentCite } from "./types.js";
import { lowerBound } from "../model/sorted.js";

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
    for (let i = after; i < lines.length; i++) {
      if (test(lines[i]!)) {
        ArtifactIndex.examined += i - after + 1;
        return { path, line: i + 1, text: lines[i]!.trim() };
      }
    }
    ArtifactIndex.examined += Math.max(0, lines.length - after);
    return undefined;
  }

  /** The first line of any artifact whose path starts with `prefix` for which `test` holds (in path order). */
  findUnder(prefix: string, test: (line: string) => boolean): ArtifactCite | undefined {
    for (const path of this.under(prefix)) {
      const hit = this.find(path, test);
      if (hit) return hit;
    }
    return undefined;
  }

  /** The artifact paths that start with `prefix`, sorted (found by bisection, once per prefix). */
  under(prefix: string): readonly string[] {
    return this.memo(`under ${prefix}`, () => {
      this.sorted ??= [...this.lines.keys()].sort();
      const all = this.sorted;
      const out: string[] = [];
      for (let i = lowerBound(all.length, (k) => all[k]! < prefix); i < all.length && all[i]!.startsWith(prefix); i++) out.push(all[i]!);
      return out;
    });
  }

  /**
   * The first line of `path` (from line `after`, 1-based, exclusive) whose trimmed text starts with `prefix` and,
   * when given, for which `test` holds (of the untrimmed line): what `find(path, (l) => l.trim().startsWith(prefix)
   * && test(l), after)` answers, without reading every line. The lines are sorted by their trimmed text once per
   * file, and the lines of each prefix asked collected once (issue 18: a gateway's tunnel script and swanctl.conf
   * hold a few lines per tunnel, and the walk cites one of them per hop).
   */
  findStarting(path: string, prefix: string, after = 0, test?: (line: string) => boolean): ArtifactCite | undefined {
    const lines = this.lines.get(path);
    if (!lines) return undefined;
    const hits = this.starting(path, prefix);
    for (let k = lowerBound(hits.length, (j) => hits[j]! < after); k < hits.length; k++) {
      const i = hits[k]!;
      if (!test || test(lines[i]!)) return { path, line: i + 1, text: lines[i]!.trim() };
    }
    return undefined;
  }

  /**
   * The first line of any artifact under `prefix` (in path order) that has `token` as one of its words (split at
   * single spaces) and for which `test` holds: what `findUnder(prefix, test)` answers when `test` only holds for
   * lines with that word (`l.includes(\`neighbor ${address} \`)`, `l.endsWith(\` permit ${cidr}\`)`). The words
   * of each file are indexed once.
   */
  findToken(prefix: string, token: string, test: (line: string) => boolean): ArtifactCite | undefined {
    for (const path of this.under(prefix)) {
      const lines = this.lines.get(path)!;
      const words = this.memo(`words ${path}`, () => {
        const map = new Map<string, number[]>();
        lines.forEach((l, i) => {
          for (const w of new Set(l.split(" "))) {
            const list = map.get(w);
            if (list) list.push(i);
            else map.set(w, [i]);
          }
        });
        return map;
      });
      for (const i of words.get(token) ?? []) {
        ArtifactIndex.examined++;
        if (test(lines[i]!)) return { path, line: i + 1, text: lines[i]!.trim() };
      }
    }
    return undefined;
  }

  /** `findStarting` for a whole trimmed line: the first line (after `after`) whose trimmed text is `text`. */
  findTrimmed(path: string, text: string, after = 0): ArtifactCite | undefined {
    return this.findStarting(path, text, after, (l) => l.trim() === text);
  }

  /** How many lines the searches have looked at, all indices together (the complexity test counts them). */
  static examined = 0;

  /** The 0-based indices of the lines of `path` whose trimmed text starts with `prefix`, ascending. */
  private starting(path: string, prefix: string): readonly number[] {
    return this.memo(`starting ${path}\0${prefix}`, () => {
      const sorted = this.memo(`sorted ${path}`, () => {
        const lines = this.text(path);
        const trimmed = lines.map((l) => l.trim());
        const order = lines.map((_, i) => i).sort((a, b) => (trimmed[a]! < trimmed[b]! ? -1 : trimmed[a]! > trimmed[b]! ? 1 : a - b));
        return { trimmed, order };
      });
      const { trimmed, order } = sorted;
      const out: number[] = [];
      for (let k = lowerBound(order.length, (j) => trimmed[order[j]!]! < prefix); k < order.length && trimmed[order[k]!]!.startsWith(prefix); k++) out.push(order[k]!);
      ArtifactIndex.examined += out.length;
      return out.sort((a, b) => a - b);
    });
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
