import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { tunnelSite } from "../../test/fixtures/rules/sites.js";
import { aggressiveMode } from "./aggressive-mode.js";

testRule(aggressiveMode, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "IKEv1 main mode", site: tunnelSite("{ version: 1, proposals: [aes256-sha256-modp3072], aggressive: false }", "{ proposals: [aes256-sha256] }") },
    { name: "IKEv2 with aggressive set is inapplicable-settings' business", site: tunnelSite("{ proposals: [aes256-sha256-modp3072], aggressive: true }", "{ proposals: [aes256-sha256] }") },
  ],
  invalid: [
    {
      name: "IKEv1 aggressive mode",
      site: tunnelSite("{ version: 1, proposals: [aes256-sha256-modp3072], aggressive: true }", "{ proposals: [aes256-sha256] }"),
      errors: [
        { at: "9:73", token: "true", messageId: "aggressive", data: { tunnel: "t1" }, hint: "remove aggressive: true (main mode protects the identities and the PSK)" },
      ],
    },
    {
      name: "an error under --strict",
      strict: true,
      site: tunnelSite("{ version: 1, proposals: [aes256-sha256-modp3072], aggressive: true }", "{ proposals: [aes256-sha256] }"),
      errors: [
        { at: "9:73", token: "true", messageId: "aggressive", data: { tunnel: "t1" }, hint: "remove aggressive: true (main mode protects the identities and the PSK)" },
      ],
    },
  ],
});
