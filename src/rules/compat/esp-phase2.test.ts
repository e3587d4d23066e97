import { testRule } from "../../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../../test/fixtures/rules/ipv6-sites.js";
import { espPhase2 } from "./esp-phase2.js";
import { compatSite } from "../../../test/helpers/compat-site.js";

/** The router as an AWS Site-to-Site VPN (a cloud peer: judged by provider data, not as IOS). */
const aws = (tunnel: string) => compatSite({ peer: "    cloud: { gateway: transit-gateway }", tunnel }).replace("platform: cisco-ios", "platform: aws-vpn");

testRule(espPhase2, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "one definition for both ends", site: compatSite() },
    { name: "no PFS on either end", site: compatSite({ esp: "{ proposals: [aes256-sha256] }" }) },
    { name: "the router lists an extra proposal with the same PFS group", site: compatSite({ tunnel: "    overrides:\n      rtr: { esp: { proposals: [aes256-sha256-modp3072, aes128-sha256-modp3072] } }" }) },
    { name: "GCM aliases (aes256gcm = aes256gcm16)", site: compatSite({ esp: "{ proposals: [aes256gcm16-modp3072] }", tunnel: "    overrides:\n      rtr: { esp: { proposals: [aes256gcm-modp3072] } }" }) },
    { name: "the ICV in bits or octets is one transform (aes256gcm128 = aes256gcm16)", site: compatSite({ esp: "{ proposals: [aes256gcm16-modp3072, aes128-sha256-modp3072] }", tunnel: "    overrides:\n      rtr: { esp: { proposals: [aes256gcm128-modp3072] } }" }) },
    { name: "sha2_256 is sha256", site: compatSite({ esp: "{ proposals: [aes128-sha256-modp3072] }", tunnel: "    overrides:\n      rtr: { esp: { proposals: [aes128-sha2_256-modp3072] } }" }) },
    { name: "an AWS peer on IKEv1 with ESP lifetimes AWS accepts on both ends", site: aws("    overrides:\n      gw: { esp: { lifetime: 30m } }") },
  ],
  invalid: [
    {
      name: "an AWS peer on IKEv1: the gateway's ESP lifetime must be one AWS accepts",
      site: aws("    overrides:\n      gw: { esp: { lifetime: 2h } }"),
      errors: [
        {
          at: "27:30",
          token: "2h",
          messageId: "cloudLifetime",
          data: { tunnel: "vpn1", host: "gw", peer: "rtr", hostLifetime: "2h", title: "AWS Site-to-Site VPN", range: "900s to 3600s" },
          hint: "give gw an ESP lifetime of 3600s",
        },
      ],
    },
    {
      name: "the router drops PFS",
      site: compatSite({ tunnel: "    overrides:\n      rtr:\n        esp: { proposals: [aes256-sha256] }" }),
      errors: [{ at: "27:27", token: "[aes256-sha256]", messageId: "pfs", data: { tunnel: "vpn1", host: "gw", peer: "rtr", hostPfs: "modp3072", peerPfs: "none" } }],
    },
    {
      name: "a different ICV length is a different transform (aes256gcm96 is not aes256gcm16)",
      site: compatSite({ esp: "{ proposals: [aes256gcm16-modp3072] }", tunnel: "    overrides:\n      rtr:\n        esp: { proposals: [aes256gcm96-modp3072] }" }),
      errors: [{ at: "27:27", token: "[aes256gcm96-modp3072]", messageId: "proposals", data: { tunnel: "vpn1", host: "gw", peer: "rtr", hostProposals: "aes256gcm16-modp3072", peerProposals: "aes256gcm96-modp3072" } }],
    },
    {
      name: "the router's ESP proposals share nothing with the gateway's",
      site: compatSite({ tunnel: "    overrides:\n      rtr:\n        esp: { proposals: [aes128gcm16-modp3072] }" }),
      errors: [
        {
          at: "27:27",
          token: "[aes128gcm16-modp3072]",
          messageId: "proposals",
          data: { tunnel: "vpn1", host: "gw", peer: "rtr", hostProposals: "aes256-sha256-modp3072", peerProposals: "aes128gcm16-modp3072" },
        },
      ],
    },
  ],
});
