import { exclusionOf, knownTokens, parseProposal } from "../model/crypto.js";
import { suggest } from "../model/report.js";
import { defineRule } from "./rule.js";
import { KIND_LABEL, writtenProposals } from "./support/proposals.js";

/**
 * strongSwan refuses a proposal with a keyword it does not know ("algorithm '…' not recognized", proposal.c
 * add_string_algo). The known keywords are strongSwan's own table (src/model/strongswan-keywords.ts); the few
 * strongSwan keywords sitewire does not accept are reported with the reason (src/model/crypto.ts).
 */
export const unknownAlgorithm = defineRule({
  code: "SW114",
  name: "unknown-algorithm",
  description:
    "Every keyword of an IKE or ESP proposal is one of strongSwan's proposal keywords that sitewire accepts; a misspelt one gets a did-you-mean, an excluded one the reason.",
  severity: "error",
  messages: {
    unknown: "unknown algorithm '{{token}}' in {{kind}} proposal '{{proposal}}' of {{owner}}",
    excluded: "{{kind}} proposal '{{proposal}}' of {{owner}}: {{why}}",
  },
  check({ intent, model }, report) {
    const known = knownTokens();
    for (const p of writtenProposals(model, intent)) {
      const parsed = parseProposal(p.proposal.text);
      for (const token of parsed.excluded)
        report("excluded", p.path, { kind: KIND_LABEL[p.kind], proposal: p.proposal.text, owner: p.owner, why: exclusionOf(token) ?? token }, {
          hint: "remove it; for PFS put one DH group in every ESP proposal (e.g. aes256gcm16-ecp384)",
        });
      for (const token of parsed.unknown) {
        const near = suggest(token, known);
        report("unknown", p.path, { token, kind: KIND_LABEL[p.kind], proposal: p.proposal.text, owner: p.owner }, {
          hint: near ? `did you mean '${near}'?` : "see docs.strongswan.org/docs/latest/config/proposals.html for the keywords",
          // The whole proposal, with this keyword (each of its occurrences) replaced.
          ...(near ? { fix: p.proposal.text.split("-").map((t) => (t === token ? near : t)).join("-") } : {}),
        });
      }
    }
  },
});
