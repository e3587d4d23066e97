/**
 * The two-end view of a managed cloud gateway's lifetimes (provider data, src/model/cloud-providers.ts). A cloud
 * peer is neither IOS nor strongSwan: its end is whatever the provider is configured with, within the
 * provider's range (SW166 checks the peer end). On IKEv1 the lifetime is negotiated, so the host's own lifetime
 * (different from the peer's only through an override) must be one the provider accepts too; on IKEv2 each end
 * rekeys on its own and nothing is compared.
 */
import { isConfirmed, providerFacts } from "../../model/cloud-providers.js";
import type { Duration, TunnelModel } from "../../model/types.js";

export interface CloudLifetimeProblem {
  readonly title: string;
  readonly range: string;
  readonly suggestion: number;
}

export function cloudLifetimeProblem(t: TunnelModel, phase: 1 | 2): CloudLifetimeProblem | undefined {
  const facts = providerFacts(t.peer.platform);
  if (!facts || t.host.ike.version !== 1 || t.peer.ike.version !== 1) return undefined;
  const fact = phase === 1 ? facts.phase1.lifetimeSeconds : facts.phase2.lifetimeSeconds;
  if (!isConfirmed(fact)) return undefined;
  const { min, max } = fact.value;
  const inRange = (d: Duration) => d.seconds >= min && d.seconds <= max;
  const lifetime = (end: TunnelModel["host"]) => (phase === 1 ? end.ike.lifetime : end.esp.lifetime);
  // Outside on both ends: the peer end is SW166's to report (one value, one diagnostic).
  if (inRange(lifetime(t.host)) || !inRange(lifetime(t.peer))) return undefined;
  return { title: facts.title, range: min === max ? `fixed at ${min}s` : `${min}s to ${max}s`, suggestion: Math.min(Math.max(lifetime(t.host).seconds, min), max) };
}
