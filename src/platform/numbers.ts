/**
 * The numbers one far device holds per tunnel (its tunnel interface, monitor ids, IKEv1 policy priorities…)
 * must be in range and unique on the device, as the platform's capability data declares them. Keys are unique
 * per Linux host, not per device, so two gateways may well bring the same key to one device: that is caught
 * here, before rendering (SW208).
 */
import type { TunnelModel } from "../model/types.js";
import type { NumberClaim, PlatformDeclaration, Range } from "./contract.js";

export type NumberSetting = NumberClaim["setting"];

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
  readonly range: Range;
  /** Two claims of the same number conflict unless their contents are equal (identical isakmp policies). */
  readonly content?: string;
}

const valueOf = (t: TunnelModel, setting: NumberSetting): number =>
  setting === "number" ? t.number : setting === "monitor.slaId" ? t.monitor.slaId : t.monitor.trackId;

function claimsOf(t: TunnelModel, platform: PlatformDeclaration): Claim[] {
  const caps = platform.capabilities;
  const claims: Claim[] = [{ what: `${caps.interfaces.prefix.replace(/[.]$/, "")} interface`, value: t.number, setting: "number", range: caps.interfaces.number }];
  for (const n of caps.numbers) {
    if (!n.perIkev1Proposal) {
      claims.push({ what: n.what, value: valueOf(t, n.setting), setting: n.setting, range: n.range });
      continue;
    }
    if (t.peer.ike.version !== 1) continue;
    t.peer.ike.proposals.forEach((p, i) =>
      claims.push({ what: n.what, value: valueOf(t, n.setting) + i, setting: n.setting, range: n.range, content: `${p.text} ${t.peer.ike.lifetime.seconds}` }),
    );
  }
  return claims;
}

/** Problems of the tunnels of one device, given in the order a reader meets them (the later one is blamed). */
export function numberProblems(tunnels: readonly TunnelModel[], platform: PlatformDeclaration): NumberProblem[] {
  const problems: NumberProblem[] = [];
  const taken = new Map<string, { tunnel: string; content?: string }>();
  for (const t of tunnels)
    for (const c of claimsOf(t, platform)) {
      if (c.value < c.range.min || c.value > c.range.max) {
        problems.push({ tunnel: t.name, setting: c.setting, message: `${c.what} ${c.value} is outside the ${platform.title} range ${c.range.min}..${c.range.max}`, hint: hintFor(c.setting) });
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
  return setting === "number"
    ? "give the tunnel a number (or key) that no other tunnel on this device uses (it numbers the device's tunnel interface and policies)"
    : `set ${setting} to a number no other tunnel on this device uses`;
}
