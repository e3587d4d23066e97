import { defaultValue } from "../intent/defaults.js";
import type { IntentPath } from "../intent/source.js";
import type { Duration } from "../model/types.js";
import { defineRule } from "./rule.js";
import { firstSet, oncePerPath, tunnelSetting, tunnelValueOwner } from "./support/intent-paths.js";

const IKE_LIFETIME = defaultValue("tunnels.<t>.ike.lifetime");
const ESP_LIFETIME = defaultValue("tunnels.<t>.esp.lifetime");

/** Below this an SA would be rekeyed all the time (IOS refuses isakmp lifetimes under 60 s, too). */
const MIN_LIFETIME_SECONDS = 60;

/**
 * Only clear mistakes: a lifetime under a minute, any interval under a second (the schema admits ms), a
 * CHILD SA that outlives its IKE SA (the IKE SA's rekeying or reauthentication replaces it first), and a
 * DPD timeout that expires before a second check could be sent. Sensible-but-unusual values (a 24h ESP
 * lifetime) are left alone.
 */
export const durations = defineRule({
  code: "SW122",
  name: "durations",
  description:
    "Lifetimes are at least a minute, intervals at least a second, the ESP lifetime is shorter than the IKE lifetime, and the DPD timeout is longer than the DPD delay.",
  severity: "error",
  messages: {
    lifetime: "{{what}} {{value}} of {{owner}} is under a minute: the SA would be rekeyed all the time",
    subSecond: "{{what}} of {{owner}} is {{value}}, under a second",
    espOutlivesIke: "ESP lifetime {{esp}} of {{owner}} is not shorter than its IKE lifetime {{ike}}",
    dpdTimeout: "DPD timeout {{timeout}} of {{owner}} is not longer than the DPD delay {{delay}}: the peer is declared dead before a second check",
  },
  check({ intent, model }, report) {
    // One written value can serve both ends: report each value, and each comparison, once.
    const once = { value: oncePerPath(), lifetimes: oncePerPath(), dpd: oncePerPath() };
    const subSecond = (d: Duration, path: IntentPath | undefined, what: string, owner: string) => {
      if (path && d.seconds < 1 && once.value(path)) report("subSecond", path, { what, owner, value: d.text }, { hint: "use seconds or longer units" });
    };

    for (const t of model.tunnels) {
      const tunnel = t.name;
      for (const end of [t.host, t.peer]) {
        const at = (...key: string[]) => tunnelSetting(intent, tunnel, end.node, key);
        const ikePath = at("ike", "lifetime");
        const espPath = at("esp", "lifetime");
        for (const [what, d, path] of [["IKE lifetime", end.ike.lifetime, ikePath], ["ESP lifetime", end.esp.lifetime, espPath]] as const)
          if (path && d.seconds < MIN_LIFETIME_SECONDS && once.value(path)) report("lifetime", path, { what, value: d.text, owner: tunnelValueOwner(tunnel, path) }, { hint: `IKE SAs usually live hours (default ${IKE_LIFETIME}), CHILD SAs an hour (default ${ESP_LIFETIME})` });
        const lifetimes = espPath ?? ikePath;
        if (lifetimes && end.esp.lifetime.seconds >= end.ike.lifetime.seconds && once.lifetimes(lifetimes))
          report("espOutlivesIke", lifetimes, { esp: end.esp.lifetime.text, ike: end.ike.lifetime.text, owner: tunnelValueOwner(tunnel, lifetimes) }, { hint: `make the ESP lifetime shorter than the IKE lifetime (defaults: IKE ${IKE_LIFETIME}, ESP ${ESP_LIFETIME})` });

        const delayPath = at("dpd", "delay");
        const timeoutPath = at("dpd", "timeout");
        if (delayPath) subSecond(end.dpd.delay, delayPath, "DPD delay", tunnelValueOwner(tunnel, delayPath));
        if (timeoutPath) subSecond(end.dpd.timeout, timeoutPath, "DPD timeout", tunnelValueOwner(tunnel, timeoutPath));
        const dpdPath = timeoutPath ?? delayPath;
        if (dpdPath && end.dpd.timeout.seconds <= end.dpd.delay.seconds && once.dpd(dpdPath))
          report("dpdTimeout", dpdPath, { timeout: end.dpd.timeout.text, delay: end.dpd.delay.text, owner: tunnelValueOwner(tunnel, dpdPath) }, { hint: `make the timeout a few delays long (defaults: delay ${defaultValue("tunnels.<t>.dpd.delay")}, timeout ${defaultValue("tunnels.<t>.dpd.timeout")})` });
      }
      subSecond(t.monitor.interval, firstSet(intent, ["tunnels", tunnel, "monitor", "interval"]), "monitor interval", `tunnel '${tunnel}'`);
    }
    for (const f of model.failover) {
      const view = model.hosts.find((h) => h.failover?.pair === f.name)?.failover;
      if (view) subSecond(view.interval, firstSet(intent, ["failover", f.name, "interval"]), "probe interval", `failover pair '${f.name}'`);
    }
    const resync = model.cluster?.masquerade?.resyncInterval;
    if (resync) subSecond(resync, firstSet(intent, ["cluster", "masquerade", "resyncInterval"]), "resyncInterval", "ip-masq-agent");
  },
});
