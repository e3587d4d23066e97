import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { tunnelSite } from "../../test/fixtures/rules/sites.js";
import { ikev1OneAlgorithm } from "./ikev1-one-algorithm.js";

testRule(ikev1OneAlgorithm, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "IKEv2 may list several algorithms of a kind", site: tunnelSite("{ proposals: [aes256-aes128-sha256-sha384-modp3072-ecp384] }", "{ proposals: [aes256gcm16-aes128gcm16] }") },
    { name: "IKEv1 with one algorithm of each kind per proposal", site: tunnelSite("{ version: 1, proposals: [aes256-sha256-modp3072, aes128-sha256-modp3072] }", "{ proposals: [aes256-sha256-modp3072] }") },
  ],
  invalid: [
    {
      name: "IKEv1 proposals with a second cipher and a second DH group",
      site: tunnelSite("{ version: 1, proposals: [aes256-aes128-sha256-modp3072-modp2048] }", "{ proposals: [aes256-sha256-sha384] }"),
      errors: [
        { at: "9:36", token: "aes256-aes128-sha256-modp3072-modp2048", messageId: "ignored", data: { kind: "IKE", proposal: "aes256-aes128-sha256-modp3072-modp2048", owner: "tunnel 't1'", ignored: "aes128 and modp2048" }, hint: "write one proposal per combination, e.g. aes256-sha256-modp3072" },
        { at: "10:24", token: "aes256-sha256-sha384", messageId: "ignored", data: { kind: "ESP", proposal: "aes256-sha256-sha384", owner: "tunnel 't1'", ignored: "sha384" }, hint: "write one proposal per combination, e.g. aes256-sha256" },
      ],
    },
    {
      name: "a tunnel-level proposal used by an end that overrides the version to 1",
      strict: true,
      site: tunnelSite("{ proposals: [aes256-sha256-modp3072-ecp384] }", "{ proposals: [aes256-sha256] }", "    overrides:\n      r1: { ike: { version: 1 } }\n"),
      errors: [
        { at: "9:24", token: "aes256-sha256-modp3072-ecp384", messageId: "ignored", data: { kind: "IKE", proposal: "aes256-sha256-modp3072-ecp384", owner: "tunnel 't1'", ignored: "ecp384" }, hint: "write one proposal per combination, e.g. aes256-sha256-modp3072" },
      ],
    },
  ],
});
