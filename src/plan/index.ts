/**
 * The semantic plan of an intent change (pure): what changes on which host, device, cluster or site between
 * two resolved site models, as a reviewer would summarise it before reading the diffs. Either model may be
 * absent (a site added or removed).
 */
import type { SiteModel } from "../model/types.js";
import type { Artifact } from "../targets/target.js";
import { subjectKey, type Change, type Subject } from "./change.js";
import { clusterChanges } from "./cluster.js";
import { deviceChanges } from "./devices.js";
import { hostChanges } from "./hosts.js";
import { siteChanges } from "./site.js";
import { tunnelChanges } from "./tunnels.js";

export type { Change, Subject } from "./change.js";

export function modelChanges(before: SiteModel | undefined, after: SiteModel | undefined): Change[] {
  const model = after ?? before;
  if (!model) return [];
  const site: Subject = { kind: "site", name: model.name };
  const a = before ?? emptySite(model.name);
  const b = after ?? emptySite(model.name);
  const changes: Change[] = [
    ...(before ? [] : [{ subject: site, action: "add", category: "site", text: `site ${model.name} added`, at: [] } as const]),
    ...(after ? [] : [{ subject: site, action: "remove", category: "site", text: `site ${model.name} removed: sitewire stops managing its hosts, devices and cluster objects`, at: [], attention: true } as const]),
    ...siteChanges(a, b),
    ...tunnelChanges(a, b),
    ...hostChanges(a, b),
    ...deviceChanges(a, b),
    ...clusterChanges(model.name, before?.cluster, after?.cluster),
  ];
  return sortChanges(changes);
}

/**
 * By subject (site, hosts, devices, cluster; by name); the subject's own add/remove first, then as found:
 * tunnels before what they cause (routes, forwarding).
 */
export function sortChanges(changes: readonly Change[]): Change[] {
  const rank = (c: Change) => (c.category === c.subject.kind ? 0 : 1);
  return changes
    .map((c, i) => ({ c, i }))
    .sort((x, y) => cmp(subjectKey(x.c.subject), subjectKey(y.c.subject)) || rank(x.c) - rank(y.c) || x.i - y.i)
    .map((x) => x.c);
}

/** Which host, device, cluster or site an output file belongs to. */
export function subjectOfArtifact(site: string, a: Pick<Artifact, "path" | "host" | "device">): Subject {
  if (a.host) return { kind: "host", name: a.host };
  if (a.device) return { kind: "device", name: a.device };
  if (a.path.startsWith("cluster/")) return { kind: "cluster", name: site };
  return { kind: "site", name: site };
}

function emptySite(name: string): SiteModel {
  return { name, source: { file: "", sha256: "" }, networks: [], hosts: [], peers: [], tunnels: [], links: [], flows: [], failover: [] };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
