import { isWeak, replacementOf } from "../model/crypto.js";
import { defineRule } from "./rule.js";
import { KIND_LABEL, writtenProposals, type ProposalKind } from "./support/proposals.js";
import { listed } from "./support/text.js";

/** Recommended suites (docs.strongswan.org …/config/securityRecommendations.html); ESP has no PRF. */
const EXAMPLES: Record<ProposalKind, string> = {
  ike: "aes256-sha256-modp3072 or aes256gcm16-prfsha384-ecp384",
  esp: "aes256-sha256-modp3072 or aes256gcm16-ecp384",
};

export const weakCrypto = defineRule({
  code: "SW112",
  name: "weak-crypto",
  description:
    "Warns about algorithms strongSwan's security recommendations say must not be used (des, 3des, md5, sha1, modp1024, modp1536, ecp192…, and GMAC or null, which do not encrypt), in any of their spellings, naming a replacement; an error under --strict. A tunnel with `allowWeak: \"<reason>\"` gets a note carrying the reason instead (never an error, also not under --strict).",
  severity: "warning",
  messages: {
    weak: "{{kind}} proposal '{{proposal}}' of {{owner}} uses {{algorithms}}, which must not be used any more",
    accepted: "{{kind}} proposal '{{proposal}}' of {{owner}} uses {{algorithms}}, which must not be used any more; accepted on this tunnel (allowWeak): {{reason}}",
  },
  check({ intent, model }, report) {
    for (const p of writtenProposals(model, intent)) {
      // By algorithm, not by spelling: sha and sha1, sha1_160, md5_128, blowfish, aes128gmac… are all caught.
      const weak = p.proposal.text.split("-").filter(isWeak);
      if (weak.length === 0) continue;
      const replace = weak.map((token) => `${token} with ${replacementOf(token) ?? "a recommended algorithm"}`).join(", ");
      const data = { kind: KIND_LABEL[p.kind], proposal: p.proposal.text, owner: p.owner, algorithms: listed(weak) };
      const hint = `replace ${replace}; e.g. ${EXAMPLES[p.kind]}`;
      const reason = model.tunnels.find((t) => t.name === p.tunnel)?.allowWeak;
      if (reason !== undefined) report("accepted", p.path, { ...data, reason }, { hint: `${hint} (then drop allowWeak)`, severity: "note" });
      else report("weak", p.path, data, { hint });
    }
  },
});

