import { defineRule } from "./rule.js";
import { KIND_LABEL, writtenProposals } from "./support/proposals.js";
import { listed } from "./support/text.js";

/**
 * "IKEv1 only supports one algorithm of each kind per proposal. Additional algorithms are implicitly
 * stripped." (docs.strongswan.org/docs/latest/config/proposals.html). A second algorithm is then a setting
 * that silently does nothing.
 */
export const ikev1OneAlgorithm = defineRule({
  code: "SW123",
  name: "ikev1-one-algorithm",
  description:
    "Warns when a proposal used with IKEv1 lists more than one algorithm of a kind: strongSwan uses only the first of each; an error under --strict.",
  severity: "warning",
  messages: {
    ignored: "{{kind}} proposal '{{proposal}}' of {{owner}} is used with IKEv1, which ignores {{ignored}}",
  },
  check({ intent, model }, report) {
    for (const p of writtenProposals(model, intent)) {
      if (!p.versions.has(1)) continue;
      const { encryption, integrity, prf, dh } = p.proposal;
      const kinds = [encryption, integrity, prf, dh];
      const ignored = kinds.flatMap((algorithms) => algorithms.slice(1));
      if (ignored.length === 0) continue;
      const first = kinds.flatMap((algorithms) => algorithms.slice(0, 1)).join("-");
      report("ignored", p.path, { kind: KIND_LABEL[p.kind], proposal: p.proposal.text, owner: p.owner, ignored: listed(ignored) }, {
        hint: `write one proposal per combination, e.g. ${first}`,
      });
    }
  },
});
