/**
 * The site as a Mermaid flowchart (GitHub renders ```mermaid blocks): gateways and other hosts, the far-side
 * devices, the networks behind each end, IPsec tunnels (thick), ipip links, flows through a gateway
 * (dotted, to the gateway, thick out of it), failover pairs, and what the cluster's egress may reach.
 *
 * Node ids are generated (h1, p1, n1…), never taken from the intent, so no name can collide with Mermaid's
 * keywords (`end`, `graph`); labels are quoted and every value in them goes through `text()`.
 * Syntax: mermaid.js.org/syntax/flowchart.html (node shapes, links with text `---|"…"|`, `==>`, `-.->`).
 */
import type { Labels, Prefix, SiteModel } from "../../model/types.js";
import { formatPort } from "../../model/values.js";

export function topology(site: SiteModel): string[] {
  const g = new Graph();
  site.hosts.forEach((h, i) => g.node(`host:${h.name}`, `h${i + 1}`, "host", [h.name, `${h.os} · ${h.address.cidr}`, ...(h.publicAddress ? [`public ${h.publicAddress}`] : [])]));
  site.peers.forEach((p, i) => g.node(`peer:${p.name}`, `p${i + 1}`, "peer", [p.name, `${p.platform} · ${p.address}`, ...(p.publicAddress ? [`public ${p.publicAddress}`] : [])]));
  const host = (name: string) => g.id(`host:${name}`);
  const peer = (name: string) => g.id(`peer:${name}`);

  for (const t of site.tunnels) {
    const inside = t.inside ? [`inside ${t.inside.cidr}`] : [];
    g.edge(host(t.host.node), "===", peer(t.peer.node), [`${t.name} · ${t.kind}${t.key !== undefined ? ` · key ${t.key}` : ""}`, [...inside, `IKEv${t.host.ike.version}`].join(" · ")]);
    for (const p of t.toPeer) g.edge(peer(t.peer.node), "---", g.network(p));
    for (const p of t.toHost) g.edge(g.network(p), "---", host(t.host.node));
  }
  for (const l of site.links) g.edge(host(l.hosts[0]), "---", host(l.hosts[1]), [`${l.name} · ${l.kind} dev ${l.device}`, l.inside.cidr]);
  for (const f of site.flows) {
    const gateway = host(f.via);
    for (const s of f.sources) {
      const from = s.host ? host(s.host) : g.network(s.prefix);
      if (from !== gateway) g.edge(from, "-.->", gateway, [`flow ${f.name}`]);
    }
    const ports = f.ports.length ? [f.ports.map(formatPort).join(", ")] : [];
    for (const p of f.to) g.edge(gateway, "==>", g.network(p), [`flow ${f.name} · out ${f.out}`, ...(f.nat === "masquerade" ? ["masquerade"] : []), ...ports]);
  }
  for (const pair of site.failover) g.edge(host(pair.gateways[0]), "-.-", host(pair.gateways[1]), [`failover ${pair.name}`]);

  const cluster = site.cluster;
  if (cluster) {
    const k8s = g.node("cluster", "k8s", "cluster", ["Kubernetes cluster"]);
    for (const e of cluster.egress)
      for (const a of e.allow)
        g.edge(k8s, "-.->", g.network(a.to), [`egress ${e.namespace}${selector(e.pods)}`, a.ports.length ? a.ports.map(formatPort).join(", ") : "all ports"]);
    for (const o of cluster.osmEdge) {
      const ports = o.ports.map((p) => `${p.protocol}/${p.number}`).join(", ");
      for (const name of o.hosts) g.edge(k8s, "-.->", g.node(`name:${name}`, g.nextId("x"), "external", [name]), [`osm-edge ${o.namespace}/${o.name}`, ports]);
      for (const p of o.ipAddresses) g.edge(k8s, "-.->", g.network(p), [`osm-edge ${o.namespace}/${o.name}`, ports]);
    }
    for (const c of cluster.ciliumEgressGateways) for (const p of c.to) g.edge(k8s, "-.->", g.network(p), [`egress gateway ${c.name}`]);
  }
  return g.lines();
}

type Shape = "host" | "peer" | "network" | "cluster" | "external";

/** Mermaid node shapes: rectangle, parallelogram, cylinder, hexagon, stadium. */
const SHAPE: Readonly<Record<Shape, [string, string]>> = {
  host: ["[", "]"],
  peer: ["[/", "/]"],
  network: ["[(", ")]"],
  cluster: ["{{", "}}"],
  external: ["([", "])"],
};

class Graph {
  private readonly ids = new Map<string, string>();
  private readonly nodes: string[] = [];
  private readonly edges: string[] = [];
  private readonly seenEdges = new Set<string>();
  private readonly counters = new Map<string, number>();

  /** Declare a node once (by key) and return its id. */
  node(key: string, id: string, shape: Shape, label: readonly string[]): string {
    const known = this.ids.get(key);
    if (known) return known;
    this.ids.set(key, id);
    const [open, close] = SHAPE[shape];
    this.nodes.push(`  ${id}${open}"${label.map(text).join("<br/>")}"${close}`);
    return id;
  }

  id(key: string): string {
    const id = this.ids.get(key);
    if (!id) throw new Error(`internal: topology node ${key} is not declared`);
    return id;
  }

  nextId(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}${n}`;
  }

  network(p: Prefix): string {
    const key = `net:${p.cidr}`;
    return this.ids.get(key) ?? this.node(key, this.nextId("n"), "network", p.name && p.name !== p.cidr ? [p.name, p.cidr] : [p.cidr]);
  }

  edge(from: string, link: "---" | "===" | "==>" | "-.->" | "-.-", to: string, label: readonly string[] = []): void {
    const line = `  ${from} ${link}${label.length ? `|"${label.map(text).join("<br/>")}"|` : ""} ${to}`;
    if (this.seenEdges.has(line)) return;
    this.seenEdges.add(line);
    this.edges.push(line);
  }

  lines(): string[] {
    return ["flowchart LR", ...this.nodes, ...this.edges];
  }
}

function selector(pods: Labels | undefined): string {
  const entries = Object.entries(pods ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length ? ` (${entries.map(([k, v]) => `${k}=${v}`).join(",")})` : "";
}

/** A value inside a quoted Mermaid label: entity codes for what would end the label or read as markup. */
export function text(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, " ").replace(/["#<>|&]/g, (c) => `#${c.charCodeAt(0)};`);
}
