import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { exceptWithin } from "./except-within.js";

testRule(exceptWithin, {
  valid: [
    {
      name: "exceptions strictly inside their destinations",
      site: yaml`
        site: test
        networks:
          partner: 172.16.0.0/24
          partner-db: 172.16.0.128/25
        cluster:
          egress:
            - namespace: payments
              allow:
                - { to: partner, except: [partner-db, 172.16.0.5] }
          cilium:
            egressGateways:
              - { name: gw, to: [10.0.0.0/8, partner], except: [partner], nodeSelector: { role: gw }, interface: tun0 }
      `,
    },
  ],
  invalid: [
    {
      name: "an except equal to its destination, one outside it, and one after an unresolved entry",
      site: yaml`
        site: test
        networks:
          partner: 172.16.0.0/24
        cluster:
          egress:
            - namespace: payments
              allow:
                - { to: nowhere, except: [10.0.0.0/8] }
                - { to: partner, except: [partner, 192.168.0.0/16] }
      `,
      resolver: ["SW102"],
      errors: [
        { at: "9:35", token: "partner", messageId: "egress", data: { except: "172.16.0.0/24", to: "172.16.0.0/24" }, hint: "list only parts of 172.16.0.0/24 under except" },
        { at: "9:44", token: "192.168.0.0/16", messageId: "egress", data: { except: "192.168.0.0/16", to: "172.16.0.0/24" }, hint: "list only parts of 172.16.0.0/24 under except" },
      ],
    },
    {
      name: "a Cilium exception outside every destination",
      site: yaml`
        site: test
        cluster:
          cilium:
            egressGateways:
              - { name: gw, to: [10.0.0.0/8], except: [10.1.0.0/16, 192.168.0.0/16], nodeSelector: { role: gw }, interface: tun0 }
      `,
      errors: [
        { at: "5:61", token: "192.168.0.0/16", messageId: "cilium", data: { except: "192.168.0.0/16", name: "gw" }, hint: "destinations: 10.0.0.0/8" },
      ],
    },
  ],
});
