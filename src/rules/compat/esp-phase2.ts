import { defineRule } from "../rule.js";
import { differingSetting, endSetting } from "./blame.js";
import { cloudLifetimeProblem } from "./cloud-lifetime.js";
import { espCombinations, intersects, pfsOf, proposalList } from "./negotiation.js";

/**
 * Prevents Batfish's IPSEC_PHASE2_FAILED: both ends require the same PFS group (or none) and share at least
 * one ESP encryption/integrity combination. PFS comes from the DH group of the first ESP proposal. With a
 * cloud peer on IKEv1 the gateway's ESP lifetime must be one the provider accepts (provider data).
 */
export const espPhase2 = defineRule({
  code: "SW203",
  name: "esp-phase2",
  description: "Both ends of a tunnel agree on PFS and share an ESP proposal (IPSEC_PHASE2_FAILED).",
  severity: "error",
  messages: {
    pfs: "tunnel '{{tunnel}}': {{host}} requires PFS group {{hostPfs}} but {{peer}} requires {{peerPfs}}",
    proposals: "tunnel '{{tunnel}}': the ESP proposals of the two ends do not intersect ({{host}}: {{hostProposals}}; {{peer}}: {{peerProposals}})",
    cloudLifetime: "tunnel '{{tunnel}}': {{host}} proposes an ESP lifetime of {{hostLifetime}}, which {{title}} '{{peer}}' does not accept on IKEv1 ({{range}})",
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
      const cloud = cloudLifetimeProblem(t, 2);
      if (cloud) {
        const place = endSetting(intent, t, host.node, ["esp", "lifetime"]);
        report("cloudLifetime", place.path, { ...names, hostLifetime: host.esp.lifetime.text, title: cloud.title, range: cloud.range }, { at: place.at, hint: `give ${host.node} an ESP lifetime of ${cloud.suggestion}s` });
      }
    }
  },
});
