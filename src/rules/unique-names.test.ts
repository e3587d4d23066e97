import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { CRYPTO } from "../../test/fixtures/rules/sites.js";
import { uniqueNames } from "./unique-names.js";

testRule(uniqueNames, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    {
      name: "hosts, peers, links and networks with distinct names; a tunnel may share a peer's name",
      site: yaml`
        site: test
        networks: { lan: 10.0.0.0/24 }
        hosts:
          a: { os: debian, address: 10.0.0.1/24 }
          b: { os: debian, address: 10.0.1.1/24 }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
        links:
          ab: { kind: ipip, between: [a, b], inside: 192.168.0.0/30 }
        tunnels:
          r1: { between: [a, r1], kind: ipsec-policy, ${CRYPTO}, psk: { env: R1_PSK } }
      `,
    },
  ],
  invalid: [
    {
      name: "a host and a peer named alike",
      site: yaml`
        site: test
        hosts:
          edge: { os: debian, address: 10.0.0.1/24 }
        peers:
          edge: { platform: cisco-ios, address: 203.0.113.1 }
      `,
      errors: [
        { at: "5:3", token: "edge", messageId: "hostAndPeer", data: { name: "edge" }, hint: "tunnel ends and overrides name hosts and peers: rename one of them" },
      ],
    },
    {
      name: "a host and a link named alike",
      site: yaml`
        site: test
        hosts:
          a: { os: debian, address: 10.0.0.1/24 }
          b: { os: debian, address: 10.0.1.1/24 }
        links:
          b: { kind: ipip, between: [a, b], inside: 192.168.0.0/30 }
      `,
      errors: [
        { at: "6:3", token: "b", messageId: "hostAndLink", data: { name: "b" }, hint: "a route's via names a host or a link: rename one of them" },
      ],
    },
  ],
});
