import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { masqAgentToPorts } from "./masq-agent-to-ports.js";

const masquerade = (agent: string) => yaml`
  site: test
  cluster:
    masquerade:
      nonMasqueradeCIDRs: []
      agent: ${agent}
`;

testRule(masqAgentToPorts, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "the agent's example range", site: masquerade("{ toPorts: 32768-65535 }") },
    { name: "one port", site: masquerade("{ toPorts: '40000' }") },
    { name: "no toPorts", site: masquerade("{ randomFully: false }") },
  ],
  invalid: [
    {
      name: "a port beyond 65535",
      site: masquerade("{ toPorts: 32768-70000 }"),
      errors: [{ at: "5:23", token: "32768-70000", messageId: "outOfRange", data: { value: "32768-70000", port: 70000 }, hint: "the agent's own example is 32768-65535" }],
    },
    {
      name: "port 0",
      site: masquerade("{ toPorts: 0-1024 }"),
      errors: [{ at: "5:23", token: "0-1024", messageId: "outOfRange", data: { value: "0-1024", port: 0 } }],
    },
    {
      name: "a range that ends before it starts",
      site: masquerade("{ toPorts: 65535-32768 }"),
      errors: [{ at: "5:23", token: "65535-32768", messageId: "reversed", data: { value: "65535-32768", first: 65535, last: 32768 }, hint: "write 32768-65535" }],
    },
  ],
});
