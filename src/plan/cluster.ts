/**
 * Changes in the cluster part: masquerading, namespace isolation (ingress), egress allowlists, DNS, and the
 * mesh / egress-gateway objects. Egress is per namespace: a namespace with an allowlist is default-deny, a
 * namespace without one is unrestricted, so adding an allowlist narrows and removing one widens.
 */
import type { IntentPath } from "../intent/source.js";
import type { ClusterModel, Labels } from "../model/types.js";
import { ChangeList, type Change } from "./change.js";
import { addressInterval, ALL_PORTS, boxes, portIntervals, showPorts } from "./dimensions.js";
import { named } from "./hosts.js";
import { comparePolicy } from "./policy.js";

type Egress = ClusterModel["egress"][number];
type Allow = Egress["allow"][number];

export function clusterChanges(site: string, before: ClusterModel | undefined, after: ClusterModel | undefined): Change[] {
  const list = new ChangeList({ kind: "cluster", name: site });
  if (!before && !after) return [];
  if (!before || !after) {
    if (after) list.add("site", "cluster part added", ["cluster"]);
    else list.remove("site", "cluster part removed: its manifests leave out/; Argo CD prunes them only if the Application prunes", ["cluster"], { attention: true });
  }
  const a = before ?? EMPTY;
  const b = after ?? EMPTY;
  compareMasquerade(list, a, b);
  compareIsolation(list, a, b);
  compareEgress(list, a, b);
  list.field("dns", "cluster DNS pods", `${a.dns.namespace} ${labels(a.dns.pods)}`, `${b.dns.namespace} ${labels(b.dns.pods)}`, ["cluster", "dns"]);
  compareMesh(list, a, b);
  return list.items;
}

const EMPTY: ClusterModel = { dns: { namespace: "kube-system", pods: {} }, egress: [], osmEdge: [], ciliumEgressGateways: [] };

function compareMasquerade(list: ChangeList, a: ClusterModel, b: ClusterModel): void {
  const at: IntentPath = ["cluster", "masquerade"];
  const ma = a.masquerade;
  const mb = b.masquerade;
  if (!ma && !mb) return;
  if (!ma || !mb) {
    if (mb) list.add("masquerade", "ip-masq-agent configuration added", at);
    else list.remove("masquerade", "ip-masq-agent configuration removed", ["cluster"], { attention: true });
    return;
  }
  const cidrs = (m: NonNullable<ClusterModel["masquerade"]>) => (m.nonMasqueradeCIDRs === "agent-defaults" ? [] : m.nonMasqueradeCIDRs);
  if ((ma.nonMasqueradeCIDRs === "agent-defaults") !== (mb.nonMasqueradeCIDRs === "agent-defaults"))
    list.change("masquerade", `non-masquerade CIDRs: ${ma.nonMasqueradeCIDRs === "agent-defaults" ? "agent defaults" : "explicit list"} → ${mb.nonMasqueradeCIDRs === "agent-defaults" ? "agent defaults" : "explicit list"}`, [...at, "nonMasqueradeCIDRs"]);
  list.sets(
    "masquerade",
    cidrs(ma),
    cidrs(mb),
    (p) => p.cidr,
    (p) => `pods keep their own address towards ${named(p.cidr, p.name)} (not masqueraded)`,
    () => [...at, "nonMasqueradeCIDRs"],
  );
  list.field("masquerade", "masquerade link-local", ma.masqLinkLocal, mb.masqLinkLocal, [...at, "masqLinkLocal"]);
  list.field("masquerade", "ip-masq-agent resync interval", ma.resyncInterval.text, mb.resyncInterval.text, [...at, "resyncInterval"]);
}

function compareIsolation(list: ChangeList, a: ClusterModel, b: ClusterModel): void {
  const at: IntentPath = ["cluster", "isolation"];
  const na = a.isolation?.namespaces ?? [];
  const nb = b.isolation?.namespaces ?? [];
  for (const ns of nb) if (!na.includes(ns)) list.add("policy", `namespace ${ns} isolated: ingress only from its own pods and the allowed addresses`, [...at, "namespaces"], { effect: "narrowed" });
  for (const ns of na) if (!nb.includes(ns)) list.remove("policy", `namespace ${ns} no longer isolated: ingress from anywhere`, at, { effect: "widened", attention: true });
  // allowFrom applies to namespaces isolated on both sides; a newly isolated one is covered above.
  if (na.some((ns) => nb.includes(ns))) {
    const reason = b.isolation!.allowAll;
    comparePolicy(list, a.isolation!.allowFrom, b.isolation!.allowFrom, {
      label: "namespace isolation",
      rule: (p) => ({ include: [[addressInterval(p)]] }),
      describe: (p) => `ingress from ${named(p.cidr, p.name)}${p.length === 0 ? deliberate(reason) : ""}`,
      at: () => [...at, "allowFrom"],
      removedAt: [...at, "allowFrom"],
    });
  }
  list.field("policy", "externalTrafficPolicy", a.isolation?.externalTrafficPolicy, b.isolation?.externalTrafficPolicy, [...at, "externalTrafficPolicy"]);
  // A reason that changes on a scope that did not (a changed scope shows its reason above).
  const everyAddress = (i: ClusterModel["isolation"]) => (i?.allowFrom ?? []).some((p) => p.length === 0);
  if (everyAddress(a.isolation) && everyAddress(b.isolation))
    list.field("policy", "namespace isolation: allowAll reason", a.isolation?.allowAll, b.isolation?.allowAll, [...at, "allowAll"]);
}

function compareEgress(list: ChangeList, a: ClusterModel, b: ClusterModel): void {
  const at: IntentPath = ["cluster", "egress"];
  const old = new Map(a.egress.map((e) => [e.namespace, e]));
  const now = new Map(b.egress.map((e) => [e.namespace, e]));
  for (const [ns, e] of now) {
    const o = old.get(ns);
    if (!o) {
      list.add("policy", `egress of namespace ${ns} restricted (default deny) to: ${e.allow.map(describeAllow).join("; ")}${podsText(e.pods, e.allowAll)}`, at, { effect: "narrowed" });
      continue;
    }
    const label = `egress of ${ns}${podsText(o.pods)}`;
    if (labels(o.pods) !== labels(e.pods)) {
      list.change("policy", `${label}: allowlist now applies to ${labels(e.pods) || `all pods${deliberate(e.allowAll)}`} (other pods of ${ns} keep only DNS and same-namespace egress)`, at, { attention: true });
    }
    // A reason that changes on a scope that did not (a changed scope shows its reason where it is reported).
    if (labels(o.pods) === labels(e.pods)) list.field("policy", `${label}: allowAll reason`, o.allowAll, e.allowAll, at);
    const kept = new Set(o.allow.map((r) => describeAllow({ ...r, allowAll: undefined })));
    const reasons = (x: Egress) =>
      x.allow.filter((r) => r.allowAll !== undefined && kept.has(describeAllow({ ...r, allowAll: undefined })) && e.allow.some((n) => n.to.cidr === r.to.cidr)).map((r) => `${r.to.cidr}: ${r.allowAll}`);
    list.field("policy", `${label}: allowAll reasons of its destinations`, reasons(o), reasons(e), at);
    comparePolicy(list, o.allow, e.allow, {
      label,
      rule: (r: Allow) => ({
        include: boxes([addressInterval(r.to)], portIntervals(r.ports)),
        exclude: r.except.map((x) => [addressInterval(x), ALL_PORTS]),
      }),
      describe: describeAllow,
      at: () => at,
      removedAt: at,
    });
  }
  for (const [ns] of old) {
    if (!now.has(ns)) list.remove("policy", `egress of namespace ${ns} no longer restricted: default deny removed, pods may connect anywhere`, at, { effect: "widened", attention: true });
  }
}

function compareMesh(list: ChangeList, a: ClusterModel, b: ClusterModel): void {
  const osmAt: IntentPath = ["cluster", "mesh", "osmEdge", "egress"];
  const oldOsm = new Map(a.osmEdge.map((e) => [`${e.namespace}/${e.name}`, e]));
  for (const e of b.osmEdge) {
    const key = `${e.namespace}/${e.name}`;
    const o = oldOsm.get(key);
    const show = (x: typeof e) => [...x.hosts, ...x.ipAddresses.map((p) => p.cidr)].join(", ") + ` ${x.ports.map((p) => `${p.protocol}/${p.number}`).join(", ")}`;
    if (!o) list.add("mesh", `osm-edge egress ${key} added: ${show(e)}`, osmAt, { effect: "widened", attention: true });
    else list.field("mesh", `osm-edge egress ${key}`, `${show(o)} for ${o.serviceAccounts.join(", ")}`, `${show(e)} for ${e.serviceAccounts.join(", ")}`, osmAt);
  }
  const newOsm = new Set(b.osmEdge.map((e) => `${e.namespace}/${e.name}`));
  for (const key of oldOsm.keys()) if (!newOsm.has(key)) list.remove("mesh", `osm-edge egress ${key} removed`, osmAt, { effect: "narrowed" });

  const ciliumAt: IntentPath = ["cluster", "mesh", "cilium"];
  const oldGw = new Map(a.ciliumEgressGateways.map((g) => [g.name, g]));
  const text = (g: ClusterModel["ciliumEgressGateways"][number]) =>
    `${g.namespaces.join(", ")}${podsText(g.pods)} to ${g.to.map((p) => p.cidr).join(", ")}${g.except.length ? ` except ${g.except.map((p) => p.cidr).join(", ")}` : ""} via ${labels(g.nodeSelector) || `every node${deliberate(g.allowAll)}`}${g.egressIP ? ` as ${g.egressIP}` : ""}`;
  for (const g of b.ciliumEgressGateways) {
    const o = oldGw.get(g.name);
    if (!o) list.add("mesh", `Cilium egress gateway ${g.name} added: ${text(g)}`, ciliumAt);
    else list.field("mesh", `Cilium egress gateway ${g.name}`, text(o), text(g), ciliumAt);
  }
  const newGw = new Set(b.ciliumEgressGateways.map((g) => g.name));
  for (const name of oldGw.keys()) if (!newGw.has(name)) list.remove("mesh", `Cilium egress gateway ${name} removed`, ciliumAt);
}

function describeAllow(r: Allow): string {
  const except = r.except.length ? ` except ${r.except.map((p) => p.cidr).join(", ")}` : "";
  return `${named(r.to.cidr, r.to.name)}${except} ${showPorts(r.ports)}${deliberate(r.allowAll)}`;
}

/** The reason an intent gives for a widest scope (`allowAll`, rule SW142), where the plan names that scope. */
function deliberate(reason: string | undefined): string {
  return reason === undefined ? "" : ` [allowAll: ${reason}]`;
}

function podsText(pods: Labels | undefined, allowAll?: string): string {
  const text = labels(pods);
  return text ? ` (${text})` : allowAll !== undefined ? ` (all pods${deliberate(allowAll)})` : "";
}

function labels(l: Labels | undefined): string {
  return Object.entries(l ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(",");
}
