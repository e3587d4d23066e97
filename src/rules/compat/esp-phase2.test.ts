import { testRule } from "../../../test/fixtures/rules/rule-tester.js";
import { espPhase2 } from "./esp-phase2.js";
import { compatSite } from "./site-fixture.js";

testRule(espPhase2, {
  valid: [
    { name: "one definition for both ends", site: compatSite() },
    { name: "no PFS on either end", site: compatSite({ esp: "{ proposals: [aes256-sha256] }" }) },
    { name: "the router lists an extra proposal with the same PFS group", site: compatSite({ tunnel: "    overrides:\n      rtr: { esp: { proposals: [aes256-sha256-modp3072, aes128-sha256-modp3072] } }" }) },
    { name: "GCM aliases (aes256gcm = aes256gcm16)", site: compatSite({ esp: "{ proposals: [aes256gcm16-modp3072] }", tunnel: "    overrides:\n      rtr: { esp: { proposals: [aes256gcm-modp3072] } }" }) },
    { name: "the ICV in bits or octets is one transform (aes256gcm128 = aes256gcm16)", site: compatSite({ esp: "{ proposals: [aes256gcm16-modp3072, aes128-sha256-modp3072] }", tunnel: "    overrides:\n      rtr: { esp: { proposals: [aes256gcm128-modp3072] } }" }) },
    { name: "sha2_256 is sha256", site: compatSite({ esp: "{ proposals: [aes128-sha256-modp3072] }", tunnel: "    overrides:\n      rtr: { esp: { proposals: [aes128-sha2_256-modp3072] } }" }) },
  ],
  invalid: [
    {
      name: "the router drops PFS",
      site: compatSite({ tunnel: "    overrides:\n      rtr:\n        esp: { proposals: [aes256-sha256] }" }),
      errors: [{ at: "27:27", token: "[aes256-sha256]", message: "tunnel 'vpn1': gw requires PFS group modp3072 but rtr requires none" }],
    },
    {
      name: "a different ICV length is a different transform (aes256gcm96 is not aes256gcm16)",
      site: compatSite({ esp: "{ proposals: [aes256gcm16-modp3072] }", tunnel: "    overrides:\n      rtr:\n        esp: { proposals: [aes256gcm96-modp3072] }" }),
      errors: [{ at: "27:27", token: "[aes256gcm96-modp3072]", message: "tunnel 'vpn1': the ESP proposals of the two ends do not intersect (gw: aes256gcm16-modp3072; rtr: aes256gcm96-modp3072)" }],
    },
    {
      name: "the router's ESP proposals share nothing with the gateway's",
      site: compatSite({ tunnel: "    overrides:\n      rtr:\n        esp: { proposals: [aes128gcm16-modp3072] }" }),
      errors: [
        {
          at: "27:27",
          token: "[aes128gcm16-modp3072]",
          message: "tunnel 'vpn1': the ESP proposals of the two ends do not intersect (gw: aes256-sha256-modp3072; rtr: aes128gcm16-modp3072)",
        },
      ],
    },
  ],
});
