/**
 * sitewire's proposal vocabulary is strongSwan's own keyword table:
 * - src/model/strongswan-keywords.ts is exactly what the generator prints for its data (nobody edited it);
 * - every keyword sitewire accepts is one the installed libstrongswan knows (Debian 12: strongSwan 5.9.8):
 *   the gperf table's names are strings in the library, merged by the linker where one name ends another
 *   ("esn" inside "noesn"), so a name is present when some string of the library ends with it;
 * - aliases share an identity, and the ICV length is part of it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { algorithmOf, exclusionOf, identityOf, knownTokens, parseProposal } from "../../src/model/crypto.js";
import { KEYWORDS_COMMIT, STRONGSWAN_KEYWORDS } from "../../src/model/strongswan-keywords.js";
import { PACKAGE_ROOT } from "../../src/render/templates.js";
import { missing } from "../harness/tools.js";
import { renderKeywordModule, parseKeywordTable } from "./generate-strongswan-keywords.js";

const LIBSTRONGSWAN = "/usr/lib/ipsec/libstrongswan.so.0";

describe("the strongSwan keyword module", () => {
  it("is the generator's output for its own data (regenerate it, never edit it)", () => {
    const upstream = ["%%", ...[...STRONGSWAN_KEYWORDS].map(([name, k]) => `${name}, ${k.type}, ${k.algorithm}, ${k.keySize}`)].join("\n");
    const module = readFileSync(join(PACKAGE_ROOT, "src/model/strongswan-keywords.ts"), "utf8");
    expect(renderKeywordModule(parseKeywordTable(upstream), KEYWORDS_COMMIT)).toBe(module);
  });

  it("holds the AEAD ciphers with the ICV in octets and in bits, as strongSwan writes them", () => {
    for (const [octets, bits] of [["aes128gcm16", "aes128gcm128"], ["aes256gcm12", "aes256gcm96"], ["aes128gcm8", "aes128gcm64"], ["aes192ccm16", "aes192ccm128"], ["aes256ccm8", "aes256ccm64"]] as const) {
      expect(algorithmOf(octets), octets).toBeDefined();
      expect(identityOf(bits), `${bits} = ${octets}`).toBe(identityOf(octets));
    }
    expect(identityOf("aes128gcm")).toBe(identityOf("aes128gcm16"));
    expect(identityOf("aes128gcm12")).not.toBe(identityOf("aes128gcm16"));
    expect(algorithmOf("aes128gcm128")).toMatchObject({ kind: "encryption", aead: true, icvBits: 128, keySize: 128 });
    expect(algorithmOf("aes256ccm64")).toMatchObject({ aead: true, icvBits: 64, keySize: 256 });
    // chacha20poly1305compat sends a key length attribute, chacha20poly1305 does not: two transforms.
    expect(identityOf("chacha20poly1305compat")).not.toBe(identityOf("chacha20poly1305"));
  });

  it("reads the underscore keywords and knows no prototype property", () => {
    expect(parseProposal("aes128-sha2_256-sha1_160-md5_128-sha256_96-modp3072")).toMatchObject({ unknown: [], excluded: [], proposal: { integrity: ["sha2_256", "sha1_160", "md5_128", "sha256_96"] } });
    expect(parseProposal("aes128-constructor-__proto__-tostring").unknown).toEqual(["constructor", "__proto__", "tostring"]);
  });

  it("excludes only optional PFS, the test group and the post-quantum methods, each with a reason", () => {
    const excluded = [...STRONGSWAN_KEYWORDS.keys()].filter((k) => exclusionOf(k) !== undefined);
    expect(excluded.filter((k) => !/^(?:none|modpnone|modpnull|ntru\d+|kyber\d|ntrup\d|ntrur\d|saber\d|bike\d|frodo[as]\d|hqc\d|sike\d)$/.test(k))).toEqual([]);
    expect(knownTokens().length + excluded.length).toBe(STRONGSWAN_KEYWORDS.size);
  });
});

describe.skipIf(missing("ipsec"))("the installed strongSwan knows every accepted keyword", () => {
  it(`each is a name in ${LIBSTRONGSWAN}`, () => {
    // The printable runs of the library, like strings(1).
    const strings = readFileSync(LIBSTRONGSWAN).toString("latin1").split(/[^\x20-\x7e]+/);
    const absent = knownTokens().filter((k) => !strings.some((s) => s.endsWith(k)));
    expect(absent).toEqual([]);
    // And the check can fail: a name the library has not.
    expect(strings.some((s) => s.endsWith("aes128gcm4096"))).toBe(false);
  });
});
