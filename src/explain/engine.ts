/**
 * The explain engine: follows one packet through the compiled site, hop by hop, forward and back. Pure: the
 * resolved model for the topology and routes, the in-memory artifacts for the rest: SITEWIRE-FORWARD,
 * SITEWIRE-POSTROUTING, SITEWIRE-MSS (or, on a host whose firewall backend is nftables, the forward, postrouting
 * and mss chains of `table inet sitewire`), NetworkPolicies and ip-masq-agent's chain are read back from the
 * rendered text (so those answers are about what would be deployed), routes, devices and SAs are cited at
 * their rendered line; the intent source gives positions.
 *
 * What is modelled: pods (NetworkPolicy egress, ip-masq-agent), each Linux host (policy rules and their
 * tables, static, connected and BGP routes, SITEWIRE-FORWARD, SITEWIRE-POSTROUTING, SITEWIRE-MSS, conntrack
 * for replies), ipip links, IPsec tunnels (vti mark, XFRM interface if_id or policy selectors), the far side
 * of a tunnel (its static route back with tracking, or the BGP route it accepts) and what lies beyond a host's own interfaces
 * (a VPN client's tun0 answers only addresses of its own network). What is not: the hosts' own default
 * routes and FORWARD policy (sitewire does not manage them: a packet no SITEWIRE-FORWARD rule accepts is
 * assumed accepted by the host's policy when forwardDefault is "host", and said so).
 *
 * Both families: a packet is IPv4 or IPv6 by its addresses (a pod's symbolic source takes its destination's
 * family). Every match is within the family (inCidr never matches across families): ip rules and routes
 * (`ip -6 route`/`ensure_rule 6` lines of the tunnel script), a tunnel's inside addresses of that family
 * (inside6), the BGP session of that family (neighbor6), the host's addresses of that family as masquerade
 * targets (NAT66), the firewall rules of that family (nftables `ip6`/`meta nfproto ipv6` in the inet table, or
 * the ip6tables file) and ip-masq-agent's ip6tables chain.
 */
import type { Family, HostModel, PeerModel, Prefix, SiteModel, TunnelModel, PortRange, VtiDevice } from "../model/types.js";
import type { Artifact } from "../targets/target.js";
import type { IntentPath, SourceFile } from "../intent/source.js";
import { canonical, containsPrefix, isIpv4, isIpv6, parseCidr, pointToPointPair } from "../net/ip.js";
import { platformNamed } from "../targets/platforms.js";
import { ArtifactIndex, intentAt, originPath } from "./artifacts.js";
import { rulesOnDevices } from "./chain-index.js";
import { addressFamily, egressVerdict, firewallFile, firstMatch, inCidr, masqVerdict, readFirewall, type FirewallFile, type Packet } from "./rules.js";
import { SiteIndex, type HostAddress, type HostView } from "./site-index.js";
import { QueryError, type ArtifactCite, type Endpoint, type Explanation, type Hop, type HopKind, type PathExplanation, type Query, type Step, type Verdict } from "./types.js";

export interface ExplainInput {
  readonly model: SiteModel;
  readonly artifacts: readonly Artifact[];
  /** The loaded intent, for intent lines (absent: no intent citations). */
  readonly source?: SourceFile;
}

const MAX_HOPS = 24;

export function explain(input: ExplainInput, query: Query): Explanation {
  return new SiteExplainer(input).explain(query);
}

/**
 * One compiled site, read once, asked many questions: `explain` asks one; the deliverability check (SW170) and
 * the site README's Flows section ask every flow and tunnel route (./walks.ts) with this same engine.
 */
export class SiteExplainer {
  private readonly world: World;

  constructor(input: ExplainInput) {
    this.world = new World(input);
  }

  explain(query: Query): Explanation {
    return explainIn(this.world, query);
  }

  /**
   * The paths (one per place the traffic starts from) from `from` to `to`'s representative address; `through`: a
   * network's traffic enters by that tunnel's host or peer (a tunnel route's own walk).
   */
  paths(from: Endpoint, to: Prefix, service?: PortRange, through?: TunnelModel): PathExplanation[] {
    const svc = service ? { ...service, text: `${service.protocol}/${service.from}` } : undefined;
    return this.world.paths(from, representative(to), to.name ?? to.cidr, svc, through);
  }
}

function explainIn(world: World, query: Query): Explanation {
  const model = world.model;
  if (query.flow !== undefined) {
    if (query.from !== undefined || query.to !== undefined) throw new QueryError("give either --flow or --from and --to, not both");
    const flow = world.site.flowsByName.get(query.flow);
    if (!flow) {
      const known = model.flows.map((f) => f.name);
      throw new QueryError(`site '${model.name}' has no flow '${query.flow}'${known.length > 0 ? ` (flows: ${known.join(", ")})` : " (it declares no flows)"}`);
    }
    const port = flow.ports[0];
    const service = port ? { ...port, text: `${port.protocol}/${port.from}` } : undefined;
    const paths: PathExplanation[] = [];
    // Each source to each destination of its own family (a dual-stack host is a source once per family).
    for (const s of flow.sources) {
      const from: Endpoint = s.host ? { kind: "host", name: s.host } : { kind: "network", cidr: s.prefix.cidr, ...(s.prefix.name ? { name: s.prefix.name } : {}) };
      for (const to of flow.to) if (to.family === s.prefix.family) paths.push(...world.paths(from, representative(to), to.name ?? to.cidr, service));
    }
    return summarise(model.name, `flow ${flow.name}`, paths);
  }
  if (query.from === undefined || query.to === undefined) throw new QueryError("give --flow NAME, or --from and --to");
  const from = world.endpoint(query.from);
  const { address, name, service } = world.destination(query.to);
  const paths = world.paths(from, address, name, service);
  return summarise(model.name, `${query.from} → ${query.to}`, paths);
}

function summarise(site: string, question: string, paths: PathExplanation[]): Explanation {
  const i = paths.findIndex((p) => !p.verdict.delivered);
  const verdict = i < 0 ? ({ delivered: true } as const) : { ...paths[i]!.verdict, ...(paths.length > 1 ? { path: i + 1 } : {}) };
  return { site, question, paths, verdict };
}

/**
 * The address that stands for a network: its first usable address (the address itself for /31 and /32, /127
 * and /128; for IPv6 otherwise network + 1, as for IPv4).
 */
export function representative(p: Prefix): string {
  if (p.family === 6) return p.length >= 127 ? p.network : pointToPointPair(p)[0];
  if (p.length >= 31) return p.network;
  const n = p.network.split(".").map(Number);
  return `${n[0]}.${n[1]}.${n[2]}.${n[3]! + 1}`;
}

// ---------------------------------------------------------------------------------------------------------

type Where =
  | { readonly kind: "pod"; readonly endpoint: Extract<Endpoint, { kind: "pod" }>; readonly node: string }
  | { readonly kind: "host"; readonly host: string; readonly inDev?: string; readonly origin: "local" | "pod" | "forward" }
  | { readonly kind: "peer"; readonly peer: string; readonly tunnel?: string; readonly origin: "local" | "forward" }
  | { readonly kind: "beyond"; readonly host: string; readonly device: string }
  | { readonly kind: "behind"; readonly host: string; readonly network: Prefix };

interface NatEntry {
  readonly host: string;
  readonly original: string;
  readonly translated: string;
  readonly cite?: ArtifactCite;
}

interface Route {
  readonly device: string;
  readonly via?: string;
  readonly steps: Step[];
  readonly tunnel?: TunnelModel;
}

type RouteResult = Route | { readonly drop: { reason: string; hint: string }; readonly steps: Step[] };

class Drop {
  constructor(
    readonly reason: string,
    readonly hint: string,
  ) {}
}

interface Walk {
  hops: Hop[];
  n: number;
  nat: NatEntry[];
}

/** The packet on its way. `src` "auto": originated by a host, it takes the address of the device it leaves by;
 * "pod:<selector>": a pod's own address (the model does not know pod networks). */
type Packet2 = Packet;

class World {
  readonly model: SiteModel;
  readonly index: ArtifactIndex;
  readonly source: SourceFile | undefined;
  readonly hosts: ReadonlyMap<string, HostModel>;
  readonly peers: ReadonlyMap<string, PeerModel>;
  readonly tunnels: ReadonlyMap<string, TunnelModel>;
  /** The model indexed for the walk's questions (./site-index.ts): no scan of every host, tunnel or flow per hop. */
  readonly site: SiteIndex;
  private readonly memos = new Map<string, unknown>();

  constructor(input: ExplainInput) {
    this.model = input.model;
    this.index = new ArtifactIndex(input.artifacts);
    this.source = input.source;
    this.hosts = new Map(input.model.hosts.map((h) => [h.name, h]));
    this.peers = new Map(input.model.peers.map((p) => [p.name, p]));
    this.tunnels = new Map(input.model.tunnels.map((t) => [t.name, t]));
    this.site = new SiteIndex(input.model, this.tunnels);
  }

  view(h: HostModel): HostView {
    return this.site.host(h);
  }

  /** What `compute` answers, once per key (answers that depend on the model only, not on the packet). */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  intent(path: IntentPath) {
    return intentAt(this.source, path);
  }

  /** The line of a far device's file that decides a hop, found by its platform's citation patterns (src/platform/contract.ts). */
  deviceCite(device: string, peer: PeerModel | undefined, kind: "staticRoute" | "bgpNeighbor", values: Readonly<Record<string, string>>): ArtifactCite | undefined {
    const platform = platformNamed(peer?.platform ?? "");
    if (!platform) return undefined;
    const fragments = platform.citations[kind].map((f) => f.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? `{${k}}`));
    return this.index.findUnder(device, (l) => fragments.every((f) => l.includes(f)));
  }

  step(what: string, artifact?: ArtifactCite, intent?: IntentPath): Step {
    const at = intent ? this.intent(intent) : undefined;
    return { what, ...(artifact ? { artifact } : {}), ...(at ? { intent: at } : {}) };
  }

  // ---- the question -------------------------------------------------------------------------------------

  endpoint(text: string): Endpoint {
    const pod = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/(.+)$/.exec(text);
    if (pod && !/^\d/.test(text)) {
      // NAMESPACE/*: every pod of the namespace (an egress allowlist without `pods`)
      if (pod[3] === "*") return { kind: "pod", namespace: pod[1]!, labels: {}, text };
      const labels: Record<string, string> = {};
      for (const part of pod[3]!.split(",")) {
        const [k, v] = part.split("=");
        if (!k || v === undefined || v === "") throw new QueryError(`--from '${text}': a pod selector is NAMESPACE/KEY=VALUE[,KEY=VALUE] or NAMESPACE/* (every pod)`);
        labels[k.trim()] = v.trim();
      }
      return { kind: "pod", namespace: pod[1]!, labels, text };
    }
    if (this.hosts.has(text)) return { kind: "host", name: text };
    const net = this.model.networks.find((n) => n.name === text);
    if (net) return { kind: "network", cidr: net.prefix.cidr, name: text };
    if (/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(text) && isIpv4(text.split("/")[0]!)) return { kind: "network", cidr: parseCidr(text.includes("/") ? text : `${text}/32`).prefix.cidr };
    if (/^[0-9A-Fa-f:]+(\/\d{1,3})?$/.test(text) && isIpv6(text.split("/")[0]!) && Number(text.split("/")[1] ?? 128) <= 128) return { kind: "network", cidr: parseCidr(text.includes("/") ? text : `${text}/128`).prefix.cidr };
    throw new QueryError(`--from '${text}' is not a host, network, address or pod selector (NAMESPACE/KEY=VALUE, NAMESPACE/*) of site '${this.model.name}'`);
  }

  destination(text: string): { address: string; name: string; service?: PortRange & { text: string } } {
    const m = /^(.*?)(?::(tcp|udp|sctp)\/(\d{1,5}))?$/.exec(text);
    const target = m?.[1] ?? text;
    const service = m?.[2] ? { protocol: m[2] as PortRange["protocol"], from: Number(m[3]), to: Number(m[3]), text: `${m[2]}/${m[3]}` } : undefined;
    if (service && (service.from < 1 || service.from > 65535)) throw new QueryError(`--to '${text}': the port must be 1-65535`);
    const host = this.hosts.get(target);
    if (host) return { address: host.address.address, name: target, ...(service ? { service } : {}) };
    const net = this.model.networks.find((n) => n.name === target);
    if (net) return { address: representative(net.prefix), name: target, ...(service ? { service } : {}) };
    if (/^\d+\.\d+\.\d+\.\d+(\/\d+)?$/.test(target) && isIpv4(target.split("/")[0]!)) {
      const address = target.includes("/") ? representative(parseCidr(target).prefix) : target;
      return { address, name: target, ...(service ? { service } : {}) };
    }
    // IPv6: ADDRESS[/LEN][:tcp/PORT] (the service suffix never parses as hex, so it cannot be taken for a group).
    if (/^[0-9A-Fa-f:]+(\/\d{1,3})?$/.test(target) && isIpv6(target.split("/")[0]!) && Number(target.split("/")[1] ?? 128) <= 128) {
      const address = target.includes("/") ? representative(parseCidr(target).prefix) : canonical(target);
      return { address, name: target, ...(service ? { service } : {}) };
    }
    throw new QueryError(`--to '${text}' is not an address, CIDR, network or host of site '${this.model.name}' (optionally with :tcp/PORT or :udp/PORT)`);
  }

  /** The nodes a pod may leave from: the hosts that flows carry traffic for (the Kubernetes nodes). */
  nodesFor(dst: string): string[] {
    const flows = this.site.flowsTo(dst);
    const pick = (fs: readonly (typeof flows)[number][]) => [...new Set(fs.flatMap((f) => f.sources.flatMap((s) => (s.host ? [s.host] : []))))];
    const nodes = pick(flows);
    return nodes.length > 0 ? nodes : pick(this.model.flows);
  }

  // ---- one path ----------------------------------------------------------------------------------------

  /** One path per place the traffic may start from (a pod: each node it may leave from). */
  paths(from: Endpoint, dst: string, toName: string, service?: PortRange & { text: string }, through?: TunnelModel): PathExplanation[] {
    const fromText = from.kind === "pod" ? `pod ${from.text}` : from.kind === "host" ? from.name : (from.name ?? from.cidr);
    const to = toName === dst ? dst : `${toName} (${dst})`;
    const proto = service ? { proto: service.protocol, port: service.from } : {};
    const starts = through && from.kind === "network" ? this.startsAt(through, from, dst) : this.starts(from, dst);
    if (starts.length === 0) throw new QueryError(`cannot tell where traffic from '${fromText}' enters site '${this.model.name}': it is no host's network and behind no tunnel`);
    return starts.map(({ where, src }) => {
      const w: Walk = { hops: [], n: 0, nat: [] };
      const base = { from: where.kind === "pod" ? `${fromText} on ${where.node}` : fromText, to, ...(service ? { service } : {}) };
      const forward = this.walk(w, where, { src, dst, ...proto }, "forward");
      if (forward.drop) return { ...base, hops: w.hops, verdict: { delivered: false, hop: w.n, reason: forward.drop.reason, hint: forward.drop.hint } };
      const reply = this.walk(w, this.replyStart(forward.end!), { src: forward.packet.dst, dst: forward.packet.src, ...proto }, "reply");
      if (reply.drop) return { ...base, hops: w.hops, verdict: { delivered: false, hop: w.n, reason: reply.drop.reason, hint: reply.drop.hint } };
      return { ...base, hops: w.hops, verdict: { delivered: true } };
    });
  }

  starts(from: Endpoint, dst: string): { where: Where; src: string }[] {
    if (from.kind === "pod") {
      if (!this.model.cluster) throw new QueryError(`site '${this.model.name}' has no cluster: no pods to start from`);
      const nodes = this.nodesFor(dst);
      if (nodes.length === 0) throw new QueryError(`site '${this.model.name}' names no Kubernetes node (a host that is a flow's source)`);
      return nodes.map((node) => ({ where: { kind: "pod", endpoint: from, node }, src: `pod:${from.text}` }));
    }
    if (from.kind === "host") return [{ where: { kind: "host", host: from.name, origin: "local" }, src: "auto" }];
    const net = parseCidr(from.cidr, from.name).prefix;
    const src = representative(net);
    // The first host (in host order) with the address.
    const own = this.site.hostsWithAddress(src)[0];
    if (own) return [{ where: { kind: "host", host: own.name, origin: "local" }, src: "auto" }];
    // A network behind several hosts (a VPC behind two gateways): the one with a tunnel towards dst (routesTo, by
    // HostView.peerward), else the first. Behind: on one of the host's networks or in a tunnel's toHost.
    const behind = this.site.hostsBehind(src);
    const host = behind.find((h) => this.view(h).peerward.first(dst) !== undefined) ?? behind[0];
    if (host) return [{ where: { kind: "behind", host: host.name, network: net }, src }];
    const tunnels = this.site.tunnelsToPeer(src).filter((t) => this.peers.has(t.peer.node));
    const tunnel = tunnels.find((t) => routesTo(t, "host", dst)) ?? tunnels[0];
    if (tunnel) return [{ where: { kind: "peer", peer: tunnel.peer.node, tunnel: tunnel.name, origin: "local" }, src }];
    // A network a flow names as a source reaches the flow's gateway by routes sitewire does not manage.
    const flow = this.site.flowFrom(src);
    if (flow) return [{ where: { kind: "behind", host: flow.via, network: net }, src }];
    return [];
  }

  /**
   * A tunnel route's walk, through that tunnel: from its network behind the host (`from` in toHost) into the
   * host, or from its network behind the peer (in toPeer) into the peer, whichever side `from` is on.
   */
  startsAt(t: TunnelModel, from: Extract<Endpoint, { kind: "network" }>, dst: string): { where: Where; src: string }[] {
    const net = parseCidr(from.cidr, from.name).prefix;
    const src = representative(net);
    if (t.toHost.some((p) => inCidr(src, p.cidr))) {
      const h = this.hosts.get(t.host.node)!;
      return [this.view(h).byAddress.has(src) ? { where: { kind: "host", host: h.name, origin: "local" }, src: "auto" } : { where: { kind: "behind", host: h.name, network: net }, src }];
    }
    if (t.toPeer.some((p) => inCidr(src, p.cidr)) && this.peers.has(t.peer.node)) return [{ where: { kind: "peer", peer: t.peer.node, tunnel: t.name, origin: "local" }, src }];
    return this.starts(from, dst);
  }

  tunnelsOfHost(h: HostModel): readonly TunnelModel[] {
    return this.view(h).tunnels;
  }

  replyStart(end: Where): Where {
    switch (end.kind) {
      case "host":
        return { kind: "host", host: end.host, origin: "local" };
      case "peer":
        return { kind: "peer", peer: end.peer, ...(end.tunnel ? { tunnel: end.tunnel } : {}), origin: "local" };
      default:
        return end;
    }
  }

  // ---- the walk ---------------------------------------------------------------------------------------

  walk(w: Walk, start: Where, packet: Packet2, direction: "forward" | "reply"): { end?: Where; packet: Packet2; drop?: Drop } {
    let where: Where | undefined = start;
    let p = packet;
    let first = true;
    while (where) {
      if (w.hops.length >= MAX_HOPS * 2) {
        return { packet: p, drop: new Drop("the path loops (more than 24 hops)", "check the routes of the hosts on the path") };
      }
      const steps: Step[] = [];
      const arrived = { src: p.src, dst: p.dst };
      let out: { next?: Where; packet: Packet2; end?: boolean; kind: HopKind; at: string; extra?: Hop[] };
      try {
        out = this.visit(w, where, p, direction, steps, first);
      } catch (err) {
        if (!(err instanceof Drop)) throw err;
        this.push(w, direction, kindOf(where), nameOf(where), arrived, steps, err);
        return { packet: p, drop: err };
      }
      first = false;
      this.push(w, direction, out.kind, out.at, arrived, steps);
      p = out.packet;
      if (out.end) return { end: where, packet: p };
      // A tunnel or link crossed on the way is a hop of its own.
      for (const extra of out.extra ?? []) {
        w.n++;
        w.hops.push({ ...extra, n: w.n, direction, packet: { src: p.src, dst: p.dst } });
      }
      where = out.next;
    }
    return { packet: p, drop: new Drop("internal: the walk stopped without an end", "report this") };
  }

  push(w: Walk, direction: "forward" | "reply", kind: HopKind, at: string, packet: { src: string; dst: string }, steps: Step[], drop?: Drop) {
    w.n++;
    w.hops.push({ n: w.n, direction, kind, at, packet, steps, ...(drop ? { drop: { reason: drop.reason, hint: drop.hint } } : {}) });
  }

  visit(
    w: Walk,
    where: Where,
    p: Packet2,
    direction: "forward" | "reply",
    steps: Step[],
    first: boolean,
  ): { next?: Where; packet: Packet2; end?: boolean; kind: HopKind; at: string; extra?: Hop[] } {
    switch (where.kind) {
      case "pod":
        return this.visitPod(where, p, steps);
      case "host":
        return this.visitHost(w, where, p, direction, steps);
      case "peer":
        return this.visitPeer(where, p, direction, steps, first);
      case "beyond":
        return this.visitBeyond(where, p, direction, steps, first);
      case "behind":
        return this.visitBehind(where, p, steps, first);
    }
  }

  // ---- cluster ------------------------------------------------------------------------------------------

  visitPod(where: Extract<Where, { kind: "pod" }>, p: Packet2, steps: Step[]) {
    const { namespace, labels } = where.endpoint;
    const policy = egressVerdict(this.index, namespace, labels, p);
    steps.push(this.step(policy.what, policy.cite, ["cluster", "egress"]));
    if (!policy.allowed) {
      const svc = p.port !== undefined ? ` ports: [${p.proto}/${p.port}]` : "";
      throw new Drop(`egress denied: ${policy.what}`, `allow it in cluster.egress (namespace ${namespace}): to ${p.dst}${svc}`);
    }
    steps.push(this.step(`leaves from node ${where.node} (a source of the flows to ${p.dst})`, undefined, ["flows"]));
    return { next: { kind: "host" as const, host: where.node, origin: "pod" as const, inDev: "pod" }, packet: p, kind: "cluster" as HopKind, at: `pod ${where.endpoint.text}` };
  }

  // ---- a Linux host -------------------------------------------------------------------------------------

  /** Every address of the host, both families (the interface's addresses, then other devices'), with its device. */
  addressesOf(h: HostModel): readonly HostAddress[] {
    return this.view(h).addresses;
  }

  visitHost(w: Walk, where: Extract<Where, { kind: "host" }>, p0: Packet2, direction: "forward" | "reply", steps: Step[]) {
    const h = this.hosts.get(where.host)!;
    let p = p0;
    const hop = { kind: "host" as HopKind, at: h.name };
    const view = this.view(h);
    const local = view.addresses;
    // Replies to an address this host masqueraded to: conntrack puts the original destination back.
    const nat = w.nat.find((e) => e.host === h.name && e.translated === p.dst && direction === "reply");
    if (nat) {
      steps.push(this.step(`conntrack reverses the masquerade: destination ${p.dst} → ${shown(nat.original)}`, nat.cite));
      p = { ...p, dst: nat.original };
      if (nat.original.startsWith("pod:")) {
        steps.push(this.step(`delivered to the pod (${nat.original.slice(4)}) by the node's pod network`));
        return { ...hop, packet: p, end: true };
      }
    }
    if (where.origin !== "local" && view.byAddress.has(p.dst)) {
      steps.push(this.step(`${p.dst} is an address of ${h.name}: delivered`));
      return { ...hop, packet: p, end: true };
    }
    if (p.dst.startsWith("pod:")) throw new Drop(`${h.name} has no way to a pod address`, "internal: replies to pods are de-NATed at their node");

    const route = this.route(h, p, where.origin);
    steps.push(...route.steps);
    if ("drop" in route) throw new Drop(route.drop.reason, route.drop.hint);

    const family = familyOfPacket(p);
    const ofFamily = view.ofFamily(family);
    if (p.src === "auto") {
      const a = view.onDevice(family, route.device) ?? ofFamily[0] ?? local[0]!;
      p = { ...p, src: a.address };
      steps.push(this.step(`source address ${a.address} (of ${a.device})`));
    }

    // sitewire's firewall file: iptables-restore or nftables, as the host's firewall backend says.
    const fw = firewallFile(h, family);
    const established = direction === "reply";
    if (where.origin === "forward") this.forwardCheck(h, fw, p, where.inDev, route.device, established, steps);

    // Source NAT (nat POSTROUTING): sitewire's chain on the host, ip-masq-agent's on a node for pod traffic.
    if (!established) {
      const outAddr = view.onDevice(family, route.device)?.address;
      if (where.origin === "pod") {
        const masq = masqVerdict(this.index, p.dst);
        if (!masq) {
          steps.push(this.step(`no ip-masq-agent configuration: the pod keeps its own address (sitewire assumes the CNI does not masquerade)`, undefined, ["cluster"]));
        } else if (masq.masquerade && outAddr) {
          steps.push(this.step(`ip-masq-agent masquerades ${p.dst}: source ${shown(p.src)} → ${outAddr} (the node's address on ${route.device})`, masq.cite, ["cluster", "masquerade"]));
          w.nat.push({ host: h.name, original: p.src, translated: outAddr, ...(masq.cite ? { cite: masq.cite } : {}) });
          p = { ...p, src: outAddr };
        } else {
          steps.push(this.step(`ip-masq-agent does not masquerade ${p.dst}: the packet keeps the pod's address`, masq.cite, ["cluster", "masquerade", "nonMasqueradeCIDRs"]));
        }
      } else {
        const snat = firstMatch(readFirewall(this.index, fw, "postrouting"), p, { outInterface: route.device, established: false });
        if (snat && snat.target === "MASQUERADE" && outAddr) {
          steps.push(this.step(`MASQUERADE in ${fw.chains.postrouting}: source ${p.src} → ${outAddr} (${route.device})`, snat.cite, natOrigin(view, p.src)));
          w.nat.push({ host: h.name, original: p.src, translated: outAddr, cite: snat.cite });
          p = { ...p, src: outAddr };
        } else if (this.index.has(fw.path) && where.origin === "forward") {
          steps.push(this.step(`no ${fw.chains.postrouting} rule matches: the source stays ${shown(p.src)}`));
        }
      }
    }

    if (p.proto === "tcp") {
      // The chain's rules on the packet's out- or in-device, in order (rather than every rule of the chain).
      for (const r of rulesOnDevices(readFirewall(this.index, fw, "mss"), route.device, where.inDev)) {
        if (r.family && r.family !== family) continue;
        if ((r.outInterface && r.outInterface === route.device) || (r.inInterface && r.inInterface === where.inDev)) {
          const set = /(?:--set-mss|maxseg size set) (\d+)/.exec(r.cite.text)?.[1];
          const how = set !== undefined ? `set to ${set}` : "clamped to the path MTU";
          steps.push(this.step(`TCP SYN / SYN-ACK: MSS ${how}`, r.cite));
        }
      }
    }

    return { ...hop, packet: p, ...this.nextFrom(h, route, p) };
  }

  forwardCheck(h: HostModel, fw: FirewallFile, p: Packet2, inDev: string | undefined, outDev: string, established: boolean, steps: Step[]) {
    if (!h.forwards) {
      const sysctl = familyOfPacket(p) === 6 ? "net.ipv6.conf.all.forwarding" : "net.ipv4.ip_forward";
      throw new Drop(`${h.name} does not forward packets (${sysctl} is not set by sitewire)`, `make ${h.name} a flow's gateway or a tunnel end, or route around it`);
    }
    const chain = readFirewall(this.index, fw, "forward");
    const hit = firstMatch(chain, p, { ...(inDev ? { inInterface: inDev } : {}), outInterface: outDev, established });
    if (hit && hit.target === "ACCEPT") {
      steps.push(this.step(hit.ctstate ? `${fw.chains.forward} accepts it as part of a known connection (conntrack)` : `${fw.chains.forward} accepts ${shown(p.src)} → ${p.dst} (in ${inDev ?? "?"}, out ${outDev})`, hit.cite, hit.ctstate ? undefined : forwardOrigin(h, hit.cite.text)));
      return;
    }
    if (hit) {
      steps.push(this.step(`${fw.chains.forward} ends with ${hit.target}`, hit.cite, ["hosts", h.name, "firewall", "forwardDefault"]));
      throw new Drop(`${fw.chains.forward} on ${h.name} drops ${shown(p.src)} → ${p.dst} (in ${inDev ?? "?"}, out ${outDev}): no rule accepts it and forwardDefault is drop`, `add a flow or tunnel route that carries ${shown(p.src)} → ${p.dst}, or check hosts.${h.name}.firewall.forwardDefault`);
    }
    steps.push(
      this.step(
        fw.backend === "nftables"
          ? `no ${fw.chains.forward} rule accepts ${shown(p.src)} → ${p.dst}: the chain's policy accepts it, and ${h.name}'s other tables decide (not managed by sitewire; assumed to accept)`
          : `no ${fw.chains.forward} rule accepts ${shown(p.src)} → ${p.dst}: it returns to ${h.name}'s own FORWARD rules and policy (not managed by sitewire; assumed ACCEPT)`,
        undefined,
        ["hosts", h.name, "firewall", "forwardDefault"],
      ),
    );
  }

  route(h: HostModel, p: Packet2, origin: "local" | "pod" | "forward"): RouteResult {
    const script = `hosts/${h.name}/usr/local/sbin/sitewire-tunnels`;
    const steps: Step[] = [];
    const view = this.view(h);
    // Policy-based IPsec: the kernel's policies take matching packets whatever the route (strongSwan also
    // installs the route in its table 220). The first policy-based tunnel of the host with a remote network
    // holding the destination.
    const policy = view.policyRemote.first(p.dst);
    if (policy) {
      const t = policy;
      const src = p.src === "auto" ? (h.addresses.find((a) => a.family === familyOfPacket(p)) ?? h.address).address : p.src;
      const ts = this.selectorCite(h.name, t, "local");
      if (!t.host.localNetworks.some((n) => inCidr(src, n.cidr))) {
        steps.push(this.step(`tunnel ${t.name} carries ${t.host.remoteNetworks.map((n) => n.cidr).join(", ")} only from ${t.host.localNetworks.map((n) => n.cidr).join(", ")}`, ts, ["tunnels", t.name, "routes", "toHost"]));
        return { steps, drop: { reason: `tunnel ${t.name}'s selectors exclude source ${shown(src)}: the packet would leave unencrypted`, hint: `add ${shown(src)} (or its network) to tunnels.${t.name}.routes.toHost, or masquerade it to an address that is` } };
      }
      steps.push(this.step(`IPsec policy of tunnel ${t.name} matches ${shown(src)} → ${p.dst} (strongSwan installs the route in table 220)`, ts, ["tunnels", t.name, "routes"]));
      return { device: h.interface, steps, tunnel: t };
    }
    // ip rules, by priority, into the route-based tunnels' tables: the first rule whose device (the first vti
    // of its table and tunnel) has a route holding the destination and a peer address of the packet's family.
    const family = familyOfPacket(p);
    const ip = family === 6 ? "ip -6" : "ip";
    // Step texts keep their IPv4 wording ("route …", "ip rule …") and name the IPv6 table ("ip -6 route …").
    const v6 = family === 6 ? "ip -6 " : "";
    for (const i of view.ruleRoutes.ordered(p.dst)) {
      const { rule: r, vti } = view.rules[i]!;
      const hit = vti?.routes.find((n) => inCidr(p.dst, n.cidr));
      const via = vti ? peerOf(vti, family) : undefined;
      if (!vti || !hit || !via) continue;
      // `ensure_rule FAMILY PRIORITY TABLE …` (one line per family), or the older `ensure_rule PRIORITY TABLE …`.
      const ruleCite = this.index.findStarting(script, `ensure_rule ${family} ${r.priority} ${r.table} `) ?? this.index.findStarting(script, `ensure_rule ${r.priority} ${r.table} `);
      steps.push(this.step(`${ip} rule priority ${r.priority}: lookup table ${r.table}`, ruleCite, ["tunnels", r.tunnel, "table"]));
      steps.push(this.step(`${v6}route ${hit.cidr} via ${via} dev ${vti.device} table ${r.table} (static)`, this.routeLine(script, `${hit.cidr} via ${via} dev ${vti.device} table ${r.table} `), ["tunnels", r.tunnel, "routes", "toPeer"]));
      return { device: vti.device, via, steps, tunnel: this.tunnels.get(vti.tunnel)! };
    }
    // the main table: longest prefix wins among static, BGP and connected routes, then the lower rank, then the
    // earlier. Each kind of route gives only its own winner (its longest, the earliest of equally long ones:
    // PrefixIndex.best), whose step is made only if it wins overall (finding its line is the costly part).
    interface Cand { prefix: Prefix; device: string; via?: string; step: () => Step; tunnel?: TunnelModel; rank: number }
    const cands: Cand[] = [];
    // Static routes holding the destination (HostModel.routes order).
    const st = view.routes.best(p.dst, (i) => h.routes[i]!.to.length);
    if (st !== undefined) {
      const r = h.routes[st]!;
      const step = () => this.step(`${v6}route ${r.to.cidr} via ${r.via} dev ${r.device} (static, ${r.origin})`, this.routeLine(script, `${r.to.cidr} via ${r.via} dev ${r.device} `), originPath(r.origin, h.name));
      cands.push({ prefix: r.to, device: r.device, via: r.via, rank: 1, step });
    }
    // Per BGP device (HostModel.vtis order): the first network the peer announces that holds the destination,
    // when the host accepts the destination.
    const learnedBy = view.bgpAnnounce.best(
      p.dst,
      ([, n]) => n.length,
      ([i, , k]) => {
        const bgp = this.tunnels.get(h.vtis[i]!.tunnel)!.bgp!;
        return bgp.host.accept.some((a) => inCidr(p.dst, a.cidr)) && !bgp.peer.announce.slice(0, k).some((n) => inCidr(p.dst, n.cidr));
      },
    );
    if (learnedBy) {
      const [i, learned] = learnedBy;
      const v = h.vtis[i]!;
      const t = this.tunnels.get(v.tunnel)!;
      const bgp = t.bgp!;
      // The session of the packet's family: IPv6 routes come over the IPv6 session (neighbor6) when there is one.
      const neighbor = family === 6 ? (bgp.host.neighbor6 ?? bgp.host.neighbor) : bgp.host.neighbor;
      const via = peerOf(v, family) ?? neighbor;
      const step = () => {
        const cite = this.index.findToken(`hosts/${h.name}/`, neighbor, (l) => l.includes(`neighbor ${neighbor} `) && /remote-as/.test(l));
        const accept = this.index.findToken(`hosts/${h.name}/`, learned.cidr, (l) => isPrefixListLine(l) && l.includes(`${t.name}-in`) && l.includes(" seq ") && l.endsWith(` permit ${learned.cidr}`));
        return this.step(`route ${learned.cidr} via ${via} dev ${v.device}: learned by BGP from ${t.peer.node} (neighbour ${neighbor}${accept ? ", accepted by its prefix list" : ""})`, accept ?? cite, ["tunnels", t.name, "bgp"]);
      };
      cands.push({ prefix: learned, device: v.device, via, tunnel: t, rank: 2, step });
    }
    const ci = view.connectedIndex.best(p.dst, (i) => view.connected[i]!.prefix.length);
    if (ci !== undefined) {
      const c = view.connected[ci]!;
      cands.push({ prefix: c.prefix, device: c.device, rank: 3, step: () => this.step(`${c.prefix.cidr} is connected on ${c.device}`, undefined, c.path) });
    }
    // Networks behind the host (a tunnel's toHost): reached through its own network, by routes sitewire does not
    // manage. Per tunnel of the host, its first toHost network holding the destination.
    const behindBy = view.behind.best(
      p.dst,
      ([, n]) => n.length,
      ([i, , k]) => !view.tunnels[i]!.toHost.slice(0, k).some((n) => inCidr(p.dst, n.cidr)),
    );
    if (behindBy) {
      const [i, behind] = behindBy;
      const t = view.tunnels[i]!;
      cands.push({ prefix: behind, device: h.interface, rank: 4, step: () => this.step(`${behind.cidr} lies behind ${h.name} on ${h.interface} (the host's own routes, not managed by sitewire)`, undefined, ["tunnels", t.name, "routes", "toHost"]) });
    }
    // Per flow through the host, its first source network (not a host) holding the destination.
    const sourceOf = view.flowSources.best(
      p.dst,
      ([, , n]) => n.length,
      ([, f, , k]) => !f.sources.slice(0, k).some((x) => !x.host && inCidr(p.dst, x.prefix.cidr)),
    );
    if (sourceOf) {
      const [, f, source] = sourceOf;
      cands.push({ prefix: source, device: h.interface, rank: 4, step: () => this.step(`${source.cidr} (a source of flow ${f.name}) is reached by ${h.name}'s own routes, not managed by sitewire`, undefined, ["flows", f.name, "from"]) });
    }
    cands.sort((a, b) => b.prefix.length - a.prefix.length || a.rank - b.rank);
    const best = cands[0];
    if (!best) {
      return {
        steps,
        drop: {
          reason: `${h.name} has no route to ${p.dst} (only its own default route, which sitewire does not manage)`,
          hint: origin === "local" || origin === "pod" ? `add a flow from ${h.name} to ${p.dst}'s network, or a route (hosts.${h.name}.routes)` : `add ${p.dst}'s network to a flow's 'to' or a tunnel's routes.toPeer`,
        },
      };
    }
    steps.push(best.step());
    return { device: best.device, ...(best.via ? { via: best.via } : {}), steps, ...(best.tunnel ? { tunnel: best.tunnel } : {}) };
  }

  /** The tunnel script's `ip [-6] route replace REST…` line (isRouteLine): the first of either family's command. */
  routeLine(script: string, rest: string): ArtifactCite | undefined {
    const four = this.index.findStarting(script, `ip route replace ${rest}`);
    const six = this.index.findStarting(script, `ip -6 route replace ${rest}`);
    return four && six ? (four.line <= six.line ? four : six) : (four ?? six);
  }

  /** Where a packet that leaves `h` by `route` goes next. */
  nextFrom(h: HostModel, route: Route, p: Packet2): { next?: Where; end?: boolean; extra?: Hop[] } {
    const script = `hosts/${h.name}/usr/local/sbin/sitewire-tunnels`;
    const t = route.tunnel;
    if (t) {
      const vti = this.view(h).vtiOf.get(t.name);
      const steps: Step[] = [];
      if (t.kind === "ipsec-vti" && vti?.kind === "xfrm") {
        steps.push(this.step(`xfrm ${vti.device} (if_id ${vti.key}) dev ${vti.underlay}, ${vti.local} → ${vti.remote}`, this.index.findStarting(script, `ip link add ${vti.device} type xfrm `), ["tunnels", t.name, "device"]));
        steps.push(this.step(`IPsec SA of tunnel ${t.name} belongs to if_id ${vti.key}`, this.ifIdCite(h.name, t), ["tunnels", t.name, "key"]));
      } else if (t.kind === "ipsec-vti" && vti) {
        steps.push(this.step(`vti ${vti.device} (key ${vti.key}) ${vti.local} → ${vti.remote}`, this.index.findStarting(script, `ip link add ${vti.device} type vti `), ["tunnels", t.name, "device"]));
        steps.push(this.step(`IPsec SA of tunnel ${t.name} takes packets marked ${vti.key}`, this.markCite(h.name, t), ["tunnels", t.name, "key"]));
      } else {
        steps.push(this.step(`IPsec SA of tunnel ${t.name} (policy-based) to ${t.peer.node}`, this.selectorCite(h.name, t, "remote"), ["tunnels", t.name, "between"]));
      }
      return { next: { kind: "peer", peer: t.peer.node, tunnel: t.name, origin: "forward" }, extra: [tunnelHop("tunnel", t.name, steps)] };
    }
    const ipip = h.ipips.find((d) => d.device === route.device);
    if (ipip) {
      const other = this.hosts.get(ipip.peerHost)!;
      const dev = other.ipips.find((d) => d.link === ipip.link)?.device ?? ipip.device;
      const step = this.step(`ipip ${ipip.device} ${ipip.local} → ${ipip.remote} (link ${ipip.link}, mtu ${ipip.mtu})`, this.index.findStarting(script, `ip tunnel add ${ipip.device} mode ipip `), ["links", ipip.link]);
      return { next: { kind: "host", host: other.name, inDev: dev, origin: "forward" }, extra: [tunnelHop("link", ipip.link, [step])] };
    }
    // The next hop is the owner of `via` (or of the destination) when a host of the site owns it: on the host's
    // own network, or on another interface's (a dual-stack node's IPv6 address on the gateway's IPv6 LAN).
    const target = route.via ?? p.dst;
    const owner = this.site.hostsWithAddress(target).find((o) => o.name !== h.name);
    if (owner) {
      const dev = this.view(owner).byAddress.get(target)!.device;
      return { next: { kind: "host", host: owner.name, inDev: dev, origin: "forward" } };
    }
    const ext = h.externalInterfaces.find((e) => e.device === route.device);
    if (ext) return { next: { kind: "beyond", host: h.name, device: ext.device } };
    return { next: { kind: "behind", host: h.name, network: this.networkOf(h, p.dst) } };
  }

  networkOf(h: HostModel, dst: string): Prefix {
    // The first toHost network (in tunnel order) holding dst, else the longest named network that does.
    const behind = this.view(h).behind.first(dst);
    if (behind) return behind[1];
    const named = this.site.networksHolding(dst).sort((a, b) => b.prefix.length - a.prefix.length)[0];
    return named?.prefix ?? h.address.network;
  }

  /** The strongSwan file of a host (hosts/<h>/…) or of a strongSwan peer (devices/<p>/…), by its name's ending. */
  strongswanFile(node: string, ending: string): string | undefined {
    return this.memo(`strongswan-file ${node}\0${ending}`, () => this.index.paths().sort().find((p) => (p.startsWith(`hosts/${node}/`) || p.startsWith(`devices/${node}/`)) && p.endsWith(ending)));
  }

  /**
   * A line inside tunnel `t`'s block in swanctl.conf (up to the connection's closing `  }`), else inside its
   * `conn` sections in ipsec.conf (up to the next other conn): never a line of the tunnel written after it.
   */
  strongswanCite(node: string, t: TunnelModel, swanctl: string, legacy: string | undefined): ArtifactCite | undefined {
    const within = (hit: ArtifactCite | undefined, end: ArtifactCite | undefined) => (hit && (!end || hit.line < end.line) ? hit : undefined);
    // Each line found by its trimmed text's start (ArtifactIndex.findStarting): the file is not read per question.
    const sw = this.strongswanFile(node, "swanctl/conf.d/sitewire.conf");
    const open = sw ? this.index.findTrimmed(sw, `${t.name} {`) : undefined;
    const hit = sw && open ? within(this.index.findStarting(sw, swanctl, open.line), this.index.findStarting(sw, "}", open.line, (l) => l === "  }")) : undefined;
    if (hit) return hit;
    if (legacy === undefined) return undefined;
    const conf = this.strongswanFile(node, "ipsec.conf");
    const ours = (l: string) => l.trim() === `conn ${t.name}` || l.trim().startsWith(`conn ${t.name}-`);
    // `conn NAME` or `conn NAME-…`: both start with `conn NAME`.
    const conn = conf ? this.index.findStarting(conf, `conn ${t.name}`, 0, ours) : undefined;
    return conf && conn ? within(this.index.findStarting(conf, legacy, conn.line), this.index.findStarting(conf, "conn", conn.line, (l) => l.startsWith("conn ") && !ours(l))) : undefined;
  }

  markCite(node: string, t: TunnelModel): ArtifactCite | undefined {
    return this.strongswanCite(node, t, "mark_out = ", "mark=");
  }

  /** The if_id of an XFRM interface's SAs: swanctl.conf only (ipsec.conf has no if_id; rule SW144). */
  ifIdCite(node: string, t: TunnelModel): ArtifactCite | undefined {
    return this.strongswanCite(node, t, "if_id_out = ", undefined);
  }

  selectorCite(node: string, t: TunnelModel, side: "local" | "remote"): ArtifactCite | undefined {
    return this.strongswanCite(node, t, `${side}_ts = `, side === "local" ? "leftsubnet=" : "rightsubnet=");
  }

  // ---- the far side of a tunnel -------------------------------------------------------------------------

  visitPeer(where: Extract<Where, { kind: "peer" }>, p: Packet2, direction: "forward" | "reply", steps: Step[], first: boolean) {
    const peer = this.peers.get(where.peer);
    const hop = { kind: "far-side" as HopKind, at: where.peer };
    const device = `devices/${where.peer}/`;
    const mine = this.site.tunnelsOfPeer(where.peer);
    const arrivedBy = where.tunnel ? this.tunnels.get(where.tunnel) : undefined;
    if (arrivedBy && !first) {
      const iface = this.index.findUnder(device, (l) => l.trim() === `interface Tunnel${arrivedBy.number}`);
      steps.push(this.step(`${where.peer} (${peer?.platform ?? "peer"}) decrypts it${iface ? ` on Tunnel${arrivedBy.number}` : ""}`, iface, ["tunnels", arrivedBy.name, "between"]));
    }
    if (where.origin === "forward" || !first) {
      const behind = mine.flatMap((t) => t.toPeer).find((n) => inCidr(p.dst, n.cidr));
      if (behind || peer?.address === p.dst) {
        steps.push(this.step(`${p.dst} is in ${behind ? `${behind.name ?? behind.cidr} (${behind.cidr})` : "the peer's own address"}, behind ${where.peer}: delivered`, undefined, behind ? ["tunnels", (mine.find((t) => t.toPeer.includes(behind)) ?? mine[0])!.name, "routes", "toPeer"] : ["peers", where.peer]));
        return { ...hop, packet: p, end: true };
      }
    }
    // The route back (or onward) into a tunnel: static with tracking, BGP, or policy selectors.
    const ordered = arrivedBy ? [arrivedBy, ...mine.filter((t) => t !== arrivedBy)] : mine;
    for (const t of ordered) {
      const inside = t.kind === "ipsec-vti" ? insideOf(t, p.dst) : undefined;
      if (inside) {
        // The inside network is connected on the peer's tunnel interface (its own inside address is there): the
        // reply to a source masqueraded to the host's inside address goes back into the tunnel.
        const own = inside.own;
        const cite = own ? this.index.findUnder(device, (l) => mentionsAddress(l, own)) : undefined;
        steps.push(this.step(`${inside.prefix.cidr} (tunnel ${t.name}'s inside network) is connected on ${where.peer}'s tunnel interface`, cite, ["tunnels", t.name, inside.key]));
      } else if (t.bgp) {
        const ok = t.bgp.peer.accept.find((n) => inCidr(p.dst, n.cidr)) && t.bgp.host.announce.find((n) => inCidr(p.dst, n.cidr));
        if (!ok) continue;
        const neighbor = familyOfPacket(p) === 6 ? (t.bgp.peer.neighbor6 ?? t.bgp.peer.neighbor) : t.bgp.peer.neighbor;
        const cite =
          this.index.findUnder(device, (l) => isPrefixListLine(l) && l.includes(`${t.name}-in`) && l.includes(" seq ") && l.endsWith(` permit ${ok.cidr}`)) ??
          this.deviceCite(device, peer, "bgpNeighbor", { neighbor }) ??
          // a cloud gateway: the provider runs BGP on the tunnel's inside network (Terraform JSON)
          (t.inside ? this.index.find(`cloud/${where.peer}.tf.json`, (l) => l.includes(`"${t.inside!.cidr}"`)) : undefined);
        steps.push(this.step(`route to ${p.dst}: learned by BGP from ${t.host.node} (neighbour ${neighbor}; ${ok.cidr} announced and accepted)`, cite, ["tunnels", t.name, "bgp"]));
      } else if (t.kind === "ipsec-vti") {
        const net = t.toHost.find((n) => inCidr(p.dst, n.cidr));
        if (!net) continue;
        if (peer?.platform === "strongswan") {
          // A strongSwan peer's own vti device and routes are not rendered by sitewire: its SA (selectors and mark)
          // is what sitewire writes for this direction, so that is the line cited.
          const owner = this.hosts.get(t.host.node);
          const key = owner ? this.view(owner).vtiOf.get(t.name)?.key : undefined;
          const sa = this.markCite(where.peer, t) ?? this.selectorCite(where.peer, t, "remote");
          steps.push(this.step(`static route ${net.cidr} into the vti of tunnel ${t.name}${key !== undefined ? ` (key ${key})` : ""}, on ${where.peer}'s side (its device and routes are the peer's own; sitewire renders the SA)`, sa, ["tunnels", t.name, "routes", "toHost"]));
        } else {
          const iface = `${platformNamed(peer?.platform ?? "")?.capabilities.interfaces.prefix ?? "Tunnel"}${t.number}`;
          // IPv6 routes are written by CIDR on every platform (`ipv6 route 2001:db8::/64 Tunnel70` on IOS): found by
          // the CIDR and the interface when the platform's IPv4 pattern (network and mask) does not apply.
          const cite =
            this.deviceCite(device, peer, "staticRoute", { cidr: net.cidr, network: net.network, mask: net.mask, interface: iface }) ??
            (net.family === 6 ? this.index.findUnder(device, (l) => l.includes(` ${net.cidr} `) && l.includes(iface)) : undefined);
          steps.push(this.step(`static route ${net.cidr} into ${iface} (tunnel ${t.name})`, cite, ["tunnels", t.name, "routes", "toHost"]));
          const track = cite && /track (\d+)/.exec(cite.text);
          if (track) {
            const sla = this.index.findUnder(device, (l) => l.startsWith(`track ${track[1]} `));
            steps.push(this.step(`the route is withdrawn while track ${track[1]} (IP SLA probe of the tunnel) is down`, sla, ["tunnels", t.name, "monitor"]));
          }
        }
      } else {
        const net = t.peer.remoteNetworks.find((n) => inCidr(p.dst, n.cidr));
        if (!net) continue;
        if (!t.peer.localNetworks.some((n) => inCidr(p.src, n.cidr))) continue;
        // Policy-based tunnels end on strongSwan peers only (device platforms render route-based tunnels, SW208).
        const cite = this.selectorCite(where.peer, t, "remote");
        steps.push(this.step(`the IPsec policy of tunnel ${t.name} on ${where.peer} matches ${shown(p.src)} → ${p.dst}`, cite, ["tunnels", t.name, "routes", "toHost"]));
      }
      const host = this.hosts.get(t.host.node)!;
      const inDev = t.kind === "ipsec-vti" && t.device ? t.device : host.interface;
      const saCite = this.view(host).vtiOf.get(t.name)?.kind === "xfrm" ? this.ifIdCite(host.name, t) : this.markCite(host.name, t);
      const tunnelSteps = [this.step(`IPsec SA of tunnel ${t.name}, ${where.peer} → ${host.name}`, saCite ?? this.selectorCite(host.name, t, "remote"), ["tunnels", t.name])];
      return { ...hop, packet: p, next: { kind: "host" as const, host: host.name, inDev, origin: "forward" as const }, extra: [tunnelHop("tunnel", t.name, tunnelSteps)] };
    }
    const t = arrivedBy ?? mine[0];
    const what = direction === "reply" ? "no route back" : "no route";
    if (t) {
      const routes = t.bgp ? "the routes it learns by BGP" : "its static routes into the tunnels";
      steps.push(this.step(`none of ${routes} covers ${shown(p.dst)}`, this.index.findUnder(device, (l) => l.trim() === `interface Tunnel${t.number}`), t.bgp ? ["tunnels", t.name, "bgp"] : ["tunnels", t.name, "routes", "toHost"]));
    }
    throw new Drop(
      `${what}: ${where.peer} has no route to ${shown(p.dst)}${
        !t ? "" : t.bgp ? ` (over tunnel ${t.name}, ${t.host.node} announces ${list(t.bgp.host.announce)} and ${where.peer} accepts ${list(t.bgp.peer.accept)})` : ` (tunnel ${t.name} routes only ${list(t.toHost)} to ${t.host.node})`
      }`,
      t ? `add ${shown(p.dst)}'s network to tunnels.${t.name}.routes.toHost${t.bgp ? ` (and to bgp.announce.${t.host.node})` : ""}, or masquerade the traffic to an address in it` : `add a tunnel to ${where.peer}`,
    );
  }

  // ---- beyond a host's own interface (a VPN client's tun0) ---------------------------------------------

  visitBeyond(where: Extract<Where, { kind: "beyond" }>, p: Packet2, direction: "forward" | "reply", steps: Step[], first: boolean) {
    const h = this.hosts.get(where.host)!;
    const ext = h.externalInterfaces.find((e) => e.device === where.device)!;
    const at = `${where.device} of ${where.host}`;
    // The first flow through h out of the device with a destination holding the address.
    const out = this.site.flowsOut(h.name, where.device);
    const flow = out.to.first(first ? p.src : p.dst);
    if (!first || direction === "forward") {
      steps.push(this.step(`${p.dst} lies beyond ${where.device} (${ext.description ?? "an interface sitewire does not manage"}): delivered`, undefined, flow ? ["flows", flow.name, "to"] : ["hosts", h.name, "interfaces", ext.device]));
      return { kind: "network" as HopKind, at, packet: p, end: true };
    }
    // The reply: the far end of the interface answers only addresses of the interface's own network, unless the
    // network beyond it is the host's own LAN: a network one of its tunnels carries (routes.toHost) or a flow
    // through it starts from, whose clients route through this host (the office's IPv6 LAN on eth1).
    const lan = this.memo(`lan ${h.name}\0${ext.device}`, () =>
      this.tunnelsOfHost(h).find((t) => t.toHost.some((n) => containsPrefix(n, ext.address.network))) ??
      this.model.flows.find((f) => f.via === h.name && f.sources.some((s) => !s.host && containsPrefix(s.prefix, ext.address.network))));
    if (lan && inCidr(p.src, ext.address.network.cidr)) {
      const key: IntentPath = "toHost" in lan ? ["tunnels", lan.name, "routes", "toHost"] : ["flows", lan.name, "from"];
      steps.push(this.step(`${ext.address.network.cidr} beyond ${where.device} is ${h.name}'s own LAN (${"toHost" in lan ? `tunnel ${lan.name} carries it` : `flow ${lan.name} starts there`}): its clients route through ${h.name}`, undefined, key));
      return { kind: "network" as HopKind, at, packet: p, next: { kind: "host" as const, host: h.name, inDev: where.device, origin: "forward" as const } };
    }
    if (!inCidr(p.dst, ext.address.network.cidr)) {
      const f = out.flows[0];
      steps.push(this.step(`beyond ${where.device} only ${ext.address.network.cidr} is routed back to ${h.name}`, undefined, f ? ["flows", f.name, "nat"] : ["hosts", h.name, "interfaces", ext.device]));
      throw new Drop(
        `no route back: the reply to ${shown(p.dst)} must return through ${where.device}, but beyond it only ${ext.address.network.cidr} (${where.device}'s network) is routed to ${h.name}: the source was not masqueraded to ${ext.address.address}`,
        f ? `masquerade the flow (flows.${f.name}.nat: masquerade) and make sure its sources reach ${h.name} with the addresses its rules match (ip-masq-agent must masquerade pod traffic)` : `masquerade traffic leaving ${where.device}`,
      );
    }
    steps.push(this.step(`the reply to ${p.dst} (${where.device}'s own address) comes back through ${where.device}`, undefined, ["hosts", h.name, "interfaces", ext.device]));
    return { kind: "network" as HopKind, at, packet: p, next: { kind: "host" as const, host: h.name, inDev: where.device, origin: "forward" as const } };
  }

  // ---- a network behind a host (its LAN, a VPC) ---------------------------------------------------------

  visitBehind(where: Extract<Where, { kind: "behind" }>, p: Packet2, steps: Step[], first: boolean) {
    const h = this.hosts.get(where.host)!;
    const name = where.network.name ?? where.network.cidr;
    if (!first) {
      steps.push(this.step(`${p.dst} is in ${name} (${where.network.cidr}), reached through ${h.name}'s ${h.interface}: delivered`));
      return { kind: "network" as HopKind, at: name, packet: p, end: true };
    }
    const cloud = h.cloud;
    // The host's address of the packet's family, on the interface whose network holds this one (else the main one).
    const family = familyOfPacket(p);
    const gateway = this.memo(`gateway ${h.name}\0${family}\0${where.network.network}`, () =>
      this.addressesOf(h).find((a) => addressFamily(a.address) === family && this.connectedOn(h, a.device).some((n) => inCidr(where.network.network, n.cidr))) ??
      this.addressesOf(h).find((a) => addressFamily(a.address) === family && a.device === h.interface) ??
      { address: h.address.address, device: h.interface });
    steps.push(
      this.step(
        cloud
          ? `${name} sends it to ${h.name}: VPC route tables ${cloud.routeTables.join(", ")} point ${p.dst}'s network at ${cloud.eni ?? cloud.instanceId}`
          : `${name} sends it to ${h.name} (${gateway.address}), its gateway towards ${p.dst}`,
        undefined,
        cloud ? ["hosts", h.name, "cloud", "routeTables"] : ["hosts", h.name, "address"],
      ),
    );
    return { kind: "network" as HopKind, at: name, packet: p, next: { kind: "host" as const, host: h.name, inDev: gateway.device, origin: "forward" as const } };
  }

  /** The networks connected on one of a host's devices (both families). */
  connectedOn(h: HostModel, device: string): Prefix[] {
    if (device === h.interface) return h.addresses.map((a) => a.network);
    return h.externalInterfaces.filter((e) => e.device === device).map((e) => e.address.network);
  }
}

/** Does tunnel `t` carry `address` towards `side` (a static route, or a network that side announces by BGP)? */
function routesTo(t: TunnelModel, side: "peer" | "host", address: string): boolean {
  const nets = side === "peer" ? [...t.toPeer, ...(t.bgp?.peer.announce ?? [])] : [...t.toHost, ...(t.bgp?.host.announce ?? [])];
  return nets.some((n) => inCidr(address, n.cidr));
}

function list(prefixes: readonly Prefix[]): string {
  return prefixes.map((n) => n.cidr).join(", ") || "nothing";
}

function tunnelHop(kind: HopKind, at: string, steps: Step[]): Hop {
  return { n: 0, direction: "forward", kind, at, packet: { src: "", dst: "" }, steps };
}

function kindOf(w: Where): HopKind {
  return w.kind === "pod" ? "cluster" : w.kind === "host" ? "host" : w.kind === "peer" ? "far-side" : "network";
}

function nameOf(w: Where): string {
  switch (w.kind) {
    case "pod":
      return `pod ${w.endpoint.text}`;
    case "host":
      return w.host;
    case "peer":
      return w.peer;
    case "beyond":
      return `${w.device} of ${w.host}`;
    case "behind":
      return w.network.name ?? w.network.cidr;
  }
}

/** Does an artifact line name `address` (not as the start of a longer address)? */
function mentionsAddress(line: string, address: string): boolean {
  let i = line.indexOf(address);
  if (address.includes(":")) {
    // IPv6: no hex digit or colon may continue the address on either side (fd00:70::1 is not in fd00:70::12).
    while (i >= 0) {
      const before = line[i - 1];
      const after = line[i + address.length];
      if (!(before && /[0-9A-Fa-f:]/.test(before)) && !(after && /[0-9A-Fa-f:]/.test(after))) return true;
      i = line.indexOf(address, i + 1);
    }
    return false;
  }
  while (i >= 0) {
    const before = line[i - 1];
    const after = line[i + address.length];
    if (!(before && /[\d.]/.test(before)) && !(after && /\d/.test(after)) && !(after === "." && /\d/.test(line[i + address.length + 1] ?? ""))) return true;
    i = line.indexOf(address, i + 1);
  }
  return false;
}

/** The family of a packet: of its destination, else of its source (a pod's symbolic source has none). */
function familyOfPacket(p: Packet2): Family {
  return addressFamily(p.dst) ?? addressFamily(p.src) ?? 4;
}

/** The peer's inside address of `family` on a route-based device (its IPv4 or IPv6 inside network). */
function peerOf(v: VtiDevice, family: Family): string | undefined {
  if (v.address.family === family) return v.peerAddress;
  return v.address6?.family === family ? v.peerAddress6 : undefined;
}

/** The inside network of tunnel `t` (either family) that holds `address`, with the peer's own address in it. */
function insideOf(t: TunnelModel, address: string): { prefix: Prefix; own?: string; key: "inside" | "inside6" } | undefined {
  if (t.inside && inCidr(address, t.inside.cidr)) return { prefix: t.inside, key: "inside", ...(t.peer.insideAddress ? { own: t.peer.insideAddress.address } : {}) };
  if (t.inside6 && inCidr(address, t.inside6.cidr)) return { prefix: t.inside6, key: "inside6", ...(t.peer.insideAddress6 ? { own: t.peer.insideAddress6.address } : {}) };
  return undefined;
}

/** `ip prefix-list …` or `ipv6 prefix-list …` (FRR and IOS name the IPv6 lists apart). */
function isPrefixListLine(line: string): boolean {
  return line.startsWith("ip prefix-list ") || line.startsWith("ipv6 prefix-list ");
}

/** A pod's symbolic address, as people read it. */
export function shown(address: string): string {
  if (address === "auto") return "(its own address)";
  return address.startsWith("pod:") ? `the pod's address (${address.slice(4)})` : address;
}

function natOrigin(view: HostView, src: string): IntentPath {
  // The first NAT rule whose source holds src.
  const rule = view.nat.first(src);
  return rule ? originPath(rule.origin, view.host.name) : ["hosts", view.host.name];
}

function forwardOrigin(h: HostModel, text: string): IntentPath {
  // iptables `--comment "…"`, nftables `comment "…"`: the same origin text in both backends.
  const m = /(?:--)?comment "([^"]+)"/.exec(text);
  return m ? originPath(m[1]!, h.name) : ["hosts", h.name];
}

export type { Verdict };
