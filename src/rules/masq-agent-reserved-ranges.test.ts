import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { masqAgentReservedRanges } from "./masq-agent-reserved-ranges.js";

const masquerade = (body: string) => yaml`
  site: test
  networks:
    cluster-internal: 10.0.0.0/8
  cluster:
    masquerade:
${body}
`;

testRule(masqAgentReservedRanges, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "the flag with the agent's defaults: it adds the reserved ranges", site: masquerade("    nonMasqueradeCIDRs: agent-defaults\n    agent: { nomasqAllReservedRanges: true }") },
    { name: "a list without the flag", site: masquerade("    nonMasqueradeCIDRs: [cluster-internal]\n    agent: { nomasqAllReservedRanges: false }") },
  ],
  invalid: [
    {
      name: "the flag next to a list does nothing",
      site: masquerade("    nonMasqueradeCIDRs: [cluster-internal]\n    agent: { nomasqAllReservedRanges: true }"),
      errors: [
        {
          at: "7:39",
          token: "true",
          messageId: "noEffect",
          data: { count: 1 },
          hint: "list the reserved ranges you want kept in nonMasqueradeCIDRs and drop the flag, or use nonMasqueradeCIDRs: agent-defaults",
        },
      ],
    },
    {
      name: "next to an empty list too",
      site: masquerade("    nonMasqueradeCIDRs: []\n    agent: { nomasqAllReservedRanges: true }"),
      errors: [{ at: "7:39", token: "true", messageId: "noEffect", data: { count: 0 } }],
    },
  ],
});
