import type { IntentPath } from "../../intent/source.js";
import type { TunnelModel } from "../../model/types.js";
import { numberProblems, type NumberSetting } from "../../targets/ios/numbers.js";
import { IOS_LIMITS, translateCrypto } from "../../targets/ios/translate.js";
import { inFileOrder } from "../support/file-order.js";
import { firstSet } from "../support/intent-paths.js";
import { defineRule } from "../rule.js";
import { endSetting } from "./blame.js";

/**
 * UNSUPPORTED_ON_PLATFORM for cisco-ios peers: every setting of the router's end must have an IOS spelling
 * (the translation table in src/targets/ios/translate.ts) and every number the router gets must fit and be
 * unique on it. The IOS target assumes this rule passed: it never guesses a near equivalent. A proposal
 * that is not valid for strongSwan either is left to SW123 (proposal-structure), so it is reported once.
 */
export const iosExpressible = defineRule({
  code: "SW208",
  name: "ios-expressible",
  description: "Everything a cisco-ios peer's end of a tunnel needs can be written in IOS (UNSUPPORTED_ON_PLATFORM).",
  severity: "error",
  messages: {
    policyBased: "tunnel '{{tunnel}}': cisco-ios peers get route-based tunnels only (a Tunnel interface with tunnel protection); '{{kind}}' cannot be rendered",
    crypto: "tunnel '{{tunnel}}' on {{peer}}: {{problem}}",
    mss: "tunnel '{{tunnel}}' on {{peer}}: MSS {{mss}} is outside the range of IOS 'ip tcp adjust-mss' ({{min}}..{{max}})",
    interval: "tunnel '{{tunnel}}' on {{peer}}: IP SLA probes every whole second from {{min}} to {{max}}; {{interval}} cannot be expressed",
    timeout: "tunnel '{{tunnel}}' on {{peer}}: IP SLA timeout {{timeout}} must be a whole number of milliseconds from 1 to the probe interval ({{interval}}); IOS refuses a timeout longer than the frequency",
    identity: "peer '{{peer}}' has identity {{identity}}, but IOS on IKEv1 identifies itself by its local address {{address}}",
    aggressive: "tunnel '{{tunnel}}' on {{peer}}: sitewire configures IOS for IKEv1 main mode only; aggressive mode would not match",
    number: "tunnel '{{tunnel}}' on {{peer}}: {{problem}}",
  },
  check({ source, intent, model }, report) {
    for (const peer of model.peers.filter((p) => p.platform === "cisco-ios")) {
      const tunnels = inFileOrder(source, model.tunnels.filter((t) => t.peer.node === peer.name), (t) => ["tunnels", t.name], "key");
      const names = (t: TunnelModel) => ({ tunnel: t.name, peer: peer.name });
      for (const t of tunnels) {
        if (t.kind !== "ipsec-vti") {
          report("policyBased", ["tunnels", t.name, "kind"], { ...names(t), kind: t.kind }, { hint: "use kind: ipsec-vti with an inside /30 and a key" });
          continue;
        }
        if (t.peer.ike.version === 1 && t.peer.ike.aggressive)
          report("aggressive", ["tunnels", t.name, "ike", "aggressive"], names(t), { hint: "drop aggressive: true (main mode protects the identities)" });
        for (const problem of translateCrypto(t.peer).problems.filter((p) => !p.structural)) {
          const key: IntentPath = [...problem.setting.split("."), ...(problem.index !== undefined ? [problem.index] : [])];
          const { path, at } = endSetting(intent, t, peer.name, key);
          report("crypto", path, { ...names(t), problem: problem.message }, { at, ...(problem.hint ? { hint: problem.hint } : {}) });
        }
        const { mss } = t.peer;
        if (mss < IOS_LIMITS.adjustMss.min || mss > IOS_LIMITS.adjustMss.max) {
          const path = firstSet(intent, ["tunnels", t.name, "overrides", peer.name, "mss"], ["tunnels", t.name, "overrides", peer.name, "mtu"], ["tunnels", t.name, "mss"], ["tunnels", t.name, "mtu"]);
          report("mss", path ?? ["tunnels", t.name], { ...names(t), mss, ...IOS_LIMITS.adjustMss }, { at: path ? "value" : "key", hint: "set mss (or mtu) so that the router's MSS is between 500 and 1460" });
        }
        const interval = t.monitor.interval;
        if (!Number.isInteger(interval.seconds) || interval.seconds < IOS_LIMITS.slaFrequency.min || interval.seconds > IOS_LIMITS.slaFrequency.max)
          report("interval", ["tunnels", t.name, "monitor", "interval"], { ...names(t), interval: interval.text, ...IOS_LIMITS.slaFrequency });
        // `timeout` under `ip sla` is in milliseconds and "cannot be greater than the value specified for the
        // frequency (IP SLA) command" (Cisco IOS IP SLAs Command Reference, timeout (IP SLA); the same text in
        // https://www.lancom-systems.de/docs/LCOS-SX/CLI-Reference/5.30/EN/V5/8_18_6_2_timeout.html).
        const timeoutMs = t.monitor.timeout.seconds * 1000;
        if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > interval.seconds * 1000)
          report("timeout", firstSet(intent, ["tunnels", t.name, "monitor", "timeout"]) ?? ["tunnels", t.name, "monitor", "interval"], { ...names(t), timeout: t.monitor.timeout.text, interval: interval.text }, { hint: "set monitor.timeout to at most monitor.interval" });
      }
      if (peer.identity !== peer.address && tunnels.some((t) => t.peer.ike.version === 1))
        report("identity", ["peers", peer.name, "identity"], { peer: peer.name, identity: peer.identity, address: peer.address }, { hint: "remove the identity (it defaults to the address) or use IKEv2, where IOS can send any identity" });
      for (const problem of numberProblems(tunnels.filter((t) => t.kind === "ipsec-vti"))) {
        const path = numberSettingPath(intent, problem.tunnel, problem.setting);
        report("number", path, { tunnel: problem.tunnel, peer: peer.name, problem: problem.message }, { at: path.length === 2 ? "key" : "value", hint: problem.hint });
      }
    }
  },
});

/** An explicit monitor id if the intent sets one; otherwise the key it defaults to; otherwise the tunnel. */
function numberSettingPath(intent: unknown, tunnel: string, setting: NumberSetting): IntentPath {
  const explicit: IntentPath = ["tunnels", tunnel, ...setting.split(".")];
  // The Tunnel interface and isakmp policy numbers come from `number` when it is set, else from the key.
  if (setting === "key") return firstSet(intent, ["tunnels", tunnel, "number"], explicit) ?? ["tunnels", tunnel];
  return firstSet(intent, explicit, ["tunnels", tunnel, "key"]) ?? ["tunnels", tunnel];
}
