import { defineRule } from "./rule.js";

/**
 * Without egressIP or interface Cilium picks the gateway node's default-route interface, which on a VPN front
 * machine is usually not the tunnel: sitewire asks for the choice to be written down.
 */
export const egressGatewaySource = defineRule({
  code: "SW121",
  name: "egress-gateway-source",
  description: "A Cilium egress gateway says which source address its traffic leaves with: egressIP or interface.",
  severity: "error",
  messages: {
    missing: "egress gateway '{{name}}' sets neither egressIP nor interface",
  },
  check({ model }, report) {
    model.cluster?.ciliumEgressGateways.forEach((g, i) => {
      if (!g.egressIP && !g.interface)
        report("missing", ["cluster", "cilium", "egressGateways", i], { name: g.name }, { hint: "add interface: <the tunnel's interface, e.g. tun0> or egressIP: <an address of the gateway node>" });
    });
  },
});
