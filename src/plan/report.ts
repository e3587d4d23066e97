/**
 * A site's plan as the reviewer reads it: the semantic changes per host, device, cluster and site, each with
 * the output files that change there. Text for terminals and CI logs; JSON is the same data.
 */
import { escapeControlChars } from "../diagnostics/format.js";
import { subjectKey, type Change, type Subject } from "./change.js";

export type FileChange = "added" | "removed" | "modified" | "mode";

export interface PlannedFile {
  /** Relative to out/<site>/. */
  readonly path: string;
  readonly change: FileChange;
  readonly subject: Subject;
}

export interface SitePlan {
  readonly site: string;
  /** The intent file now and at the base revision. */
  readonly file?: string;
  readonly baseFile?: string;
  readonly status: "added" | "removed" | "changed" | "unchanged";
  /**
   * What the comparison started from: the intent compiled at the base revision, the output tree committed
   * there (when the base intent does not compile today: no semantic changes then), or nothing (a new site).
   */
  readonly baseline: "compiled" | "committed" | "none";
  readonly changes: readonly Change[];
  readonly files: readonly PlannedFile[];
}

export type PlanStyle = "add" | "remove" | "change" | "attention" | "heading" | "dim";

const MARK: Readonly<Record<Change["action"], string>> = { add: "+", remove: "-", change: "~" };
const FILE_MARK: Readonly<Record<FileChange, string>> = { added: "+", removed: "-", modified: "~", mode: "~" };

export const PLAN_LEGEND = "+ added   - removed   ~ changed   ! allows more, or takes something away: read carefully";

export function planText(plans: readonly SitePlan[], style: (s: PlanStyle, text: string) => string = (_s, t) => t): string {
  return plans.map((p) => sitePlanText(p, style)).join("");
}

function sitePlanText(plan: SitePlan, style: (s: PlanStyle, text: string) => string): string {
  const lines: string[] = [style("heading", `${plan.site} (${plan.file ?? plan.baseFile ?? "?"}): ${headline(plan)}`)];
  if (plan.baseline === "committed")
    lines.push(style("dim", `  note: the intent at the base revision does not compile with this sitewire; compared with the out/ committed there, without a semantic summary`));
  const subjects = new Map<string, { subject: Subject; changes: Change[]; files: PlannedFile[] }>();
  const entry = (s: Subject) => {
    const key = subjectKey(s);
    let e = subjects.get(key);
    if (!e) subjects.set(key, (e = { subject: s, changes: [], files: [] }));
    return e;
  };
  for (const c of plan.changes) entry(c.subject).changes.push(c);
  for (const f of plan.files) entry(f.subject).files.push(f);
  // Site-wide changes (networks, flows) lead; site files alone (README, manifest) trail.
  const order = (key: string) => (subjects.get(key)!.subject.kind === "site" && subjects.get(key)!.changes.length === 0 ? `~${key}` : key);
  for (const key of [...subjects.keys()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0))) {
    const { subject, changes, files } = subjects.get(key)!;
    lines.push(`  ${subject.kind === "site" ? "site" : `${subject.kind} ${subject.name}`}`);
    for (const c of changes) {
      const mark = c.attention ? "!" : MARK[c.action];
      lines.push(`    ${style(c.attention ? "attention" : c.action, `${mark} ${escapeControlChars(c.text)}`)}`);
    }
    for (const f of files) lines.push(style("dim", `      ${FILE_MARK[f.change]} ${shownPath(f)}${f.change === "mode" ? " (mode)" : ""}`));
  }
  return lines.join("\n") + "\n";
}

function headline(plan: SitePlan): string {
  const counts = `${plural(plan.changes.length, "change")}, ${plural(plan.files.length, "file")}`;
  switch (plan.status) {
    case "unchanged":
      return "no changes";
    case "added":
      return `new site (${counts})`;
    case "removed":
      return `site removed (${counts})`;
    case "changed":
      return counts;
  }
}

/** Host files as the path they get on the host; everything else relative to out/<site>/. */
function shownPath(f: PlannedFile): string {
  const host = f.subject.kind === "host" ? `hosts/${f.subject.name}/` : undefined;
  return host && f.path.startsWith(host) ? `/${f.path.slice(host.length)}` : f.path;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
