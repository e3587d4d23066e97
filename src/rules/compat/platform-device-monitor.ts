import type { IntentPath } from "../../intent/source.js";
import type { TunnelModel } from "../../model/types.js";
import { inFileOrder } from "../support/file-order.js";
import { firstSet } from "../support/intent-paths.js";
import { defineRule } from "../rule.js";

/**
 * DEVICE_SETTING_MERGED: a platform whose reachability monitor is one setting for the whole device
 * (capabilities.monitor.scope "device", e.g. SRX `security ipsec vpn-monitor-options`) probes every tunnel of the
 * device with the smallest interval and failure count (and probe timeout) of them all, as its renderer writes it.
 * A tunnel asking for something else gets the device's setting instead: this says so at that tunnel's setting,
 * so the intent can say what the device will do. Rules read the declarations only (RuleContext.platforms).
 */
export const platformDeviceMonitor = defineRule({
  code: "SW209",
  name: "platform-device-monitor",
  description: "The tunnels of a device whose platform holds one monitor setting for the whole device ask for the same monitor interval, failure count and timeout.",
  severity: "warning",
  messages: {
    merged:
      "tunnel '{{tunnel}}' on {{peer}}: {{platform}} holds one {{monitor}} setting for the whole device, so this tunnel gets {{device}} (the smallest of the device's tunnels), not {{asked}}",
  },
  check({ source, intent, model, platforms }, report) {
    for (const peer of model.peers) {
      const platform = platforms.find((p) => p.name === peer.platform);
      if (!platform || platform.capabilities.monitor.scope !== "device") continue;
      const caps = platform.capabilities;
      const tunnels = inFileOrder(source, model.tunnels.filter((t) => t.peer.node === peer.name && caps.tunnelKinds.includes(t.kind)), (t) => ["tunnels", t.name], "key");
      if (tunnels.length < 2) continue;
      const interval = Math.min(...tunnels.map((t) => t.monitor.interval.seconds));
      const failures = Math.min(...tunnels.map((t) => t.monitor.failures));
      const timeout = Math.min(...tunnels.map((t) => t.monitor.timeout.seconds));
      const withTimeout = caps.monitor.timeoutMs !== undefined;
      for (const t of tunnels) {
        const differs = { interval: t.monitor.interval.seconds !== interval, failures: t.monitor.failures !== failures, timeout: withTimeout && t.monitor.timeout.seconds !== timeout };
        if (!differs.interval && !differs.failures && !differs.timeout) continue;
        const path = settingPath(intent, t, differs);
        report(
          "merged",
          path ?? ["tunnels", t.name],
          {
            tunnel: t.name,
            peer: peer.name,
            platform: platform.title,
            monitor: caps.monitor.name,
            device: described(`${interval}s`, failures, withTimeout ? `${timeout}s` : undefined),
            asked: described(t.monitor.interval.text, t.monitor.failures, withTimeout ? t.monitor.timeout.text : undefined),
          },
          {
            at: path ? "value" : "key",
            hint: `give every tunnel of ${peer.name} the same monitor settings, e.g. monitor: { interval: ${interval}s, failures: ${failures}${withTimeout ? `, timeout: ${timeout}s` : ""} }`,
          },
        );
      }
    }
  },
});

/** "a probe every 2s, down after 3 failures" ("a probe every 2s waiting 1s, …" where the platform has a probe timeout). */
function described(interval: string, failures: number, timeout: string | undefined): string {
  return `a probe every ${interval}${timeout !== undefined ? ` waiting ${timeout}` : ""}, down after ${failures} failures`;
}

/** The monitor setting of `t` that differs from the device's (interval first), if the intent writes it. */
function settingPath(intent: unknown, t: TunnelModel, differs: { interval: boolean; failures: boolean; timeout: boolean }): IntentPath | undefined {
  const monitor = ["tunnels", t.name, "monitor"];
  const keys = (["interval", "failures", "timeout"] as const).filter((k) => differs[k]);
  return firstSet(intent, ...keys.map((k) => [...monitor, k])) ?? firstSet(intent, monitor);
}
