import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { clusterObjectsUnique } from "./cluster-objects-unique.js";

testRule(clusterObjectsUnique, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    {
      name: "one allowlist per namespace, osm names unique per namespace, cilium names unique",
      site: yaml`
        site: test
        cluster:
          egress:
            - { namespace: payments, allow: [{ to: 10.0.0.0/8 }] }
            - { namespace: billing, allow: [{ to: 10.0.0.0/8 }] }
          mesh:
            osmEdge:
              egress:
                - { name: api, namespace: a, serviceAccounts: [x], ports: [https/443] }
                - { name: api, namespace: b, serviceAccounts: [x], ports: [https/443] }
          cilium:
            egressGateways:
              - { name: one, to: [10.0.0.0/8], nodeSelector: { role: gw }, interface: tun0 }
              - { name: two, to: [10.0.0.0/8], nodeSelector: { role: gw }, interface: tun0 }
      `,
    },
  ],
  invalid: [
    {
      name: "a namespace with two allowlists, a duplicate osm policy and a duplicate cilium policy",
      site: yaml`
        site: test
        cluster:
          egress:
            - { namespace: payments, allow: [{ to: 10.0.0.0/8 }] }
            - { namespace: billing, allow: [{ to: 10.0.0.0/8 }] }
            - namespace: payments
              pods: { app: curl }
              allow: [{ to: 172.16.0.0/12 }]
          mesh:
            osmEdge:
              egress:
                - { name: api, namespace: a, serviceAccounts: [x], ports: [https/443] }
                - { name: api, namespace: a, serviceAccounts: [y], ports: [http/80] }
          cilium:
            egressGateways:
              - { name: one, to: [10.0.0.0/8], nodeSelector: { role: gw }, interface: tun0 }
              - { name: one, to: [172.16.0.0/12], nodeSelector: { role: gw }, interface: tun0 }
      `,
      errors: [
        { at: "6:18", token: "payments", messageId: "egressNamespace", data: { namespace: "payments", line: 4 }, hint: "merge them into one entry with several allow items" },
        { at: "13:19", token: "api", messageId: "osmEgress", data: { name: "api", namespace: "a", line: 12 }, hint: "give each policy its own name" },
        { at: "17:17", token: "one", messageId: "ciliumPolicy", data: { name: "one", line: 16 }, hint: "give each policy its own name" },
      ],
    },
  ],
});
