/**
 * What a reviewer reads before the diffs: one Change per meaningful difference between two site models,
 * attached to the host, device, cluster or site it lands on, and to the place in the intent it comes from.
 */
import type { IntentPath } from "../intent/source.js";

export type SubjectKind = "site" | "host" | "device" | "cluster";

export interface Subject {
  readonly kind: SubjectKind;
  readonly name: string;
}

export type Action = "add" | "remove" | "change";

/** Stable names for bots (`--format json`): what kind of thing changed. */
export type Category =
  | "site"
  | "network"
  | "flow"
  | "host"
  | "device"
  | "address"
  | "tunnel"
  | "proposals"
  | "crypto"
  | "secret"
  | "route"
  | "policy"
  | "nat"
  | "link"
  | "failover"
  | "masquerade"
  | "mesh"
  | "dns"
  | "bgp";

export interface Change {
  readonly subject: Subject;
  readonly action: Action;
  readonly category: Category;
  /** One line for people, without the +/-/~ marker. */
  readonly text: string;
  /** For policies: does the change allow more, less, or some of each? */
  readonly effect?: "widened" | "narrowed";
  /** Deserves a reviewer's attention (a policy allows more, a tunnel or host goes away). */
  readonly attention?: boolean;
  /** Where in the intent the change is written (for removals: the nearest thing still there). */
  readonly at: IntentPath;
}

export const SUBJECT_ORDER: Readonly<Record<SubjectKind, number>> = { site: 0, host: 1, device: 2, cluster: 3 };

export function subjectKey(s: Subject): string {
  return `${SUBJECT_ORDER[s.kind]}\u0000${s.name}`;
}

/** Collects changes for one subject with little ceremony. */
export class ChangeList {
  readonly items: Change[] = [];
  constructor(private readonly subject: Subject) {}

  add(category: Category, text: string, at: IntentPath, extra: Partial<Pick<Change, "effect" | "attention">> = {}): void {
    this.items.push({ subject: this.subject, action: "add", category, text, at, ...extra });
  }
  remove(category: Category, text: string, at: IntentPath, extra: Partial<Pick<Change, "effect" | "attention">> = {}): void {
    this.items.push({ subject: this.subject, action: "remove", category, text, at, ...extra });
  }
  change(category: Category, text: string, at: IntentPath, extra: Partial<Pick<Change, "effect" | "attention">> = {}): void {
    this.items.push({ subject: this.subject, action: "change", category, text, at, ...extra });
  }

  /** `label: before → after` when the two differ (as printed). */
  field(category: Category, label: string, before: unknown, after: unknown, at: IntentPath): void {
    const a = show(before);
    const b = show(after);
    if (a !== b) this.change(category, `${label}: ${a} → ${b}`, at);
  }

  /** One add/remove change per element only on one side, by key. */
  sets<T>(category: Category, before: readonly T[], after: readonly T[], key: (t: T) => string, text: (t: T) => string, at: (t: T) => IntentPath): void {
    const beforeKeys = new Set(before.map(key));
    const afterKeys = new Set(after.map(key));
    for (const t of before) if (!afterKeys.has(key(t))) this.remove(category, text(t), at(t));
    for (const t of after) if (!beforeKeys.has(key(t))) this.add(category, text(t), at(t));
  }
}

/** How a value is shown in `before → after`. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return "(none)";
  if (Array.isArray(value)) return value.length === 0 ? "(none)" : value.map(show).join(", ");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Elements of two lists paired by name, in name order; either side may be missing. */
export function byName<T extends { readonly name: string }>(before: readonly T[], after: readonly T[]): [string, T | undefined, T | undefined][] {
  const old = new Map(before.map((t) => [t.name, t]));
  const now = new Map(after.map((t) => [t.name, t]));
  return [...new Set([...old.keys(), ...now.keys()])].sort().map((name) => [name, old.get(name), now.get(name)]);
}
