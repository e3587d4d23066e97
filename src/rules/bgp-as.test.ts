import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { CRYPTO } from "../../test/fixtures/rules/sites.js";
import { bgpAs } from "./bgp-as.js";

/** One host and one peer with a BGP tunnel; `hostBgp`/`peerBgp` are the routing blocks (or ""). Tunnel bgp on line 14. */
const site = (hostBgp: string, peerBgp: string, platform = "strongswan", peerExtra = "") => yaml`
  site: test
  hosts:
    gw: { os: debian, address: 10.0.0.1/24${hostBgp} }
  peers:
    far: { platform: ${platform}, address: 203.0.113.1${peerBgp}${peerExtra} }
  tunnels:
    t1:
      between: [gw, far]
      ike: { proposals: [aes256-sha256-modp3072] }
      esp: { proposals: [aes256-sha256] }
      psk: { env: T1_PSK }
      inside: 169.254.1.0/30
      key: 1
      bgp: { holdTime: 30s }
`;

testRule(bgpAs, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "both ends with their own AS", site: site(", routing: { bgp: { as: 65010 } }", ", routing: { bgp: { as: 65020 } }") },
    {
      name: "a tunnel without bgp needs no AS",
      site: yaml`
        site: test
        hosts:
          gw: { os: debian, address: 10.0.0.1/24 }
        peers:
          far: { platform: strongswan, address: 203.0.113.1 }
        tunnels:
          t1: { between: [gw, far], ${CRYPTO}, psk: { env: T1_PSK }, inside: 169.254.1.0/30, key: 1 }
      `,
    },
  ],
  invalid: [
    {
      name: "no AS on either end: reported at the tunnel's bgp key, hints naming what to add",
      site: site("", ""),
      errors: [
        { at: "14:5", token: "bgp", messageId: "missing", data: { tunnel: "t1", role: "host", node: "gw" }, hint: "add hosts.gw.routing.bgp: { as: <ASN> } (a private ASN, e.g. 65010)" },
        { at: "14:5", token: "bgp", messageId: "missing", data: { tunnel: "t1", role: "peer", node: "far" }, hint: "add peers.far.routing.bgp: { as: <ASN> }" },
      ],
    },
    {
      name: "an AWS peer without an AS: the hint names AWS's default ASN",
      site: site(", routing: { bgp: { as: 65010 } }", "", "aws-vpn", ", cloud: { gateway: transit-gateway }"),
      errors: [
        { at: "14:5", token: "bgp", messageId: "missing", data: { tunnel: "t1", role: "peer", node: "far" }, hint: "add peers.far.routing.bgp: { as: 64512 } (AWS Site-to-Site VPN's default ASN, or the one the gateway has)" },
      ],
    },
    {
      name: "iBGP: both ends in one AS",
      site: site(", routing: { bgp: { as: 65010 } }", ", routing: { bgp: { as: 65010 } }"),
      errors: [
        { at: "14:5", token: "bgp", messageId: "same", data: { tunnel: "t1", host: "gw", peer: "far", as: 65010 }, hint: "give the host and the peer different ASes (private ASNs 64512-65534)" },
      ],
    },
  ],
});
