import { defineRule } from "../rule.js";
import { differingSetting } from "./blame.js";

/**
 * MTU_MISMATCH: both ends of a tunnel use the same MTU. A packet that fits one end but not the other is
 * dropped or fragmented (and path MTU discovery is often blocked on the way). With one MTU, each end's MSS
 * fits the tunnel as long as it fits its own MTU, which SW108 (mtu-mss) checks for every explicit MSS; a
 * derived MSS is MTU − 40 on both ends.
 */
export const mtuMismatch = defineRule({
  code: "SW207",
  name: "mtu-mismatch",
  description: "Both ends of a tunnel use one MTU (MTU_MISMATCH).",
  severity: "error",
  messages: {
    mtu: "tunnel '{{tunnel}}': {{host}} uses MTU {{hostMtu}} but {{peer}} uses {{peerMtu}}",
  },
  check({ intent, model }, report) {
    for (const t of model.tunnels) {
      const { host, peer } = t;
      if (host.mtu === peer.mtu) continue;
      const { path, at } = differingSetting(intent, t, ["mtu"]);
      report("mtu", path, { tunnel: t.name, host: host.node, peer: peer.node, hostMtu: host.mtu, peerMtu: peer.mtu }, { at, hint: "set mtu once on the tunnel, not per end (the MSS follows it)" });
    }
  },
});
