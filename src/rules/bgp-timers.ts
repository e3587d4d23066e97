import type { IntentPath } from "../intent/source.js";
import { isConfirmed, providerFacts } from "../model/cloud-providers.js";
import { defineRule } from "./rule.js";
import { bgpTunnels, timersOf } from "./support/bgp.js";
import { firstSet } from "./support/intent-paths.js";

/** RFC 4271 section 4.2: the Hold Time is 0 or at least 3 seconds, in a 2-octet field (FRR: `timers bgp 0-65535 0|3-65535`). */
const HOLD = { min: 3, max: 65535 };

/**
 * BGP timers (RFC 4271): hold time 0 or 3..65535 whole seconds; keepalive a third of the hold time or less
 * (section 10: "a reasonable maximum time between KEEPALIVE messages would be one third of the Hold Time
 * interval"), so that one lost keepalive does not end the session. A managed cloud gateway runs fixed timers
 * (provider data, src/model/cloud-providers.ts): the tunnel must say the same, or both ends would expect
 * different failure detection times.
 */
export const bgpTimers = defineRule({
  code: "SW161",
  name: "bgp-timers",
  description:
    "A tunnel's BGP hold time is 0 or 3..65535 whole seconds, its keepalive is more than 0 and at most a third of the hold time, and both equal what a cloud peer's provider runs.",
  severity: "error",
  messages: {
    whole: "tunnel '{{tunnel}}': BGP {{timer}} {{value}} is not a whole number of seconds (BGP timers are seconds)",
    holdTime: "tunnel '{{tunnel}}': BGP hold time {{value}} must be 0 (no hold timer) or from 3s to 65535s (RFC 4271, section 4.2)",
    keepalive: "tunnel '{{tunnel}}': BGP keepalive {{keepalive}} is {{problem}} of the hold time {{holdTime}}; one lost keepalive would end the session (RFC 4271 section 10: at most a third)",
    provider: "tunnel '{{tunnel}}' to {{title}} '{{peer}}': the provider runs BGP with a {{timer}} of {{expected}}s, not {{value}}",
  },
  check({ intent, model }, report) {
    for (const { t, bgp } of bgpTunnels(intent, model)) {
      const { holdTime, keepalive } = timersOf(t, bgp);
      const base: IntentPath = ["tunnels", t.name, "bgp"];
      const place = (...keys: string[]) => {
        const path = firstSet(intent, ...keys.map((k) => [...base, k]));
        return path ? { path, at: "value" as const } : { path: base, at: "key" as const };
      };
      const data = { tunnel: t.name };
      let broken = false;
      for (const [timer, value, key] of [["hold time", holdTime, "holdTime"], ["keepalive", keepalive, "keepalive"]] as const)
        if (!Number.isInteger(value.seconds)) {
          const p = place(key);
          report("whole", p.path, { ...data, timer, value: value.text }, { at: p.at, hint: `write whole seconds, e.g. ${Math.max(1, Math.round(value.seconds))}s` });
          broken = true;
        }
      if (broken) continue;
      if (holdTime.seconds !== 0 && (holdTime.seconds < HOLD.min || holdTime.seconds > HOLD.max)) {
        const p = place("holdTime");
        report("holdTime", p.path, { ...data, value: holdTime.text }, { at: p.at, hint: "e.g. holdTime: 30s (keepalive then defaults to 10s)" });
        continue;
      }
      if (holdTime.seconds !== 0 && (keepalive.seconds === 0 || keepalive.seconds * 3 > holdTime.seconds)) {
        const p = place("keepalive", "holdTime");
        const problem = keepalive.seconds === 0 ? "0 (no keepalives) instead of a third" : keepalive.seconds >= holdTime.seconds ? "not less than a third" : "more than a third";
        report("keepalive", p.path, { ...data, keepalive: keepalive.text, holdTime: holdTime.text, problem }, {
          at: p.at,
          hint: `set keepalive: ${Math.max(1, Math.floor(holdTime.seconds / 3))}s (or drop it: it defaults to a third of the hold time)`,
        });
        continue;
      }
      const facts = providerFacts(t.peer.platform);
      if (!facts) continue;
      const who = { ...data, title: facts.title, peer: t.peer.node };
      const hold = facts.bgp.holdTimeSeconds;
      const alive = facts.bgp.keepaliveSeconds;
      if (isConfirmed(hold) && holdTime.seconds !== hold.value) {
        const p = place("holdTime");
        report("provider", p.path, { ...who, timer: "hold time", expected: hold.value, value: holdTime.text }, { at: p.at, hint: `set bgp.holdTime: ${hold.value}s (${hold.source})` });
      } else if (isConfirmed(alive) && keepalive.seconds !== alive.value) {
        const p = place("keepalive", "holdTime");
        report("provider", p.path, { ...who, timer: "keepalive", expected: alive.value, value: keepalive.text }, { at: p.at, hint: `set bgp.keepalive: ${alive.value}s (${alive.source})` });
      }
    }
  },
});
