/**
 * Bounded output: the one table of expansion limits, and the check that applies it.
 *
 * Some artifacts grow with a product of lists, not with the size of the intent: a flow's FORWARD rules are
 * sources × destinations × ports, a policy-based IKEv1 tunnel gets one CHILD_SA per local × remote network,
 * every isolated namespace repeats `allowFrom`. A 100 KB intent can ask for billions of rules, and building
 * them exhausted the heap (exit 70 after minutes and gigabytes). The check here runs with the shape check,
 * before anything is resolved or built, and only counts list lengths: it is linear in the size of the file
 * whatever the intent asks for. It tolerates data the schema rejects (a missing or mistyped list counts as
 * empty), so that an oversized entry is reported in the same run as shape errors elsewhere.
 *
 * The values are generous for real sites (a few thousand rules per host, hundreds of peers per policy) and
 * the README lists them (test/readme.test.ts checks it does, with these values).
 */
import type { IntentPath } from "./source.js";

export interface Limit {
  /** Stable name, shown in the diagnostic and the README. */
  readonly name: string;
  readonly value: number;
  /** What one unit is, for the message ("FORWARD rules"). */
  readonly unit: string;
  /** What is counted, for the README and the diagnostic's hint. */
  readonly bounds: string;
}

export const LIMITS = {
  flowRules: {
    name: "flow-rules",
    value: 50_000,
    unit: "FORWARD rules",
    bounds: "FORWARD rules of one flow on its gateway: sources × destinations × ports (a port or range counts one; no ports counts one)",
  },
  tunnelSelectors: {
    name: "tunnel-selectors",
    value: 10_000,
    unit: "network pairs",
    bounds: "network pairs of one tunnel: routes.toHost × routes.toPeer (two FORWARD rules each, and one CHILD_SA each for IKEv1 policy-based tunnels)",
  },
  hostRules: {
    name: "host-rules",
    value: 100_000,
    unit: "FORWARD rules",
    bounds: "FORWARD rules on one host: the sum over the flows it forwards and twice the network pairs of its tunnels",
  },
  policyPeers: {
    name: "policy-peers",
    value: 1_000,
    unit: "peers",
    bounds: "peers of one policy object: isolation `allowFrom`, an egress allowlist's `allow` entries plus their `except`, a Cilium policy's `to` plus `except`, an osm-edge policy's `hosts` plus `ipAddresses`",
  },
  siteTotal: {
    name: "site-total",
    value: 250_000,
    unit: "rules, network pairs and peers",
    bounds: "everything above summed over the site, with isolation counted once per isolated namespace (a backstop for many entries each under its own limit)",
  },
} as const satisfies Record<string, Limit>;

/** An entry whose expansion exceeds a limit: where it is written, and the arithmetic that exceeds it. */
export interface LimitExceeded {
  readonly limit: Limit;
  /** The entry that is too large (for the host and site totals: the entry that crosses the budget). */
  readonly path: IntentPath;
  readonly count: number;
  /** How the count comes about, e.g. "2000 sources × 2000 destinations × 1000 ports". */
  readonly arithmetic: string;
  /** Whose budget is exceeded, when it is not the entry's own (host 'gw', the site). */
  readonly budgetOf?: string;
}

/** Every limit the data exceeds, in file order per kind. Linear in the size of `data`; never throws. */
export function exceededLimits(data: unknown): LimitExceeded[] {
  if (!isRecord(data)) return [];
  const out: LimitExceeded[] = [];
  const hostTotals = new Map<string, number>();
  let siteTotal = 0;
  let siteCrossed = false;

  const count = (path: IntentPath, n: number, host: string | undefined, arithmetic: string) => {
    if (host !== undefined) {
      const before = hostTotals.get(host) ?? 0;
      const after = before + n;
      hostTotals.set(host, after);
      if (before <= LIMITS.hostRules.value && after > LIMITS.hostRules.value)
        out.push({ limit: LIMITS.hostRules, path, count: after, arithmetic: sum(before, n, arithmetic), budgetOf: `host '${host}'` });
    }
    const before = siteTotal;
    siteTotal += n;
    if (!siteCrossed && siteTotal > LIMITS.siteTotal.value) {
      siteCrossed = true;
      out.push({ limit: LIMITS.siteTotal, path, count: siteTotal, arithmetic: sum(before, n, arithmetic), budgetOf: "the site" });
    }
  };

  for (const [name, flow] of entries(data.flows)) {
    const path = ["flows", name];
    const [from, to, ports] = [len(flow.from), len(flow.to), Math.max(1, len(flow.ports))];
    const n = from * to * ports;
    const arithmetic = `${fmt(from)} sources × ${fmt(to)} destinations × ${fmt(ports)} ${len(flow.ports) === 0 ? "(all ports)" : "ports"}`;
    // An entry over its own limit is reported once: it does not also count towards the host and site budgets.
    if (n > LIMITS.flowRules.value) out.push({ limit: LIMITS.flowRules, path, count: n, arithmetic });
    else count(path, n, typeof flow.via === "string" ? flow.via : undefined, arithmetic);
  }

  for (const [name, tunnel] of entries(data.tunnels)) {
    const path = ["tunnels", name];
    const routes = isRecord(tunnel.routes) ? tunnel.routes : {};
    const [toHost, toPeer] = [Math.max(1, len(routes.toHost)), Math.max(1, len(routes.toPeer))];
    const pairs = toHost * toPeer;
    const arithmetic = `${fmt(toHost)} networks behind the host × ${fmt(toPeer)} behind the peer`;
    const host = Array.isArray(tunnel.between) && typeof tunnel.between[0] === "string" ? tunnel.between[0] : undefined;
    if (pairs > LIMITS.tunnelSelectors.value) out.push({ limit: LIMITS.tunnelSelectors, path, count: pairs, arithmetic });
    else count(path, 2 * pairs, host, `2 × (${arithmetic})`);
  }

  const cluster = isRecord(data.cluster) ? data.cluster : {};
  const peers = (path: IntentPath, n: number, arithmetic: string, copies = 1) => {
    if (n > LIMITS.policyPeers.value) out.push({ limit: LIMITS.policyPeers, path, count: n, arithmetic });
    else count(path, n * copies, undefined, copies === 1 ? arithmetic : `${fmt(copies)} namespaces × (${arithmetic})`);
  };
  if (isRecord(cluster.isolation)) {
    const iso = cluster.isolation;
    peers(["cluster", "isolation", "allowFrom"], len(iso.allowFrom), `${fmt(len(iso.allowFrom))} allowFrom entries`, Math.max(1, len(iso.namespaces)));
  }
  items(cluster.egress).forEach((e, i) => {
    const excepts = items(e.allow).reduce((sum, a) => sum + len(a.except), 0);
    peers(["cluster", "egress", i], len(e.allow) + excepts, `${fmt(len(e.allow))} allow entries + ${fmt(excepts)} except entries`);
  });
  items(isRecord(cluster.cilium) ? cluster.cilium.egressGateways : undefined).forEach((g, i) =>
    peers(["cluster", "cilium", "egressGateways", i], len(g.to) + len(g.except), `${fmt(len(g.to))} destinations + ${fmt(len(g.except))} except entries`),
  );
  const osm = isRecord(cluster.mesh) && isRecord(cluster.mesh.osmEdge) ? cluster.mesh.osmEdge.egress : undefined;
  items(osm).forEach((p, i) =>
    peers(["cluster", "mesh", "osmEdge", "egress", i], len(p.hosts) + len(p.ipAddresses), `${fmt(len(p.hosts))} hosts + ${fmt(len(p.ipAddresses))} addresses`),
  );
  return out;
}

function sum(before: number, n: number, arithmetic: string): string {
  return before === 0 ? arithmetic : `${fmt(before)} from the entries before it + ${fmt(n)} from this one: ${arithmetic}`;
}

/** 1234567 → "1,234,567" (fixed grouping: no locale may change a diagnostic). */
export function fmt(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function len(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

function entries(value: unknown): [string, Record<string, unknown>][] {
  if (!isRecord(value)) return [];
  return Object.entries(value).filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]));
}

function items(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map((v) => (isRecord(v) ? v : {})) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
