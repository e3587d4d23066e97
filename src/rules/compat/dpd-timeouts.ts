import { defineRule } from "../rule.js";
import { byPlace } from "./blame.js";

/**
 * DPD_MISMATCH: an end whose dead-peer timeout is not longer than its probe delay declares the other end
 * dead before the first answer can arrive, so the tunnel flaps. strongSwan (IKEv1 dpdtimeout) and IOS
 * (keepalive/dpd retries after the delay) both need room for at least one answered probe.
 */
export const dpdTimeouts = defineRule({
  code: "SW206",
  name: "dpd-timeouts",
  description: "Each end of a tunnel waits longer for a dead peer than it waits between probes (DPD_MISMATCH).",
  severity: "error",
  messages: {
    timeout: "tunnel '{{tunnel}}': the dead peer timeout of {{ends}} ({{timeout}}) is not longer than its probe delay ({{delay}})",
  },
  check({ intent, model }, report) {
    for (const t of model.tunnels)
      for (const { place, ends } of byPlace(intent, t, [t.host, t.peer].filter((e) => e.dpd.timeout.seconds <= e.dpd.delay.seconds), ["dpd", "timeout"])) {
        const { delay, timeout } = ends[0]!.dpd;
        report("timeout", place.path, { tunnel: t.name, ends: ends.map((e) => e.node).join(" and "), timeout: timeout.text, delay: delay.text }, {
          at: place.at,
          hint: `make dpd.timeout at least three probes (${3 * delay.seconds}s)`,
        });
      }
  },
});
