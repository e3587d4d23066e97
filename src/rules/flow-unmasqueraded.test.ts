import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
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

testRule(flowUnmasqueraded, {
  valid: [
    { name: "seed 001: only the cluster network is left unmasqueraded", site: site("[node-lan]", "  masquerade: { nonMasqueradeCIDRs: [cluster-internal] }") },
    { name: "sources that are networks, not hosts", site: site("[office]", "  masquerade: { nonMasqueradeCIDRs: agent-defaults }") },
    { name: "no ip-masq-agent configured", site: site("[node-lan]", "  description: no masquerade section") },
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
  ],
});
