import { testRule, yaml } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { egressGatewayConflict } from "./egress-gateway-conflict.js";

testRule(egressGatewayConflict, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    {
      name: "one gateway by interface, one by egressIP",
      site: yaml`
        site: test
        cluster:
          cilium:
            egressGateways:
              - { name: by-interface, to: [172.16.0.0/24], nodeSelector: { role: vpn-front }, interface: tun0 }
              - { name: by-address, to: [172.16.0.0/24], nodeSelector: { role: vpn-front }, egressIP: 172.16.0.10 }
      `,
    },
  ],
  invalid: [
    {
      name: "both egressIP and interface",
      site: yaml`
        site: test
        cluster:
          cilium:
            egressGateways:
              - name: partner
                to: [172.16.0.0/24]
                nodeSelector: { role: vpn-front }
                egressIP: 172.16.0.10
                interface: tun0
      `,
      errors: [
        { at: "9:9", token: "interface", messageId: "both", data: { name: "partner" }, hint: "keep one: egressIP for a fixed source address, interface to use that interface's first address" },
      ],
    },
  ],
});
