import { makePrefix, overlaps } from "../net/ip.js";
import type { Prefix } from "../model/types.js";
import { defineRule } from "./rule.js";
import { refPaths } from "./support/intent-paths.js";

/** What ip-masq-agent leaves unmasqueraded when the config omits nonMasqueradeCIDRs (NewMasqConfig). */
const AGENT_DEFAULTS: readonly Prefix[] = [makePrefix("10.0.0.0", 8), makePrefix("172.16.0.0", 12), makePrefix("192.168.0.0", 16)];

/**
 * A flow from hosts (Kubernetes nodes) is built for node addresses: the gateway's FORWARD and MASQUERADE
 * rules match `-s <node>`. Pod traffic only has a node address if ip-masq-agent masquerades it; a
 * destination in nonMasqueradeCIDRs keeps the pod address and is dropped (or leaves unNATed) at the gateway.
 */
export const flowUnmasqueraded = defineRule({
  code: "SW120",
  name: "flow-unmasqueraded",
  description:
    "Warns when a flow from hosts sends to a destination that ip-masq-agent does not masquerade: pod traffic would reach the gateway with pod addresses its rules for the nodes do not match.",
  severity: "warning",
  messages: {
    unmasqueraded:
      "flow '{{flow}}' forwards {{prefix}} for hosts, but ip-masq-agent does not masquerade pod traffic to {{cidr}} ({{listed}}): it would reach '{{gateway}}' with pod addresses its rules do not match",
  },
  check({ intent, model }, report) {
    const masquerade = model.cluster?.masquerade;
    if (!masquerade) return;
    const defaults = masquerade.nonMasqueradeCIDRs === "agent-defaults";
    const nonMasquerade = defaults ? AGENT_DEFAULTS : masquerade.nonMasqueradeCIDRs;
    for (const f of model.flows) {
      if (!f.sources.some((s) => s.host)) continue;
      for (const { prefix, path } of refPaths(intent.flows?.[f.name]?.to, f.to, ["flows", f.name, "to"])) {
        const cidr = nonMasquerade.find((n) => overlaps(n, prefix));
        if (cidr)
          report(
            "unmasqueraded",
            path,
            { flow: f.name, prefix: prefix.cidr, cidr: cidr.cidr, gateway: f.via, listed: defaults ? "an ip-masq-agent default" : "cluster.masquerade.nonMasqueradeCIDRs" },
            { hint: defaults ? "list nonMasqueradeCIDRs explicitly without this destination" : `remove ${cidr.name ?? cidr.cidr} from nonMasqueradeCIDRs or narrow it` },
          );
      }
    }
  },
});
