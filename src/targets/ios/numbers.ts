/**
 * The numbers one IOS device holds per tunnel (Tunnel<n>, ip sla, track, isakmp policy priorities) must be
 * in range and unique on the device. Keys are unique per Linux host, not per router, so two gateways may
 * well bring the same key to one router: that is caught here, before rendering (SW208).
 */
import type { TunnelModel } from "../../model/types.js";
import { isakmpPriority } from "./names.js";
import { IOS_LIMITS } from "./translate.js";

export type NumberSetting = "key" | "monitor.slaId" | "monitor.trackId";

export interface NumberProblem {
  readonly tunnel: string;
  readonly setting: NumberSetting;
  readonly message: string;
  readonly hint: string;
}

interface Claim {
  readonly what: string;
  readonly value: number;
  readonly setting: NumberSetting;
  readonly limit: { readonly min: number; readonly max: number };
  /** Two claims of the same number conflict unless their contents are equal (identical isakmp policies). */
  readonly content?: string;
}

function claimsOf(t: TunnelModel): Claim[] {
  const policies = t.peer.ike.version === 1 ? t.peer.ike.proposals : [];
  return [
    { what: "Tunnel interface", value: t.number, setting: "key", limit: IOS_LIMITS.tunnelNumber },
    { what: "ip sla", value: t.monitor.slaId, setting: "monitor.slaId", limit: IOS_LIMITS.slaId },
    { what: "track", value: t.monitor.trackId, setting: "monitor.trackId", limit: IOS_LIMITS.trackId },
    ...policies.map((p, i) => ({
      what: "isakmp policy",
      value: isakmpPriority(t, i),
      setting: "key" as const,
      limit: IOS_LIMITS.isakmpPriority,
      content: `${p.text} ${t.peer.ike.lifetime.seconds}`,
    })),
  ];
}

/** Problems of the tunnels of one device, given in the order a reader meets them (the later one is blamed). */
export function numberProblems(tunnels: readonly TunnelModel[]): NumberProblem[] {
  const problems: NumberProblem[] = [];
  const taken = new Map<string, { tunnel: string; content?: string }>();
  for (const t of tunnels)
    for (const c of claimsOf(t)) {
      if (c.value < c.limit.min || c.value > c.limit.max) {
        problems.push({ tunnel: t.name, setting: c.setting, message: `${c.what} ${c.value} is outside the IOS range ${c.limit.min}..${c.limit.max}`, hint: hintFor(c.setting) });
        continue;
      }
      const key = `${c.what} ${c.value}`;
      const first = taken.get(key);
      if (!first) taken.set(key, { tunnel: t.name, ...(c.content !== undefined ? { content: c.content } : {}) });
      else if (first.tunnel !== t.name && (c.content === undefined || c.content !== first.content))
        problems.push({ tunnel: t.name, setting: c.setting, message: `${key} is already used by tunnel '${first.tunnel}' on this device`, hint: hintFor(c.setting) });
    }
  return problems;
}

function hintFor(setting: NumberSetting): string {
  return setting === "key"
    ? "give the tunnel a number (or key) that no other tunnel on this router uses (it numbers its Tunnel interface and isakmp policies)"
    : `set ${setting} to a number no other tunnel on this router uses`;
}
