import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { addressUsable } from "./address-usable.js";

testRule(addressUsable, {
  valid: [
    {
      name: "host addresses inside their prefix, /31 and /32 ends",
      site: yaml`
        site: test
        hosts:
          a: { os: debian, address: 10.0.0.1/24, publicAddress: 198.51.100.7 }
          b: { os: debian, address: 10.0.1.0/31, interfaces: { tun0: { address: 172.16.0.255/32 } } }
          c: { os: debian, address: 10.0.2.255 }
        peers:
          r1: { platform: cisco-ios, address: 10.10.1.100, publicAddress: 203.0.113.1 }
      `,
    },
  ],
  invalid: [
    {
      name: "network and broadcast addresses of the host's prefix",
      site: yaml`
        site: test
        hosts:
          a: { os: debian, address: 172.16.1.0/24 }
          b:
            os: debian
            address: 10.0.0.5/24
            interfaces:
              tun0: { address: 172.16.0.255/24 }
      `,
      errors: [
        {
          at: "3:29",
          token: "172.16.1.0/24",
          messageId: "networkAddress",
          data: { value: "172.16.1.0/24", network: "172.16.1.0/24" },
          hint: "the usable addresses of 172.16.1.0/24 are 172.16.1.1 to 172.16.1.254",
        },
        {
          at: "8:24",
          token: "172.16.0.255/24",
          messageId: "broadcastAddress",
          data: { value: "172.16.0.255/24", network: "172.16.0.0/24" },
          hint: "the usable addresses of 172.16.0.0/24 are 172.16.0.1 to 172.16.0.254",
        },
      ],
    },
    {
      name: "loopback, multicast, 0/8 and 240/4 addresses",
      site: yaml`
        site: test
        hosts:
          a: { os: debian, address: 127.0.0.2/8, publicAddress: 0.1.2.3 }
        peers:
          r1: { platform: cisco-ios, address: 10.10.1.100, publicAddress: 239.1.1.1 }
          r2: { platform: strongswan, address: 250.0.0.1 }
        cluster:
          cilium:
            egressGateways:
              - { name: gw, to: [10.0.0.0/8], nodeSelector: { role: gw }, egressIP: 255.255.255.255 }
      `,
      errors: [
        { at: "3:29", token: "127.0.0.2/8", messageId: "special", data: { value: "127.0.0.2/8", kind: "loopback", what: "host 'a'" } },
        { at: "3:57", token: "0.1.2.3", messageId: "special", data: { value: "0.1.2.3", kind: "'this network' (0.0.0.0/8)", what: "host 'a'" } },
        { at: "5:67", token: "239.1.1.1", messageId: "special", data: { value: "239.1.1.1", kind: "multicast", what: "peer 'r1'" } },
        { at: "6:40", token: "250.0.0.1", messageId: "special", data: { value: "250.0.0.1", kind: "reserved (240.0.0.0/4)", what: "peer 'r2'" } },
        {
          at: "10:77",
          token: "255.255.255.255",
          messageId: "special",
          data: { value: "255.255.255.255", kind: "reserved (240.0.0.0/4)", what: "egress gateway 'gw'" },
        },
      ],
    },
  ],
});
