import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { egressGatewaySource } from "./egress-gateway-source.js";

testRule(egressGatewaySource, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    {
      name: "a gateway by interface",
      site: yaml`
        site: test
        cluster:
          cilium:
            egressGateways:
              - { name: partner, to: [172.16.0.0/24], nodeSelector: { role: vpn-front }, interface: tun0 }
      `,
    },
  ],
  invalid: [
    {
      name: "neither egressIP nor interface",
      site: yaml`
        site: test
        cluster:
          cilium:
            egressGateways:
              - { name: ok, to: [172.16.0.0/24], nodeSelector: { role: vpn-front }, interface: tun0 }
              - name: partner
                to: [172.16.0.0/24]
                nodeSelector: { role: vpn-front }
      `,
      errors: [
        { at: "6:9", token: "name", messageId: "missing", data: { name: "partner" }, hint: "add interface: <the tunnel's interface, e.g. tun0> or egressIP: <an address of the gateway node>" },
      ],
    },
  ],
});
