import { defineRule } from "./rule.js";

/**
 * ip-masq-agent's --nomasq-all-reserved-ranges only extends the agent's DEFAULT nonMasqueradeCIDRs
 * (NewMasqConfig in kubernetes-sigs/ip-masq-agent cmd/ip-masq-agent/ip-masq-agent.go); a config file that
 * lists nonMasqueradeCIDRs, even an empty list, replaces those defaults ("Only overwrites fields provided in
 * JSON"). Setting the flag next to a list therefore does nothing, which the intent should not pretend.
 */
export const masqAgentReservedRanges = defineRule({
  code: "SW150",
  name: "masq-agent-reserved-ranges",
  description: "cluster.masquerade.agent.nomasqAllReservedRanges takes effect only with nonMasqueradeCIDRs: agent-defaults; next to a listed nonMasqueradeCIDRs it does nothing.",
  severity: "warning",
  messages: {
    noEffect:
      "agent.nomasqAllReservedRanges has no effect: nonMasqueradeCIDRs is listed ({{count}} entries), and a listed nonMasqueradeCIDRs replaces the agent's defaults, reserved ranges included",
  },
  check({ model }, report) {
    const m = model.cluster?.masquerade;
    if (!m || !m.agent.nomasqAllReservedRanges || m.nonMasqueradeCIDRs === "agent-defaults") return;
    report("noEffect", ["cluster", "masquerade", "agent", "nomasqAllReservedRanges"], { count: m.nonMasqueradeCIDRs.length }, {
      hint: "list the reserved ranges you want kept in nonMasqueradeCIDRs and drop the flag, or use nonMasqueradeCIDRs: agent-defaults",
    });
  },
});
