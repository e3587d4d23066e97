import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { tunnelSite } from "../../test/fixtures/rules/sites.js";
import { proposalStructure } from "./proposal-structure.js";

testRule(proposalStructure, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "classic and AEAD IKEv2 proposals, ESP with and without PFS", site: tunnelSite("{ proposals: [aes256-sha256-modp3072, aes256gcm16-prfsha384-ecp384] }", "{ proposals: [aes256gcm16-ecp384, aes256-sha256, aes128-sha256-modp3072] }") },
    { name: "IKEv1 with CBC ciphers", site: tunnelSite("{ version: 1, proposals: [aes256-sha256-modp3072] }", "{ proposals: [aes256gcm16-modp3072] }") },
    { name: "unknown keywords are left to unknown-algorithm", site: tunnelSite("{ proposals: [aes256-sha256-mod3072] }", "{ proposals: [aes256-sha256] }") },
  ],
  invalid: [
    {
      name: "IKE without encryption or DH group, ESP with a PRF",
      site: tunnelSite("{ proposals: [sha256-prfsha256] }", "{ proposals: [aes256-sha256-prfsha256] }"),
      errors: [
        { at: "9:24", token: "sha256-prfsha256", messageId: "noEncryption", data: { what: "IKE proposal 'sha256-prfsha256' of tunnel 't1'", aead: "", classic: "", integrity: "sha256", prf: "prfsha256" }, hint: "add one, e.g. aes256 (or aes256gcm16 for AEAD)" },
        { at: "9:24", token: "sha256-prfsha256", messageId: "noDh", data: { what: "IKE proposal 'sha256-prfsha256' of tunnel 't1'", aead: "", classic: "", integrity: "sha256", prf: "prfsha256" }, hint: "add one, e.g. modp3072 or ecp384" },
        { at: "10:24", token: "aes256-sha256-prfsha256", messageId: "espPrf", data: { what: "ESP proposal 'aes256-sha256-prfsha256' of tunnel 't1'", aead: "", classic: "aes256", integrity: "sha256", prf: "prfsha256" }, hint: "drop it; a DH group in an ESP proposal turns on PFS" },
      ],
    },
    {
      name: "AEAD mixed with classic, AEAD with integrity in ESP, classic without integrity",
      site: tunnelSite("{ proposals: [aes256gcm16-aes256-sha256-prfsha256-ecp384, aes256-prfsha256-modp3072] }", "{ proposals: [aes256gcm16-sha256, aes256-modp3072] }"),
      errors: [
        { at: "9:24", token: "aes256gcm16-aes256-sha256-prfsha256-ecp384", messageId: "mixed", data: { what: "IKE proposal 'aes256gcm16-aes256-sha256-prfsha256-ecp384' of tunnel 't1'", aead: "aes256gcm16", classic: "aes256", integrity: "sha256", prf: "prfsha256" }, hint: "split it into two proposals, one AEAD and one classic" },
        { at: "9:68", token: "aes256-prfsha256-modp3072", messageId: "noIntegrity", data: { what: "IKE proposal 'aes256-prfsha256-modp3072' of tunnel 't1'", aead: "", classic: "aes256", integrity: "", prf: "prfsha256" }, hint: "add one, e.g. aes256-sha256-modp3072" },
        { at: "10:24", token: "aes256gcm16-sha256", messageId: "aeadIntegrity", data: { what: "ESP proposal 'aes256gcm16-sha256' of tunnel 't1'", aead: "aes256gcm16", classic: "", integrity: "sha256", prf: "" }, hint: "drop sha256: AEAD authenticates by itself" },
        { at: "10:44", token: "aes256-modp3072", messageId: "noIntegrity", data: { what: "ESP proposal 'aes256-modp3072' of tunnel 't1'", aead: "", classic: "aes256", integrity: "", prf: "" }, hint: "add one, e.g. aes256-sha256" },
      ],
    },
    {
      name: "IKE AEAD without a PRF (once with an integrity algorithm strongSwan would silently turn into one)",
      site: tunnelSite("{ proposals: [aes256gcm16-ecp384, aes256gcm16-sha384-ecp384, aes128gcm16-sha256-prfsha256-ecp256] }", "{ proposals: [aes256gcm16] }"),
      errors: [
        { at: "9:24", token: "aes256gcm16-ecp384", messageId: "aeadNoPrf", data: { what: "IKE proposal 'aes256gcm16-ecp384' of tunnel 't1'", aead: "aes256gcm16", classic: "", integrity: "", prf: "" }, hint: "write it explicitly, e.g. aes256gcm16-prfsha384-ecp384" },
        { at: "9:44", token: "aes256gcm16-sha384-ecp384", messageId: "aeadNoPrf", data: { what: "IKE proposal 'aes256gcm16-sha384-ecp384' of tunnel 't1'", aead: "aes256gcm16", classic: "", integrity: "sha384", prf: "" }, hint: "write it explicitly, e.g. aes256gcm16-prfsha384-ecp384 (and drop sha384)" },
        { at: "9:71", token: "aes128gcm16-sha256-prfsha256-ecp256", messageId: "aeadIntegrity", data: { what: "IKE proposal 'aes128gcm16-sha256-prfsha256-ecp256' of tunnel 't1'", aead: "aes128gcm16", classic: "", integrity: "sha256", prf: "prfsha256" }, hint: "drop sha256: AEAD authenticates by itself" },
      ],
    },
    {
      name: "IKEv1 with AEAD and CTR ciphers for the IKE SA (fine for ESP)",
      site: tunnelSite("{ version: 1, proposals: [aes256gcm16-prfsha384-ecp384, aes256ctr-sha256-modp3072] }", "{ proposals: [aes256gcm16-ecp384] }"),
      errors: [
        { at: "9:36", token: "aes256gcm16-prfsha384-ecp384", messageId: "ikev1Cipher", data: { what: "IKE proposal 'aes256gcm16-prfsha384-ecp384' of tunnel 't1'", aead: "aes256gcm16", classic: "", integrity: "", prf: "prfsha384", cipher: "aes256gcm16" }, hint: "use a CBC cipher such as aes256 with IKEv1, or ike.version: 2" },
        { at: "9:66", token: "aes256ctr-sha256-modp3072", messageId: "ikev1Cipher", data: { what: "IKE proposal 'aes256ctr-sha256-modp3072' of tunnel 't1'", aead: "", classic: "aes256ctr", integrity: "sha256", prf: "", cipher: "aes256ctr" }, hint: "use a CBC cipher such as aes256 with IKEv1, or ike.version: 2" },
      ],
    },
  ],
});
