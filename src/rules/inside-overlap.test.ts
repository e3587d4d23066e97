import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { vti } from "../../test/fixtures/rules/sites.js";
import { insideOverlap } from "./inside-overlap.js";

testRule(insideOverlap, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    {
      name: "distinct inside networks next to the hosts' own networks",
      site: yaml`
        site: test
        hosts:
          a: { os: debian, address: 10.0.0.1/24 }
          b: { os: debian, address: 10.0.0.2/24, interfaces: { tun0: { address: 172.16.0.10/24 } } }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
        tunnels:
          t1: ${vti("a, r1", "169.254.100.0/30", 100)}
          t2: ${vti("b, r1", "169.254.100.4/30", 101)}
        links:
          ab: { kind: ipip, between: [a, b], inside: 192.168.10.0/30 }
      `,
    },
    {
      name: "IPv6 and mixed: disjoint /126 networks beside IPv4 insides, link-local fe80::/64 on two tunnels (interface-scoped)",
      site: yaml`
        site: test
        hosts:
          a: { os: debian, address: 10.0.0.1/24, address6: "2001:db8::1/64" }
          b: { os: debian, address: "2001:db8:1::1/64" }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
          r2: { platform: strongswan, address: "2001:db8:ffff::2" }
        tunnels:
          t1: ${vti("a, r1", "169.254.100.0/30", 100, ', inside6: "fd00:70::/126"')}
          t2: ${vti("b, r2", '"fd00:70::4/126"', 101)}
          t3: ${vti("a, r1", "169.254.100.4/30", 102, ', inside6: "fe80::/64"')}
          t4: ${vti("b, r2", '"fe80::/64"', 103)}
      `,
    },
  ],
  invalid: [
    {
      name: "two failover-style tunnels on different hosts with one inside network, reported at the later one",
      site: yaml`
        site: test
        hosts:
          gw1: { os: rhel, address: 172.16.1.157/24 }
          gw2: { os: rhel, address: 172.16.2.126/24 }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
          r2: { platform: cisco-ios, address: 203.0.113.2 }
        tunnels:
          vpn2:
            between: [gw2, r2]
            ike: { proposals: [aes256-sha256-modp3072] }
            esp: { proposals: [aes256-sha256] }
            psk: { env: VPN2_PSK }
            inside: 169.254.100.0/30
            key: 100
          vpn1:
            between: [gw1, r1]
            ike: { proposals: [aes256-sha256-modp3072] }
            esp: { proposals: [aes256-sha256] }
            psk: { env: VPN1_PSK }
            inside: 169.254.100.0/30
            key: 100
      `,
      errors: [
        { at: "21:13", token: "169.254.100.0/30", messageId: "otherInside", data: { cidr: "169.254.100.0/30", owner: "tunnel 'vpn1'", otherCidr: "169.254.100.0/30", other: "tunnel 'vpn2'", line: 14 }, hint: "give every tunnel and link its own inside network" },
      ],
    },
    {
      name: "inside networks on a host's own LAN and on its external interface",
      site: yaml`
        site: test
        hosts:
          a: { os: debian, address: 10.0.0.1/24 }
          b: { os: debian, address: 10.0.1.1/24, interfaces: { tun0: { address: 172.16.0.10/24 } } }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
        tunnels:
          t1: ${vti("a, r1", "10.0.0.0/30", 100)}
        links:
          ab: { kind: ipip, between: [a, b], inside: 172.16.0.0/30 }
      `,
      errors: [
        { at: "8:141", token: "10.0.0.0/30", messageId: "hostNetwork", data: { cidr: "10.0.0.0/30", owner: "tunnel 't1'", network: "10.0.0.0/24", host: "a", origin: "address 10.0.0.1/24" }, hint: "pick an inside network no host uses (169.254.0.0/16 is customary)" },
        { at: "10:46", token: "172.16.0.0/30", messageId: "hostNetwork", data: { cidr: "172.16.0.0/30", owner: "link 'ab'", network: "172.16.0.0/24", host: "b", origin: "tun0 172.16.0.10/24" }, hint: "pick an inside network no host uses (169.254.0.0/16 is customary)" },
      ],
    },
    {
      name: "a link's /31 inside a tunnel's /30",
      site: yaml`
        site: test
        hosts:
          a: { os: debian, address: 10.0.0.1/24 }
          b: { os: debian, address: 10.0.1.1/24 }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
        tunnels:
          t1: ${vti("a, r1", "169.254.1.0/30", 100)}
        links:
          ab: { kind: ipip, between: [a, b], inside: 169.254.1.2/31 }
      `,
      errors: [
        { at: "10:46", token: "169.254.1.2/31", messageId: "otherInside", data: { cidr: "169.254.1.2/31", owner: "link 'ab'", otherCidr: "169.254.1.0/30", other: "tunnel 't1'", line: 8 }, hint: "give every tunnel and link its own inside network" },
      ],
    },
    {
      name: "IPv6: an IPv6-only tunnel's inside within a dual-stack tunnel's inside6, reported at the later one",
      site: yaml`
        site: test
        hosts:
          a: { os: debian, address: 10.0.0.1/24 }
          b: { os: debian, address: "2001:db8:1::1/64" }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
          r2: { platform: strongswan, address: "2001:db8:ffff::2" }
        tunnels:
          t1: ${vti("a, r1", "169.254.100.0/30", 100, ', inside6: "fd00:70::/126"')}
          t2: ${vti("b, r2", '"fd00:70::2/127"', 101)}
      `,
      errors: [
        {
          at: "10:141",
          token: '"fd00:70::2/127"',
          messageId: "otherInside",
          data: { cidr: "fd00:70::2/127", owner: "tunnel 't2'", otherCidr: "fd00:70::/126", other: "tunnel 't1'", line: 9 },
          hint: "give every tunnel and link its own inside network",
        },
      ],
    },
    {
      name: "mixed: an inside6 on the host's IPv6 LAN (address6) and on an IPv6 interface",
      site: yaml`
        site: test
        hosts:
          a: { os: debian, address: 10.0.0.1/24, address6: "2001:db8::1/64", interfaces: { eth1: { address: "2001:db8:5::1/64" } } }
        peers:
          r1: { platform: cisco-ios, address: 203.0.113.1 }
        tunnels:
          t1: ${vti("a, r1", "169.254.100.0/30", 100, ', inside6: "2001:db8::ff00/126"')}
          t2: ${vti("a, r1", "169.254.100.4/30", 101, ', inside6: "2001:db8:5::/127"')}
      `,
      errors: [
        {
          at: "7:178",
          token: '"2001:db8::ff00/126"',
          messageId: "hostNetwork",
          data: { cidr: "2001:db8::ff00/126", owner: "tunnel 't1'", network: "2001:db8::/64", host: "a", origin: "address 2001:db8::1/64" },
          hint: "pick an inside network no host uses (169.254.0.0/16 is customary)",
        },
        {
          at: "8:178",
          token: '"2001:db8:5::/127"',
          messageId: "hostNetwork",
          data: { cidr: "2001:db8:5::/127", owner: "tunnel 't2'", network: "2001:db8:5::/64", host: "a", origin: "eth1 2001:db8:5::1/64" },
          hint: "pick an inside network no host uses (169.254.0.0/16 is customary)",
        },
      ],
    },
  ],
});
