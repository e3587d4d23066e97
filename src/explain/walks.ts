/**
 * Every path a site's intent promises, walked by the explain engine (one read of the artifacts):
 *
 * - each declared flow, exactly as `sitewire explain --flow NAME` asks it (every source to every destination, on
 *   the flow's first port);
 * - the pods that the cluster's egress allowlists send to a flow's destinations, from each node that carries
 *   them (the NetworkPolicies, ip-masq-agent, then the rest of the flow's way), as
 *   `--from NAMESPACE/LABELS --to ADDRESS[:PROTO/PORT]` asks it, where the site configures ip-masq-agent;
 * - each tunnel route both ways, through that tunnel's own host and peer: every network behind the host to every
 *   network behind the peer, and back.
 *
 * Each path is walked forward and back (the reply). The deliverability check (src/compile/deliverability.ts,
 * rule SW170) and the site README's Flows section (src/targets/summary) read this one list.
 */
import type { FlowModel, Labels, PortRange, Prefix, SiteModel } from "../model/types.js";
import { overlaps } from "../net/ip.js";
import { representative, SiteExplainer, type ExplainInput } from "./engine.js";
import { inCidr } from "./rules.js";
import { QueryError, type Endpoint, type PathExplanation } from "./types.js";

export type WalkSubject =
  | { readonly kind: "flow"; readonly flow: string; readonly pods?: string }
  /** A tunnel route walked toward `side`'s network `prefix` (from each network of the other side). */
  | { readonly kind: "tunnel-route"; readonly tunnel: string; readonly side: "toPeer" | "toHost"; readonly prefix: Prefix };

export interface SiteWalk {
  readonly subject: WalkSubject;
  /** The `sitewire explain` options that show this path ("--flow partner-api", "--from payments/app=curl --to partner-api:tcp/8080"). */
  readonly question: string;
  readonly path: PathExplanation;
}

export function walkSite(input: ExplainInput): SiteWalk[] {
  const engine = new SiteExplainer(input);
  const model = input.model;
  const out: SiteWalk[] = [];
  const ask = (subject: WalkSubject, question: string, paths: () => readonly PathExplanation[]) => {
    let found: readonly PathExplanation[];
    try {
      found = paths();
    } catch (err) {
      // A question the engine cannot place (no node, no way in) is not a drop: nothing to walk.
      if (err instanceof QueryError) return;
      throw err;
    }
    for (const path of found) out.push({ subject, question, path });
  };
  for (const flow of model.flows) {
    ask({ kind: "flow", flow: flow.name }, `--flow ${flow.name}`, () => engine.explain({ flow: flow.name }).paths);
    for (const q of podQuestions(model, flow)) ask({ kind: "flow", flow: flow.name, pods: q.pods }, q.question, () => engine.paths(q.from, q.to, q.service));
  }
  // Each tunnel through its own ends: of two tunnels that carry the same networks, both are walked.
  for (const t of model.tunnels) {
    for (const p of t.toPeer)
      for (const h of t.toHost) ask({ kind: "tunnel-route", tunnel: t.name, side: "toPeer", prefix: p }, `--from ${nameOf(h)} --to ${nameOf(p)}`, () => engine.paths(network(h), p, undefined, t));
    for (const h of t.toHost)
      for (const p of t.toPeer) ask({ kind: "tunnel-route", tunnel: t.name, side: "toHost", prefix: h }, `--from ${nameOf(p)} --to ${nameOf(h)}`, () => engine.paths(network(p), h, undefined, t));
  }
  return out;
}

interface PodQuestion {
  readonly pods: string;
  readonly from: Endpoint;
  readonly to: Prefix;
  readonly service?: PortRange;
  readonly question: string;
}

/**
 * The pods a flow carries: when the flow leaves from Kubernetes nodes (host sources) and the cluster's egress
 * allowlists let pods reach one of its destinations, those pods use the flow. Asked for the narrower of the
 * allowed and the flowed network, on the flow's first port the allowlist allows (a NetworkPolicy that allows
 * none of the flow's ports is asked the flow's first port, and denies it), else the allowlist's first port.
 * Only where the site configures ip-masq-agent (cluster.masquerade): without it the CNI decides the address pod
 * traffic leaves the node with, which the intent does not say, so there is no path to judge.
 */
function podQuestions(model: SiteModel, flow: FlowModel): PodQuestion[] {
  if (!model.cluster?.masquerade || !flow.sources.some((s) => s.host)) return [];
  const out: PodQuestion[] = [];
  const seen = new Set<string>();
  for (const entry of model.cluster.egress) {
    const pods = podText(entry.namespace, entry.pods);
    for (const allow of entry.allow) {
      for (const to of flow.to) {
        if (!overlaps(allow.to, to)) continue;
        const dst = allow.to.length >= to.length ? allow.to : to;
        if (allow.except.some((e) => inCidr(representative(dst), e.cidr))) continue;
        const service = flow.ports.length > 0 ? (flow.ports.find((p) => allows(allow.ports, p)) ?? flow.ports[0]) : allow.ports[0];
        const question = `--from ${pods} --to ${nameOf(dst)}${service ? `:${service.protocol}/${service.from}` : ""}`;
        if (seen.has(question)) continue;
        seen.add(question);
        out.push({ pods, from: { kind: "pod", namespace: entry.namespace, labels: entry.pods ?? {}, text: pods }, to: dst, ...(service ? { service } : {}), question });
      }
    }
  }
  return out;
}

/** Does an allowlist's port list (empty: every port) allow the first port of `p`? */
function allows(ports: readonly PortRange[], p: PortRange): boolean {
  return ports.length === 0 || ports.some((q) => q.protocol === p.protocol && q.from <= p.from && p.from <= q.to);
}

/** Pods as `explain --from` names them: NAMESPACE/KEY=VALUE[,KEY=VALUE] (keys sorted), NAMESPACE/* for every pod. */
function podText(namespace: string, labels: Labels | undefined): string {
  const pairs = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${namespace}/${pairs.length > 0 ? pairs.map(([k, v]) => `${k}=${v}`).join(",") : "*"}`;
}

function network(p: Prefix): Endpoint {
  return { kind: "network", cidr: p.cidr, ...(p.name ? { name: p.name } : {}) };
}

function nameOf(p: Prefix): string {
  return p.name ?? p.cidr;
}
