import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { masqueradeCidrs } from "./masquerade-cidrs.js";

const masquerade = (body: string) => yaml`
  site: test
  networks:
    cluster-internal: 10.0.0.0/8
    vpc: 172.16.0.0/16
  cluster:
    masquerade:
${body}
`;

testRule(masqueradeCidrs, {
  valid: [
    { name: "seed 001: one network", site: masquerade("    nonMasqueradeCIDRs: [cluster-internal]") },
    { name: "the agent's defaults", site: masquerade("    nonMasqueradeCIDRs: agent-defaults") },
    { name: "exactly cidrLimit networks", site: masquerade("    nonMasqueradeCIDRs: [cluster-internal, vpc]\n    cidrLimit: 2") },
    { name: "64 networks under the agent's default limit", site: masquerade(`    nonMasqueradeCIDRs: [${Array.from({ length: 64 }, (_, i) => `10.${i}.0.0/16`).join(", ")}]`) },
  ],
  invalid: [
    {
      name: "one network by name and by value",
      site: masquerade("    nonMasqueradeCIDRs: [cluster-internal, vpc, 10.0.0.0/8]"),
      errors: [
        { at: "7:49", token: "10.0.0.0/8", messageId: "duplicate", data: { what: "'10.0.0.0/8'", first: "cluster-internal", line: 7 }, hint: "remove one of them" },
      ],
    },
    {
      name: "more networks than cidrLimit, reported at the first one over the limit",
      site: masquerade("    nonMasqueradeCIDRs: [cluster-internal, vpc, 192.168.0.0/16]\n    cidrLimit: 2"),
      errors: [
        { at: "7:49", token: "192.168.0.0/16", messageId: "limit", data: { count: 3, limit: 2 }, hint: "merge adjacent networks into shorter prefixes, or raise cidrLimit" },
      ],
    },
    {
      name: "65 networks over the agent's default limit of 64",
      site: masquerade(`    nonMasqueradeCIDRs: [${Array.from({ length: 65 }, (_, i) => `10.${i}.0.0/16`).join(", ")}]`),
      errors: [
        { at: "7:912", token: "10.64.0.0/16", messageId: "limit", data: { count: 65, limit: 64 }, hint: "merge adjacent networks into shorter prefixes, or raise cidrLimit" },
      ],
    },
  ],
});
