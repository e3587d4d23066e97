import { defineRule } from "./rule.js";
import { valueAt } from "./support/intent-paths.js";

/** Settings only a route-based tunnel has: the vti device, its key/mark, its table and rule, its inside addresses and their monitoring. */
const VTI_ONLY = ["inside", "key", "device", "table", "rulePriority", "monitor"] as const;

/**
 * A setting that cannot take effect is a mistake the user should hear about: the resolver ignores the vti
 * settings of a policy-based tunnel, and IKEv2 has no aggressive mode.
 */
export const inapplicableSettings = defineRule({
  code: "SW120",
  name: "inapplicable-settings",
  description:
    "Policy-based tunnels set none of the route-based settings (inside, key, device, table, rulePriority, monitor), and IKEv2 tunnels do not set aggressive mode.",
  severity: "error",
  messages: {
    vtiOnly: "{{setting}} only applies to route-based tunnels; tunnel '{{tunnel}}' is policy-based (kind: ipsec-policy)",
    aggressiveV2: "aggressive mode exists only in IKEv1; tunnel '{{tunnel}}' uses IKEv2",
  },
  check({ intent, model }, report) {
    for (const t of model.tunnels) {
      const path = ["tunnels", t.name];
      if (t.kind === "ipsec-policy")
        for (const setting of VTI_ONLY)
          if (valueAt(intent, [...path, setting]) !== undefined)
            report("vtiOnly", [...path, setting], { setting, tunnel: t.name }, { at: "key", hint: "remove it, or make the tunnel route-based (kind: ipsec-vti)" });
      if (t.host.ike.aggressive && t.host.ike.version === 2 && t.peer.ike.version === 2)
        report("aggressiveV2", [...path, "ike", "aggressive"], { tunnel: t.name }, { at: "key", hint: "remove aggressive: true" });
    }
  },
});
