/**
 * Every IKE and ESP proposal of every tunnel, once per place it is written. A proposal list set on the
 * tunnel serves both ends unless an end overrides it, so one written proposal may be used with two IKE
 * versions (the ends' versions are compared by the two-end checks, not here).
 */
import type { IntentPath } from "../../intent/source.js";
import type { Proposal, SiteModel } from "../../model/types.js";
import { tunnelSetting, tunnelValueOwner } from "./intent-paths.js";

export type ProposalKind = "ike" | "esp";

export interface WrittenProposal {
  readonly tunnel: string;
  /** "tunnel 'vpn1'", or "tunnel 'vpn1' on 'r1'" for an end's override. */
  readonly owner: string;
  readonly kind: ProposalKind;
  readonly proposal: Proposal;
  readonly path: IntentPath;
  /** IKE versions of the ends that use it. */
  readonly versions: ReadonlySet<1 | 2>;
}

export function writtenProposals(model: SiteModel, intent: unknown): WrittenProposal[] {
  const byPath = new Map<string, WrittenProposal & { versions: Set<1 | 2> }>();
  for (const t of model.tunnels)
    for (const end of [t.host, t.peer])
      for (const kind of ["ike", "esp"] as const) {
        const base = tunnelSetting(intent, t.name, end.node, [kind, "proposals"]);
        if (!base) continue;
        end[kind].proposals.forEach((proposal, i) => {
          const path = [...base, i];
          const key = JSON.stringify(path);
          const entry = byPath.get(key) ?? { tunnel: t.name, owner: tunnelValueOwner(t.name, path), kind, proposal, path, versions: new Set<1 | 2>() };
          entry.versions.add(end.ike.version);
          byPath.set(key, entry);
        });
      }
  return [...byPath.values()];
}

export const KIND_LABEL: Record<ProposalKind, string> = { ike: "IKE", esp: "ESP" };
