import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
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
    { name: "the agent's example range", site: masquerade("{ toPorts: 32768-65535 }") },
    { name: "one port", site: masquerade("{ toPorts: '40000' }") },
    { name: "no toPorts", site: masquerade("{ randomFully: false }") },
  ],
  invalid: [
    {
      name: "a port beyond 65535",
      site: masquerade("{ toPorts: 32768-70000 }"),
      errors: [{ at: "5:23", token: "32768-70000", message: "agent.toPorts 32768-70000: port 70000 is outside 1..65535", hint: "the agent's own example is 32768-65535" }],
    },
    {
      name: "port 0",
      site: masquerade("{ toPorts: 0-1024 }"),
      errors: [{ at: "5:23", token: "0-1024", message: "agent.toPorts 0-1024: port 0 is outside 1..65535" }],
    },
    {
      name: "a range that ends before it starts",
      site: masquerade("{ toPorts: 65535-32768 }"),
      errors: [{ at: "5:23", token: "65535-32768", message: "agent.toPorts 65535-32768: the range ends (32768) before it starts (65535)", hint: "write 32768-65535" }],
    },
  ],
});
