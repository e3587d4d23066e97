import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { addressUsable } from "./address-usable.js";

testRule(addressUsable, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
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
    {
      name: "IPv6: any address but the first of a prefix, the last included (no broadcast); /127 and /128 whole",
      site: yaml`
        site: test
        hosts:
          a: { os: debian, address: 10.0.0.1/24, address6: "2001:db8::1/64" }
          b: { os: debian, address: "2001:db8:1::/127" }
          c: { os: debian, address: "2001:db8:2::ffff/112", interfaces: { eth1: { address: "fd00::3/126" } } }
          d: { os: debian, address: "2001:db8:3::", publicAddress: "2001:db8:ffff::1" }
        peers:
          r1: { platform: strongswan, address: "2001:db8:ffff::72" }
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
    {
      name: "IPv6: the subnet-router anycast address of the host's prefix (address6, address, interface)",
      site: yaml`
        site: test
        hosts:
          a: { os: debian, address: 10.0.0.1/24, address6: "2001:db8::/64" }
          b: { os: debian, address: "2001:db8:1::/126", interfaces: { eth1: { address: "fd00::/112" } } }
      `,
      errors: [
        {
          at: "3:52",
          token: '"2001:db8::/64"',
          messageId: "anycastAddress",
          data: { value: "2001:db8::/64", network: "2001:db8::/64" },
          hint: "the usable addresses of 2001:db8::/64 are 2001:db8::1 to 2001:db8::ffff:ffff:ffff:ffff",
        },
        {
          at: "4:29",
          token: '"2001:db8:1::/126"',
          messageId: "anycastAddress",
          data: { value: "2001:db8:1::/126", network: "2001:db8:1::/126" },
          hint: "the usable addresses of 2001:db8:1::/126 are 2001:db8:1::1 to 2001:db8:1::3",
        },
        {
          at: "4:80",
          token: '"fd00::/112"',
          messageId: "anycastAddress",
          data: { value: "fd00::/112", network: "fd00::/112" },
          hint: "the usable addresses of fd00::/112 are fd00::1 to fd00::ffff",
        },
      ],
    },
    {
      name: "mixed: a dual-stack host with the IPv4 broadcast address and an IPv6 special address; IPv6 special peer addresses",
      site: yaml`
        site: test
        hosts:
          a: { os: debian, address: 10.0.0.255/24, address6: "::1/128", publicAddress: "::" }
        peers:
          r1: { platform: strongswan, address: "ff02::1" }
          r2: { platform: strongswan, address: "::ffff:a00:1" }
      `,
      errors: [
        {
          at: "3:29",
          token: "10.0.0.255/24",
          messageId: "broadcastAddress",
          data: { value: "10.0.0.255/24", network: "10.0.0.0/24" },
          hint: "the usable addresses of 10.0.0.0/24 are 10.0.0.1 to 10.0.0.254",
        },
        { at: "3:54", token: '"::1/128"', messageId: "special", data: { value: "::1/128", kind: "loopback", what: "host 'a'" } },
        { at: "3:80", token: '"::"', messageId: "special", data: { value: "::", kind: "unspecified (::)", what: "host 'a'" } },
        { at: "5:40", token: '"ff02::1"', messageId: "special", data: { value: "ff02::1", kind: "multicast", what: "peer 'r1'" } },
        { at: "6:40", token: '"::ffff:a00:1"', messageId: "special", data: { value: "::ffff:a00:1", kind: "IPv4-mapped (::ffff:0:0/96)", what: "peer 'r2'" } },
      ],
    },
  ],
});
