import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { bgpSite, bgpTunnel } from "../../test/fixtures/rules/bgp-sites.js";
import { bgpPlacement } from "./bgp-placement.js";

const FAR2 = "  far2: { platform: strongswan, address: 203.0.113.2, routing: { bgp: { as: 65030 } } }";

const inside6 = (cidr: string) => `    inside6: "${cidr}"`;

testRule(bgpPlacement, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "a route-based tunnel with a /30", site: bgpSite(bgpTunnel("t1")) },
    { name: "no inside network: the resolver's SW121 says so, not this rule", site: bgpSite(bgpTunnel("t1").replace("    inside: 169.254.1.0/30\n", "")), resolver: ["SW121"] },
    { name: "a /31 (RFC 3021): both addresses usable", site: bgpSite(bgpTunnel("t1", { inside: "169.254.1.0/31" })) },
    {
      name: "two BGP tunnels of one host with their own inside networks",
      site: bgpSite([bgpTunnel("t1"), bgpTunnel("t2", { key: 2, more: "    overrides: { far: { address: 203.0.113.3 } }" })].join("\n")),
    },
    { name: "IPv6: an IPv6-only tunnel with a /126", site: bgpSite(bgpTunnel("t1", { inside: '"fd00:1::/126"' })) },
    { name: "IPv6: a /127 (RFC 6164): both addresses usable", site: bgpSite(bgpTunnel("t1", { inside: '"fd00:1::/127"' })) },
    { name: "IPv6: a link-local inside network", site: bgpSite(bgpTunnel("t1", { inside: '"fe80::/64"' })) },
    { name: "mixed: a dual-stack tunnel, a session per family (inside6 /126)", site: bgpSite(bgpTunnel("t1", { more: inside6("fd00:1::/126") })) },
    {
      name: "mixed: two dual-stack BGP tunnels of one host with their own networks of each family",
      site: bgpSite([bgpTunnel("t1", { more: inside6("fd00:1::/126") }), bgpTunnel("t2", { key: 2, more: `${inside6("fd00:2::/127")}\n    overrides: { far: { address: 203.0.113.3 } }` })].join("\n")),
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
    {
      name: "IPv6: a /128 inside network: the neighbour is off the network",
      site: bgpSite(bgpTunnel("t1", { inside: '"fd00:1::1/128"' })),
      errors: [
        {
          at: "16:13",
          token: '"fd00:1::1/128"',
          messageId: "offNetwork",
          data: { tunnel: "t1", neighbor: "fd00:1::2", end: "gw", network: "fd00:1::1/128" },
          hint: "use a /126 (both ends get its first two usable addresses) or a /127",
        },
      ],
    },
    {
      name: "mixed: a /128 inside6 beside a good IPv4 inside: the IPv6 session's neighbour is off inside6",
      site: bgpSite(bgpTunnel("t1", { more: inside6("fd00:1::1/128") })),
      errors: [
        {
          at: "20:14",
          token: '"fd00:1::1/128"',
          messageId: "offNetwork",
          data: { tunnel: "t1", neighbor: "fd00:1::2", end: "gw", network: "fd00:1::1/128" },
          hint: "use a /126 (both ends get its first two usable addresses) or a /127",
        },
      ],
    },
    {
      name: "mixed: two dual-stack BGP tunnels of one host with their own IPv4 but the same IPv6 neighbour",
      site: bgpSite(
        [bgpTunnel("t1", { more: inside6("fd00:1::/126") }), bgpTunnel("t2", { key: 2, more: inside6("fd00:1::/126") }).replace("between: [gw, far]", "between: [gw, far2]")].join("\n"),
      ).replace("tunnels:\n", `${FAR2}\ntunnels:\n`),
      errors: [
        {
          at: "31:14",
          token: '"fd00:1::/126"',
          messageId: "sameNeighbor",
          data: { tunnel: "t2", other: "t1", line: 12, host: "gw", neighbor: "fd00:1::1" },
          hint: "give each BGP tunnel its own inside network",
        },
      ],
    },
  ],
});
