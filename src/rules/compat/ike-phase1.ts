import { defineRule } from "../rule.js";
import { differingSetting, endSetting } from "./blame.js";
import { cloudLifetimeProblem } from "./cloud-lifetime.js";
import { ikeCombinations, intersects, proposalList } from "./negotiation.js";

/**
 * Prevents Batfish's IKE_PHASE1_FAILED: both ends speak the same IKE version and share at least one IKE
 * proposal. With an IOS peer on IKEv1 the gateway's IKE lifetime must also not exceed the router's: IOS only
 * accepts an isakmp proposal whose lifetime is less than or equal to its own policy's (Cisco IOS
 * "Configuring Internet Key Exchange for IPsec VPNs", how IKE policies are matched). A cloud peer is judged by
 * its provider's data instead: on IKEv1 the gateway's IKE lifetime must be one the provider accepts.
 */
export const ikePhase1 = defineRule({
  code: "SW201",
  name: "ike-phase1",
  description: "Both ends of a tunnel speak the same IKE version and share an IKE proposal (IKE_PHASE1_FAILED).",
  severity: "error",
  messages: {
    version: "tunnel '{{tunnel}}': {{host}} speaks IKEv{{hostVersion}} but {{peer}} speaks IKEv{{peerVersion}}",
    proposals: "tunnel '{{tunnel}}': the IKE proposals of the two ends do not intersect ({{host}}: {{hostProposals}}; {{peer}}: {{peerProposals}})",
    lifetime: "tunnel '{{tunnel}}': {{host}} proposes an IKE lifetime of {{hostLifetime}}, longer than {{peer}}'s {{peerLifetime}}; IOS rejects an isakmp proposal whose lifetime exceeds its policy's",
    cloudLifetime: "tunnel '{{tunnel}}': {{host}} proposes an IKE lifetime of {{hostLifetime}}, which {{title}} '{{peer}}' does not accept on IKEv1 ({{range}})",
  },
  check({ intent, model, platforms }, report) {
    for (const t of model.tunnels) {
      const { host, peer } = t;
      const names = { tunnel: t.name, host: host.node, peer: peer.node };
      if (host.ike.version !== peer.ike.version) {
        const { path, at } = differingSetting(intent, t, ["ike", "version"]);
        report("version", path, { ...names, hostVersion: host.ike.version, peerVersion: peer.ike.version }, { at, hint: "set the same ike.version on both ends" });
        continue;
      }
      if (!intersects(ikeCombinations(host.ike.proposals), ikeCombinations(peer.ike.proposals))) {
        const { path, at } = differingSetting(intent, t, ["ike", "proposals"]);
        report("proposals", path, { ...names, hostProposals: proposalList(host.ike.proposals), peerProposals: proposalList(peer.ike.proposals) }, { at, hint: "give both ends at least one identical proposal" });
      }
      if (platforms.find((p) => p.name === peer.platform)?.capabilities.ike.ikev1Lifetime === "at-most-own" && peer.ike.version === 1 && host.ike.lifetime.seconds > peer.ike.lifetime.seconds) {
        const { path, at } = differingSetting(intent, t, ["ike", "lifetime"]);
        report("lifetime", path, { ...names, hostLifetime: host.ike.lifetime.text, peerLifetime: peer.ike.lifetime.text }, { at, hint: `give ${host.node} an IKE lifetime of at most ${peer.ike.lifetime.text}` });
      }
      const cloud = cloudLifetimeProblem(t, 1);
      if (cloud) {
        const { path, at } = endSetting(intent, t, host.node, ["ike", "lifetime"]);
        report("cloudLifetime", path, { ...names, hostLifetime: host.ike.lifetime.text, title: cloud.title, range: cloud.range }, { at, hint: `give ${host.node} an IKE lifetime of ${cloud.suggestion}s` });
      }
    }
  },
});
