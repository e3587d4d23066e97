import { testRule } from "../../test/fixtures/rules/rule-tester.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { tunnelSite } from "../../test/fixtures/rules/sites.js";
import { weakCrypto } from "./weak-crypto.js";

testRule(weakCrypto, {
  valid: [
    { name: "IPv6: the dual-stack site (both families everywhere) stays silent", site: DUAL_STACK },
    { name: "the recommended suites", site: tunnelSite("{ proposals: [aes256-sha256-modp3072, aes256gcm16-prfsha384-ecp384] }", "{ proposals: [aes256gcm16-ecp384, aes256-sha256] }") },
    { name: "modp2048 and sha384 are not on the list", site: tunnelSite("{ proposals: [aes128-sha384-modp2048] }", "{ proposals: [aes128-sha384-modp2048] }") },
  ],
  invalid: [
    {
      name: "seed 004's aes128-sha1-modp1024 on both phases",
      site: tunnelSite("{ version: 1, proposals: [aes128-sha1-modp1024] }", "{ proposals: [aes128-sha1-modp1024] }"),
      errors: [
        { at: "9:36", token: "aes128-sha1-modp1024", messageId: "weak", data: { kind: "IKE", proposal: "aes128-sha1-modp1024", owner: "tunnel 't1'", algorithms: "sha1 and modp1024" }, hint: "replace sha1 with sha256, modp1024 with modp3072; e.g. aes256-sha256-modp3072 or aes256gcm16-prfsha384-ecp384" },
        { at: "10:24", token: "aes128-sha1-modp1024", messageId: "weak", data: { kind: "ESP", proposal: "aes128-sha1-modp1024", owner: "tunnel 't1'", algorithms: "sha1 and modp1024" }, hint: "replace sha1 with sha256, modp1024 with modp3072; e.g. aes256-sha256-modp3072 or aes256gcm16-ecp384" },
      ],
    },
    {
      name: "3des, md5, prfsha1 and ecp192 in a second proposal and in an end's override",
      site: tunnelSite(
        "{ proposals: [aes256-sha256-modp3072, 3des-md5-prfsha1-ecp192] }",
        "{ proposals: [aes256-sha256] }",
        "    overrides:\n      r1: { esp: { proposals: [null-sha256] } }\n",
      ),
      errors: [
        { at: "9:48", token: "3des-md5-prfsha1-ecp192", messageId: "weak", data: { kind: "IKE", proposal: "3des-md5-prfsha1-ecp192", owner: "tunnel 't1'", algorithms: "3des, md5, prfsha1 and ecp192" }, hint: "replace 3des with aes256, md5 with sha256, prfsha1 with prfsha256, ecp192 with ecp384; e.g. aes256-sha256-modp3072 or aes256gcm16-prfsha384-ecp384" },
        { at: "15:32", token: "null-sha256", messageId: "weak", data: { kind: "ESP", proposal: "null-sha256", owner: "tunnel 't1' on 'r1'", algorithms: "null" }, hint: "replace null with aes256; e.g. aes256-sha256-modp3072 or aes256gcm16-ecp384" },
      ],
    },
    {
      name: "weak in every strongSwan spelling: sha1_160, md5_128, sha, blowfish, and GMAC (no encryption)",
      site: tunnelSite("{ proposals: [blowfish-sha1_160-modp3072, aes256-md5_128-sha-modp3072] }", "{ proposals: [aes256gmac] }"),
      errors: [
        { at: "9:24", token: "blowfish-sha1_160-modp3072", messageId: "weak", data: { kind: "IKE", proposal: "blowfish-sha1_160-modp3072", owner: "tunnel 't1'", algorithms: "blowfish and sha1_160" }, hint: "replace blowfish with aes256, sha1_160 with sha256; e.g. aes256-sha256-modp3072 or aes256gcm16-prfsha384-ecp384" },
        { at: "9:52", token: "aes256-md5_128-sha-modp3072", messageId: "weak", data: { kind: "IKE", proposal: "aes256-md5_128-sha-modp3072", owner: "tunnel 't1'", algorithms: "md5_128 and sha" }, hint: "replace md5_128 with sha256, sha with sha256; e.g. aes256-sha256-modp3072 or aes256gcm16-prfsha384-ecp384" },
        { at: "10:24", token: "aes256gmac", messageId: "weak", data: { kind: "ESP", proposal: "aes256gmac", owner: "tunnel 't1'", algorithms: "aes256gmac" }, hint: "replace aes256gmac with aes256gcm16; e.g. aes256-sha256-modp3072 or aes256gcm16-ecp384" },
      ],
    },
    {
      name: "allowWeak on the tunnel: a note carrying the reason, also under --strict",
      strict: true,
      site: tunnelSite("{ proposals: [aes128-sha1-modp2048] }", "{ proposals: [aes256-sha256] }", '    allowWeak: "AWS default proposal until the partner upgrades"\n'),
      errors: [
        {
          at: "9:24",
          token: "aes128-sha1-modp2048",
          severity: "note",
          messageId: "accepted",
          data: { kind: "IKE", proposal: "aes128-sha1-modp2048", owner: "tunnel 't1'", algorithms: "sha1", reason: "AWS default proposal until the partner upgrades" },
          hint: "replace sha1 with sha256; e.g. aes256-sha256-modp3072 or aes256gcm16-prfsha384-ecp384 (then drop allowWeak)",
        },
      ],
    },
    {
      name: "allowWeak on one tunnel does not accept the weak crypto of another",
      site: tunnelSite("{ proposals: [aes256-sha256-modp3072] }", "{ proposals: [aes256-sha256] }", '    allowWeak: "legacy"\n' + "  t2: { between: [gw, r1], ike: { proposals: [aes256-sha1-modp3072] }, esp: { proposals: [aes256-sha256] }, psk: { env: T2_PSK }, inside: 169.254.2.0/30, key: 2 }\n"),
      errors: [
        { at: "15:47", token: "aes256-sha1-modp3072", messageId: "weak", data: { kind: "IKE", proposal: "aes256-sha1-modp3072", owner: "tunnel 't2'", algorithms: "sha1" } },
      ],
    },
    {
      name: "an error under --strict",
      strict: true,
      site: tunnelSite("{ proposals: [aes256-sha256-modp1536] }", "{ proposals: [aes256-sha256] }"),
      errors: [
        { at: "9:24", token: "aes256-sha256-modp1536", messageId: "weak", data: { kind: "IKE", proposal: "aes256-sha256-modp1536", owner: "tunnel 't1'", algorithms: "modp1536" }, hint: "replace modp1536 with modp3072; e.g. aes256-sha256-modp3072 or aes256gcm16-prfsha384-ecp384" },
      ],
    },
  ],
});
