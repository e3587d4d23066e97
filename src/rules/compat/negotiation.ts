/**
 * What two ends can negotiate: each proposal expanded into the algorithm combinations it offers, with
 * strongSwan's aliases folded (aes = aes128, sha = sha1, aes128gcm = aes128gcm16, x25519 = curve25519) and
 * the IKE PRF made explicit (strongSwan proposes the integrity algorithms as PRFs when none is written).
 * Two ends agree when the sets of combinations intersect. Source for aliases: strongSwan
 * src/libstrongswan/crypto/proposal/proposal_keywords_static.txt.
 */
import type { Proposal } from "../../model/types.js";

const ALIAS: Readonly<Record<string, string>> = {
  aes: "aes128",
  aes128gcm: "aes128gcm16",
  aes192gcm: "aes192gcm16",
  aes256gcm: "aes256gcm16",
  sha: "sha1",
  x25519: "curve25519",
  x448: "curve448",
};

const canonical = (token: string) => ALIAS[token] ?? token;

/** "enc/integ/prf/dh" strings; "-" for an absent kind (no integrity with AEAD, no PFS group). */
export function ikeCombinations(proposals: readonly Proposal[]): Set<string> {
  const out = new Set<string>();
  for (const p of proposals) {
    const integ = p.integrity.map(canonical);
    const prf = p.prf.length ? p.prf.map(canonical) : integ.map((i) => `prf${i}`);
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
