import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { CRYPTO, vti } from "../../test/fixtures/rules/sites.js";
import { insidePrefixLength } from "./inside-prefix-length.js";

const HOSTS = `
hosts:
  a: { os: debian, address: 10.0.0.1/24 }
  b: { os: debian, address: 10.0.0.2/24 }
peers:
  r1: { platform: cisco-ios, address: 203.0.113.1 }`;

const IPV4 = "/30 or a /31";
const IPV6 = "/126 or a /127 (or a link-local fe80::/10 network)";

testRule(insidePrefixLength, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    {
      name: "IPv4: a /30 tunnel, a /31 link, and a policy-based tunnel without inside",
      site: yaml`
        site: test${HOSTS}
        tunnels:
          t1: ${vti("a, r1", "169.254.10.0/30", 10)}
          t2: { between: [b, r1], kind: ipsec-policy, ${CRYPTO}, psk: { env: T2_PSK } }
        links:
          ab: { kind: ipip, between: [a, b], inside: 192.168.0.0/31 }
      `,
    },
    {
      name: "IPv6: a /126 and a /127 inside, a /127 inside6, link-local /64 and /10",
      site: yaml`
        site: test${HOSTS}
        tunnels:
          t1: ${vti("a, r1", '"fd00:1::/126"', 11)}
          t2: ${vti("a, r1", '"fd00:2::/127"', 12)}
          t3: ${vti("b, r1", "169.254.10.0/30", 13, ', inside6: "fd00:3::/127"')}
          t4: ${vti("b, r1", '"fe80::/64"', 14)}
          t5: ${vti("b, r1", "169.254.10.4/31", 15, ', inside6: "fe80::/10"')}
      `,
    },
  ],
  invalid: [
    {
      name: "IPv4: a /24 tunnel inside (the seed-004 router mask) and a /29 link",
      site: yaml`
        site: test${HOSTS}
        tunnels:
          t1: ${vti("a, r1", "169.254.100.0/24", 100)}
        links:
          ab: { kind: ipip, between: [a, b], inside: 192.168.0.8/29 }
      `,
      errors: [
        {
          at: "8:141",
          token: "169.254.100.0/24",
          messageId: "length",
          data: { cidr: "169.254.100.0/24", owner: "tunnel 't1'", length: 24, allowed: IPV4 },
          hint: "e.g. 169.254.100.0/30: the ends get 169.254.100.1 and 169.254.100.2",
        },
        { at: "10:46", token: "192.168.0.8/29", messageId: "length", data: { cidr: "192.168.0.8/29", owner: "link 'ab'", length: 29, allowed: IPV4 }, hint: "e.g. 192.168.0.8/30: the ends get 192.168.0.9 and 192.168.0.10" },
      ],
    },
    {
      name: "IPv4: a /32 inside",
      site: yaml`
        site: test${HOSTS}
        links:
          ab: { kind: ipip, between: [a, b], inside: 192.168.0.9/32 }
      `,
      errors: [
        { at: "8:46", token: "192.168.0.9/32", messageId: "length", data: { cidr: "192.168.0.9/32", owner: "link 'ab'", length: 32, allowed: IPV4 }, hint: "e.g. 192.168.0.8/30: the ends get 192.168.0.9 and 192.168.0.10" },
      ],
    },
    {
      name: "IPv6: a global /64 inside, a /120 inside6 (mixed tunnel), a link-local /128",
      site: yaml`
        site: test${HOSTS}
        tunnels:
          t1: ${vti("a, r1", '"2001:db8:1::/64"', 11)}
          t2: ${vti("a, r1", "169.254.10.0/30", 12, ', inside6: "fd00:2::/120"')}
          t3: ${vti("b, r1", '"fe80::1/128"', 13)}
      `,
      errors: [
        {
          at: "8:140",
          token: '"2001:db8:1::/64"',
          messageId: "length",
          data: { cidr: "2001:db8:1::/64", owner: "tunnel 't1'", length: 64, allowed: IPV6 },
          hint: "e.g. 2001:db8:1::/126: the ends get 2001:db8:1::1 and 2001:db8:1::2",
        },
        {
          at: "9:175",
          token: '"fd00:2::/120"',
          messageId: "length",
          data: { cidr: "fd00:2::/120", owner: "tunnel 't2'", length: 120, allowed: IPV6 },
          hint: "e.g. fd00:2::/126: the ends get fd00:2::1 and fd00:2::2",
        },
        {
          at: "10:140",
          token: '"fe80::1/128"',
          messageId: "length",
          data: { cidr: "fe80::1/128", owner: "tunnel 't3'", length: 128, allowed: IPV6 },
          hint: "e.g. fe80::/126: the ends get fe80::1 and fe80::2",
        },
      ],
    },
  ],
});
