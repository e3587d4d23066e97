/** Counting what the security suites tried and saw, for the closing line each suite prints. */
import type { Outcome } from "./verdict.js";

export interface Observation {
  readonly site: string;
  /** e.g. `tunnels.vpn1.description` or `hosts.<key strongswan-1>`. */
  readonly field: string;
  readonly hostile: string;
  readonly mode: "quoted" | "raw";
  readonly outcome: Outcome;
  readonly detail?: string;
}

export class Tally {
  readonly counts = new Map<Outcome, number>();
  readonly findings: Observation[] = [];
  inputs = 0;

  record(o: Observation): void {
    this.inputs++;
    this.counts.set(o.outcome, (this.counts.get(o.outcome) ?? 0) + 1);
    if (o.outcome !== "rejected" && o.outcome !== "inert") this.findings.push(o);
  }

  count(outcome: Outcome): number {
    return this.counts.get(outcome) ?? 0;
  }
}

export function describeObservation(o: Observation): string {
  return `${o.site} ${o.field} ← ${o.hostile} (${o.mode}): ${o.outcome}${o.detail ? `: ${o.detail}` : ""}`;
}
