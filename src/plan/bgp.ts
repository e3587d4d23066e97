/**
 * BGP changes of a tunnel, per end (the host's FRR session under the host, the device's `router bgp` session
 * under the device): session added or removed, neighbour or AS changed, announcements and accepted networks
 * widened (marked `!`: the end now announces or accepts more addresses) or narrowed, preference, timers, BFD.
 * Announce/accept lists are compared as address sets, so splitting a network into halves is no change.
 */
import type { IntentPath } from "../intent/source.js";
import type { Prefix, TunnelBgp, TunnelModel } from "../model/types.js";
import type { ChangeList } from "./change.js";
import { addressInterval } from "./dimensions.js";
import { named } from "./hosts.js";
import { compareRules } from "./space.js";

type End = "host" | "peer";

/** One line describing a session, for "added" and "removed". */
export function describeSession(b: TunnelBgp, end: End): string {
  const side = b[end];
  return `neighbour ${side.neighbor} AS ${side.remoteAs} (own AS ${side.as}), ${b.preference}, announces ${prefixes(side.announce)}, accepts ${prefixes(side.accept)}`;
}

export function compareBgp(list: ChangeList, label: string, a: TunnelModel, b: TunnelModel, end: End): void {
  const at = (...rest: (string | number)[]): IntentPath => ["tunnels", b.name, "bgp", ...rest];
  const before = a.bgp;
  const after = b.bgp;
  if (!before && !after) return;
  if (!before) {
    list.add("bgp", `${label}: BGP session added: ${describeSession(after!, end)}`, at(), { effect: "widened" });
    return;
  }
  if (!after) {
    // The far networks were learned from the session: without it they are static routes again, or gone.
    list.remove("bgp", `${label}: BGP session removed (was ${describeSession(before, end)})`, ["tunnels", b.name], { attention: true, effect: "narrowed" });
    return;
  }
  const x = before[end];
  const y = after[end];
  if (x.neighbor !== y.neighbor) {
    list.remove("bgp", `${label}: BGP neighbour ${x.neighbor} removed`, ["tunnels", b.name, "inside"], { attention: true });
    list.add("bgp", `${label}: BGP neighbour ${y.neighbor} added (AS ${y.remoteAs})`, ["tunnels", b.name, "inside"]);
  } else list.field("bgp", `${label}: BGP neighbour ${y.neighbor} remote AS`, x.remoteAs, y.remoteAs, ["tunnels", b.name, "between"]);
  list.field("bgp", `${label}: IPv6 BGP neighbour`, x.neighbor6, y.neighbor6, ["tunnels", b.name, "inside6"]);
  // The end's own AS and router id are its routing.bgp: listed once per host/device (./hosts.ts, ./devices.ts).
  compareNetworks(list, `${label}: BGP announcements`, "announces", x.announce, y.announce, at("announce", end));
  compareNetworks(list, `${label}: BGP accepted networks`, "accepts", x.accept, y.accept, at("accept", end));
  if (before.preference !== after.preference || before.localPref !== after.localPref || before.prepend !== after.prepend || before.med !== after.med)
    list.change("bgp", `${label}: BGP preference: ${preferenceText(before)} → ${preferenceText(after)}`, at("preference"));
  list.field("bgp", `${label}: BGP timers (keepalive/hold)`, `${before.keepalive.text}/${before.holdTime.text}`, `${after.keepalive.text}/${after.holdTime.text}`, at("holdTime"));
  list.field("bgp", `${label}: BFD`, before.bfd ? "on" : "off", after.bfd ? "on" : "off", at("bfd"));
}

/** Widened (`!`, the end announces or accepts addresses it did not) and narrowed, by the networks responsible. */
function compareNetworks(list: ChangeList, label: string, verb: string, before: readonly Prefix[], after: readonly Prefix[], at: IntentPath): void {
  const rule = (p: Prefix) => ({ include: [[addressInterval(p)]] });
  const result = compareRules(before.map(rule), after.map(rule));
  for (const { index, partly } of result.widenedBy) {
    const p = after[index]!;
    list.change("bgp", `${label} widened: ${partly ? `${verb} more of` : verb} ${named(p.cidr, p.name)}`, at, { effect: "widened", attention: true });
  }
  for (const { index, partly } of result.narrowedBy) {
    const p = before[index]!;
    list.change("bgp", `${label} narrowed: ${partly ? `${verb} less of` : `no longer ${verb}`} ${named(p.cidr, p.name)}`, at, { effect: "narrowed" });
  }
}

function preferenceText(b: TunnelBgp): string {
  return `${b.preference} (local-pref ${b.localPref}, prepend ×${b.prepend}, MED ${b.med})`;
}

function prefixes(list: readonly Prefix[]): string {
  return list.length ? list.map((p) => named(p.cidr, p.name)).join(", ") : "nothing";
}

