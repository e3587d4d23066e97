/**
 * strongSwan proposals as the sets of algorithm combinations they offer, in the same spelling the IOS reader
 * produces (test-only): IKEv1 "enc-integ-dh", IKEv2 "enc[-integ]-prfX-dh", ESP "enc[-integ]" (PFS apart).
 */
import { parseProposal } from "../../src/model/crypto.js";

// Written independently of src/model/crypto.ts: strongSwan's aliases (proposal_keywords_static.txt), the
// ICV in bits (aes128gcm128) or octets (aes128gcm16) and the bare default (aes128gcm) are one transform.
const ALIAS: Record<string, string> = {
  aes: "aes128",
  aes128gcm: "aes128gcm16",
  aes128gcm128: "aes128gcm16",
  aes256gcm: "aes256gcm16",
  aes256gcm128: "aes256gcm16",
  sha: "sha1",
  sha2_256: "sha256",
  sha2_384: "sha384",
  sha2_512: "sha512",
};
const canon = (tokens: readonly string[]) => tokens.map((t) => ALIAS[t] ?? t);

export function ikeCombos(proposals: readonly string[], version: 1 | 2): Set<string> {
  const out = new Set<string>();
  for (const text of proposals) {
    const p = parseProposal(text).proposal;
    const integ = canon(p.integrity);
    const prf = p.prf.length ? canon(p.prf) : integ.map((i) => `prf${i}`);
    for (const e of canon(p.encryption))
      for (const d of canon(p.dh)) {
        if (version === 1) for (const i of integ) out.add(`${e}-${i}-${d}`);
        else for (const i of integ.length ? integ : [""]) for (const f of prf) out.add([e, i, f, d].filter(Boolean).join("-"));
      }
  }
  return out;
}

export function espCombos(proposals: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const text of proposals) {
    const p = parseProposal(text).proposal;
    for (const e of canon(p.encryption)) for (const i of p.integrity.length ? canon(p.integrity) : [""]) out.add([e, i].filter(Boolean).join("-"));
  }
  return out;
}

/** The PFS group the ESP proposals ask for (the first proposal's DH group), or "none". */
export function pfsOf(proposals: readonly string[]): string {
  const first = proposals[0];
  return (first && canon(parseProposal(first).proposal.dh)[0]) || "none";
}

export function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

export function subset(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return [...a].every((x) => b.has(x));
}

export function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return [...a].some((x) => b.has(x));
}
