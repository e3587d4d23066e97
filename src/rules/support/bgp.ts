/**
 * What the BGP and cloud-peer rules (SW160–SW166) share: the tunnels that ask for BGP in the intent (the
 * model's TunnelModel.bgp is only there when the session is complete, so rules that explain why it is not read
 * the intent), their timers with the resolver's defaults, and the ends' ASes.
 */
import type { SiteIntent, TunnelIntent } from "../../intent/schema.js";
import { defaultValue } from "../../intent/defaults.js";
import type { Duration, SiteModel, TunnelModel } from "../../model/types.js";
import { parseDuration } from "../../model/values.js";

export function tunnelIntent(intent: SiteIntent, name: string): TunnelIntent | undefined {
  return intent.tunnels?.[name];
}

/** Resolved tunnels whose intent has `bgp`, with that block. */
export function bgpTunnels(intent: SiteIntent, model: SiteModel): { t: TunnelModel; bgp: NonNullable<TunnelIntent["bgp"]> }[] {
  return model.tunnels.flatMap((t) => {
    const bgp = tunnelIntent(intent, t.name)?.bgp;
    return bgp ? [{ t, bgp }] : [];
  });
}

/** Hold time and keepalive as the resolver fills them (model when complete, else the same defaults). */
export function timersOf(t: TunnelModel, bgp: NonNullable<TunnelIntent["bgp"]>): { holdTime: Duration; keepalive: Duration } {
  if (t.bgp) return { holdTime: t.bgp.holdTime, keepalive: t.bgp.keepalive };
  const holdTime = parseDuration(bgp.holdTime ?? defaultValue("tunnels.<t>.bgp.holdTime"));
  return { holdTime, keepalive: bgp.keepalive ? parseDuration(bgp.keepalive) : parseDuration(`${Math.floor(holdTime.seconds / 3)}s`) };
}

/** The AS of a tunnel end (hosts.<h>.routing.bgp / peers.<p>.routing.bgp), if it has one. */
export function asOf(model: SiteModel, node: string, role: "host" | "peer"): number | undefined {
  return role === "host" ? model.hosts.find((h) => h.name === node)?.bgp?.as : model.peers.find((p) => p.name === node)?.bgp?.as;
}
