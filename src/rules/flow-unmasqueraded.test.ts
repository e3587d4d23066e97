import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { flowUnmasqueraded } from "./flow-unmasqueraded.js";

/** Seeds 000-003: nodes reach the partner network through the front machine. */
const site = (from: string, masquerade: string) => yaml`
  site: test
  networks:
    cluster-internal: 10.0.0.0/8
    partner-vpn: 172.16.0.0/24
    office: 192.168.100.0/24
  hosts:
    vpn-front: { os: rhel, address: 10.24.0.20/22, interfaces: { tun0: { address: 172.16.0.10/24 } } }
    node-lan: { os: debian, address: 10.24.0.10/22 }
  flows:
    partner-api: { from: ${from}, to: [partner-vpn], via: vpn-front, out: tun0 }
  cluster:
${masquerade}
`;

/** The dual-stack site: a node reaches both families' data-centre networks through the edge. */
const dual = (to: string, masquerade: string) => yaml`
  site: test
  networks:
    cluster-internal: 10.244.0.0/16
    cluster-internal6: fd10::/48
    dc-lan: 10.71.0.0/16
    dc-lan6: 2001:db8:71::/48
  hosts:
    edge: { os: debian, release: 12, address: 10.70.0.1/24, address6: "2001:db8:70::1/64", interfaces: { tun0: { address: "2001:db8:ffff::70/64" } } }
    node-1: { os: debian, address: 10.70.0.10/24, address6: "2001:db8:70::10/64" }
  flows:
    nodes-to-dc: { from: [node-1], to: ${to}, via: edge, out: tun0 }
  cluster:
${masquerade}
`;

testRule(flowUnmasqueraded, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "seed 001: only the cluster network is left unmasqueraded", site: site("[node-lan]", "  masquerade: { nonMasqueradeCIDRs: [cluster-internal] }") },
    { name: "sources that are networks, not hosts", site: site("[office]", "  masquerade: { nonMasqueradeCIDRs: agent-defaults }") },
    { name: "no ip-masq-agent configured", site: site("[node-lan]", "  description: no masquerade section") },
    {
      name: "IPv6 and mixed: destinations of both families outside the lists of both families",
      site: dual("[dc-lan, dc-lan6]", "  masquerade: { nonMasqueradeCIDRs: [cluster-internal, cluster-internal6] }"),
    },
    { name: "IPv6: the agent's defaults are IPv4 networks only", site: dual('[dc-lan6, "fd00::/8"]', "  masquerade: { nonMasqueradeCIDRs: agent-defaults }") },
  ],
  invalid: [
    {
      name: "the partner network listed as non-masquerade",
      site: site("[node-lan]", "  masquerade: { nonMasqueradeCIDRs: [cluster-internal, 172.16.0.0/12] }"),
      errors: [
        { at: "10:41", token: "partner-vpn", messageId: "unmasqueraded", data: { flow: "partner-api", prefix: "172.16.0.0/24", cidr: "172.16.0.0/12", gateway: "vpn-front", listed: "cluster.masquerade.nonMasqueradeCIDRs" }, hint: "remove 172.16.0.0/12 from nonMasqueradeCIDRs or narrow it" },
      ],
    },
    {
      name: "the agent's RFC 1918 defaults cover the partner network",
      site: site("[node-lan]", "  masquerade: { nonMasqueradeCIDRs: agent-defaults }"),
      errors: [
        { at: "10:41", token: "partner-vpn", messageId: "unmasqueraded", data: { flow: "partner-api", prefix: "172.16.0.0/24", cidr: "172.16.0.0/12", gateway: "vpn-front", listed: "an ip-masq-agent default" }, hint: "list nonMasqueradeCIDRs explicitly without this destination" },
      ],
    },
    {
      name: "an error under --strict",
      strict: true,
      site: site("[node-lan]", "  masquerade: { nonMasqueradeCIDRs: agent-defaults }"),
      errors: [
        { at: "10:41", token: "partner-vpn", messageId: "unmasqueraded", data: { flow: "partner-api", prefix: "172.16.0.0/24", cidr: "172.16.0.0/12", gateway: "vpn-front", listed: "an ip-masq-agent default" }, hint: "list nonMasqueradeCIDRs explicitly without this destination" },
      ],
    },
    {
      name: "IPv6: an IPv6 destination inside an IPv6 non-masquerade network, by literal",
      site: dual('[dc-lan, "2001:db8:71:5::/64"]', "  masquerade: { nonMasqueradeCIDRs: [cluster-internal, dc-lan6] }"),
      errors: [
        {
          at: "11:47",
          token: '"2001:db8:71:5::/64"',
          messageId: "unmasqueraded",
          data: { flow: "nodes-to-dc", prefix: "2001:db8:71:5::/64", cidr: "2001:db8:71::/48", gateway: "edge", listed: "cluster.masquerade.nonMasqueradeCIDRs" },
          hint: "remove dc-lan6 from nonMasqueradeCIDRs or narrow it",
        },
      ],
    },
    {
      name: "mixed: the IPv4 destination of a dual-stack flow inside the agent's defaults, its IPv6 one not",
      site: dual("[dc-lan, dc-lan6]", "  masquerade: { nonMasqueradeCIDRs: agent-defaults }"),
      errors: [
        {
          at: "11:39",
          token: "dc-lan",
          messageId: "unmasqueraded",
          data: { flow: "nodes-to-dc", prefix: "10.71.0.0/16", cidr: "10.0.0.0/8", gateway: "edge", listed: "an ip-masq-agent default" },
          hint: "list nonMasqueradeCIDRs explicitly without this destination",
        },
      ],
    },
  ],
});
