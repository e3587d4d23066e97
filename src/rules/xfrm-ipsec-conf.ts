import type { IntentPath } from "../intent/source.js";
import { defineRule } from "./rule.js";
import { firstSet } from "./support/intent-paths.js";

/**
 * An XFRM interface takes the SAs whose if_id is its own, and charon sets that if_id only from swanctl.conf
 * (connections.<conn>.children.<child>.if_id_in / if_id_out, swanctl.conf(5) since strongSwan 5.8.0).
 * ipsec.conf has no such keyword (ipsec.conf(5); starter's src/starter/keywords.txt knows mark, mark_in and
 * mark_out only, https://github.com/strongswan/strongswan/blob/master/src/starter/keywords.txt), so an
 * ipsec.conf for an xfrm tunnel would install SAs no interface takes: the traffic routed into the device
 * would be dropped. The host must load swanctl.conf alone, or the tunnel must use a vti device.
 */
export const xfrmIpsecConf = defineRule({
  code: "SW144",
  name: "xfrm-ipsec-conf",
  description: "An XFRM interface needs swanctl.conf (if_id_in/if_id_out): refuses xfrm tunnels on hosts whose strongSwan format is ipsec-conf or both.",
  severity: "error",
  messages: {
    xfrmIpsecConf:
      "tunnel '{{tunnel}}' runs through XFRM interface {{device}} (if_id {{key}}), which ipsec.conf cannot express, but host '{{host}}' gets strongSwan format '{{format}}'",
  },
  check({ intent, model }, report) {
    for (const host of model.hosts) {
      if (host.strongswanFormat === "swanctl") continue;
      for (const v of host.vtis) {
        if (v.kind !== "xfrm") continue;
        // Point at what made the device an XFRM interface: the tunnel's kind, the host's, or its release.
        const path: IntentPath =
          firstSet(intent, ["tunnels", v.tunnel, "device", "kind"], ["hosts", host.name, "device", "kind"], ["hosts", host.name, "release"]) ?? ["tunnels", v.tunnel];
        report("xfrmIpsecConf", path, { tunnel: v.tunnel, device: v.device, key: v.key, host: host.name, format: host.strongswanFormat }, {
          hint: `set hosts.${host.name}.strongswan.format: swanctl (strongSwan ≥ 5.8 reads if_id_in/if_id_out there), or device: { kind: vti } on the tunnel`,
        });
      }
    }
  },
});
