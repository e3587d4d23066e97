/**
 * strongSwan proposal keywords → Cisco IOS crypto keywords, and the limits of the IOS commands sitewire
 * emits. The renderer and the SW208 rule (src/rules/compat/ios-expressible.ts) both use this module, so a
 * proposal is either rejected before rendering with a diagnostic or translated exactly: there is no third way.
 *
 * Sources for the IOS side:
 * - isakmp policy (`encr`, `hash`, `group`, `lifetime`) and transform-set keywords: batfish/batfish
 *   projects/batfish/src/main/antlr4/org/batfish/grammar/cisco/Cisco_crypto.g4 (cispol_*, ipsec_encryption,
 *   ipsec_authentication, dh_group) and AWS's generated IOS sample (reference.md "Cisco IOS").
 * - IKEv2 proposal values (aes-cbc-128/192/256, aes-gcm-128/256, integrity/prf md5 sha1 sha256 sha384 sha512,
 *   groups 1 2 14 15 16 19 20 21 24): CiscoDevNet/terraform-provider-iosxe gen/definitions/crypto_ikev2_proposal.yaml
 *   (the IOS XE YANG model).
 * - esp-sha384-hmac is not in the Batfish grammar; it appears in IOS XE configurations and Cisco's
 *   "Configuring Security for VPNs with IPsec" transform table, so it is accepted here.
 * - AES-GCM: IOS's `esp-gcm 128|256` and IKEv2 `aes-gcm-128|256` are the Suite B / NGE transforms of
 *   RFC 6379, which fix the 16-octet ICV (IKEv2 transform ENCR_AES_GCM_16); IOS has no keyword for an 8- or
 *   12-octet ICV, no 192-bit GCM in the IOS XE model above, and no AES-CCM or ChaCha20-Poly1305.
 *
 * The tables are keyed by a keyword's identity in strongSwan's keyword table (src/model/crypto.ts), so every
 * strongSwan spelling of one algorithm (aes128gcm16, aes128gcm128, aes128gcm) translates alike, and each
 * table is plain data a future platform (Juniper, FortiGate, PAN-OS) can copy in shape: identity → its
 * words per place (IKEv1 policy, IKEv2 proposal, ESP transform), absent where the platform cannot say it.
 */
import { algorithmOf, identityOf, ikev1IkeCipher } from "../../model/crypto.js";
import type { Duration, Proposal, TunnelEnd } from "../../model/types.js";

/** One IOS spelling per algorithm; absent = IOS cannot express it there. */
interface EncryptionSpelling {
  readonly isakmp?: string;
  readonly ikev2?: string;
  readonly esp?: string;
  readonly aead?: boolean;
}

/** Keyed by identity (strongSwan algorithm / key size). */
const ENCRYPTION: ReadonlyMap<string, EncryptionSpelling> = new Map([
  ["ENCR_AES_CBC/128", { isakmp: "aes 128", ikev2: "aes-cbc-128", esp: "esp-aes 128" }],
  ["ENCR_AES_CBC/192", { isakmp: "aes 192", ikev2: "aes-cbc-192", esp: "esp-aes 192" }],
  ["ENCR_AES_CBC/256", { isakmp: "aes 256", ikev2: "aes-cbc-256", esp: "esp-aes 256" }],
  ["ENCR_AES_GCM_ICV16/128", { ikev2: "aes-gcm-128", esp: "esp-gcm 128", aead: true }],
  ["ENCR_AES_GCM_ICV16/256", { ikev2: "aes-gcm-256", esp: "esp-gcm 256", aead: true }],
  ["ENCR_3DES/0", { isakmp: "3des", ikev2: "3des", esp: "esp-3des" }],
  ["ENCR_DES/0", { isakmp: "des", esp: "esp-des" }],
]);

interface IntegritySpelling {
  readonly isakmp: string;
  readonly ikev2: string;
  readonly esp: string;
}

const INTEGRITY: ReadonlyMap<string, IntegritySpelling> = new Map([
  ["AUTH_HMAC_MD5_96/0", { isakmp: "md5", ikev2: "md5", esp: "esp-md5-hmac" }],
  ["AUTH_HMAC_SHA1_96/0", { isakmp: "sha", ikev2: "sha1", esp: "esp-sha-hmac" }],
  ["AUTH_HMAC_SHA2_256_128/0", { isakmp: "sha256", ikev2: "sha256", esp: "esp-sha256-hmac" }],
  ["AUTH_HMAC_SHA2_384_192/0", { isakmp: "sha384", ikev2: "sha384", esp: "esp-sha384-hmac" }],
  ["AUTH_HMAC_SHA2_512_256/0", { isakmp: "sha512", ikev2: "sha512", esp: "esp-sha512-hmac" }],
]);

/** IKEv2 `prf` values; IKEv1 derives its PRF from the hash. */
const PRF: ReadonlyMap<string, string> = new Map([
  ["PRF_HMAC_MD5/0", "md5"],
  ["PRF_HMAC_SHA1/0", "sha1"],
  ["PRF_HMAC_SHA2_256/0", "sha256"],
  ["PRF_HMAC_SHA2_384/0", "sha384"],
  ["PRF_HMAC_SHA2_512/0", "sha512"],
]);

/** Diffie-Hellman group numbers (RFC 3526 / RFC 5903 / RFC 5114 numbering, as IOS uses them). */
const DH_GROUP: ReadonlyMap<string, number> = new Map([
  ["MODP_768_BIT/0", 1],
  ["MODP_1024_BIT/0", 2],
  ["MODP_1536_BIT/0", 5],
  ["MODP_2048_BIT/0", 14],
  ["MODP_3072_BIT/0", 15],
  ["MODP_4096_BIT/0", 16],
  ["ECP_256_BIT/0", 19],
  ["ECP_384_BIT/0", 20],
  ["ECP_521_BIT/0", 21],
  ["MODP_2048_256/0", 24],
]);

const encryptionOf = (token: string) => ENCRYPTION.get(identityOf(token));
const integrityOf = (token: string) => INTEGRITY.get(identityOf(token));
const prfOf = (token: string) => PRF.get(identityOf(token));
const groupOf = (token: string) => DH_GROUP.get(identityOf(token));

/** Why an AEAD cipher has no IOS spelling, for the hint (IOS's GCM is ICV 16 with 128- or 256-bit keys only). */
function aeadHint(token: string, fallback: string): string {
  const a = algorithmOf(token);
  if (!a?.aead) return fallback;
  if (a.algorithm.startsWith("ENCR_AES_GCM_")) {
    if (a.icvBits !== 128) return `IOS's AES-GCM has a 128-bit (16-octet) ICV only, '${token}' has ${a.icvBits} bits; use aes${a.keySize === 192 ? 256 : a.keySize}gcm16 (= aes${a.keySize === 192 ? 256 : a.keySize}gcm128)`;
    return "IOS's AES-GCM has 128- and 256-bit keys only; use aes128gcm16 or aes256gcm16";
  }
  return `IOS has no ${a.algorithm.replace(/^ENCR_/, "").replace(/_ICV\d+$/, "")}; use aes128gcm16 or aes256gcm16`;
}

/** Ranges of the IOS commands (Cisco IOS security command reference). */
export const IOS_LIMITS = {
  isakmpLifetime: { min: 60, max: 86400 },
  ikev2Lifetime: { min: 120, max: 86400 },
  ipsecLifetime: { min: 120, max: 2592000 },
  keepalive: { min: 10, max: 3600 },
  keepaliveRetry: { min: 2, max: 60 },
  isakmpPriority: { min: 1, max: 10000 },
  tunnelNumber: { min: 0, max: 2147483647 },
  slaId: { min: 1, max: 2147483647 },
  slaFrequency: { min: 1, max: 604800 },
  trackId: { min: 1, max: 1000 },
  adjustMss: { min: 500, max: 1460 },
} as const;

/** IOS sends five DPD retries before declaring the peer dead (see README "Cisco IOS devices"). */
const DPD_RETRIES = 5;

// ---------------------------------------------------------------------------------------------------------

export interface IsakmpPolicy {
  readonly encryption: string;
  readonly hash: string;
  readonly group: number;
}

export interface Ikev2Proposal {
  readonly encryption: readonly string[];
  readonly integrity: readonly string[];
  readonly prf: readonly string[];
  readonly groups: readonly number[];
}

/** `crypto ipsec transform-set NAME <transforms>`: one encryption and at most one authentication transform. */
export interface TransformSet {
  readonly transforms: string;
}

/** The end's crypto, in IOS words. */
export interface IosCrypto {
  readonly isakmp: readonly IsakmpPolicy[];
  readonly ikev2: readonly Ikev2Proposal[];
  readonly transformSets: readonly TransformSet[];
  /** `set pfs groupN`; absent when the ESP proposals carry no DH group. */
  readonly pfsGroup?: number;
}

/** A setting of one tunnel end that IOS cannot express, with the setting it comes from. */
export interface IosProblem {
  readonly setting: "ike.proposals" | "esp.proposals" | "ike.lifetime" | "esp.lifetime";
  /** Index into the proposal list, for proposal problems. */
  readonly index?: number;
  readonly message: string;
  readonly hint?: string;
  /**
   * The proposal is not a valid strongSwan proposal either (GCM next to an integrity algorithm, no DH group,
   * a counter-mode cipher in IKEv1…): SW123 (proposal-structure) reports it, SW208 does not repeat it.
   */
  readonly structural?: boolean;
}

type Outcome<T> = { readonly value: T } | { readonly problem: Omit<IosProblem, "setting" | "index"> };

/** Translate the crypto of one tunnel end (the peer end of a cisco-ios peer). */
export function translateCrypto(end: TunnelEnd): { crypto: IosCrypto; problems: IosProblem[] } {
  const problems: IosProblem[] = [];
  const collect = <T>(setting: IosProblem["setting"], outcomes: readonly Outcome<T>[]): T[] =>
    outcomes.flatMap((o, index) => ("value" in o ? [o.value] : (problems.push({ setting, index, ...o.problem }), [])));

  const v1 = end.ike.version === 1;
  const isakmp = v1 ? collect("ike.proposals", end.ike.proposals.map(isakmpPolicy)) : [];
  const ikev2 = v1 ? [] : collect("ike.proposals", end.ike.proposals.map(ikev2Proposal));
  const transformSets = collect("esp.proposals", end.esp.proposals.map(transformSet));
  const pfs = pfsGroup(end.esp.proposals);
  if ("problem" in pfs) problems.push({ setting: "esp.proposals", index: 0, ...pfs.problem });

  const lifetimeLimit = v1 ? IOS_LIMITS.isakmpLifetime : IOS_LIMITS.ikev2Lifetime;
  const ikeLifetime = withinRange(end.ike.lifetime, lifetimeLimit, v1 ? "crypto isakmp policy lifetime" : "crypto ikev2 profile lifetime");
  if (ikeLifetime) problems.push({ setting: "ike.lifetime", ...ikeLifetime });
  const espLifetime = withinRange(end.esp.lifetime, IOS_LIMITS.ipsecLifetime, "set security-association lifetime seconds");
  if (espLifetime) problems.push({ setting: "esp.lifetime", ...espLifetime });

  const pfsValue = "value" in pfs ? pfs.value : undefined;
  return { crypto: { isakmp, ikev2, transformSets, ...(pfsValue !== undefined ? { pfsGroup: pfsValue } : {}) }, problems };
}

function isakmpPolicy(p: Proposal): Outcome<IsakmpPolicy> {
  if (p.dh.length === 0) return structural(`IKE proposal '${p.text}' has no DH group`);
  if (p.encryption.length !== 1 || p.integrity.length > 1 || p.dh.length !== 1)
    return {
      problem: {
        message: `IKEv1 proposal '${p.text}' lists several algorithms of one kind; an IOS isakmp policy holds one encryption, one hash and one group`,
        hint: "split it into one proposal per combination (each becomes its own isakmp policy)",
      },
    };
  const [enc = "", dh = ""] = [p.encryption[0], p.dh[0]];
  if (!ikev1IkeCipher(enc)) return structural(`IKEv1 cannot negotiate '${enc}' for the IKE SA (proposal '${p.text}')`);
  const encryption = encryptionOf(enc)?.isakmp;
  if (!encryption) return unsupported(p, enc, "an IOS isakmp policy", "use aes128, aes192 or aes256");
  const integ = p.integrity[0];
  if (!integ) return structural(`IKE proposal '${p.text}' has no integrity algorithm`);
  const hash = integrityOf(integ)?.isakmp;
  if (!hash) return unsupported(p, integ, "an IOS isakmp policy", "use sha256, sha384 or sha512");
  const stray = p.prf.find((prf) => prfOf(prf) !== integrityOf(integ)?.ikev2);
  if (stray) return unsupported(p, stray, "IKEv1 on IOS (its PRF is the HMAC of the hash)", `drop '${stray}' or use prf${integ}`);
  const group = groupOf(dh);
  if (group === undefined) return unsupported(p, dh, "an IOS isakmp policy", "use modp2048, modp3072, modp4096, ecp256, ecp384 or ecp521");
  return { value: { encryption, hash, group } };
}

function ikev2Proposal(p: Proposal): Outcome<Ikev2Proposal> {
  const encryption: string[] = [];
  for (const enc of p.encryption) {
    const spelling = encryptionOf(enc)?.ikev2;
    if (!spelling) return unsupported(p, enc, "an IOS IKEv2 proposal", aeadHint(enc, "use aes128, aes256, aes128gcm16 or aes256gcm16"));
    encryption.push(spelling);
  }
  const aead = p.encryption.map((e) => encryptionOf(e)?.aead === true);
  if (aead.includes(true) && aead.includes(false)) return structural(`IKEv2 proposal '${p.text}' mixes AEAD and non-AEAD encryption`);
  if (aead.includes(true) && p.integrity.length > 0) return structural(`IKEv2 proposal '${p.text}' combines GCM with an integrity algorithm`);
  if (aead.includes(true) && p.prf.length === 0) return structural(`IKEv2 proposal '${p.text}' uses GCM without a PRF`);
  if (!aead.includes(true) && p.integrity.length === 0) return structural(`IKEv2 proposal '${p.text}' has no integrity algorithm`);
  const integrity: string[] = [];
  for (const integ of p.integrity) {
    const spelling = integrityOf(integ)?.ikev2;
    if (!spelling) return unsupported(p, integ, "an IOS IKEv2 proposal", "use sha256, sha384 or sha512");
    integrity.push(spelling);
  }
  const prf: string[] = [];
  for (const token of p.prf) {
    const spelling = prfOf(token);
    if (!spelling) return unsupported(p, token, "an IOS IKEv2 proposal", "use prfsha256, prfsha384 or prfsha512");
    prf.push(spelling);
  }
  if (p.dh.length === 0) return structural(`IKE proposal '${p.text}' has no DH group`);
  const groups: number[] = [];
  for (const dh of p.dh) {
    const group = groupOf(dh);
    if (group === undefined) return unsupported(p, dh, "an IOS IKEv2 proposal", "use modp2048, modp3072, modp4096, ecp256, ecp384 or ecp521");
    groups.push(group);
  }
  return { value: { encryption, integrity, prf, groups } };
}

function transformSet(p: Proposal): Outcome<TransformSet> {
  if (p.encryption.length !== 1 || p.integrity.length > 1)
    return {
      problem: {
        message: `ESP proposal '${p.text}' lists several algorithms of one kind; an IOS transform set holds one encryption and one authentication transform`,
        hint: "split it into one proposal per combination (each becomes its own transform set)",
      },
    };
  const enc = p.encryption[0] ?? "";
  const spelling = encryptionOf(enc);
  if (!spelling?.esp) return unsupported(p, enc, "an IOS transform set", aeadHint(enc, "use aes128, aes256, aes128gcm16 or aes256gcm16"));
  const integ = p.integrity[0];
  if (spelling.aead) {
    if (integ) return structural(`ESP proposal '${p.text}' combines GCM with '${integ}'`);
    return { value: { transforms: spelling.esp } };
  }
  if (!integ) return structural(`ESP proposal '${p.text}' has no integrity algorithm`);
  const auth = integrityOf(integ)?.esp;
  if (!auth) return unsupported(p, integ, "an IOS transform set", "use sha256, sha384 or sha512");
  return { value: { transforms: `${spelling.esp} ${auth}` } };
}

/** IOS has one `set pfs` per ipsec profile: every ESP proposal must carry the same single DH group, or none. */
function pfsGroup(proposals: readonly Proposal[]): Outcome<number | undefined> {
  const groups = new Set(proposals.map((p) => p.dh.join("-")));
  if (groups.size > 1 || proposals.some((p) => p.dh.length > 1))
    return {
      problem: {
        message: `the ESP proposals ask for different PFS groups (${[...groups].map((g) => g || "none").join(", ")}); an IOS ipsec profile has one 'set pfs'`,
        hint: "give every ESP proposal the same DH group",
      },
    };
  const dh = proposals[0]?.dh[0];
  if (dh === undefined) return { value: undefined };
  const group = groupOf(dh);
  if (group === undefined) return { problem: { message: `PFS group '${dh}' cannot be expressed on IOS ('set pfs')`, hint: "use modp2048, modp3072, modp4096, ecp256, ecp384 or ecp521" } };
  return { value: group };
}

function structural<T>(message: string): Outcome<T> {
  return { problem: { message, structural: true } };
}

function unsupported<T>(p: Proposal, token: string, where: string, hint: string): Outcome<T> {
  return { problem: { message: `'${token}' in proposal '${p.text}' cannot be expressed in ${where}`, hint } };
}

function withinRange(d: Duration, limit: { min: number; max: number }, command: string): Omit<IosProblem, "setting"> | undefined {
  if (Number.isInteger(d.seconds) && d.seconds >= limit.min && d.seconds <= limit.max) return undefined;
  return { message: `${d.text} is outside the range of IOS '${command}' (${limit.min}..${limit.max} seconds)`, hint: `use a whole number of seconds between ${limit.min} and ${limit.max}` };
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Dead peer detection on IOS: `keepalive <seconds> retry <retry>` (isakmp profile) or `dpd <seconds> <retry>
 * on-demand` (ikev2 profile). IOS probes no more often than every 10 seconds; `clamped` says the intent asked
 * for less (SW208 warns). The retry interval spreads the rest of the timeout over IOS's five retries.
 */
export function iosDpd(dpd: TunnelEnd["dpd"]): { seconds: number; retry: number; clamped: boolean } {
  const wanted = Math.ceil(dpd.delay.seconds);
  const seconds = clamp(wanted, IOS_LIMITS.keepalive);
  const retry = clamp(Math.ceil((dpd.timeout.seconds - seconds) / DPD_RETRIES), IOS_LIMITS.keepaliveRetry);
  return { seconds, retry, clamped: seconds !== wanted };
}

function clamp(value: number, limit: { min: number; max: number }): number {
  return Math.min(limit.max, Math.max(limit.min, value));
}
