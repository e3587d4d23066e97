import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { bgpSite, bgpTunnel } from "../../test/fixtures/rules/bgp-sites.js";
import { redundantTunnels } from "./redundant-tunnels.js";

const staticOnly = (text: string) => text.replace(/\n {4}bgp: \{\}/, "");
const SECOND_ADDRESS = "    overrides: { far: { address: 203.0.113.11 } }";
const t2 = (bgp: boolean, routes?: string) => {
  const t = bgpTunnel("t2", { key: 2, more: SECOND_ADDRESS, ...(routes ? { routes } : {}) });
  return bgp ? t : staticOnly(t);
};
const policy = (name: string, peer: string, psk: string) =>
  [
    `  ${name}:`,
    "    kind: ipsec-policy",
    `    between: [gw, ${peer}]`,
    "    ike: { proposals: [aes256-sha256-modp3072] }",
    "    esp: { proposals: [aes256-sha256] }",
    `    psk: { env: ${psk} }`,
    "    routes: { toPeer: [far-lan], toHost: [lan] }",
  ].join("\n");
const FAR2 = "  far2: { platform: strongswan, address: 203.0.113.2 }";
const policy6 = (name: string, peer: string, psk: string) => policy(name, peer, psk).replace("{ toPeer: [far-lan], toHost: [lan] }", '{ toPeer: ["2001:db8:60::/48"], toHost: ["2001:db8::/64"] }');

testRule(redundantTunnels, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "two BGP tunnels to the same far network (the BGP way to be redundant)", site: bgpSite([bgpTunnel("t1"), t2(true)].join("\n")) },
    { name: "two static tunnels to different far networks", site: bgpSite([staticOnly(bgpTunnel("t1")), t2(false, "{ toPeer: [other], toHost: [lan] }")].join("\n")) },
    {
      name: "a failover pair: one tunnel per gateway to the same far network",
      site: bgpSite(
        [staticOnly(bgpTunnel("t1")), staticOnly(bgpTunnel("t2", { key: 2 })).replace("between: [gw, far]", "between: [gw2, far]")].join("\n"),
        { host: "{ os: debian, address: 10.0.0.1/24 }\n  gw2: { os: debian, address: 10.0.0.2/24 }" },
      ),
    },
    {
      name: "mixed: two static tunnels, one to an IPv4 and one to an IPv6 far network (never overlapping)", resolver: ["SW180", "SW180"],
      site: bgpSite([staticOnly(bgpTunnel("t1", { routes: '{ toPeer: [far-lan], toHost: [lan] }' })), t2(false, '{ toPeer: ["2001:db8:60::/48"], toHost: ["2001:db8::/64"] }')].join("\n")),
    },
    {
      name: "IPv6: two policy-based tunnels with IPv6 selectors to different far networks",
      site: bgpSite([policy6("p1", "far", "PSK_1"), policy6("p2", "far2", "PSK_2").replace('"2001:db8:60::/48"', '"2001:db8:61::/48"')].join("\n")).replace("tunnels:\n", `${FAR2}\ntunnels:\n`),
    },
  ],
  invalid: [
    {
      name: "two static route-based tunnels of one host to one far network: the lower rule priority always wins",
      site: bgpSite([staticOnly(bgpTunnel("t1")), t2(false)].join("\n")),
      errors: [
        {
          at: "26:24",
          token: "far-lan",
          messageId: "tables",
          data: { tunnel: "t2", other: "t1", line: 11, host: "gw", cidr: "10.60.0.0/16", winner: "t1", loser: "t2", priority: 1 },
          hint: "run BGP on both tunnels (bgp: on each, routing.bgp on the host and the peers: the routes then come from BGP, which fails over), or use a failover pair of two gateways (failover.*)",
        },
      ],
    },
    {
      name: "a BGP tunnel next to a static one: the static table wins over the main table",
      site: bgpSite([bgpTunnel("t1"), t2(false)].join("\n")),
      errors: [
        {
          at: "27:24",
          token: "far-lan",
          messageId: "mixed",
          data: { tunnel: "t2", other: "t1", line: 11, host: "gw", cidr: "10.60.0.0/16", static: "t2", bgp: "t1", priority: 2 },
        },
      ],
    },
    {
      name: "two policy-based tunnels of one host with the same selectors",
      site: bgpSite([policy("p1", "far", "PSK_1"), policy("p2", "far2", "PSK_2")].join("\n")).replace("tunnels:\n", `${FAR2}\ntunnels:\n`),
      errors: [
        {
          at: "25:24",
          token: "far-lan",
          messageId: "policy",
          data: { tunnel: "p2", other: "p1", line: 12, host: "gw", local: "10.0.0.0/24", remote: "10.60.0.0/16" },
          hint: "carry these networks in one tunnel, or make both tunnels route-based with BGP",
        },
      ],
    },
    {
      name: "IPv6: two static route-based tunnels of one host to overlapping IPv6 far networks", resolver: ["SW180", "SW180"],
      site: bgpSite(
        [staticOnly(bgpTunnel("t1", { routes: '{ toPeer: [far-lan, "2001:db8:60::/48"], toHost: [lan] }' })), t2(false, '{ toPeer: ["2001:db8:60:1::/64"], toHost: [lan] }')].join("\n"),
      ),
      errors: [
        {
          at: "26:24",
          token: '"2001:db8:60:1::/64"',
          messageId: "tables",
          data: { tunnel: "t2", other: "t1", line: 11, host: "gw", cidr: "2001:db8:60:1::/64", winner: "t1", loser: "t2", priority: 1 },
        },
      ],
    },
    {
      name: "IPv6: two policy-based tunnels of one host with the same IPv6 selectors",
      site: bgpSite([policy6("p1", "far", "PSK_1"), policy6("p2", "far2", "PSK_2")].join("\n")).replace("tunnels:\n", `${FAR2}\ntunnels:\n`),
      errors: [
        {
          at: "25:24",
          token: '"2001:db8:60::/48"',
          messageId: "policy",
          data: { tunnel: "p2", other: "p1", line: 12, host: "gw", local: "2001:db8::/64", remote: "2001:db8:60::/48" },
        },
      ],
    },
  ],
});
