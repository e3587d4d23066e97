/**
 * Judging one hostile input against its clean baseline: rejected with a diagnostic at the value's position, or
 * accepted with every artifact's structure unchanged (see test/readers/reader.ts), or a finding.
 */
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import type { Artifact } from "../../src/targets/target.js";
import { PLACEHOLDER_RE } from "../../src/model/values.js";
import { isSafeRelativePath } from "../../src/writer/paths.js";
import { overlaps, type Placement } from "./intent-fields.js";
import { structuresOf, type Structure } from "./syntax/index.js";

export type Outcome =
  | "rejected"
  | "inert"
  /** Rejected, but no error points at the hostile value. */
  | "misplaced"
  /** The compiler threw. */
  | "crash"
  /** A reader sees another statement, line, key, rule or command than in the baseline. */
  | "injection"
  /** An artifact holds a character some reader takes for a line break or control, or a reader refuses it. */
  | "unsafe"
  /** A secret placeholder appeared that no secret reference put there (`sitewire secrets` would fill it). */
  | "placeholder"
  /** An artifact path is not a plain relative path under out/<site>/. */
  | "path-escape";

export interface Verdict {
  readonly outcome: Outcome;
  readonly detail?: string;
}

export function judgeRejection(placement: Placement, diagnostics: readonly Diagnostic[]): Verdict {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const atValue = errors.some((d) => d.range && placement.ranges.some((r) => overlaps(d.range!, r)));
  if (atValue) return { outcome: "rejected" };
  const where = placement.ranges.map((r) => `${r.start.line}:${r.start.column}`).join(", ");
  return { outcome: "misplaced", detail: `value at ${where || "?"}; errors: ${errors.map((d) => `${d.code}@${d.range?.start.line}:${d.range?.start.column}`).join(", ")}` };
}

export interface Reading {
  readonly artifact: Artifact;
  readonly structure: Structure;
}

/** Each artifact with its structure (read in one batch). */
export async function readArtifacts(artifacts: readonly Artifact[]): Promise<Reading[]> {
  const structures = await structuresOf(artifacts);
  return artifacts.map((artifact, i) => ({ artifact, structure: structures[i]! }));
}

/**
 * An accepted variant. `exact`: only free text changed, so every artifact is at the same path and its full
 * structure must be identical. Otherwise a name or value changed: the multiset of artifact shapes must be.
 */
export function judgeAcceptance(baseline: readonly Reading[], variant: readonly Reading[], exact: boolean): Verdict {
  const escaped = variant.find((r) => !isSafeRelativePath(r.artifact.path) || r.artifact.path.split("/").includes(".."));
  if (escaped) return { outcome: "path-escape", detail: escaped.artifact.path };
  const unsafe = variant.find((r) => r.structure.problems.length > 0);
  if (unsafe) return { outcome: "unsafe", detail: `${unsafe.artifact.path}: ${unsafe.structure.problems.slice(0, 3).join("; ")}` };
  if (variant.length !== baseline.length) return { outcome: "injection", detail: `${variant.length} artifacts instead of ${baseline.length}` };

  const placeholders = (rs: readonly Reading[]) => rs.reduce((n, r) => n + (r.artifact.content.match(new RegExp(PLACEHOLDER_RE.source, "g"))?.length ?? 0), 0);
  if (placeholders(variant) !== placeholders(baseline))
    return { outcome: "placeholder", detail: `${placeholders(variant)} secret placeholders instead of ${placeholders(baseline)}` };

  return exact ? compareExact(baseline, variant) : compareShapes(baseline, variant);
}

function compareExact(baseline: readonly Reading[], variant: readonly Reading[]): Verdict {
  const byPath = new Map(baseline.map((r) => [r.artifact.path, r]));
  for (const v of variant) {
    const b = byPath.get(v.artifact.path);
    if (!b) return { outcome: "injection", detail: `new artifact ${v.artifact.path}` };
    // Fewer lines is fine (an empty description drops its comment line); more is not.
    const lines = (s: string) => s.split("\n").length;
    if (lines(v.artifact.content) > lines(b.artifact.content))
      return { outcome: "injection", detail: `${v.artifact.path}: ${lines(v.artifact.content)} lines instead of ${lines(b.artifact.content)}` };
    const diff = firstDifference(b.structure.full, v.structure.full);
    if (diff) return { outcome: "injection", detail: `${v.artifact.path}: ${diff}` };
  }
  return { outcome: "inert" };
}

function compareShapes(baseline: readonly Reading[], variant: readonly Reading[]): Verdict {
  const signature = (r: Reading) => `${r.artifact.kind}\n${[...r.structure.shape].sort().join("\n")}`;
  const expected = baseline.map(signature).sort();
  const actual = variant.map(signature).sort();
  for (let i = 0; i < expected.length; i++) {
    if (expected[i] === actual[i]) continue;
    const culprit = variant.find((r) => !expected.includes(signature(r)));
    const diff = culprit ? firstDifference(shapeOfKind(baseline, culprit), [...culprit.structure.shape].sort()) : "";
    return { outcome: "injection", detail: `${culprit?.artifact.path ?? "?"}: shape changed${diff ? `: ${diff}` : ""}` };
  }
  return { outcome: "inert" };
}

/** The sorted shape of the baseline artifact of the same kind closest in size, to explain a difference. */
function shapeOfKind(baseline: readonly Reading[], like: Reading): string[] {
  const same = baseline.filter((r) => r.artifact.kind === like.artifact.kind);
  same.sort((a, b) => Math.abs(a.structure.shape.length - like.structure.shape.length) - Math.abs(b.structure.shape.length - like.structure.shape.length));
  return [...(same[0]?.structure.shape ?? [])].sort();
}

function firstDifference(a: readonly string[], b: readonly string[]): string | undefined {
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (a[i] !== b[i]) return `#${i + 1}: expected ${JSON.stringify(a[i] ?? "(nothing)")}, got ${JSON.stringify(b[i] ?? "(nothing)")}`;
  return undefined;
}
