import { providerFacts, isConfirmed } from "../model/cloud-providers.js";
import { defineRule } from "./rule.js";
import { asOf, bgpTunnels } from "./support/bgp.js";

/**
 * A BGP session over a tunnel takes each end's AS from that end (hosts/peers.<n>.routing.bgp): both must have
 * one, and they must differ. sitewire runs eBGP between the ends of a tunnel (neighbour = the other end's
 * inside address, one hop); iBGP over a tunnel would need a full mesh or route reflectors, next-hop-self and
 * an IGP, which this does not build.
 */
export const bgpAs = defineRule({
  code: "SW160",
  name: "bgp-as",
  description: "A tunnel with `bgp` has an AS on both ends (routing.bgp on its host and its peer), and the two ASes differ (eBGP only).",
  severity: "error",
  messages: {
    missing: "tunnel '{{tunnel}}' runs BGP, but {{role}} '{{node}}' has no routing.bgp (no AS to run the session from)",
    same: "tunnel '{{tunnel}}': host '{{host}}' and peer '{{peer}}' are both in AS {{as}}; BGP over a tunnel is eBGP between two ASes (iBGP is not supported)",
  },
  check({ intent, model }, report) {
    for (const { t } of bgpTunnels(intent, model)) {
      const at = ["tunnels", t.name, "bgp"];
      const hostAs = asOf(model, t.host.node, "host");
      const peerAs = asOf(model, t.peer.node, "peer");
      if (hostAs === undefined)
        report("missing", at, { tunnel: t.name, role: "host", node: t.host.node }, { at: "key", hint: `add hosts.${t.host.node}.routing.bgp: { as: <ASN> } (a private ASN, e.g. 65010)` });
      if (peerAs === undefined) {
        const facts = providerFacts(t.peer.platform);
        const dflt = facts && isConfirmed(facts.bgp.providerDefaultAsn) ? facts.bgp.providerDefaultAsn.value : undefined;
        const hint = `add peers.${t.peer.node}.routing.bgp: { as: ${dflt ?? "<ASN>"} }${dflt !== undefined ? ` (${facts!.title}'s default ASN, or the one the gateway has)` : ""}`;
        report("missing", at, { tunnel: t.name, role: "peer", node: t.peer.node }, { at: "key", hint });
      }
      if (hostAs !== undefined && hostAs === peerAs)
        report("same", at, { tunnel: t.name, host: t.host.node, peer: t.peer.node, as: hostAs }, { at: "key", hint: "give the host and the peer different ASes (private ASNs 64512-65534)" });
    }
  },
});
