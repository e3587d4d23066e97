import { describe, expect, it } from "vitest";
import { parseProposal } from "../../model/crypto.js";
import type { TunnelEnd } from "../../model/types.js";
import { parseDuration } from "../../model/values.js";
import { iosDpd, translateCrypto } from "./translate.js";

/** A peer end with just the crypto fields translateCrypto reads. */
function end(ike: string[], esp: string[], version: 1 | 2 = 1, lifetimes: [string, string] = ["8h", "1h"]): TunnelEnd {
  const proposals = (list: string[]) => list.map((p) => parseProposal(p).proposal);
  const espProposals = proposals(esp);
  return {
    ike: { version, proposals: proposals(ike), lifetime: parseDuration(lifetimes[0]), aggressive: false },
    esp: { proposals: espProposals, lifetime: parseDuration(lifetimes[1]), ...(espProposals[0]?.dh[0] ? { pfsGroup: espProposals[0].dh[0] } : {}) },
  } as unknown as TunnelEnd;
}

describe("strongSwan → IOS: isakmp policies (IKEv1)", () => {
  it.each([
    ["aes128-sha1-modp1024", { encryption: "aes 128", hash: "sha", group: 2 }],
    ["aes-sha-modp1536", { encryption: "aes 128", hash: "sha", group: 5 }],
    ["aes192-sha384-ecp384", { encryption: "aes 192", hash: "sha384", group: 20 }],
    ["aes256-sha256-modp3072", { encryption: "aes 256", hash: "sha256", group: 15 }],
    ["aes256-sha512-prfsha512-modp4096", { encryption: "aes 256", hash: "sha512", group: 16 }],
    ["3des-md5-modp2048", { encryption: "3des", hash: "md5", group: 14 }],
    ["aes256-sha256-ecp256", { encryption: "aes 256", hash: "sha256", group: 19 }],
    ["aes256-sha256-ecp521", { encryption: "aes 256", hash: "sha256", group: 21 }],
    ["aes256-sha256-modp2048s256", { encryption: "aes 256", hash: "sha256", group: 24 }],
  ])("%s", (proposal, policy) => {
    const { crypto, problems } = translateCrypto(end([proposal], ["aes256-sha256"]));
    expect(problems).toEqual([]);
    expect(crypto.isakmp).toEqual([policy]);
  });

  it.each([
    ["aes256-sha256-curve25519", "'curve25519' in proposal 'aes256-sha256-curve25519' cannot be expressed in Cisco IOS's isakmp policy"],
    ["aes256-sha256-modp6144", "'modp6144' in proposal 'aes256-sha256-modp6144' cannot be expressed in Cisco IOS's isakmp policy"],
    ["camellia256-sha256-modp3072", "'camellia256' in proposal 'camellia256-sha256-modp3072' cannot be expressed in Cisco IOS's isakmp policy"],
    ["aes256-aesxcbc-modp3072", "'aesxcbc' in proposal 'aes256-aesxcbc-modp3072' cannot be expressed in Cisco IOS's isakmp policy"],
    ["aes256-sha256-prfsha384-modp3072", "'prfsha384' in proposal 'aes256-sha256-prfsha384-modp3072' cannot be expressed in Cisco IOS's isakmp policy (its PRF is the HMAC of the integrity algorithm)"],
    ["aes256-aes128-sha256-modp3072", "IKEv1 proposal 'aes256-aes128-sha256-modp3072' lists several algorithms of one kind; Cisco IOS's isakmp policy holds one encryption algorithm, one integrity algorithm, one DH group"],
  ])("rejects %s", (proposal, message) => {
    const { problems } = translateCrypto(end(["aes256-sha256-modp3072", proposal], ["aes256-sha256"]));
    expect(problems).toEqual([{ setting: "ike.proposals", index: 1, message, hint: expect.any(String) }]);
  });

  it.each([
    ["aes256gcm16-prfsha384-ecp384", "IKEv1 cannot negotiate 'aes256gcm16' for the IKE SA (proposal 'aes256gcm16-prfsha384-ecp384')"],
    ["aes256ctr-sha256-modp3072", "IKEv1 cannot negotiate 'aes256ctr' for the IKE SA (proposal 'aes256ctr-sha256-modp3072')"],
    ["aes256-modp3072", "IKEv1 proposal 'aes256-modp3072' has no integrity algorithm"],
    ["aes256-sha256", "IKE proposal 'aes256-sha256' has no DH group"],
  ])("marks %s as invalid for strongSwan too (SW123 reports it)", (proposal, message) => {
    expect(translateCrypto(end([proposal], ["aes256-sha256"])).problems).toEqual([{ setting: "ike.proposals", index: 0, message, structural: true }]);
  });
});

describe("strongSwan → IOS: IKEv2 proposals", () => {
  it("keeps every algorithm of a proposal (an IKEv2 proposal is a set per kind)", () => {
    const { crypto, problems } = translateCrypto(end(["aes128-aes256-sha256-sha384-modp2048-ecp256"], ["aes256-sha256"], 2));
    expect(problems).toEqual([]);
    expect(crypto.ikev2).toEqual([{ encryption: ["aes-cbc-128", "aes-cbc-256"], integrity: ["sha256", "sha384"], prf: [], groups: [14, 19] }]);
  });
  it("translates GCM with its PRF and no integrity", () => {
    expect(translateCrypto(end(["aes256gcm16-prfsha384-ecp384", "aes128gcm16-prfsha256-modp3072"], ["aes256-sha256"], 2)).crypto.ikev2).toEqual([
      { encryption: ["aes-gcm-256"], integrity: [], prf: ["sha384"], groups: [20] },
      { encryption: ["aes-gcm-128"], integrity: [], prf: ["sha256"], groups: [15] },
    ]);
  });
  it("translates the ICV-in-bits spellings like the octet ones (aes128gcm128 = aes128gcm16)", () => {
    expect(translateCrypto(end(["aes128gcm128-prfsha256-ecp256", "aes256gcm-prfsha384-ecp384"], ["aes256-sha256"], 2)).crypto.ikev2).toEqual([
      { encryption: ["aes-gcm-128"], integrity: [], prf: ["sha256"], groups: [19] },
      { encryption: ["aes-gcm-256"], integrity: [], prf: ["sha384"], groups: [20] },
    ]);
  });
  it.each([
    ["aes128gcm64-prfsha256-ecp256", "'aes128gcm64' in proposal 'aes128gcm64-prfsha256-ecp256' cannot be expressed in Cisco IOS's IKEv2 proposal", false],
    ["aes128gcm8-prfsha256-ecp256", "'aes128gcm8' in proposal 'aes128gcm8-prfsha256-ecp256' cannot be expressed in Cisco IOS's IKEv2 proposal", false],
    ["chacha20poly1305-prfsha256-curve25519", "'chacha20poly1305' in proposal 'chacha20poly1305-prfsha256-curve25519' cannot be expressed in Cisco IOS's IKEv2 proposal", false],
    ["aes256-sha256-curve25519", "'curve25519' in proposal 'aes256-sha256-curve25519' cannot be expressed in Cisco IOS's IKEv2 proposal", false],
    ["aes256gcm16-ecp384", "IKEv2 proposal 'aes256gcm16-ecp384' uses GCM without a PRF", true],
    ["aes256gcm16-sha256-prfsha256-ecp384", "IKEv2 proposal 'aes256gcm16-sha256-prfsha256-ecp384' combines GCM with an integrity algorithm", true],
    ["aes256gcm16-aes256-prfsha256-ecp384", "IKEv2 proposal 'aes256gcm16-aes256-prfsha256-ecp384' mixes AEAD and non-AEAD encryption", true],
    ["aes256-sha256", "IKE proposal 'aes256-sha256' has no DH group", true],
  ])("rejects %s", (proposal, message, structural) => {
    const [problem] = translateCrypto(end([proposal], ["aes256-sha256"], 2)).problems;
    expect(problem).toMatchObject({ setting: "ike.proposals", index: 0, message });
    expect(problem?.structural === true).toBe(structural);
  });
});

describe("strongSwan → IOS: transform sets and PFS", () => {
  it.each([
    ["aes128-sha1", "esp-aes 128 esp-sha-hmac", undefined],
    ["aes256-sha256-modp3072", "esp-aes 256 esp-sha256-hmac", 15],
    ["aes192-sha384-ecp384", "esp-aes 192 esp-sha384-hmac", 20],
    ["aes256-sha512-modp4096", "esp-aes 256 esp-sha512-hmac", 16],
    ["aes256gcm16-ecp384", "esp-gcm 256", 20],
    ["aes128gcm-modp2048", "esp-gcm 128", 14],
    // strongSwan's ICV-in-bits spellings and sha2_* aliases: the same transforms.
    ["aes128gcm128-modp2048", "esp-gcm 128", 14],
    ["aes256gcm128", "esp-gcm 256", undefined],
    ["aes256-sha2_384-ecp384", "esp-aes 256 esp-sha384-hmac", 20],
    ["3des-md5", "esp-3des esp-md5-hmac", undefined],
  ])("%s", (proposal, transforms, pfs) => {
    const { crypto, problems } = translateCrypto(end(["aes256-sha256-modp3072"], [proposal]));
    expect(problems).toEqual([]);
    expect(crypto.transformSets).toEqual([{ transforms }]);
    expect(crypto.pfsGroup).toBe(pfs);
  });
  it.each([
    [["aes256gcm16-sha256-ecp384"], "ESP proposal 'aes256gcm16-sha256-ecp384' combines GCM with an integrity algorithm"],
    [["aes256-ecp384"], "ESP proposal 'aes256-ecp384' has no integrity algorithm"],
    [["aes128gcm12-ecp384"], "'aes128gcm12' in proposal 'aes128gcm12-ecp384' cannot be expressed in Cisco IOS's transform set"],
    [["aes256-sha256-sha384"], "ESP proposal 'aes256-sha256-sha384' lists several algorithms of one kind; Cisco IOS's transform set holds one encryption algorithm, one integrity algorithm"],
    [["aes256-sha256-modp3072", "aes128-sha256-modp2048"], "the ESP proposals ask for different PFS groups (modp3072, modp2048); Cisco IOS has one PFS group per tunnel"],
    [["aes256-sha256-modp3072", "aes128-sha256"], "the ESP proposals ask for different PFS groups (modp3072, none); Cisco IOS has one PFS group per tunnel"],
    [["aes256-sha256-curve25519"], "PFS group 'curve25519' cannot be expressed on Cisco IOS"],
  ])("rejects %j", (proposals, message) => {
    expect(translateCrypto(end(["aes256-sha256-modp3072"], proposals)).problems).toEqual([expect.objectContaining({ setting: "esp.proposals", message })]);
  });
});

describe("lifetimes and DPD", () => {
  it("rejects lifetimes outside the IOS ranges", () => {
    expect(translateCrypto(end(["aes256-sha256-modp3072"], ["aes256-sha256"], 1, ["2d", "30s"])).problems.map((p) => [p.setting, p.message])).toEqual([
      ["ike.lifetime", "2d is outside the range of Cisco IOS 'crypto isakmp policy lifetime' (60..86400 seconds)"],
      ["esp.lifetime", "30s is outside the range of Cisco IOS 'set security-association lifetime seconds' (120..2592000 seconds)"],
    ]);
    expect(translateCrypto(end(["aes256-sha256-modp3072"], ["aes256-sha256"], 2, ["90s", "1h"])).problems.map((p) => p.message)).toEqual([
      "90s is outside the range of Cisco IOS 'crypto ikev2 profile lifetime' (120..86400 seconds)",
    ]);
  });
  it.each([
    ["10s", "30s", { seconds: 10, retry: 4, clamped: false }],
    ["30s", "150s", { seconds: 30, retry: 24, clamped: false }],
    ["3s", "15s", { seconds: 10, retry: 2, clamped: true }],
    ["2h", "3h", { seconds: 3600, retry: 60, clamped: true }],
    ["10s", "10m", { seconds: 10, retry: 60, clamped: false }],
  ])("dpd delay %s timeout %s", (delay, timeout, expected) => {
    expect(iosDpd({ delay: parseDuration(delay), timeout: parseDuration(timeout), action: "restart" })).toEqual(expected);
  });
});
