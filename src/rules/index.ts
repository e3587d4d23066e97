/** The meaning checks, in one list. Adding a rule: a file in this folder, its test beside it, one line here. */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { COMPAT_RULES } from "./compat/index.js";
import { runRules, type Rule, type RuleContext } from "./rule.js";
import { siteName } from "./site-name.js";

export const RULES: readonly Rule[] = [siteName, ...COMPAT_RULES];

export function checkMeaning(ctx: RuleContext): Diagnostic[] {
  return runRules(RULES, ctx);
}
