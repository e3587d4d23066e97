/** The meaning checks, in one list. Adding a rule: a file in this folder, its test beside it, one line here. */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { addressUsable } from "./address-usable.js";
import { allowAll } from "./allow-all.js";
import { strongswanKeywordNames } from "./strongswan-keyword-names.js";
import { aggressiveMode } from "./aggressive-mode.js";
import { bgpAnnouncements } from "./bgp-announcements.js";
import { bgpAs } from "./bgp-as.js";
import { bgpPlacement } from "./bgp-placement.js";
import { bgpTimers } from "./bgp-timers.js";
import { cloudNumbers } from "./cloud-numbers.js";
import { cloudPeer } from "./cloud-peer.js";
import { clusterObjectsUnique } from "./cluster-objects-unique.js";
import { COMPAT_RULES } from "./compat/index.js";
import { durations } from "./durations.js";
import { egressGatewayConflict } from "./egress-gateway-conflict.js";
import { egressGatewaySource } from "./egress-gateway-source.js";
import { exceptWithin } from "./except-within.js";
import { failoverPair } from "./failover-pair.js";
import { failoverSettings } from "./failover-settings.js";
import { flowDeliverable } from "./flow-deliverable.js";
import { flowUnmasqueraded } from "./flow-unmasqueraded.js";
import { forwardDefaultDrop } from "./forward-default-drop.js";
import { ikev1OneAlgorithm } from "./ikev1-one-algorithm.js";
import { masqAgentReservedRanges } from "./masq-agent-reserved-ranges.js";
import { masqAgentToPorts } from "./masq-agent-to-ports.js";
import { crdIpv4Only } from "./crd-ipv4-only.js";
import { inapplicableSettings } from "./inapplicable-settings.js";
import { insideOverlap } from "./inside-overlap.js";
import { insidePrefixLength } from "./inside-prefix-length.js";
import { masqueradeCidrs } from "./masquerade-cidrs.js";
import { mtuMss } from "./mtu-mss.js";
import { portRanges } from "./port-ranges.js";
import { proposalStructure } from "./proposal-structure.js";
import { redundantTunnels } from "./redundant-tunnels.js";
import { routedPrefixes } from "./routed-prefixes.js";
import { runRules, type Rule, type RuleContext } from "./rule.js";
import { reservedDevices } from "./reserved-devices.js";
import { secretFileLocation } from "./secret-file-location.js";
import { siteName } from "./site-name.js";
import { uniqueDevices } from "./unique-devices.js";
import { uniqueKeys } from "./unique-keys.js";
import { uniqueNames } from "./unique-names.js";
import { uniqueTables } from "./unique-tables.js";
import { unknownAlgorithm } from "./unknown-algorithm.js";
import { weakCrypto } from "./weak-crypto.js";
import { xfrmIpsecConf } from "./xfrm-ipsec-conf.js";

/** In code order, so that a reader can find a code's rule; diagnostics are sorted by position anyway. */
export const RULES: readonly Rule[] = [
  siteName, // SW100
  addressUsable, // SW101
  uniqueNames, // SW103
  clusterObjectsUnique, // SW103
  insidePrefixLength, // SW104
  insideOverlap, // SW105
  uniqueKeys, // SW106
  uniqueTables, // SW107
  mtuMss, // SW108
  routedPrefixes, // SW109
  masqueradeCidrs, // SW110
  portRanges, // SW111
  weakCrypto, // SW112
  aggressiveMode, // SW113
  unknownAlgorithm, // SW114
  failoverPair, // SW118
  uniqueDevices, // SW119
  flowUnmasqueraded, // SW120
  failoverSettings, // SW120
  egressGatewayConflict, // SW120
  inapplicableSettings, // SW120
  egressGatewaySource, // SW121
  durations, // SW122
  proposalStructure, // SW123
  ikev1OneAlgorithm, // SW123
  exceptWithin, // SW124
  secretFileLocation, // SW125
  forwardDefaultDrop, // SW130
  reservedDevices, // SW141
  allowAll, // SW142
  strongswanKeywordNames, // SW143
  xfrmIpsecConf, // SW144
  masqAgentReservedRanges, // SW150
  masqAgentToPorts, // SW151
  crdIpv4Only, // SW152
  bgpAs, // SW160
  bgpTimers, // SW161
  bgpPlacement, // SW162
  bgpAnnouncements, // SW163
  cloudNumbers, // SW164
  redundantTunnels, // SW165
  cloudPeer, // SW166
  flowDeliverable, // SW170: silent until the post-emit check hands it the engine's walks (src/compile/deliverability.ts)
  ...COMPAT_RULES,
];

export function checkMeaning(ctx: RuleContext): Diagnostic[] {
  return runRules(RULES, ctx);
}
