import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { tunnelSite } from "../../test/fixtures/rules/sites.js";
import { proposalStructure } from "./proposal-structure.js";

testRule(proposalStructure, {
  valid: [
    { name: "classic and AEAD IKEv2 proposals, ESP with and without PFS", site: tunnelSite("{ proposals: [aes256-sha256-modp3072, aes256gcm16-prfsha384-ecp384] }", "{ proposals: [aes256gcm16-ecp384, aes256-sha256, aes128-sha256-modp3072] }") },
    { name: "IKEv1 with CBC ciphers", site: tunnelSite("{ version: 1, proposals: [aes256-sha256-modp3072] }", "{ proposals: [aes256gcm16-modp3072] }") },
    { name: "unknown keywords are left to unknown-algorithm", site: tunnelSite("{ proposals: [aes256-sha256-mod3072] }", "{ proposals: [aes256-sha256] }") },
  ],
  invalid: [
    {
      name: "IKE without encryption or DH group, ESP with a PRF",
      site: tunnelSite("{ proposals: [sha256-prfsha256] }", "{ proposals: [aes256-sha256-prfsha256] }"),
      errors: [
        { at: "9:24", token: "sha256-prfsha256", message: "IKE proposal 'sha256-prfsha256' of tunnel 't1' has no encryption algorithm", hint: "add one, e.g. aes256 (or aes256gcm16 for AEAD)" },
        { at: "9:24", token: "sha256-prfsha256", message: "IKE proposal 'sha256-prfsha256' of tunnel 't1' has no key exchange (DH) group", hint: "add one, e.g. modp3072 or ecp384" },
        { at: "10:24", token: "aes256-sha256-prfsha256", message: "ESP proposal 'aes256-sha256-prfsha256' of tunnel 't1' names PRF prfsha256, but ESP has no PRF", hint: "drop it; a DH group in an ESP proposal turns on PFS" },
      ],
    },
    {
      name: "AEAD mixed with classic, AEAD with integrity in ESP, classic without integrity",
      site: tunnelSite("{ proposals: [aes256gcm16-aes256-sha256-prfsha256-ecp384, aes256-prfsha256-modp3072] }", "{ proposals: [aes256gcm16-sha256, aes256-modp3072] }"),
      errors: [
        { at: "9:24", token: "aes256gcm16-aes256-sha256-prfsha256-ecp384", message: "IKE proposal 'aes256gcm16-aes256-sha256-prfsha256-ecp384' of tunnel 't1' mixes AEAD (aes256gcm16) and classic (aes256) encryption", hint: "split it into two proposals, one AEAD and one classic" },
        { at: "9:68", token: "aes256-prfsha256-modp3072", message: "IKE proposal 'aes256-prfsha256-modp3072' of tunnel 't1' uses aes256 without an integrity algorithm", hint: "add one, e.g. aes256-sha256-modp3072" },
        { at: "10:24", token: "aes256gcm16-sha256", message: "ESP proposal 'aes256gcm16-sha256' of tunnel 't1' combines AEAD aes256gcm16 with integrity algorithm sha256, which is never used", hint: "drop sha256: AEAD authenticates by itself" },
        { at: "10:44", token: "aes256-modp3072", message: "ESP proposal 'aes256-modp3072' of tunnel 't1' uses aes256 without an integrity algorithm", hint: "add one, e.g. aes256-sha256" },
      ],
    },
    {
      name: "IKE AEAD without a PRF (once with an integrity algorithm strongSwan would silently turn into one)",
      site: tunnelSite("{ proposals: [aes256gcm16-ecp384, aes256gcm16-sha384-ecp384, aes128gcm16-sha256-prfsha256-ecp256] }", "{ proposals: [aes256gcm16] }"),
      errors: [
        { at: "9:24", token: "aes256gcm16-ecp384", message: "IKE proposal 'aes256gcm16-ecp384' of tunnel 't1' uses AEAD aes256gcm16 but names no PRF", hint: "write it explicitly, e.g. aes256gcm16-prfsha384-ecp384" },
        { at: "9:44", token: "aes256gcm16-sha384-ecp384", message: "IKE proposal 'aes256gcm16-sha384-ecp384' of tunnel 't1' uses AEAD aes256gcm16 but names no PRF", hint: "write it explicitly, e.g. aes256gcm16-prfsha384-ecp384 (and drop sha384)" },
        { at: "9:71", token: "aes128gcm16-sha256-prfsha256-ecp256", message: "IKE proposal 'aes128gcm16-sha256-prfsha256-ecp256' of tunnel 't1' combines AEAD aes128gcm16 with integrity algorithm sha256, which is never used", hint: "drop sha256: AEAD authenticates by itself" },
      ],
    },
    {
      name: "IKEv1 with AEAD and CTR ciphers for the IKE SA (fine for ESP)",
      site: tunnelSite("{ version: 1, proposals: [aes256gcm16-prfsha384-ecp384, aes256ctr-sha256-modp3072] }", "{ proposals: [aes256gcm16-ecp384] }"),
      errors: [
        { at: "9:36", token: "aes256gcm16-prfsha384-ecp384", message: "IKE proposal 'aes256gcm16-prfsha384-ecp384' of tunnel 't1' uses aes256gcm16, which IKEv1 cannot negotiate for the IKE SA", hint: "use a CBC cipher such as aes256 with IKEv1, or ike.version: 2" },
        { at: "9:66", token: "aes256ctr-sha256-modp3072", message: "IKE proposal 'aes256ctr-sha256-modp3072' of tunnel 't1' uses aes256ctr, which IKEv1 cannot negotiate for the IKE SA", hint: "use a CBC cipher such as aes256 with IKEv1, or ike.version: 2" },
      ],
    },
  ],
});
