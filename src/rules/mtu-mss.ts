import type { IntentPath } from "../intent/source.js";
import { defineRule } from "./rule.js";
import { firstSet, oncePerPath, tunnelSetting, tunnelValueOwner } from "./support/intent-paths.js";

export const MTU_RANGE = { min: 576, max: 9000 } as const;
/** RFC 879's default MSS: every IPv4 host accepts segments this large. */
export const MSS_MIN = 536;

/**
 * Only values written in the intent are judged: a derived MSS (MTU − 40) is in range whenever its MTU is.
 * An end's MSS comes from its override, else (unless the override changes the MTU) from the tunnel. An MSS
 * is not judged against an MTU that is itself out of range.
 */
export const mtuMss = defineRule({
  code: "SW108",
  name: "mtu-mss",
  description: `Tunnel and link MTUs are within ${MTU_RANGE.min}..${MTU_RANGE.max}; an explicit MSS is within ${MSS_MIN}..MTU − 40.`,
  severity: "error",
  messages: {
    mtu: "MTU {{mtu}} of {{owner}} is outside {{min}}..{{max}}",
    mss: "MSS {{mss}} of {{owner}} is outside {{min}}..{{max}} (MTU {{mtu}} − 40 for the IPv4 and TCP headers)",
  },
  check({ intent, model }, report) {
    const once = oncePerPath();
    const inRange = (mtu: number) => mtu >= MTU_RANGE.min && mtu <= MTU_RANGE.max;
    const checkMtu = (mtu: number, path: IntentPath | undefined, owner: string) => {
      if (path && once(path) && !inRange(mtu)) report("mtu", path, { mtu, owner, ...MTU_RANGE });
    };

    for (const t of model.tunnels)
      for (const end of [t.host, t.peer]) {
        const override = ["tunnels", t.name, "overrides", end.node];
        const mtuPath = tunnelSetting(intent, t.name, end.node, ["mtu"]);
        if (mtuPath) checkMtu(end.mtu, mtuPath, tunnelValueOwner(t.name, mtuPath));
        const mssPath = firstSet(intent, [...override, "mss"]) ?? (firstSet(intent, [...override, "mtu"]) ? undefined : firstSet(intent, ["tunnels", t.name, "mss"]));
        const max = end.mtu - 40;
        if (mssPath && inRange(end.mtu) && once(mssPath) && (end.mss < MSS_MIN || end.mss > max))
          report("mss", mssPath, { mss: end.mss, owner: tunnelValueOwner(t.name, mssPath), min: MSS_MIN, max, mtu: end.mtu }, { hint: `leave mss unset to derive it from the MTU (${end.mtu} − 40 = ${max})` });
      }
    for (const l of model.links) checkMtu(l.mtu, firstSet(intent, ["links", l.name, "mtu"]), `link '${l.name}'`);
  },
});
