import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { crdIpv4Only } from "./crd-ipv4-only.js";

const site = (osm: string, to: string, except = "[]") => yaml`
  site: test
  networks: { lan: 10.1.0.0/16, lan6: 2001:db8:1::/48 }
  cluster:
    mesh:
      osmEdge:
        egress:
          - { name: api, namespace: a, serviceAccounts: [x], ipAddresses: ${osm}, ports: [tcp/443] }
    cilium:
      egressGateways:
        - { name: gw, to: ${to}, except: ${except}, nodeSelector: { role: gw }, interface: tun0 }
`;

testRule(crdIpv4Only, {
  valid: [
    { name: "IPv6: the dual-stack site (no osm-edge or Cilium policy) stays silent", site: DUAL_STACK },
    { name: "IPv4 networks, by name and literal", site: site("[lan, 10.2.0.0/16]", "[lan]", "[10.1.5.0/24]") },
  ],
  invalid: [
    {
      name: "an IPv6 literal in osm-edge ipAddresses",
      site: site("[lan, 2001:db8:9::/48]", "[lan]"),
      errors: [{ at: "7:79", token: "2001:db8:9::/48", messageId: "osm", data: { name: "api", prefix: "2001:db8:9::/48" } }],
    },
    {
      name: "an IPv6 network name in Cilium's to, and an IPv6 literal in except",
      site: site("[lan]", "[lan, lan6]", "[2001:db8:1:5::/64]"),
      errors: [
        { at: "10:31", token: "lan6", messageId: "cilium", data: { name: "gw", prefix: "2001:db8:1::/48", key: "to" } },
        { at: "10:47", token: "2001:db8:1:5::/64", messageId: "cilium", data: { name: "gw", prefix: "2001:db8:1:5::/64", key: "except" } },
      ],
    },
  ],
});
