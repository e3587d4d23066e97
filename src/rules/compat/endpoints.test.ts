import { testRule } from "../../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../../test/fixtures/rules/ipv6-sites.js";
import { endpoints } from "./endpoints.js";
import { compatSite, secondTunnel, withSecondGateway } from "../../../test/helpers/compat-site.js";

testRule(endpoints, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    {
      name: "IPv6: IKEv1 main mode with an IPv6 address identity (the key is found by address)",
      site: compatSite().replace("    publicAddress: 54.0.0.1\n", '    publicAddress: 54.0.0.1\n    identity: "2001:db8::10"\n'),
    },
    { name: "address identities on IKEv1", site: compatSite() },
    { name: "a name identity on IKEv2", site: compatSite({ ike: "{ version: 2, proposals: [aes256-sha256-modp3072] }", peer: "    identity: rtr.example.net" }) },
    { name: "a name identity in IKEv1 aggressive mode", site: compatSite({ ike: "{ version: 1, aggressive: true, proposals: [aes256-sha256-modp3072] }", peer: "    identity: rtr.example.net" }) },
    { name: "two tunnels from two gateways to one router", site: withSecondGateway(compatSite({ more: secondTunnel("gw2", 20) })) },
    {
      name: "two tunnels to one AWS VPN, the second at its second address",
      site: compatSite({ peer: "    cloud: { gateway: transit-gateway }", more: `${secondTunnel("gw", 20)}\n    overrides: { rtr: { address: 52.0.0.2 } }` }).replace("platform: cisco-ios", "platform: aws-vpn"),
    },
  ],
  invalid: [
    {
      name: "a name identity in IKEv1 main mode",
      site: compatSite({ peer: "    identity: '@rtr.example.net'" }),
      errors: [
        {
          at: "15:15",
          token: "'@rtr.example.net'",
          messageId: "ikev1Identity",
          data: { tunnel: "vpn1", end: "rtr", identity: "@rtr.example.net" },
        },
      ],
    },
    {
      name: "two tunnels between the same endpoints",
      site: compatSite({ more: secondTunnel("gw", 20) }),
      errors: [{ at: "26:14", token: "[gw, rtr]", messageId: "duplicate", data: { tunnel: "vpn2", other: "vpn1", line: 16, local: "gw", remote: "rtr" } }],
    },
    {
      name: "two tunnels to one AWS VPN without the second tunnel address: the hint names the override",
      site: compatSite({ peer: "    cloud: { gateway: transit-gateway }", more: secondTunnel("gw", 20) }).replace("platform: cisco-ios", "platform: aws-vpn"),
      errors: [
        {
          at: "27:14",
          token: "[gw, rtr]",
          messageId: "duplicate",
          data: { tunnel: "vpn2", other: "vpn1", line: 17, local: "gw", remote: "rtr" },
          hint: "give this tunnel the provider's other tunnel address: tunnels.vpn2.overrides.rtr.address",
        },
      ],
    },
  ],
});
