import { defineRule } from "./rule.js";

/**
 * ip-masq-agent's --to-ports is a port range the MASQUERADE rule maps TCP, UDP and SCTP sources to
 * (kubernetes-sigs/ip-masq-agent#162; pkg/interval ParseInterval refuses first > last). iptables'
 * MASQUERADE --to-ports takes ports 1..65535 (iptables-extensions(8), MASQUERADE); the agent would fail to
 * load its rules with anything else and keep masquerading with the old ones.
 */
export const masqAgentToPorts = defineRule({
  code: "SW151",
  name: "masq-agent-to-ports",
  description: "cluster.masquerade.agent.toPorts is one port range within 1..65535 whose first port is not after its last.",
  severity: "error",
  messages: {
    outOfRange: "agent.toPorts {{value}}: port {{port}} is outside 1..65535",
    reversed: "agent.toPorts {{value}}: the range ends ({{last}}) before it starts ({{first}})",
  },
  check({ model }, report) {
    const ports = model.cluster?.masquerade?.agent.toPorts;
    if (!ports) return;
    const path = ["cluster", "masquerade", "agent", "toPorts"];
    const value = ports.first === ports.last ? `${ports.first}` : `${ports.first}-${ports.last}`;
    const bad = [ports.first, ports.last].find((p) => p < 1 || p > 65535);
    if (bad !== undefined) report("outOfRange", path, { value, port: bad }, { hint: "the agent's own example is 32768-65535" });
    else if (ports.first > ports.last) report("reversed", path, { value, first: ports.first, last: ports.last }, { hint: `write ${ports.last}-${ports.first}` });
  },
});
