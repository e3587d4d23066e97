/**
 * strongSwan algorithm keywords: which sitewire accepts, what each one is, and which strongSwan's security
 * recommendations say must not be used.
 *
 * The vocabulary is strongSwan's own keyword table (./strongswan-keywords.ts, generated from
 * src/libstrongswan/crypto/proposal/proposal_keywords_static.txt), so every spelling strongSwan accepts is
 * accepted here as strongSwan writes it: the AEAD ciphers with the ICV in octets (`aes128gcm16`) and in bits
 * (`aes128gcm128`), the bare defaults (`aes128gcm` = 16-octet ICV), `sha2_256`, `sha1_160`, `x25519`….
 * Two keywords are the same algorithm when strongSwan maps them to the same (algorithm, key size) pair: that
 * pair is a keyword's `identity`, which the two-end checks and the platform translators compare. Emitters
 * write the keyword the intent wrote (strongSwan parses every alias to the same transform on the wire).
 *
 * Excluded, with a reason the diagnostic gives: `none`/`modpnone` (optional PFS: sitewire states PFS exactly,
 * a DH group in every ESP proposal or in none), `modpnull` (strongSwan's test-only group) and the
 * post-quantum key exchanges (NTRU, NewHope, Kyber, …: removed from or never in a strongSwan release, and
 * strongSwan 6 proposes them as additional key exchanges `ke1_…`, which sitewire does not model).
 * Other sources: strongSwan docs "Security Recommendations" (docs.strongswan.org/docs/latest/config/
 * securityRecommendations.html) for WEAK; src/libstrongswan/crypto/proposal/proposal.c (integ_prf_map, the
 * PRF strongSwan derives from an integrity algorithm) for prfOfIntegrity.
 */
import type { Proposal } from "./types.js";
import { STRONGSWAN_KEYWORDS, type StrongswanKeyword, type TransformType } from "./strongswan-keywords.js";

export type Kind = "encryption" | "integrity" | "prf" | "dh" | "esn";

const KIND_OF_TYPE: Readonly<Record<TransformType, Kind>> = {
  ENCRYPTION_ALGORITHM: "encryption",
  INTEGRITY_ALGORITHM: "integrity",
  PSEUDO_RANDOM_FUNCTION: "prf",
  KEY_EXCHANGE_METHOD: "dh",
  EXTENDED_SEQUENCE_NUMBERS: "esn",
};

/** One accepted keyword, classified from strongSwan's own table. */
export interface Algorithm {
  readonly keyword: string;
  readonly kind: Kind;
  /** strongSwan's enum name, e.g. ENCR_AES_GCM_ICV16. */
  readonly algorithm: string;
  readonly keySize: number;
  /** `algorithm/keySize`: equal for aliases (aes128gcm16, aes128gcm128, aes128gcm), different otherwise. */
  readonly identity: string;
  /** Combined-mode cipher: authenticates by itself, takes no integrity algorithm. */
  readonly aead: boolean;
  /** Integrity check value of an AEAD cipher, in bits. */
  readonly icvBits?: number;
}

const POST_QUANTUM = /^(?:NTRU_|NH_|KE_(?:KYBER|NTRU|SABER|BIKE|FRODO|HQC|SIKE))/;

function exclusion(name: string, entry: StrongswanKeyword): string | undefined {
  if (entry.algorithm === "KE_NONE" || entry.algorithm === "MODP_NONE")
    return `'${name}' makes PFS optional; sitewire states PFS exactly: a DH group in every ESP proposal, or in none`;
  if (entry.algorithm === "MODP_NULL") return `'${name}' is strongSwan's test-only key exchange that exchanges no key`;
  if (POST_QUANTUM.test(entry.algorithm))
    return `'${name}' is a post-quantum key exchange that stable strongSwan releases do not offer as a proposal keyword (strongSwan 6 adds such methods as additional key exchanges, ke1_…, which sitewire does not model)`;
  return undefined;
}

function classify(keyword: string, entry: StrongswanKeyword): Algorithm {
  const icv = /_ICV(8|12|16)$/.exec(entry.algorithm);
  const aead = icv !== null || entry.algorithm === "ENCR_CHACHA20_POLY1305" || entry.algorithm === "ENCR_NULL_AUTH_AES_GMAC";
  // RFC 7634 (ChaCha20-Poly1305) and RFC 4543 (GMAC) fix a 16-octet ICV.
  const icvBits = icv ? Number(icv[1]) * 8 : aead ? 128 : undefined;
  return {
    keyword,
    kind: KIND_OF_TYPE[entry.type],
    algorithm: entry.algorithm,
    keySize: entry.keySize,
    identity: `${entry.algorithm}/${entry.keySize}`,
    aead,
    ...(icvBits !== undefined ? { icvBits } : {}),
  };
}

const ACCEPTED = new Map<string, Algorithm>();
const EXCLUDED = new Map<string, string>();
for (const [name, entry] of STRONGSWAN_KEYWORDS) {
  const why = exclusion(name, entry);
  if (why) EXCLUDED.set(name, why);
  else ACCEPTED.set(name, classify(name, entry));
}

/** The accepted keyword, classified; undefined for anything else (unknown or excluded). */
export function algorithmOf(token: string): Algorithm | undefined {
  return ACCEPTED.get(token);
}

/** Why a keyword strongSwan knows is not accepted by sitewire; undefined when it is accepted or unknown. */
export function exclusionOf(token: string): string | undefined {
  return EXCLUDED.get(token);
}

/** What two ends compare: the algorithm and key size; an unknown token stands for itself. */
export function identityOf(token: string): string {
  return ACCEPTED.get(token)?.identity ?? token;
}

/** Must not be used (strongSwan's security recommendations), by algorithm, so every alias is caught. */
const WEAK_ALGORITHMS: Readonly<Record<string, string>> = {
  ENCR_DES: "aes256",
  ENCR_3DES: "aes256",
  ENCR_CAST: "aes256",
  ENCR_BLOWFISH: "aes256",
  ENCR_NULL: "aes256",
  // GMAC authenticates without encrypting (RFC 4543): the payload travels in clear text.
  ENCR_NULL_AUTH_AES_GMAC: "aes256gcm16",
  AUTH_HMAC_MD5_96: "sha256",
  AUTH_HMAC_MD5_128: "sha256",
  AUTH_HMAC_SHA1_96: "sha256",
  AUTH_HMAC_SHA1_160: "sha256",
  PRF_HMAC_MD5: "prfsha256",
  PRF_HMAC_SHA1: "prfsha256",
  MODP_768_BIT: "modp3072",
  MODP_1024_BIT: "modp3072",
  MODP_1536_BIT: "modp3072",
  MODP_1024_160: "modp3072",
  MODP_2048_224: "modp3072",
  MODP_2048_256: "modp3072",
  ECP_192_BIT: "ecp384",
};

export function isWeak(token: string): boolean {
  const a = ACCEPTED.get(token);
  return a !== undefined && a.algorithm in WEAK_ALGORITHMS;
}

/** The recommended replacement for a weak keyword. */
export function replacementOf(token: string): string | undefined {
  const a = ACCEPTED.get(token);
  return a ? WEAK_ALGORITHMS[a.algorithm] : undefined;
}

export function isAead(encryption: string): boolean {
  return ACCEPTED.get(encryption)?.aead ?? false;
}

/**
 * Ciphers IKEv1 can negotiate for the IKE SA: block ciphers in CBC mode (ikev1_encryption_t in strongSwan's
 * src/libcharon/encoding/payloads/proposal_substructure.c); no counter mode, no AEAD, no NULL.
 */
export function ikev1IkeCipher(encryption: string): boolean {
  const a = ACCEPTED.get(encryption);
  return a !== undefined && (a.algorithm.endsWith("_CBC") || ["ENCR_DES", "ENCR_3DES", "ENCR_CAST", "ENCR_BLOWFISH"].includes(a.algorithm));
}

/** integ_prf_map of strongSwan's proposal.c: the PRF an IKE proposal without one gets from its integrity algorithm. */
const PRF_OF_INTEGRITY: Readonly<Record<string, string>> = {
  AUTH_HMAC_SHA1_96: "PRF_HMAC_SHA1/0",
  AUTH_HMAC_SHA1_160: "PRF_HMAC_SHA1/0",
  AUTH_HMAC_SHA2_256_128: "PRF_HMAC_SHA2_256/0",
  AUTH_HMAC_SHA2_384_192: "PRF_HMAC_SHA2_384/0",
  AUTH_HMAC_SHA2_512_256: "PRF_HMAC_SHA2_512/0",
  AUTH_HMAC_MD5_96: "PRF_HMAC_MD5/0",
  AUTH_HMAC_MD5_128: "PRF_HMAC_MD5/0",
  AUTH_AES_XCBC_96: "PRF_AES128_XCBC/0",
  AUTH_CAMELLIA_XCBC_96: "PRF_CAMELLIA128_XCBC/0",
  AUTH_AES_CMAC_96: "PRF_AES128_CMAC/0",
};

/** The identity of the PRF strongSwan derives from an integrity keyword; undefined where it derives none. */
export function prfOfIntegrity(integrity: string): string | undefined {
  const a = ACCEPTED.get(integrity);
  return a ? PRF_OF_INTEGRITY[a.algorithm] : undefined;
}

export interface ParsedProposal {
  readonly proposal: Proposal;
  /** Tokens strongSwan does not know. */
  readonly unknown: readonly string[];
  /** Tokens strongSwan knows that sitewire does not accept (see exclusionOf). */
  readonly excluded: readonly string[];
}

export function parseProposal(text: string): ParsedProposal {
  const buckets: Record<Kind, string[]> = { encryption: [], integrity: [], prf: [], dh: [], esn: [] };
  const unknown: string[] = [];
  const excluded: string[] = [];
  for (const token of text.split("-")) {
    const a = ACCEPTED.get(token);
    if (a) buckets[a.kind].push(token);
    else if (EXCLUDED.has(token)) excluded.push(token);
    else unknown.push(token);
  }
  const { encryption, integrity, prf, dh } = buckets;
  return { proposal: { text, encryption, integrity, prf, dh }, unknown, excluded };
}

/** Every accepted keyword, in strongSwan's table order (for did-you-mean). */
export function knownTokens(): readonly string[] {
  return [...ACCEPTED.keys()];
}
