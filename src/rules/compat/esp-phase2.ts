import { defineRule } from "../rule.js";
import { differingSetting } from "./blame.js";
import { espCombinations, intersects, pfsOf, proposalList } from "./negotiation.js";

/**
 * Prevents Batfish's IPSEC_PHASE2_FAILED: both ends require the same PFS group (or none) and share at least
 * one ESP encryption/integrity combination. PFS comes from the DH group of the first ESP proposal.
 */
export const espPhase2 = defineRule({
  code: "SW203",
  name: "esp-phase2",
  description: "Both ends of a tunnel agree on PFS and share an ESP proposal (IPSEC_PHASE2_FAILED).",
  severity: "error",
  messages: {
    pfs: "tunnel '{{tunnel}}': {{host}} requires PFS group {{hostPfs}} but {{peer}} requires {{peerPfs}}",
    proposals: "tunnel '{{tunnel}}': the ESP proposals of the two ends do not intersect ({{host}}: {{hostProposals}}; {{peer}}: {{peerProposals}})",
  },
  check({ intent, model }, report) {
    for (const t of model.tunnels) {
      const { host, peer } = t;
      const names = { tunnel: t.name, host: host.node, peer: peer.node };
      const { path, at } = differingSetting(intent, t, ["esp", "proposals"]);
      if (pfsOf(host.esp.pfsGroup) !== pfsOf(peer.esp.pfsGroup))
        report("pfs", path, { ...names, hostPfs: host.esp.pfsGroup ?? "none", peerPfs: peer.esp.pfsGroup ?? "none" }, { at, hint: "give the ESP proposals of both ends the same DH group (or none)" });
      else if (!intersects(espCombinations(host.esp.proposals), espCombinations(peer.esp.proposals)))
        report("proposals", path, { ...names, hostProposals: proposalList(host.esp.proposals), peerProposals: proposalList(peer.esp.proposals) }, { at, hint: "give both ends at least one identical ESP proposal" });
    }
  },
});
