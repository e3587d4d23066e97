import { iosDpd } from "../../targets/ios/translate.js";
import { defineRule } from "../rule.js";
import { endSetting } from "./blame.js";

/**
 * IOS probes a peer at most every 10 seconds and at least every hour (`keepalive` / `dpd` 10..3600). A router
 * end asking for something else gets the nearest value; this says so, so the intent can say it too.
 */
export const iosDpdRange = defineRule({
  code: "SW206",
  name: "ios-dpd-range",
  description: "A cisco-ios peer's dead peer detection delay is within what IOS can probe (10s..3600s).",
  severity: "warning",
  messages: {
    clamped: "tunnel '{{tunnel}}' on {{peer}}: IOS cannot probe every {{delay}}; the router will use {{seconds}}s",
  },
  check({ intent, model }, report) {
    for (const t of model.tunnels) {
      if (t.peer.platform !== "cisco-ios") continue;
      const dpd = iosDpd(t.peer.dpd);
      if (!dpd.clamped) continue;
      const { path, at } = endSetting(intent, t, t.peer.node, ["dpd", "delay"]);
      report("clamped", path, { tunnel: t.name, peer: t.peer.node, delay: t.peer.dpd.delay.text, seconds: dpd.seconds }, {
        at,
        hint: `say so in the intent: tunnels.${t.name}.overrides.${t.peer.node}.dpd.delay: ${dpd.seconds}s`,
      });
    }
  },
});
