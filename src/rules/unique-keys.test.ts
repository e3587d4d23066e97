import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { vti } from "../../test/fixtures/rules/sites.js";
import { uniqueKeys } from "./unique-keys.js";

const GATEWAYS = `hosts:
  gw1: { os: rhel, address: 172.16.1.157/24 }
  gw2: { os: rhel, address: 172.16.2.126/24 }
peers:
  r1: { platform: cisco-ios, address: 203.0.113.1 }
  r2: { platform: cisco-ios, address: 203.0.113.2 }
  s1: { platform: strongswan, address: 203.0.113.3 }`;

testRule(uniqueKeys, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    {
      name: "the same key, table and SLA id on two hosts and two routers (seed 004's two zones)",
      site: yaml`
        site: test
${GATEWAYS}
        tunnels:
          vpn1: ${vti("gw1, r1", "169.254.100.0/30", 100, ", table: 10, monitor: { slaId: 10 }")}
          vpn2: ${vti("gw2, r2", "169.254.200.0/30", 100, ", table: 10, monitor: { slaId: 10 }")}
      `,
    },
    {
      name: "two tunnels on one strongSwan peer may share numbers (no IOS Tunnel interfaces there)",
      site: yaml`
        site: test
${GATEWAYS}
        tunnels:
          t1: ${vti("gw1, s1", "169.254.1.0/30", 7)}
          t2: ${vti("gw2, s1", "169.254.1.4/30", 7)}
      `,
    },
    {
      name: "XFRM interfaces: the same if_id on two hosts",
      site: yaml`
        site: test
        hosts:
          gw1: { os: debian, release: 12, address: 172.16.1.157/24 }
          gw2: { os: debian, release: 12, address: 172.16.2.126/24 }
        peers:
          s1: { platform: strongswan, address: 203.0.113.3 }
        tunnels:
          t1: ${vti("gw1, s1", "169.254.1.0/30", 7)}
          t2: ${vti("gw2, s1", "169.254.1.4/30", 7)}
      `,
    },
  ],
  invalid: [
    {
      name: "two XFRM interfaces (debian 12's default) on one host with one key: one if_id",
      site: yaml`
        site: test
        hosts:
          gw1: { os: debian, release: 12, address: 172.16.1.157/24 }
        peers:
          s1: { platform: strongswan, address: 203.0.113.3 }
        tunnels:
          a: ${vti("gw1, s1", "169.254.1.0/30", 5, ", table: 11")}
          b: ${vti("gw1, s1", "169.254.1.4/30", 5, ", table: 12, device: xfrm-b")}
      `,
      errors: [
        { at: "8:161", token: "5", messageId: "hostIfId", data: { value: 5, tunnel: "b", device: "xfrm-b", first: "a", node: "gw1", line: 7 }, hint: "the key is the XFRM interface's if_id: give every route-based tunnel on a host its own key" },
      ],
    },
    {
      name: "a vti and an XFRM interface on one host with one key: reported as the second tunnel's kind says",
      site: yaml`
        site: test
        hosts:
          gw1: { os: debian, address: 172.16.1.157/24 }
        peers:
          s1: { platform: strongswan, address: 203.0.113.3 }
        tunnels:
          a: ${vti("gw1, s1", "169.254.1.0/30", 5, ", table: 11, device: { kind: xfrm }")}
          b: ${vti("gw1, s1", "169.254.1.4/30", 5, ", table: 12, device: vti-b")}
      `,
      errors: [
        { at: "8:161", token: "5", messageId: "hostKey", data: { value: 5, tunnel: "b", first: "a", node: "gw1", line: 7 }, hint: "the key is the IPsec mark: give every route-based tunnel on a host its own key" },
      ],
    },
    {
      name: "two tunnels on one host and one router with one key: the mark on the host, Tunnel100 on the router",
      site: yaml`
        site: test
${GATEWAYS}
        tunnels:
          a: ${vti("gw1, r1", "169.254.1.0/30", 100, ", table: 11")}
          b:
            between: [gw1, r1]
            ike: { proposals: [aes256-sha256-modp3072] }
            esp: { proposals: [aes256-sha256] }
            psk: { env: B_PSK }
            inside: 169.254.1.4/30
            key: 100
            table: 12
            device: vti-b
      `,
      errors: [
        { at: "17:10", token: "100", messageId: "peerId", data: { what: "Tunnel interface number", value: 100, tunnel: "b", first: "a", node: "r1", line: 10 }, hint: "give one of them its own key, or set monitor.slaId / monitor.trackId" },
        { at: "17:10", token: "100", messageId: "hostKey", data: { value: 100, tunnel: "b", first: "a", node: "gw1", line: 10 }, hint: "the key is the IPsec mark: give every route-based tunnel on a host its own key" },
      ],
    },
    {
      name: "explicit IP SLA and track ids reused on one router",
      site: yaml`
        site: test
${GATEWAYS}
        tunnels:
          a: ${vti("gw1, r1", "169.254.1.0/30", 20)}
          b: ${vti("gw2, r1", "169.254.1.4/30", 21, ", monitor: { slaId: 20, trackId: 20 }")}
      `,
      errors: [
        { at: "11:184", token: "20", messageId: "peerId", data: { what: "IP SLA id", value: 20, tunnel: "b", first: "a", node: "r1", line: 10 }, hint: "give one of them its own key, or set monitor.slaId / monitor.trackId" },
        { at: "11:197", token: "20", messageId: "peerId", data: { what: "track id", value: 20, tunnel: "b", first: "a", node: "r1", line: 10 }, hint: "give one of them its own key, or set monitor.slaId / monitor.trackId" },
      ],
    },
  ],
});
