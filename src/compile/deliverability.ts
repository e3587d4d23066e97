/**
 * The post-emit check: every declared flow and tunnel route, walked by the explain engine through the site's
 * own artifacts (src/explain/walks.ts), judged by rule SW170 (src/rules/flow-deliverable.ts). It runs after the
 * emitters because the engine reads what would be deployed (sitewire's iptables chains, the NetworkPolicies,
 * ip-masq-agent's chain, the routes and SAs as rendered), and before anything is written: compileSource drops
 * the artifacts of a site it finds an error in, so `compile` writes nothing, `check` and `diff` fail, like for any
 * other error. `validate` stops before the emitters and so does not run it.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { SiteWalk } from "../explain/walks.js";
import { flowDeliverable } from "../rules/flow-deliverable.js";
import { runRules, type RuleContext } from "../rules/rule.js";
import type { DeliveryWalk } from "../rules/support/delivery.js";

export function checkDelivery(ctx: Omit<RuleContext, "delivery">, walks: readonly SiteWalk[]): Diagnostic[] {
  return runRules([flowDeliverable], { ...ctx, delivery: walks.map(toDelivery) });
}

/** The engine's walk as the rule reads it: the path and where it dies, as `sitewire explain` prints them. */
export function toDelivery(w: SiteWalk): DeliveryWalk {
  const p = w.path;
  const path = `${p.from} → ${p.to}${p.service ? ` ${p.service.text}` : ""}`;
  const v = p.verdict;
  if (v.delivered) return { subject: w.subject, path, question: w.question };
  const hop = p.hops.find((h) => h.n === v.hop);
  const at = hop ? `${hop.kind} ${hop.at}` : "?";
  const direction = hop?.direction ?? "forward";
  return { subject: w.subject, path, question: w.question, drop: { hop: v.hop, direction, at, reason: v.reason, hint: v.hint } };
}
