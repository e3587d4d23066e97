import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { exceptWithin } from "./except-within.js";

testRule(exceptWithin, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
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
    {
      name: "IPv6 and mixed: IPv6 exceptions strictly inside IPv6 destinations, beside an IPv4 one",
      site: yaml`
        site: test
        networks:
          partner6: 2001:db8:72::/56
          partner-db6: 2001:db8:72:5::/64
        cluster:
          egress:
            - namespace: payments
              allow:
                - { to: partner6, except: [partner-db6, "2001:db8:72::1"] }
                - { to: 172.16.0.0/24, except: [172.16.0.5] }
          cilium:
            egressGateways:
              - { name: gw, to: [10.0.0.0/8, partner6], except: [partner-db6], nodeSelector: { role: gw }, interface: tun0 }
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
    {
      name: "IPv6: an except equal to its destination, and one of the other family (never within)",
      site: yaml`
        site: test
        networks:
          partner6: 2001:db8:72::/56
        cluster:
          egress:
            - namespace: payments
              allow:
                - { to: partner6, except: [partner6, 172.16.0.0/24] }
      `,
      errors: [
        { at: "8:36", token: "partner6", messageId: "egress", data: { except: "2001:db8:72::/56", to: "2001:db8:72::/56" }, hint: "list only parts of 2001:db8:72::/56 under except" },
        { at: "8:46", token: "172.16.0.0/24", messageId: "egress", data: { except: "172.16.0.0/24", to: "2001:db8:72::/56" }, hint: "list only parts of 2001:db8:72::/56 under except" },
      ],
    },
    {
      name: "mixed: a Cilium IPv6 exception outside the gateway's IPv4 and IPv6 destinations",
      site: yaml`
        site: test
        cluster:
          cilium:
            egressGateways:
              - { name: gw, to: [10.0.0.0/8, "2001:db8:72::/56"], except: ["2001:db8:72:5::/64", "2001:db8:73::/64"], nodeSelector: { role: gw }, interface: tun0 }
      `,
      errors: [
        { at: "5:90", token: '"2001:db8:73::/64"', messageId: "cilium", data: { except: "2001:db8:73::/64", name: "gw" }, hint: "destinations: 10.0.0.0/8, 2001:db8:72::/56" },
      ],
    },
  ],
});
