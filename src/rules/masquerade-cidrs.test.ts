import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { masqueradeCidrs } from "./masquerade-cidrs.js";

const masquerade = (body: string) => yaml`
  site: test
  networks:
    cluster-internal: 10.0.0.0/8
    vpc: 172.16.0.0/16
    cluster-internal6: fd10::/48
  cluster:
    masquerade:
${body}
`;

testRule(masqueradeCidrs, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "seed 001: one network", site: masquerade("    nonMasqueradeCIDRs: [cluster-internal]") },
    { name: "the agent's defaults", site: masquerade("    nonMasqueradeCIDRs: agent-defaults") },
    { name: "exactly cidrLimit networks", site: masquerade("    nonMasqueradeCIDRs: [cluster-internal, vpc]\n    cidrLimit: 2") },
    { name: "64 networks under the agent's default limit", site: masquerade(`    nonMasqueradeCIDRs: [${Array.from({ length: 64 }, (_, i) => `10.${i}.0.0/16`).join(", ")}]`) },
    { name: "IPv6 and mixed: one network of each family, an IPv6 literal", site: masquerade('    nonMasqueradeCIDRs: [cluster-internal, cluster-internal6, "2001:db8::/32"]') },
  ],
  invalid: [
    {
      name: "one network by name and by value",
      site: masquerade("    nonMasqueradeCIDRs: [cluster-internal, vpc, 10.0.0.0/8]"),
      errors: [
        { at: "8:49", token: "10.0.0.0/8", messageId: "duplicate", data: { what: "'10.0.0.0/8'", first: "cluster-internal", line: 8 }, hint: "remove one of them" },
      ],
    },
    {
      name: "more networks than cidrLimit, reported at the first one over the limit",
      site: masquerade("    nonMasqueradeCIDRs: [cluster-internal, vpc, 192.168.0.0/16]\n    cidrLimit: 2"),
      errors: [
        { at: "8:49", token: "192.168.0.0/16", messageId: "limit", data: { count: 3, limit: 2 }, hint: "merge adjacent networks into shorter prefixes, or raise cidrLimit" },
      ],
    },
    {
      name: "65 networks over the agent's default limit of 64",
      site: masquerade(`    nonMasqueradeCIDRs: [${Array.from({ length: 65 }, (_, i) => `10.${i}.0.0/16`).join(", ")}]`),
      errors: [
        { at: "8:912", token: "10.64.0.0/16", messageId: "limit", data: { count: 65, limit: 64 }, hint: "merge adjacent networks into shorter prefixes, or raise cidrLimit" },
      ],
    },
    {
      name: "IPv6: one network by name and by a non-canonical literal",
      site: masquerade('    nonMasqueradeCIDRs: [cluster-internal6, "FD10:0::/48"]'),
      errors: [
        { at: "8:45", token: '"FD10:0::/48"', messageId: "duplicate", data: { what: "'FD10:0::/48' (fd10::/48)", first: "cluster-internal6", line: 8 }, hint: "remove one of them" },
      ],
    },
    {
      name: "mixed: the limit counts both families",
      site: masquerade('    nonMasqueradeCIDRs: [cluster-internal, cluster-internal6, vpc]\n    cidrLimit: 2'),
      errors: [
        { at: "8:63", token: "vpc", messageId: "limit", data: { count: 3, limit: 2 }, hint: "merge adjacent networks into shorter prefixes, or raise cidrLimit" },
      ],
    },
  ],
});
