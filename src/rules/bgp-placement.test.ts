import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { bgpSite, bgpTunnel } from "../../test/fixtures/rules/bgp-sites.js";
import { bgpPlacement } from "./bgp-placement.js";

const FAR2 = "  far2: { platform: strongswan, address: 203.0.113.2, routing: { bgp: { as: 65030 } } }";

testRule(bgpPlacement, {
  valid: [
    { name: "a route-based tunnel with a /30", site: bgpSite(bgpTunnel("t1")) },
    { name: "no inside network: the resolver's SW121 says so, not this rule", site: bgpSite(bgpTunnel("t1").replace("    inside: 169.254.1.0/30\n", "")), resolver: ["SW121"] },
    { name: "a /31 (RFC 3021): both addresses usable", site: bgpSite(bgpTunnel("t1", { inside: "169.254.1.0/31" })) },
    {
      name: "two BGP tunnels of one host with their own inside networks",
      site: bgpSite([bgpTunnel("t1"), bgpTunnel("t2", { key: 2, more: "    overrides: { far: { address: 203.0.113.3 } }" })].join("\n")),
    },
  ],
  invalid: [
    {
      name: "BGP on a policy-based tunnel",
      site: bgpSite(
        [
          "  t1:",
          "    kind: ipsec-policy",
          "    between: [gw, far]",
          "    ike: { proposals: [aes256-sha256-modp3072] }",
          "    esp: { proposals: [aes256-sha256] }",
          "    psk: { env: PSK_1 }",
          "    routes: { toPeer: [far-lan], toHost: [lan] }",
          "    bgp: {}",
        ].join("\n"),
      ),
      errors: [{ at: "18:5", token: "bgp", messageId: "policyBased", data: { tunnel: "t1" } }],
    },
    {
      name: "a /32 inside network: the neighbour is off the network",
      site: bgpSite(bgpTunnel("t1", { inside: "169.254.1.1/32" })),
      errors: [{ at: "16:13", token: "169.254.1.1/32", messageId: "offNetwork", data: { tunnel: "t1", neighbor: "169.254.1.2", end: "gw", network: "169.254.1.1/32" } }],
    },
    {
      name: "two BGP tunnels of one host with the same neighbour address",
      site: bgpSite(
        [bgpTunnel("t1"), bgpTunnel("t2", { key: 2, inside: "169.254.1.0/30" }).replace("between: [gw, far]", "between: [gw, far2]")].join("\n"),
      ).replace("tunnels:\n", `${FAR2}\ntunnels:\n`),
      errors: [
        {
          at: "26:13",
          token: "169.254.1.0/30",
          messageId: "sameNeighbor",
          data: { tunnel: "t2", other: "t1", line: 12, host: "gw", neighbor: "169.254.1.1" },
          hint: "give each BGP tunnel its own inside network",
        },
      ],
    },
  ],
});
