import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { tunnelSite } from "../../test/fixtures/rules/sites.js";
import { unknownAlgorithm } from "./unknown-algorithm.js";

testRule(unknownAlgorithm, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "known keywords of every kind", site: tunnelSite("{ proposals: [aes256gcm16-prfsha384-curve25519, camellia256-aesxcbc-prfaesxcbc-ecp512bp] }", "{ proposals: [chacha20poly1305-x25519-esn] }") },
    {
      // strongSwan's own spellings: the AEAD ICV in bits, the bare default, sha2_*, sha1_160, md5_128.
      name: "AEAD forms with the ICV in bits or octets, and the underscore keywords",
      site: tunnelSite(
        "{ proposals: [aes128gcm128-prfsha256-ecp256, aes256ccm96-prfsha256-modp3072, aes128-sha2_256-sha1_160-md5_128-modp3072] }",
        "{ proposals: [aes128gcm128-ecp256, aes256gcm64, aes192gcm96, aes128ccm, aes256ccm64, camellia128ccm128, aes256gcm] }",
      ),
    },
  ],
  invalid: [
    {
      name: "misspelt keywords get a did-you-mean; a token far from any gets the keyword list",
      site: tunnelSite("{ proposals: [aes265-sha256-modp3072] }", "{ proposals: [aes256-sha256-mod3072, aes256-rot13] }"),
      errors: [
        { at: "9:24", token: "aes265-sha256-modp3072", messageId: "unknown", data: { token: "aes265", kind: "IKE", proposal: "aes265-sha256-modp3072", owner: "tunnel 't1'" }, hint: "did you mean 'aes256'?", fix: "aes256-sha256-modp3072" },
        { at: "10:24", token: "aes256-sha256-mod3072", messageId: "unknown", data: { token: "mod3072", kind: "ESP", proposal: "aes256-sha256-mod3072", owner: "tunnel 't1'" }, hint: "did you mean 'modp3072'?", fix: "aes256-sha256-modp3072" },
        { at: "10:47", token: "aes256-rot13", messageId: "unknown", data: { token: "rot13", kind: "ESP", proposal: "aes256-rot13", owner: "tunnel 't1'" }, hint: "see docs.strongswan.org/docs/latest/config/proposals.html for the keywords" },
      ],
    },
    {
      name: "strongSwan keywords sitewire does not accept say why; an object property name is no keyword",
      site: tunnelSite("{ proposals: [aes256-sha256-modp3072-modpnone, aes256-sha256-constructor] }", "{ proposals: [aes256gcm16-ecp384-none, aes256gcm16-kyber3] }"),
      errors: [
        { at: "9:24", token: "aes256-sha256-modp3072-modpnone", messageId: "excluded", data: { kind: "IKE", proposal: "aes256-sha256-modp3072-modpnone", owner: "tunnel 't1'", why: "'modpnone' makes PFS optional; sitewire states PFS exactly: a DH group in every ESP proposal, or in none" }, hint: "remove it; for PFS put one DH group in every ESP proposal (e.g. aes256gcm16-ecp384)" },
        { at: "9:57", token: "aes256-sha256-constructor", messageId: "unknown", data: { token: "constructor", kind: "IKE", proposal: "aes256-sha256-constructor", owner: "tunnel 't1'" }, hint: "see docs.strongswan.org/docs/latest/config/proposals.html for the keywords" },
        { at: "10:24", token: "aes256gcm16-ecp384-none", messageId: "excluded", data: { kind: "ESP", proposal: "aes256gcm16-ecp384-none", owner: "tunnel 't1'", why: "'none' makes PFS optional; sitewire states PFS exactly: a DH group in every ESP proposal, or in none" }, hint: "remove it; for PFS put one DH group in every ESP proposal (e.g. aes256gcm16-ecp384)" },
        { at: "10:49", token: "aes256gcm16-kyber3", messageId: "excluded", data: { kind: "ESP", proposal: "aes256gcm16-kyber3", owner: "tunnel 't1'", why: "'kyber3' is a post-quantum key exchange that stable strongSwan releases do not offer as a proposal keyword (strongSwan 6 adds such methods as additional key exchanges, ke1_…, which sitewire does not model)" }, hint: "remove it; for PFS put one DH group in every ESP proposal (e.g. aes256gcm16-ecp384)" },
      ],
    },
  ],
});
