import { WEAK } from "../model/crypto.js";
import { defineRule } from "./rule.js";
import { KIND_LABEL, writtenProposals, type ProposalKind } from "./support/proposals.js";
import { listed } from "./support/text.js";

/** What to use instead of each weak keyword (strongSwan security recommendations). */
const REPLACEMENT: Readonly<Record<string, string>> = {
  des: "aes256", "3des": "aes256", cast128: "aes256", blowfish128: "aes256", blowfish192: "aes256", blowfish256: "aes256", null: "aes256",
  md5: "sha256", md5128: "sha256", sha1: "sha256", sha: "sha256", sha1160: "sha256",
  prfmd5: "prfsha256", prfsha1: "prfsha256",
  modp512: "modp3072", modp768: "modp3072", modp1024: "modp3072", modp1024s160: "modp3072", modp1536: "modp3072",
  modp2048s224: "modp3072", modp2048s256: "modp3072", ecp192: "ecp384",
};

/** Recommended suites (docs.strongswan.org …/config/securityRecommendations.html); ESP has no PRF. */
const EXAMPLES: Record<ProposalKind, string> = {
  ike: "aes256-sha256-modp3072 or aes256gcm16-prfsha384-ecp384",
  esp: "aes256-sha256-modp3072 or aes256gcm16-ecp384",
};

export const weakCrypto = defineRule({
  code: "SW112",
  name: "weak-crypto",
  description:
    "Warns about algorithms strongSwan's security recommendations say must not be used (des, 3des, md5, sha1, modp1024, modp1536, ecp192…), naming a replacement; an error under --strict.",
  severity: "warning",
  messages: {
    weak: "{{kind}} proposal '{{proposal}}' of {{owner}} uses {{algorithms}}, which must not be used any more",
  },
  check({ intent, model }, report) {
    for (const p of writtenProposals(model, intent)) {
      const weak = p.proposal.text.split("-").filter((token) => WEAK.has(token));
      if (weak.length === 0) continue;
      const replace = weak.map((token) => `${token} with ${REPLACEMENT[token] ?? "a recommended algorithm"}`).join(", ");
      report("weak", p.path, { kind: KIND_LABEL[p.kind], proposal: p.proposal.text, owner: p.owner, algorithms: listed(weak) }, { hint: `replace ${replace}; e.g. ${EXAMPLES[p.kind]}` });
    }
  },
});

