import { ikev1IkeCipher, isAead, parseProposal } from "../model/crypto.js";
import { defineRule } from "./rule.js";
import { KIND_LABEL, writtenProposals } from "./support/proposals.js";

/**
 * What a proposal must hold, after strongSwan's check_proposal (src/libstrongswan/crypto/proposal/proposal.c):
 * an encryption algorithm; in IKE a DH group and a PRF; AEAD and classic ciphers never in one proposal; with
 * classic ciphers an integrity algorithm. strongSwan silently drops an integrity algorithm next to an AEAD
 * cipher and a PRF in ESP, and in IKE derives a missing PRF from the integrity algorithm; sitewire asks for
 * what is meant instead (IOS and the two-end checks read the proposal literally). IKEv1 has only CBC ciphers
 * for the IKE SA (ikev1_encryption_t in src/libcharon/encoding/payloads/proposal_substructure.c).
 * Proposals with unknown keywords are left to unknown-algorithm.
 */
export const proposalStructure = defineRule({
  code: "SW123",
  name: "proposal-structure",
  description:
    "Each proposal is complete and consistent: an encryption algorithm; in IKE a DH group and, with AEAD, an explicit PRF; no AEAD next to classic ciphers or integrity algorithms; integrity with classic ciphers; no PRF in ESP; only CBC ciphers for IKEv1's IKE SA.",
  severity: "error",
  messages: {
    noEncryption: "{{what}} has no encryption algorithm",
    noDh: "{{what}} has no key exchange (DH) group",
    mixed: "{{what}} mixes AEAD ({{aead}}) and classic ({{classic}}) encryption",
    noIntegrity: "{{what}} uses {{classic}} without an integrity algorithm",
    aeadIntegrity: "{{what}} combines AEAD {{aead}} with integrity algorithm {{integrity}}, which is never used",
    aeadNoPrf: "{{what}} uses AEAD {{aead}} but names no PRF",
    espPrf: "{{what}} names PRF {{prf}}, but ESP has no PRF",
    ikev1Cipher: "{{what}} uses {{cipher}}, which IKEv1 cannot negotiate for the IKE SA",
  },
  check({ intent, model }, report) {
    for (const p of writtenProposals(model, intent)) {
      const parsed = parseProposal(p.proposal.text);
      if (parsed.unknown.length || parsed.excluded.length) continue;
      const { encryption, integrity, prf, dh, text } = p.proposal;
      const ike = p.kind === "ike";
      const aead = encryption.filter(isAead);
      const classic = encryption.filter((e) => !isAead(e));
      const data = { what: `${KIND_LABEL[p.kind]} proposal '${text}' of ${p.owner}`, aead: aead.join(", "), classic: classic.join(", "), integrity: integrity.join(", "), prf: prf.join(", ") };
      const say = (id: Parameters<typeof report>[0], hint: string, extra: Record<string, string> = {}) => report(id, p.path, { ...data, ...extra }, { hint });

      if (encryption.length === 0) say("noEncryption", "add one, e.g. aes256 (or aes256gcm16 for AEAD)");
      if (ike && dh.length === 0) say("noDh", "add one, e.g. modp3072 or ecp384");
      if (aead.length && classic.length) say("mixed", "split it into two proposals, one AEAD and one classic");
      else if (classic.length && integrity.length === 0) say("noIntegrity", `add one, e.g. ${classic[0]}-sha256${ike ? "-modp3072" : ""}`);
      else if (aead.length && ike && prf.length === 0)
        say("aeadNoPrf", `write it explicitly, e.g. ${aead[0]}-prfsha384-ecp384${integrity.length ? ` (and drop ${data.integrity})` : ""}`);
      else if (aead.length && integrity.length) say("aeadIntegrity", `drop ${data.integrity}: AEAD authenticates by itself`);
      if (!ike && prf.length) say("espPrf", "drop it; a DH group in an ESP proposal turns on PFS");
      if (ike && p.versions.has(1))
        for (const cipher of encryption.filter((e) => !ikev1IkeCipher(e)))
          say("ikev1Cipher", "use a CBC cipher such as aes256 with IKEv1, or ike.version: 2", { cipher });
    }
  },
});
