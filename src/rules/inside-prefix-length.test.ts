import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { CRYPTO, vti } from "../../test/fixtures/rules/sites.js";
import { insidePrefixLength } from "./inside-prefix-length.js";

const HOSTS = `
hosts:
  a: { os: debian, address: 10.0.0.1/24 }
  b: { os: debian, address: 10.0.0.2/24 }
peers:
  r1: { platform: cisco-ios, address: 203.0.113.1 }`;

testRule(insidePrefixLength, {
  valid: [
    {
      name: "a /30 tunnel, a /31 link, and a policy-based tunnel without inside",
      site: yaml`
        site: test${HOSTS}
        tunnels:
          t1: ${vti("a, r1", "169.254.10.0/30", 10)}
          t2: { between: [b, r1], kind: ipsec-policy, ${CRYPTO}, psk: { env: T2_PSK } }
        links:
          ab: { kind: ipip, between: [a, b], inside: 192.168.0.0/31 }
      `,
    },
  ],
  invalid: [
    {
      name: "a /24 tunnel inside (the seed-004 router mask) and a /29 link",
      site: yaml`
        site: test${HOSTS}
        tunnels:
          t1: ${vti("a, r1", "169.254.100.0/24", 100)}
        links:
          ab: { kind: ipip, between: [a, b], inside: 192.168.0.8/29 }
      `,
      errors: [
        { at: "8:141", token: "169.254.100.0/24", messageId: "length", data: { cidr: "169.254.100.0/24", owner: "tunnel 't1'", length: 24 }, hint: "e.g. 169.254.100.0/30: the ends get 169.254.100.1 and 169.254.100.2" },
        { at: "10:46", token: "192.168.0.8/29", messageId: "length", data: { cidr: "192.168.0.8/29", owner: "link 'ab'", length: 29 }, hint: "e.g. 192.168.0.8/30: the ends get 192.168.0.9 and 192.168.0.10" },
      ],
    },
    {
      name: "a /32 inside",
      site: yaml`
        site: test${HOSTS}
        links:
          ab: { kind: ipip, between: [a, b], inside: 192.168.0.9/32 }
      `,
      errors: [
        { at: "8:46", token: "192.168.0.9/32", messageId: "length", data: { cidr: "192.168.0.9/32", owner: "link 'ab'", length: 32 }, hint: "e.g. 192.168.0.8/30: the ends get 192.168.0.9 and 192.168.0.10" },
      ],
    },
  ],
});
