import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { routedPrefixes } from "./routed-prefixes.js";

/** Seed 004's gateway in zone A, with the routes under test. */
const gateway = (routes: string, kind = "ipsec-vti") => yaml`
  site: test
  networks:
    vpc: 172.16.0.0/16
    onprem: 10.10.0.0/16
  hosts:
    strongswan-1: { os: rhel, address: 172.16.1.157/24, publicAddress: 54.223.192.238 }
  peers:
    dc-router-1: { platform: cisco-ios, address: 10.10.1.100, publicAddress: 52.50.130.77 }
  tunnels:
    vpn1:
      between: [strongswan-1, dc-router-1]
      kind: ${kind}
      ike: { proposals: [aes256-sha256-modp3072] }
      esp: { proposals: [aes256-sha256] }
      psk: { env: VPN1_PSK }
      inside: 169.254.100.0/30
      key: 100
      routes: ${routes}
`;

/** Seeds 000-003's front machine and two nodes, with the flow destinations under test. */
const front = (to: string) => yaml`
  site: test
  networks:
    partner-vpn: 172.16.0.0/24
  hosts:
    vpn-front: { os: rhel, address: 10.24.0.20/22, interfaces: { tun0: { address: 172.16.0.10/24 } } }
    node-lan: { os: debian, address: 10.24.0.10/22 }
    node-remote: { os: debian, address: 10.56.0.10/22 }
  links:
    vpnnic: { kind: ipip, between: [node-remote, vpn-front], inside: 192.168.10.0/30 }
  flows:
    partner-api: { from: [node-lan, node-remote], to: ${to}, via: vpn-front, out: tun0 }
`;

/** A dual-stack gateway with an IPv6 LAN on eth1, a dual-stack tunnel and an IPv6-outer tunnel, and a flow from a dual-stack node. */
const dual = (toPeer: string, toPeer6: string, to: string) => yaml`
  site: test
  networks:
    office6: 2001:db8:70::/64
    dc-lan6: 2001:db8:71::/48
  hosts:
    edge: { os: debian, release: 12, address: 10.70.0.1/24, address6: "2001:db8:ffff::70/64", interfaces: { eth1: { address: "2001:db8:70::1/64" } } }
    node-1: { os: debian, address: 10.70.0.10/24, address6: "2001:db8:70::10/64" }
  peers:
    dc: { platform: cisco-ios, address: 203.0.113.71 }
    cloud: { platform: strongswan, address: "2001:db8:ffff::72" }
  tunnels:
    to-dc:
      between: [edge, dc]
      ike: { proposals: [aes256-sha256-modp3072] }
      esp: { proposals: [aes256-sha256] }
      psk: { env: DC_PSK }
      inside: 169.254.70.0/30
      inside6: "fd00:70::/126"
      key: 70
      routes: { toPeer: ${toPeer}, toHost: [office6] }
    to-cloud:
      between: [edge, cloud]
      ike: { proposals: [aes256-sha256-modp3072] }
      esp: { proposals: [aes256-sha256] }
      psk: { env: CLOUD_PSK }
      inside: "fd00:71::/126"
      key: 71
      routes: { toPeer: ${toPeer6}, toHost: [office6] }
  flows:
    nodes-to-dc: { from: [node-1], to: ${to}, via: edge, out: xfrm70 }
`;

testRule(routedPrefixes, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "seed 004: onprem to the peer, the VPC (holding the gateway's own LAN) to the host", site: gateway("{ toPeer: [onprem], toHost: [vpc] }") },
    { name: "the peer's own LAN may contain its private address (it sends to its public one)", site: gateway("{ toPeer: [10.10.0.0/16], toHost: [vpc] }") },
    { name: "seeds 000-003: the partner network is on the out interface tun0 itself", site: front("[partner-vpn]") },
    { name: "policy-based selectors may cover the peer's public address", site: gateway("{ toPeer: [52.50.0.0/16], toHost: [vpc] }", "ipsec-policy").replace(/\n\s+inside: .*\n\s+key: 100/, "") },
    {
      name: "IPv6 and mixed: far networks of both families, an IPv6 peer whose outer address lies outside the routes",
      site: dual('[10.71.0.0/16, dc-lan6]', '["2001:db8:72::/56"]', "[10.71.0.0/16, dc-lan6]"),
    },
  ],
  invalid: [
    {
      name: "the seed-004 trap: the VPC routed to the peer from a gateway inside it",
      site: gateway("{ toPeer: [onprem, vpc], toHost: [vpc] }"),
      errors: [
        { at: "18:32", token: "vpc", messageId: "toPeer", data: { tunnel: "vpn1", prefix: "172.16.0.0/16", network: "172.16.1.0/24", host: "strongswan-1", origin: "address 172.16.1.157/24" }, hint: "toPeer lists the networks behind the peer; the networks behind the host belong in toHost" },
      ],
    },
    {
      name: "a policy-based tunnel whose selectors cover the host's LAN",
      site: gateway("{ toPeer: [172.16.1.0/25], toHost: [vpc] }", "ipsec-policy").replace(/\n\s+inside: .*\n\s+key: 100/, ""),
      errors: [
        { at: "16:24", token: "172.16.1.0/25", messageId: "toPeer", data: { tunnel: "vpn1", prefix: "172.16.1.0/25", network: "172.16.1.0/24", host: "strongswan-1", origin: "address 172.16.1.157/24" }, hint: "toPeer lists the networks behind the peer; the networks behind the host belong in toHost" },
      ],
    },
    {
      name: "routes that contain the outer addresses: the router's public address and the gateway's",
      site: gateway("{ toPeer: [onprem, 52.50.0.0/16], toHost: [0.0.0.0/0] }"),
      errors: [
        { at: "18:32", token: "52.50.0.0/16", messageId: "outer", data: { tunnel: "vpn1", prefix: "52.50.0.0/16", address: "52.50.130.77", sender: "host 'strongswan-1'" }, hint: "route the networks behind that end without 52.50.130.77" },
        { at: "18:56", token: "0.0.0.0/0", messageId: "outer", data: { tunnel: "vpn1", prefix: "0.0.0.0/0", address: "54.223.192.238", sender: "peer 'dc-router-1'" }, hint: "route the networks behind that end without 54.223.192.238" },
      ],
    },
    {
      name: "a flow to a network that contains the front machine's and the nodes' LAN",
      site: front("[partner-vpn, 10.0.0.0/8]"),
      errors: [
        { at: "11:67", token: "10.0.0.0/8", messageId: "flow", data: { flow: "partner-api", prefix: "10.0.0.0/8", gateway: "vpn-front", network: "10.24.0.0/22", host: "node-lan", origin: "address 10.24.0.10/22" }, hint: "part of the destination is attached to that host directly: narrow `to`" },
        { at: "11:67", token: "10.0.0.0/8", messageId: "flow", data: { flow: "partner-api", prefix: "10.0.0.0/8", gateway: "vpn-front", network: "10.24.0.0/22", host: "vpn-front", origin: "address 10.24.0.20/22" }, hint: "part of the destination is attached to that host directly: narrow `to`" },
        { at: "11:67", token: "10.0.0.0/8", messageId: "flow", data: { flow: "partner-api", prefix: "10.0.0.0/8", gateway: "vpn-front", network: "10.56.0.0/22", host: "node-remote", origin: "address 10.56.0.10/22" }, hint: "part of the destination is attached to that host directly: narrow `to`" },
      ],
    },
    {
      name: "IPv6: toPeer over the gateway's IPv6 LAN (eth1) and its outer network (address6)",
      site: dual('[dc-lan6, "2001:db8:70::/56"]', '["2001:db8:ffff::/48"]', "[dc-lan6]"),
      errors: [
        {
          at: "20:33",
          token: '"2001:db8:70::/56"',
          messageId: "toPeer",
          data: { tunnel: "to-dc", prefix: "2001:db8:70::/56", network: "2001:db8:70::/64", host: "edge", origin: "eth1 2001:db8:70::1/64" },
          hint: "toPeer lists the networks behind the peer; the networks behind the host belong in toHost",
        },
        {
          at: "28:24",
          token: '"2001:db8:ffff::/48"',
          messageId: "outer",
          data: { tunnel: "to-cloud", prefix: "2001:db8:ffff::/48", address: "2001:db8:ffff::72", sender: "host 'edge'" },
          hint: "route the networks behind that end without 2001:db8:ffff::72",
        },
        {
          at: "28:24",
          token: '"2001:db8:ffff::/48"',
          messageId: "toPeer",
          data: { tunnel: "to-cloud", prefix: "2001:db8:ffff::/48", network: "2001:db8:ffff::/64", host: "edge", origin: "address 2001:db8:ffff::70/64" },
          hint: "toPeer lists the networks behind the peer; the networks behind the host belong in toHost",
        },
      ],
    },
    {
      name: "mixed: a dual-stack flow whose IPv6 destination holds the node's and the gateway's IPv6 LAN (each host reported once)",
      site: dual("[10.71.0.0/16, dc-lan6]", '["2001:db8:72::/56"]', '[10.71.0.0/16, "2001:db8::/32"]'),
      errors: [
        {
          at: "30:53",
          token: '"2001:db8::/32"',
          messageId: "flow",
          data: { flow: "nodes-to-dc", prefix: "2001:db8::/32", gateway: "edge", network: "2001:db8:70::/64", host: "node-1", origin: "address 2001:db8:70::10/64" },
          hint: "part of the destination is attached to that host directly: narrow `to`",
        },
        {
          at: "30:53",
          token: '"2001:db8::/32"',
          messageId: "flow",
          data: { flow: "nodes-to-dc", prefix: "2001:db8::/32", gateway: "edge", network: "2001:db8:ffff::/64", host: "edge", origin: "address 2001:db8:ffff::70/64" },
          hint: "part of the destination is attached to that host directly: narrow `to`",
        },
      ],
    },
  ],
});
