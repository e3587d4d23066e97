/**
 * One translation of a tunnel end's crypto into a platform's words, driven only by the platform's capability
 * data (src/platform/contract.ts). The generic rule SW208 reports its problems at the intent line; a platform's
 * renderer takes its words. So a proposal is either rejected before rendering or translated exactly.
 */
import { algorithmOf, identityOf, ikev1IkeCipher, prfOfIntegrity } from "../model/crypto.js";
import type { Duration, Proposal, TunnelEnd } from "../model/types.js";
import type { PlatformCapabilities, PlatformDeclaration, ProposalShape, Range } from "./contract.js";

/** One proposal in the platform's words (each list within the platform's ProposalShape). */
export interface ProposalWords {
  /** The strongSwan proposal it comes from. */
  readonly text: string;
  readonly encryption: readonly string[];
  /** Empty for AEAD ciphers. */
  readonly integrity: readonly string[];
  /** IKEv2 PRFs in the platform's words; empty when the platform derives the PRF from integrity, and for ESP. */
  readonly prf: readonly string[];
  /** DH groups (IKE) or the PFS groups of an ESP proposal. */
  readonly dh: readonly string[];
  readonly aead: boolean;
}

export interface CryptoWords {
  readonly ike: readonly ProposalWords[];
  readonly esp: readonly ProposalWords[];
  /** The tunnel's one PFS group; absent when no ESP proposal carries a group. */
  readonly pfs?: string;
}

/** A setting of one tunnel end the platform cannot express, with the setting it comes from. */
export interface PlatformProblem {
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

type Outcome<T> = { readonly value: T } | { readonly problem: Omit<PlatformProblem, "setting" | "index"> };
type Place = "ikev1" | "ikev2" | "esp";

const PLACE_TEXT: Readonly<Record<Place, string>> = { ikev1: "IKEv1 proposal", ikev2: "IKEv2 proposal", esp: "ESP proposal" };

/** Translate the crypto of one tunnel end for `platform`. */
export function translateCrypto(end: TunnelEnd, platform: PlatformDeclaration): { words: CryptoWords; problems: PlatformProblem[] } {
  const caps = platform.capabilities;
  const problems: PlatformProblem[] = [];
  const collect = (setting: PlatformProblem["setting"], outcomes: readonly Outcome<ProposalWords>[]): ProposalWords[] =>
    outcomes.flatMap((o, index) => ("value" in o ? [o.value] : (problems.push({ setting, index, ...o.problem }), [])));

  const v1 = end.ike.version === 1;
  const ikePlace: Place = v1 ? "ikev1" : "ikev2";
  const ike = collect("ike.proposals", end.ike.proposals.map((p) => proposal(p, ikePlace, platform)));
  const esp = collect("esp.proposals", end.esp.proposals.map((p) => proposal(p, "esp", platform)));
  if (end.ike.proposals.length > caps.ike.maxProposals)
    problems.push({ setting: "ike.proposals", index: caps.ike.maxProposals, message: `${platform.title} offers at most ${caps.ike.maxProposals} IKE proposals per tunnel; ${end.ike.proposals.length} are listed`, hint: "drop the least wanted proposals" });
  if (end.esp.proposals.length > caps.esp.maxProposals)
    problems.push({ setting: "esp.proposals", index: caps.esp.maxProposals, message: `${platform.title} offers at most ${caps.esp.maxProposals} ESP proposals per tunnel; ${end.esp.proposals.length} are listed`, hint: "drop the least wanted proposals" });
  const pfs = pfsGroup(end.esp.proposals, platform);
  if ("problem" in pfs) problems.push({ setting: "esp.proposals", index: 0, ...pfs.problem });

  const ikeLifetime = withinRange(end.ike.lifetime, v1 ? caps.ike.lifetime.ikev1 : caps.ike.lifetime.ikev2, `${platform.title}'s ${v1 ? "IKEv1" : "IKEv2"} SA lifetime`, platform.title);
  if (ikeLifetime) problems.push({ setting: "ike.lifetime", ...ikeLifetime });
  const espLifetime = withinRange(end.esp.lifetime, caps.esp.lifetime, `${platform.title}'s IPsec SA lifetime`, platform.title);
  if (espLifetime) problems.push({ setting: "esp.lifetime", ...espLifetime });

  const pfsValue = "value" in pfs ? pfs.value : undefined;
  return { words: { ike, esp, ...(pfsValue !== undefined ? { pfs: pfsValue } : {}) }, problems };
}

function proposal(p: Proposal, place: Place, platform: PlatformDeclaration): Outcome<ProposalWords> {
  const caps = platform.capabilities;
  const ike = place !== "esp";
  if (ike && p.dh.length === 0) return structural(`IKE proposal '${p.text}' has no DH group`);
  if (place === "ikev1") {
    const enc = p.encryption.find((e) => !ikev1IkeCipher(e));
    if (enc !== undefined) return structural(`IKEv1 cannot negotiate '${enc}' for the IKE SA (proposal '${p.text}')`);
  }
  const aead = p.encryption.map((e) => algorithmOf(e)?.aead === true);
  if (aead.includes(true) && aead.includes(false)) return structural(`${PLACE_TEXT[place]} '${p.text}' mixes AEAD and non-AEAD encryption`);
  const isAead = aead.includes(true);
  if (isAead && p.integrity.length > 0) return structural(`${PLACE_TEXT[place]} '${p.text}' combines GCM with an integrity algorithm`);
  if (!isAead && p.integrity.length === 0) return structural(`${PLACE_TEXT[place]} '${p.text}' has no integrity algorithm`);
  if (place === "ikev2" && isAead && p.prf.length === 0) return structural(`IKEv2 proposal '${p.text}' uses GCM without a PRF`);

  const shape: ProposalShape = place === "esp" ? caps.esp.shape : caps.ike.shape[place];
  const where = `${platform.title}'s ${caps.crypto.objects[place]}`;
  const over = (kind: keyof ProposalShape, count: number) => count > shape[kind];
  if (over("encryption", p.encryption.length) || over("integrity", p.integrity.length) || (place !== "esp" && over("dh", p.dh.length)))
    return {
      problem: {
        message: `${PLACE_TEXT[place]} '${p.text}' lists several algorithms of one kind; ${where} holds ${shapeText(shape, place !== "esp")}`,
        hint: "split it into one proposal per combination",
      },
    };

  const encryption: string[] = [];
  for (const enc of p.encryption) {
    const spelling = caps.crypto.encryption.get(identityOf(enc))?.[place];
    if (!spelling) return unsupported(p, enc, where, hintFor(caps, place, "encryption", enc, platform.title));
    encryption.push(spelling);
  }
  const integrity: string[] = [];
  for (const integ of p.integrity) {
    const spelling = caps.crypto.integrity.get(identityOf(integ))?.[place];
    if (!spelling) return unsupported(p, integ, where, hintFor(caps, place, "integrity", integ, platform.title));
    integrity.push(spelling);
  }
  const prf: string[] = [];
  if (ike) {
    const prfTable = caps.crypto.prf;
    if (prfTable === "from-integrity" || place === "ikev1" || (caps.crypto.prfOnlyWithAead === true && !isAead)) {
      // The PRF is the HMAC of the integrity algorithm (or the one an AEAD cipher implies): a differing PRF cannot be said.
      const derived = [...p.integrity.map(prfOfIntegrity), ...p.encryption.map((e) => caps.crypto.encryption.get(identityOf(e))?.prf)];
      const stray = p.prf.find((t) => !derived.includes(identityOf(t)));
      if (stray) return unsupported(p, stray, `${where} (its PRF is the HMAC of the integrity algorithm)`, `drop '${stray}' or name the PRF of the integrity algorithm`);
    } else {
      for (const token of p.prf) {
        const spelling = prfTable.get(identityOf(token));
        if (!spelling) return unsupported(p, token, where, `use ${spelledTokens(prfTable, PRF_TOKENS)}`);
        prf.push(spelling);
      }
    }
  }
  const dh: string[] = [];
  if (ike) {
    for (const group of p.dh) {
      const spelling = caps.crypto.dh.get(identityOf(group));
      if (spelling === undefined) return unsupported(p, group, where, `use ${spelledTokens(caps.crypto.dh, DH_TOKENS)}`);
      dh.push(spelling);
    }
  }
  return { value: { text: p.text, encryption, integrity, prf, dh, aead: isAead } };
}

/** The platform has one PFS group per tunnel: every ESP proposal must carry the same single group, or none. */
function pfsGroup(proposals: readonly Proposal[], platform: PlatformDeclaration): Outcome<string | undefined> {
  const groups = new Set(proposals.map((p) => p.dh.join("-")));
  if (groups.size > 1 || proposals.some((p) => p.dh.length > 1))
    return {
      problem: {
        message: `the ESP proposals ask for different PFS groups (${[...groups].map((g) => g || "none").join(", ")}); ${platform.title} has one PFS group per tunnel`,
        hint: "give every ESP proposal the same DH group",
      },
    };
  const dh = proposals[0]?.dh[0];
  if (dh === undefined) return { value: undefined };
  const group = platform.capabilities.crypto.dh.get(identityOf(dh));
  if (group === undefined) return { problem: { message: `PFS group '${dh}' cannot be expressed on ${platform.title}`, hint: `use ${spelledTokens(platform.capabilities.crypto.dh, DH_TOKENS)}` } };
  return { value: group };
}

function shapeText(shape: ProposalShape, ike: boolean): string {
  const n = (count: number, what: string) => (count === Infinity ? `any number of ${what}s` : `${count === 1 ? "one" : count} ${what}${count === 1 ? "" : "s"}`);
  return [n(shape.encryption, "encryption algorithm"), n(shape.integrity, "integrity algorithm"), ...(ike ? [n(shape.dh, "DH group")] : [])].join(", ");
}

// Suggestions: the strongSwan tokens (in this order of preference) whose algorithm the platform can spell.
const ENCRYPTION_TOKENS = ["aes128", "aes192", "aes256", "aes128gcm16", "aes256gcm16"];
const INTEGRITY_TOKENS = ["sha256", "sha384", "sha512"];
const PRF_TOKENS = ["prfsha256", "prfsha384", "prfsha512"];
const DH_TOKENS = ["modp2048", "modp3072", "modp4096", "ecp256", "ecp384", "ecp521"];

function spelledTokens(table: ReadonlyMap<string, unknown>, tokens: readonly string[]): string {
  const ok = tokens.filter((t) => table.has(identityOf(t)));
  return ok.length === 0 ? "another algorithm" : ok.length === 1 ? ok[0]! : `${ok.slice(0, -1).join(", ")} or ${ok.at(-1)}`;
}

function hintFor(caps: PlatformCapabilities, place: Place, kind: "encryption" | "integrity", token: string, title: string): string {
  const table = caps.crypto[kind] as ReadonlyMap<string, Readonly<Record<Place, string | undefined>>>;
  const a = algorithmOf(token);
  const aead = kind === "encryption" && a?.aead === true;
  // Suggest the same kind of algorithm: an AEAD cipher for an AEAD cipher, a CBC cipher for a CBC one.
  const candidates = kind === "encryption" ? ENCRYPTION_TOKENS.filter((t) => (algorithmOf(t)?.aead === true) === aead) : INTEGRITY_TOKENS;
  const usable = candidates.filter((t) => table.get(identityOf(t))?.[place] !== undefined);
  const use = usable.length === 0 ? "another algorithm" : usable.length === 1 ? usable[0]! : `${usable.slice(0, -1).join(", ")} or ${usable.at(-1)}`;
  if (aead && a.algorithm.startsWith("ENCR_AES_GCM_") && a.icvBits !== 128) {
    const same = `aes${a.keySize}gcm16`;
    const suggestion = usable.includes(same) ? `${same} (= aes${a.keySize}gcm128)` : use;
    return `${title}'s AES-GCM has a 128-bit (16-octet) ICV only, '${token}' has ${a.icvBits} bits; use ${suggestion}`;
  }
  return `use ${use}`;
}

function structural<T>(message: string): Outcome<T> {
  return { problem: { message, structural: true } };
}

function unsupported<T>(p: Proposal, token: string, where: string, hint: string): Outcome<T> {
  return { problem: { message: `'${token}' in proposal '${p.text}' cannot be expressed in ${where}`, hint } };
}

function withinRange(d: Duration, limit: Range, what: string, title: string): Omit<PlatformProblem, "setting"> | undefined {
  if (Number.isInteger(d.seconds) && d.seconds >= limit.min && d.seconds <= limit.max) return undefined;
  const range = limit.command ? `the range of ${title} '${limit.command}'` : `the range of ${what}`;
  return { message: `${d.text} is outside ${range} (${limit.min}..${limit.max} seconds)`, hint: `use a whole number of seconds between ${limit.min} and ${limit.max}` };
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Dead peer detection on the platform: the probe interval (clamped to what it accepts) and the retry interval
 * that spreads the rest of the intent's timeout over the platform's retries. `clamped`: SW206 warns.
 */
export function platformDpd(dpd: TunnelEnd["dpd"], platform: PlatformDeclaration): { seconds: number; retry: number; retries: number; clamped: boolean } {
  const { delay, retryInterval, retries } = platform.capabilities.dpd;
  const wanted = Math.ceil(dpd.delay.seconds);
  const seconds = clamp(wanted, delay);
  const retry = clamp(Math.ceil((dpd.timeout.seconds - seconds) / retries), retryInterval);
  return { seconds, retry, retries, clamped: seconds !== wanted };
}

function clamp(value: number, limit: Range): number {
  return Math.min(limit.max, Math.max(limit.min, value));
}
