import { defineRule } from "./rule.js";

/** cilium.io/v2 CiliumEgressGatewayPolicy: "setting both egressIP and interface makes the policy ignored". */
export const egressGatewayConflict = defineRule({
  code: "SW120",
  name: "egress-gateway-conflict",
  description: "A Cilium egress gateway sets egressIP or interface, not both (Cilium ignores a policy with both).",
  severity: "error",
  messages: {
    both: "egress gateway '{{name}}' sets both egressIP and interface; Cilium ignores such a policy",
  },
  check({ model }, report) {
    model.cluster?.ciliumEgressGateways.forEach((g, i) => {
      if (g.egressIP && g.interface)
        report("both", ["cluster", "cilium", "egressGateways", i, "interface"], { name: g.name }, { at: "key", hint: "keep one: egressIP for a fixed source address, interface to use that interface's first address" });
    });
  },
});
