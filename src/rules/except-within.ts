import { containsPrefix } from "../net/ip.js";
import { defineRule } from "./rule.js";
import { alignResolved, refPaths } from "./support/intent-paths.js";

/**
 * Kubernetes rejects a NetworkPolicy whose ipBlock.except is not a strict subset of its cidr
 * (pkg/apis/networking/validation/validation.go, ValidateIPBlock: "must be a strict subset of `cidr`").
 * A Cilium excludedCIDR outside every destinationCIDR excludes nothing, which is never what was meant.
 */
export const exceptWithin = defineRule({
  code: "SW124",
  name: "except-within",
  description:
    "An egress allowlist's except is a strict subset of its destination (the API server rejects anything else), and a Cilium egress gateway's except lies inside one of its destinations.",
  severity: "error",
  messages: {
    egress: "except {{except}} is not a strict subset of {{to}}: the API server rejects the NetworkPolicy",
    cilium: "except {{except}} of egress gateway '{{name}}' lies outside all of its destinations: it excludes nothing",
  },
  check({ intent, model }, report) {
    const cluster = model.cluster;
    if (!cluster) return;
    cluster.egress.forEach((egress, i) => {
      const allowIntent = intent.cluster?.egress?.[i]?.allow ?? [];
      for (const { item: allow, index: j } of alignResolved(allowIntent.map((a) => a.to), egress.allow, (a) => a.to)) {
        const base = ["cluster", "egress", i, "allow", j, "except"];
        for (const { prefix, path } of refPaths(allowIntent[j]?.except, allow.except, base))
          if (!(containsPrefix(allow.to, prefix) && prefix.length > allow.to.length))
            report("egress", path, { except: prefix.cidr, to: allow.to.cidr }, { hint: `list only parts of ${allow.to.cidr} under except` });
      }
    });
    cluster.ciliumEgressGateways.forEach((g, i) => {
      const base = ["cluster", "cilium", "egressGateways", i, "except"];
      for (const { prefix, path } of refPaths(intent.cluster?.cilium?.egressGateways[i]?.except, g.except, base))
        if (!g.to.some((to) => containsPrefix(to, prefix)))
          report("cilium", path, { except: prefix.cidr, name: g.name }, { hint: `destinations: ${g.to.map((t) => t.cidr).join(", ")}` });
    });
  },
});
