import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { AWS_PEER, bgpSite, bgpTunnel } from "../../test/fixtures/rules/bgp-sites.js";
import { cloudNumbers } from "./cloud-numbers.js";

const host = (as: number) => `{ os: debian, address: 10.0.0.1/24, routing: { bgp: { as: ${as} } } }`;
const aws = (tunnels: string, options: { as?: number; peer?: string } = {}) => bgpSite(tunnels, { host: host(options.as ?? 65010), peer: options.peer ?? AWS_PEER });
const second = (inside: string, more = "") => bgpTunnel("t2", { key: 2, inside, more: `    overrides: { far: { address: 203.0.113.11 } }${more}` });

testRule(cloudNumbers, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "AWS with a private customer ASN and two /30s from 169.254.0.0/16", site: aws([bgpTunnel("t1", { inside: "169.254.10.0/30" }), second("169.254.10.4/30")].join("\n")) },
    { name: "9059 is reserved by AWS in eu-west-1 only", site: aws(bgpTunnel("t1", { inside: "169.254.10.0/30" }), { as: 9059, peer: AWS_PEER.replace("eu-west-1", "us-east-1") }) },
    { name: "not a cloud peer: no provider rules", site: bgpSite(bgpTunnel("t1", { inside: "10.255.0.0/30" })) },
    { name: "IPv6: AWS transit gateway, an IPv6-only tunnel with a /126 from fd00::/8", site: aws(bgpTunnel("t1", { inside: '"fd00:10::/126"' })) },
    {
      name: "mixed: a /30 from 169.254.0.0/16 beside a /126 from fd00::/8 (each family by its own form)",
      site: aws(bgpTunnel("t1", { inside: "169.254.10.0/30", more: '    inside6: "fd00:10::4/126"' })),
    },
    { name: "IPv6: Azure states no IPv6 inside form (SW166 reports IPv6 there)", site: bgpSite(bgpTunnel("t1", { inside: '"fd00:10::/126"' }), { host: host(65010), peer: "{ platform: azure-vpn-gateway, address: 203.0.113.10, routing: { bgp: { as: 65515 } } }" }) },
  ],
  invalid: [
    {
      name: "customer ASNs AWS reserves (7224 everywhere; 9059 in eu-west-1), reported once at the host's AS",
      site: aws([bgpTunnel("t1", { inside: "169.254.10.0/30" }), second("169.254.10.4/30")].join("\n"), { as: 7224 }),
      errors: [
        {
          at: "7:65",
          token: "7224",
          messageId: "customerAsn",
          data: { title: "AWS Site-to-Site VPN", peer: "far", host: "gw", as: 7224, problem: "AS 7224 is reserved by AWS in all Regions" },
          hint: "pick another private ASN, e.g. 65010 (https://docs.aws.amazon.com/vpn/latest/s2svpn/cgw-options.html)",
        },
      ],
    },
    {
      name: "9059 in eu-west-1",
      site: aws(bgpTunnel("t1", { inside: "169.254.10.0/30" }), { as: 9059 }),
      errors: [{ at: "7:65", token: "9059", messageId: "customerAsn", data: { title: "AWS Site-to-Site VPN", peer: "far", host: "gw", as: 9059, problem: "AS 9059 is reserved by AWS in eu-west-1" } }],
    },
    {
      name: "the Amazon side needs a private ASN",
      site: aws(bgpTunnel("t1", { inside: "169.254.10.0/30" }), { peer: AWS_PEER.replace("as: 64512", "as: 16509") }),
      errors: [{ at: "9:130", token: "16509", messageId: "providerAsn", data: { title: "AWS Site-to-Site VPN", peer: "far", as: 16509, ranges: "64512-65534 or 4200000000-4294967294" }, hint: "e.g. 64512" }],
    },
    {
      name: "inside networks: wrong length, outside 169.254.0.0/16, in a reserved block; host-first order",
      site: aws(
        [
          bgpTunnel("t1", { inside: "169.254.10.0/29" }),
          second("192.168.0.0/30"),
          bgpTunnel("t3", { key: 3, inside: "169.254.5.0/30", more: "    insideOrder: host-first\n    overrides: { far: { address: 203.0.113.12 } }" }),
        ].join("\n"),
      ),
      errors: [
        { at: "16:13", token: "169.254.10.0/29", messageId: "insideLength", data: { title: "AWS Site-to-Site VPN", peer: "far", tunnel: "t1", cidr: "169.254.10.0/29", length: 29, expected: 30 }, hint: "use a /30 (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpnTunnelOptionsSpecification.html)" },
        { at: "25:13", token: "192.168.0.0/30", messageId: "insideRange", data: { title: "AWS Site-to-Site VPN", peer: "far", tunnel: "t2", cidr: "192.168.0.0/30", within: "169.254.0.0/16" } },
        { at: "35:13", token: "169.254.5.0/30", messageId: "insideReserved", data: { title: "AWS Site-to-Site VPN", peer: "far", tunnel: "t3", cidr: "169.254.5.0/30", reserved: "169.254.5.0/30" } },
        { at: "39:18", token: "host-first", messageId: "insideOrder", data: { title: "AWS Site-to-Site VPN", peer: "far", tunnel: "t3" } },
      ],
    },
    {
      name: "IPv6: AWS inside networks of the wrong length and outside fd00::/8",
      site: aws([bgpTunnel("t1", { inside: '"fd00:10::/127"' }), second('"2001:db8:10::/126"')].join("\n")),
      errors: [
        {
          at: "16:13",
          token: '"fd00:10::/127"',
          messageId: "insideLength",
          data: { title: "AWS Site-to-Site VPN", peer: "far", tunnel: "t1", cidr: "fd00:10::/127", length: 127, expected: 126 },
          hint: "use a /126 (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpnTunnelOptionsSpecification.html)",
        },
        {
          at: "25:13",
          token: '"2001:db8:10::/126"',
          messageId: "insideRange",
          data: { title: "AWS Site-to-Site VPN", peer: "far", tunnel: "t2", cidr: "2001:db8:10::/126", within: "fd00::/8" },
          hint: "pick a /126 from fd00::/8 (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpnTunnelOptionsSpecification.html)",
        },
      ],
    },
    {
      name: "mixed: a good IPv4 inside beside a /64 inside6 (AWS takes a /126)",
      site: aws(bgpTunnel("t1", { inside: "169.254.10.0/30", more: '    inside6: "fd00:10::/64"' })),
      errors: [
        {
          at: "20:14",
          token: '"fd00:10::/64"',
          messageId: "insideLength",
          data: { title: "AWS Site-to-Site VPN", peer: "far", tunnel: "t1", cidr: "fd00:10::/64", length: 64, expected: 126 },
        },
      ],
    },
  ],
});
