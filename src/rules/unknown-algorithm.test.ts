import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { tunnelSite } from "../../test/fixtures/rules/sites.js";
import { unknownAlgorithm } from "./unknown-algorithm.js";

testRule(unknownAlgorithm, {
  valid: [
    { name: "known keywords of every kind", site: tunnelSite("{ proposals: [aes256gcm16-prfsha384-curve25519, camellia256-aesxcbc-prfaesxcbc-ecp512bp] }", "{ proposals: [chacha20poly1305-x25519-esn] }") },
  ],
  invalid: [
    {
      name: "misspelt keywords get a did-you-mean; a token far from any gets the keyword list",
      site: tunnelSite("{ proposals: [aes265-sha256-modp3072] }", "{ proposals: [aes256-sha256-mod3072, aes256-rot13] }"),
      errors: [
        { at: "9:24", token: "aes265-sha256-modp3072", message: "unknown algorithm 'aes265' in IKE proposal 'aes265-sha256-modp3072' of tunnel 't1'", hint: "did you mean 'aes256'?" },
        { at: "10:24", token: "aes256-sha256-mod3072", message: "unknown algorithm 'mod3072' in ESP proposal 'aes256-sha256-mod3072' of tunnel 't1'", hint: "did you mean 'modp3072'?" },
        { at: "10:47", token: "aes256-rot13", message: "unknown algorithm 'rot13' in ESP proposal 'aes256-rot13' of tunnel 't1'", hint: "see docs.strongswan.org/docs/latest/config/proposals.html for the keywords" },
      ],
    },
  ],
});
