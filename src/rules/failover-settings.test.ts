import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { vti } from "../../test/fixtures/rules/sites.js";
import { failoverSettings } from "./failover-settings.js";

/** Three gateways with one tunnel each; `tables` are gw2's route tables, `failover` the pairs. */
const gateways = (tables: string, failover: string) => yaml`
  site: test
  hosts:
    gw1: { os: rhel, address: 172.16.1.10/24, cloud: { provider: aws, instanceId: i-0000000000000001, routeTables: [rtb-00000001] } }
    gw2: { os: rhel, address: 172.16.2.10/24, cloud: { provider: aws, instanceId: i-0000000000000002, routeTables: ${tables} } }
    gw3: { os: rhel, address: 172.16.3.10/24, cloud: { provider: aws, instanceId: i-0000000000000003, routeTables: [rtb-00000003] } }
  peers:
    r1: { platform: cisco-ios, address: 203.0.113.1 }
  tunnels:
    t1: ${vti("gw1, r1", "169.254.0.0/30", 1)}
    t2: ${vti("gw2, r1", "169.254.0.4/30", 2)}
    t3: ${vti("gw3, r1", "169.254.0.8/30", 3)}
  failover:
${failover}
`;

testRule(failoverSettings, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "seed 004: each gateway its own table, aws with restartPartner", site: gateways("[rtb-00000002]", "  zones: { gateways: [gw1, gw2], action: aws, restartPartner: true }") },
    { name: "a command hook without restartPartner", site: gateways("[rtb-00000002]", "  zones: { gateways: [gw1, gw2], action: command, command: /usr/local/sbin/vpn-routes }") },
  ],
  invalid: [
    {
      name: "a route table served by both gateways",
      site: gateways("[rtb-00000002, rtb-00000001]", "  zones: { gateways: [gw1, gw2] }"),
      errors: [
        { at: "4:129", token: "rtb-00000001", messageId: "sharedTable", data: { table: "rtb-00000001", first: "gw1", second: "gw2", pair: "zones" }, hint: "each gateway serves its own zone's route tables; the pair moves them when one fails" },
      ],
    },
    {
      name: "a gateway in two pairs, reported at the later pair in the file",
      site: gateways("[rtb-00000002]", "  b-pair: { gateways: [gw2, gw3] }\n  a-pair: { gateways: [gw1, gw2] }"),
      errors: [
        { at: "14:29", token: "gw2", messageId: "twoPairs", data: { gateway: "gw2", other: "b-pair", line: 13 }, hint: "one gateway, one partner: remove it from one pair" },
      ],
    },
    {
      name: "restartPartner with a command hook",
      site: gateways("[rtb-00000002]", "  zones: { gateways: [gw1, gw2], action: command, command: /usr/local/sbin/hook, restartPartner: true }"),
      errors: [
        { at: "13:98", token: "true", messageId: "restartWithoutAws", data: { pair: "zones" }, hint: "remove restartPartner, or use action: aws" },
      ],
    },
    {
      name: "a command with action aws",
      site: gateways("[rtb-00000002]", "  zones: { gateways: [gw1, gw2], action: aws, command: /usr/local/sbin/hook }"),
      errors: [
        { at: "13:47", token: "command", messageId: "commandWithAws", data: { pair: "zones" }, hint: "remove command, or set action: command" },
      ],
    },
  ],
});
