import { platformDpd } from "../../platform/crypto.js";
import { defineRule } from "../rule.js";
import { endSetting } from "./blame.js";

/**
 * A far-side device probes its peer within the range its platform declares (capabilities.dpd.delay; IOS:
 * `keepalive` / `dpd` 10..3600 seconds). A device end asking for something else gets the nearest value; this
 * says so, so the intent can say it too.
 */
export const platformDpdRange = defineRule({
  code: "SW206",
  name: "platform-dpd-range",
  description: "A far-side device's dead peer detection delay is within what its platform can probe.",
  severity: "warning",
  messages: {
    clamped: "tunnel '{{tunnel}}' on {{peer}}: {{platform}} cannot probe every {{delay}}; the device will use {{seconds}}s",
  },
  check({ intent, model, platforms }, report) {
    for (const t of model.tunnels) {
      const platform = platforms.find((p) => p.name === t.peer.platform);
      if (!platform) continue;
      const dpd = platformDpd(t.peer.dpd, platform);
      if (!dpd.clamped) continue;
      const { path, at } = endSetting(intent, t, t.peer.node, ["dpd", "delay"]);
      report("clamped", path, { tunnel: t.name, peer: t.peer.node, platform: platform.title, delay: t.peer.dpd.delay.text, seconds: dpd.seconds }, {
        at,
        hint: `say so in the intent: tunnels.${t.name}.overrides.${t.peer.node}.dpd.delay: ${dpd.seconds}s`,
      });
    }
  },
});
