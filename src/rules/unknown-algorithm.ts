import { knownTokens, parseProposal } from "../model/crypto.js";
import { suggest } from "../model/report.js";
import { defineRule } from "./rule.js";
import { KIND_LABEL, writtenProposals } from "./support/proposals.js";

/** strongSwan refuses a proposal with a keyword it does not know ("algorithm '…' not recognized"). */
export const unknownAlgorithm = defineRule({
  code: "SW114",
  name: "unknown-algorithm",
  description: "Every keyword of an IKE or ESP proposal is a strongSwan algorithm keyword; a misspelt one gets a did-you-mean.",
  severity: "error",
  messages: {
    unknown: "unknown algorithm '{{token}}' in {{kind}} proposal '{{proposal}}' of {{owner}}",
  },
  check({ intent, model }, report) {
    const known = knownTokens();
    for (const p of writtenProposals(model, intent))
      for (const token of parseProposal(p.proposal.text).unknown) {
        const near = suggest(token, known);
        report("unknown", p.path, { token, kind: KIND_LABEL[p.kind], proposal: p.proposal.text, owner: p.owner }, {
          hint: near ? `did you mean '${near}'?` : "see docs.strongswan.org/docs/latest/config/proposals.html for the keywords",
        });
      }
  },
});
