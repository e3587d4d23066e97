import { testRule } from "../../test/fixtures/rules/rule-tester.js";
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

testRule(redundantTunnels, {
  valid: [
    { name: "two BGP tunnels to the same far network (the BGP way to be redundant)", site: bgpSite([bgpTunnel("t1"), t2(true)].join("\n")) },
    { name: "two static tunnels to different far networks", site: bgpSite([staticOnly(bgpTunnel("t1")), t2(false, "{ toPeer: [other], toHost: [lan] }")].join("\n")) },
    {
      name: "a failover pair: one tunnel per gateway to the same far network",
      site: bgpSite(
        [staticOnly(bgpTunnel("t1")), staticOnly(bgpTunnel("t2", { key: 2 })).replace("between: [gw, far]", "between: [gw2, far]")].join("\n"),
        { host: "{ os: debian, address: 10.0.0.1/24 }\n  gw2: { os: debian, address: 10.0.0.2/24 }" },
      ),
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
  ],
});
