import { testRule } from "../../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../../test/fixtures/rules/ipv6-sites.js";
import { ikePhase1 } from "./ike-phase1.js";
import { compatSite } from "../../../test/helpers/compat-site.js";

/** The router as an AWS Site-to-Site VPN (a cloud peer: judged by provider data, not as IOS). */
const aws = (tunnel: string) => compatSite({ peer: "    cloud: { gateway: transit-gateway }", tunnel }).replace("platform: cisco-ios", "platform: aws-vpn");

testRule(ikePhase1, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "one definition for both ends", site: compatSite() },
    {
      name: "the router overrides its proposals but keeps one in common",
      site: compatSite({ tunnel: "    overrides:\n      rtr: { ike: { proposals: [aes128-sha256-modp2048, aes256-sha256-modp3072] } }" }),
    },
    { name: "aliases are the same algorithm (aes = aes128)", site: compatSite({ ike: "{ version: 1, proposals: [aes-sha256-modp3072] }", tunnel: "    overrides:\n      rtr: { ike: { proposals: [aes128-sha256-modp3072] } }" }) },
    { name: "IKEv2 proposals intersect on one algorithm of each kind", site: compatSite({ ike: "{ version: 2, proposals: [aes256-aes128-sha256-modp3072] }", tunnel: "    overrides:\n      gw: { ike: { proposals: [aes128-sha384-sha256-ecp384-modp3072] } }" }) },
    { name: "the router's IKEv1 lifetime is longer than the gateway's", site: compatSite({ tunnel: "    overrides:\n      rtr: { ike: { lifetime: 24h } }" }) },
    { name: "an AWS peer is not IOS: a shorter lifetime on its end is fine", site: aws("    overrides:\n      rtr: { ike: { lifetime: 4h } }") },
  ],
  invalid: [
    {
      name: "an AWS peer on IKEv1: the gateway's IKE lifetime must be one AWS accepts",
      site: aws("    overrides:\n      gw: { ike: { lifetime: 10h } }"),
      errors: [
        {
          at: "27:30",
          token: "10h",
          messageId: "cloudLifetime",
          data: { tunnel: "vpn1", host: "gw", peer: "rtr", hostLifetime: "10h", title: "AWS Site-to-Site VPN", range: "900s to 28800s" },
          hint: "give gw an IKE lifetime of 28800s",
        },
      ],
    },
    {
      name: "the router is overridden to IKEv2",
      site: compatSite({ tunnel: "    overrides:\n      rtr:\n        ike: { version: 2 }" }),
      errors: [{ at: "27:25", token: "2 }", messageId: "version", data: { tunnel: "vpn1", host: "gw", peer: "rtr", hostVersion: 1, peerVersion: 2 } }],
    },
    {
      name: "the router's IKE proposals share nothing with the gateway's",
      site: compatSite({ tunnel: "    overrides:\n      rtr:\n        ike: { proposals: [aes128-sha256-modp2048] }" }),
      errors: [
        {
          at: "27:27",
          token: "[aes128-sha256-modp2048]",
          messageId: "proposals",
          data: { tunnel: "vpn1", host: "gw", peer: "rtr", hostProposals: "aes256-sha256-modp3072", peerProposals: "aes128-sha256-modp2048" },
        },
      ],
    },
    {
      name: "an explicit PRF on one end only that differs from the other end's integrity",
      site: compatSite({ ike: "{ version: 2, proposals: [aes256-sha256-modp3072] }", tunnel: "    overrides:\n      gw:\n        ike: { proposals: [aes256-sha256-prfsha384-modp3072] }" }),
      errors: [
        {
          at: "27:27",
          token: "[aes256-sha256-prfsha384-modp3072]",
          messageId: "proposals",
          data: { tunnel: "vpn1", host: "gw", peer: "rtr", hostProposals: "aes256-sha256-prfsha384-modp3072", peerProposals: "aes256-sha256-modp3072" },
        },
      ],
    },
    {
      name: "the router's IKEv1 lifetime is shorter than the gateway's (IOS refuses the longer one)",
      site: compatSite({ tunnel: "    overrides:\n      rtr:\n        ike: { lifetime: 1h }" }),
      errors: [{ at: "27:26", token: "1h", messageId: "lifetime", data: { tunnel: "vpn1", host: "gw", peer: "rtr", hostLifetime: "8h", peerLifetime: "1h" }, hint: "give gw an IKE lifetime of at most 1h" }],
    },
  ],
});
