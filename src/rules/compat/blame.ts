/**
 * Where a two-end diagnostic points. A tunnel is written once, so when its two ends disagree it is because
 * an override (`tunnels.<t>.overrides.<end>`) changed one of them: point at that override, the peer's first
 * (the far side is the end usually overridden), else at the tunnel's own setting, else at the tunnel.
 */
import type { IntentPath } from "../../intent/source.js";
import type { TunnelEnd, TunnelModel } from "../../model/types.js";
import { firstSet, tunnelSetting } from "../support/intent-paths.js";

export interface Place {
  readonly path: IntentPath;
  readonly at: "key" | "value";
}

/** The setting that makes the two ends of `t` differ on `key`. */
export function differingSetting(intent: unknown, t: TunnelModel, key: IntentPath): Place {
  const override = (end: string): IntentPath => ["tunnels", t.name, "overrides", end, ...key];
  const path = firstSet(intent, override(t.peer.node), override(t.host.node), ["tunnels", t.name, ...key]);
  return path ? { path, at: "value" } : { path: ["tunnels", t.name], at: "key" };
}

/** The setting one end of `t` takes `key` from: its override, else the tunnel's, else the tunnel. */
export function endSetting(intent: unknown, t: TunnelModel, end: string, key: IntentPath): Place {
  const path = tunnelSetting(intent, t.name, end, key);
  return path ? { path, at: "value" } : { path: ["tunnels", t.name], at: "key" };
}

/**
 * The ends of `t` grouped by the setting each takes `key` from: a value written once on the tunnel is
 * reported once, naming both ends, instead of twice at the same place.
 */
export function byPlace(intent: unknown, t: TunnelModel, ends: readonly TunnelEnd[], key: IntentPath): { place: Place; ends: TunnelEnd[] }[] {
  const groups = new Map<string, { place: Place; ends: TunnelEnd[] }>();
  for (const end of ends) {
    const place = endSetting(intent, t, end.node, key);
    const id = JSON.stringify(place.path);
    const group = groups.get(id) ?? { place, ends: [] };
    group.ends.push(end);
    groups.set(id, group);
  }
  return [...groups.values()];
}
