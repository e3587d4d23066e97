import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { vti } from "../../test/fixtures/rules/sites.js";
import { insideOverlap } from "./inside-overlap.js";

testRule(insideOverlap, {
  valid: [
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
  ],
});
