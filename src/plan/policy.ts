/**
 * Policy changes as a reviewer wants them: not "rule 3 was edited" but "this now allows more" (widened) or
 * "this now allows less" (narrowed), naming the rules responsible. Rules are compared as sets (./space.ts),
 * so reordering or splitting rules without changing what they allow is no change at all.
 */
import type { IntentPath } from "../intent/source.js";
import type { ChangeList } from "./change.js";
import { compareRules, type Rule } from "./space.js";

export interface PolicyView<T> {
  /** What the policy is, e.g. "forwarding" or "egress of payments (app=curl)". */
  readonly label: string;
  readonly rule: (t: T) => Rule;
  readonly describe: (t: T) => string;
  /** Where a rule of `after` is written; `removedAt` for rules that are gone. */
  readonly at: (t: T) => IntentPath;
  readonly removedAt: IntentPath;
  /** Identity of a rule as written; when given, rules rewritten without any effect are reported as such. */
  readonly key?: (t: T) => string;
}

export function comparePolicy<T>(list: ChangeList, before: readonly T[], after: readonly T[], view: PolicyView<T>): void {
  const result = compareRules(before.map(view.rule), after.map(view.rule));
  if (result.widened === undefined) {
    list.change("policy", `${view.label} changed (too many rules to tell whether it allows more or less)`, view.removedAt, { attention: true });
    return;
  }
  for (const { index, partly } of result.widenedBy) {
    const rule = after[index]!;
    const what = `${partly ? "allows more of" : "allows"} ${view.describe(rule)}`;
    list.change("policy", `${view.label} widened: ${what}`, view.at(rule), { effect: "widened", attention: true });
  }
  for (const { index, partly } of result.narrowedBy) {
    const rule = before[index]!;
    const what = `${partly ? "allows less of" : "no longer allows"} ${view.describe(rule)}`;
    list.change("policy", `${view.label} narrowed: ${what}`, view.removedAt, { effect: "narrowed" });
  }
  if (view.key && !result.widened && !result.narrowed) {
    const a = new Set(before.map(view.key));
    const b = new Set(after.map(view.key));
    if (a.size !== b.size || [...a].some((k) => !b.has(k))) list.change("policy", `${view.label} rules rewritten; what they allow is unchanged`, view.removedAt);
  }
}
