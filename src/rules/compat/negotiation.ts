/**
 * What two ends can negotiate: each proposal expanded into the algorithm combinations it offers, every
 * keyword replaced by its identity in strongSwan's keyword table (src/model/crypto.ts: aes = aes128,
 * sha = sha1, aes128gcm = aes128gcm16 = aes128gcm128, x25519 = curve25519; strongSwan puts the same transform
 * on the wire for each of them) and the IKE PRF made explicit (strongSwan proposes the PRF of each integrity
 * algorithm when none is written: integ_prf_map in src/libstrongswan/crypto/proposal/proposal.c).
 * Two ends agree when the sets of combinations intersect.
 */
import { identityOf, prfOfIntegrity } from "../../model/crypto.js";
import type { Proposal } from "../../model/types.js";

const canonical = identityOf;

/** "enc/integ/prf/dh" strings; "-" for an absent kind (no integrity with AEAD, no PFS group). */
export function ikeCombinations(proposals: readonly Proposal[]): Set<string> {
  const out = new Set<string>();
  for (const p of proposals) {
    const integ = p.integrity.map(canonical);
    const prf = p.prf.length ? p.prf.map(canonical) : p.integrity.map((i) => prfOfIntegrity(i) ?? `prf-of-${i}`);
    for (const e of orNone(p.encryption.map(canonical)))
      for (const i of orNone(integ))
        for (const f of orNone(prf)) for (const d of orNone(p.dh.map(canonical))) out.add(`${e}/${i}/${f}/${d}`);
  }
  return out;
}

/** ESP combinations without the DH group (PFS is compared on its own). */
export function espCombinations(proposals: readonly Proposal[]): Set<string> {
  const out = new Set<string>();
  for (const p of proposals)
    for (const e of orNone(p.encryption.map(canonical))) for (const i of orNone(p.integrity.map(canonical))) out.add(`${e}/${i}`);
  return out;
}

export function intersects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return [...a].some((x) => b.has(x));
}

/** The PFS group an end requires (canonical), or "none". */
export function pfsOf(pfsGroup: string | undefined): string {
  return pfsGroup ? canonical(pfsGroup) : "none";
}

export function proposalList(proposals: readonly Proposal[]): string {
  return proposals.map((p) => p.text).join(", ");
}

function orNone(tokens: readonly string[]): readonly string[] {
  return tokens.length ? tokens : ["-"];
}
