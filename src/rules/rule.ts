/**
 * A meaning rule: one file, one stable code, message ids with templates, and valid/invalid fixtures in a
 * test beside it (the typescript-eslint pattern). Rules read the shape-valid intent (for positions) and the
 * resolved model (for meaning); they never throw and never see YAML.
 */
import type { DiagnosticCode } from "../diagnostics/codes.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SiteIntent } from "../intent/schema.js";
import type { IntentPath, SourceFile } from "../intent/source.js";
import { Reporter } from "../model/report.js";
import type { SiteModel } from "../model/types.js";
import type { PlatformDeclaration } from "../platform/contract.js";
import type { DeliveryWalk } from "./support/delivery.js";

export interface RuleContext {
  readonly source: SourceFile;
  readonly intent: SiteIntent;
  readonly model: SiteModel;
  readonly strict: boolean;
  /** The far-side device platforms' declarations (src/targets/platforms.ts), handed in by the pipeline: rules read this data and never import target code. */
  readonly platforms: readonly PlatformDeclaration[];
  /**
   * The explain engine's walk of every flow and tunnel route (./support/delivery.ts). Only the post-emit check
   * (src/compile/deliverability.ts) hands it in; before the emitters there is nothing to walk.
   */
  readonly delivery?: readonly DeliveryWalk[];
}

export type Data = Readonly<Record<string, string | number>>;

export interface Rule<Id extends string = string> {
  readonly code: DiagnosticCode;
  /** kebab-case, also the file name. */
  readonly name: string;
  readonly description: string;
  /** Warnings that `--strict` turns into errors (weak crypto and the like). */
  readonly severity: "error" | "warning";
  readonly messages: Readonly<Record<Id, string>>;
  check(ctx: RuleContext, report: Report<Id>): void;
}

export type Report<Id extends string> = (
  messageId: Id,
  path: IntentPath,
  data?: Data,
  options?: {
    readonly at?: "key" | "value";
    readonly hint?: string;
    readonly redact?: boolean;
    /** "note": accepted by the intent (e.g. `allowWeak`): shown, never an error, also not under --strict. */
    readonly severity?: "note";
    /** What replaces the reported value (or key): the hint's one suggestion, offered by editors as a quick fix. */
    readonly fix?: string;
  },
) => void;

export function defineRule<Id extends string>(rule: Rule<Id>): Rule<Id> {
  return rule;
}

/** Run rules; `{{name}}` placeholders in message templates are filled from `data`. */
export function runRules(rules: readonly Rule[], ctx: RuleContext): Diagnostic[] {
  const reporter = new Reporter(ctx.source);
  for (const rule of rules) {
    const severity = rule.severity === "warning" && ctx.strict ? "error" : rule.severity;
    rule.check(ctx, (id, path, data = {}, options = {}) => {
      reporter.report(rule.code, path, fill(rule.messages[id] ?? id, data), { ...options, severity: options.severity ?? severity });
    });
  }
  return reporter.diagnostics;
}

function fill(template: string, data: Data): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => (k in data ? String(data[k]) : `{{${k}}}`));
}
