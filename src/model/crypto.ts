/**
 * strongSwan algorithm keywords, classified, with the ones strongSwan's security recommendations say must not
 * be used. Sources: strongSwan docs "IKEv2 Cipher Suites" and "Security Recommendations"
 * (docs.strongswan.org/docs/5.9/config/IKEv2CipherSuites.html, …/config/securityRecommendations.html).
 */
import type { Proposal } from "./types.js";

type Kind = "encryption" | "integrity" | "prf" | "dh" | "esn";

const ENCRYPTION = [
  "aes128", "aes192", "aes256", "aes",
  "aes128ctr", "aes192ctr", "aes256ctr",
  "aes128gcm8", "aes128gcm12", "aes128gcm16", "aes192gcm8", "aes192gcm12", "aes192gcm16",
  "aes256gcm8", "aes256gcm12", "aes256gcm16", "aes128gcm", "aes256gcm",
  "aes128ccm8", "aes128ccm12", "aes128ccm16", "aes256ccm8", "aes256ccm12", "aes256ccm16",
  "chacha20poly1305", "camellia128", "camellia192", "camellia256",
  "3des", "des", "cast128", "blowfish128", "blowfish192", "blowfish256", "null",
];
const INTEGRITY = ["md5", "md5128", "sha1", "sha", "sha1160", "sha256", "sha384", "sha512", "aesxcbc", "aescmac"];
const PRF = ["prfmd5", "prfsha1", "prfsha256", "prfsha384", "prfsha512", "prfaesxcbc", "prfaescmac"];
const DH = [
  "modp512", "modp768", "modp1024", "modp1536", "modp2048", "modp3072", "modp4096", "modp6144", "modp8192",
  "modp1024s160", "modp2048s224", "modp2048s256",
  "ecp192", "ecp224", "ecp256", "ecp384", "ecp521", "ecp224bp", "ecp256bp", "ecp384bp", "ecp512bp",
  "curve25519", "x25519", "curve448", "x448",
];

const KIND = new Map<string, Kind>([
  ...ENCRYPTION.map((t) => [t, "encryption"] as const),
  ...INTEGRITY.map((t) => [t, "integrity"] as const),
  ...PRF.map((t) => [t, "prf"] as const),
  ...DH.map((t) => [t, "dh"] as const),
  ["esn", "esn"],
  ["noesn", "esn"],
]);

/** Must not be used (strongSwan security recommendations). */
export const WEAK = new Set([
  "des", "3des", "cast128", "blowfish128", "blowfish192", "blowfish256", "null",
  "md5", "md5128", "sha1", "sha", "sha1160", "prfmd5", "prfsha1",
  "modp512", "modp768", "modp1024", "modp1024s160", "modp1536", "modp2048s224", "modp2048s256", "ecp192",
]);

export function isAead(encryption: string): boolean {
  return /gcm|ccm|chacha20poly1305/.test(encryption);
}

export interface ParsedProposal {
  readonly proposal: Proposal;
  readonly unknown: readonly string[];
}

export function parseProposal(text: string): ParsedProposal {
  const buckets: Record<Kind, string[]> = { encryption: [], integrity: [], prf: [], dh: [], esn: [] };
  const unknown: string[] = [];
  for (const token of text.split("-")) {
    const kind = KIND.get(token);
    if (kind) buckets[kind].push(token);
    else unknown.push(token);
  }
  const { encryption, integrity, prf, dh } = buckets;
  return { proposal: { text, encryption, integrity, prf, dh }, unknown };
}

export function knownTokens(): readonly string[] {
  return [...KIND.keys()];
}
