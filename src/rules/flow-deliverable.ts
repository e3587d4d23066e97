import type { IntentPath } from "../intent/source.js";
import { defineRule } from "./rule.js";
import type { DeliveryWalk } from "./support/delivery.js";
import { refPaths } from "./support/intent-paths.js";

/**
 * Every declared flow must be deliverable, and every tunnel route. The explain engine (src/explain) walks each
 * flow from each source to each destination, the pods the cluster's egress allowlists send to a flow's
 * destinations, and each tunnel route both ways, hop by hop through what would be deployed (NetworkPolicies,
 * ip-masq-agent, routes and rules, SITEWIRE-FORWARD and SITEWIRE-POSTROUTING, the SAs' marks and selectors, the
 * far side's routes back); a path some layer drops is an error at the flow (or at the tunnel's route), naming
 * the hop and the engine's reason and hint. The walk needs the rendered artifacts, so the pipeline hands them in
 * after the emitters (RuleContext.delivery, src/compile/deliverability.ts) and before anything is written;
 * without them (validate, and the meaning checks before emit) the rule has nothing to judge.
 */
export const flowDeliverable = defineRule({
  code: "SW170",
  name: "flow-deliverable",
  description:
    "Reports a declared flow or tunnel route that some layer drops on the way there or back (no route back, the wrong source after masquerading, a NetworkPolicy without it, IPsec selectors that exclude it, a far-side route missing), as the explain engine walks it through the compiled site.",
  severity: "error",
  messages: {
    flow: "flow '{{flow}}' is not deliverable: {{path}} is dropped at hop {{hop}} ({{direction}}, {{at}}): {{reason}}{{more}}",
    tunnelRoute: "tunnel '{{tunnel}}' routes {{prefix}} but does not deliver to it: {{path}} is dropped at hop {{hop}} ({{direction}}, {{at}}): {{reason}}{{more}}",
  },
  check({ source, intent, delivery }, report) {
    if (!delivery) return;
    // One diagnostic per flow, and per route of a tunnel (each a line of the intent): its first dropped path.
    const groups = new Map<string, { path: IntentPath; walks: DeliveryWalk[] }>();
    for (const w of delivery) {
      const s = w.subject;
      const key = s.kind === "flow" ? `flow ${s.flow}` : `tunnel ${s.tunnel} ${s.side} ${s.prefix.cidr}`;
      let group = groups.get(key);
      if (!group) {
        const path: IntentPath =
          s.kind === "flow"
            ? ["flows", s.flow]
            : (refPaths(intent.tunnels?.[s.tunnel]?.routes?.[s.side], [s.prefix], ["tunnels", s.tunnel, "routes", s.side])[0]?.path ?? ["tunnels", s.tunnel, "routes", s.side]);
        group = { path, walks: [] };
        groups.set(key, group);
      }
      group.walks.push(w);
    }
    for (const { path, walks } of groups.values()) {
      const dropped = walks.filter((w) => w.drop);
      const first = dropped[0];
      if (!first?.drop) continue;
      const s = first.subject;
      const d = first.drop;
      const more = walks.length === 1 ? "" : dropped.length === walks.length ? ` (all ${walks.length} of its paths are dropped)` : ` (${dropped.length} of its ${walks.length} paths ${dropped.length === 1 ? "is" : "are"} dropped)`;
      const data = { path: first.path, hop: d.hop, direction: d.direction, at: d.at, reason: d.reason, more };
      const hint = `${d.hint}; every hop: sitewire explain ${source.path} ${first.question}`;
      if (s.kind === "flow") report("flow", path, { flow: s.flow, ...data }, { at: "key", hint });
      else report("tunnelRoute", path, { tunnel: s.tunnel, prefix: s.prefix.name ? `${s.prefix.name} (${s.prefix.cidr})` : s.prefix.cidr, ...data }, { hint });
    }
  },
});
