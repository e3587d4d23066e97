import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { TWO_ZONES, vti } from "../../test/fixtures/rules/sites.js";
import { failoverPair } from "./failover-pair.js";

/** Seed 004's two zones, with each tunnel's routes to the data centre given. */
const zones = (toPeer1: string, toPeer2: string) => yaml`
  site: test
  networks:
    vpc: 172.16.0.0/16
    onprem: 10.10.0.0/16
    backup: 10.20.0.0/16
${TWO_ZONES}
  tunnels:
    vpn1: ${vti("gw1, r1", "169.254.100.0/30", 100, `, routes: { toPeer: ${toPeer1}, toHost: [vpc] }`)}
    vpn2: ${vti("gw2, r2", "169.254.200.0/30", 100, `, routes: { toPeer: ${toPeer2}, toHost: [vpc] }`)}
  failover:
    zones: { gateways: [gw1, gw2] }
`;

testRule(failoverPair, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "seed 004: both tunnels carry the data centre", site: zones("[onprem]", "[onprem]") },
    { name: "the same networks in another order", site: zones("[onprem, backup]", "[backup, onprem]") },
  ],
  invalid: [
    {
      name: "the second gateway's tunnel carries a network the first one's does not",
      site: zones("[onprem]", "[onprem, backup]"),
      errors: [
        { at: "16:28", token: "gw2", messageId: "destinations", data: { tunnel: "vpn2", gateway: "gw2", own: "10.10.0.0/16, 10.20.0.0/16", partnerTunnel: "vpn1", partner: "gw1", partners: "10.10.0.0/16" }, hint: "give tunnels 'vpn1' and 'vpn2' the same routes.toPeer" },
      ],
    },
  ],
});
