/**
 * The lab of a site, as data: which network namespaces stand for what, how they are wired, which artifacts
 * each one runs, and which probes measure which flow. Pure (the resolved model and the compiled artifacts in,
 * a plan out: no I/O, no clock, no keys), so the layout is testable without root; ./build.ts carries it out.
 *
 *   fabric (one namespace)   a bridge per host network (the site's LANs/underlay), and the router between
 *                            everything that is not on one LAN: it routes each tunnel's IKE/ESP between the
 *                            tunnel's two engines, with 1:1 NAT where an end has a public address (as an
 *                            elastic IP does)
 *   host    one per host     its interface on its network's bridge, the external interfaces the site names
 *                            (a VPN client's tun0: a veth to a "beyond" namespace that answers only addresses
 *                            of that interface's network), and what sitewire emits for it, run for real: the
 *                            sysctl drop-in, the tunnel script (`up`), the firewall loader, strongSwan
 *   engine  per tunnel end   route-based tunnels: the end's charon with kernel-libipsec, wired to the vti
 *                            device the tunnel script made (a veth: ./ip-shim.ts) — one daemon per tunnel,
 *                            as libipsec ignores marks; policy-based tunnels: the host runs its own charon
 *   peer    per far device   a router namespace: the networks behind the device, its end of each tunnel
 *                            (Tunnel<n>, the inside address) and the routes the model gives the far side
 *                            (static routes into the tunnel, or BGP: FRRouting with an frr.conf rendered
 *                            from the model's peer side, ./frr.ts, while the host runs its emitted one); its
 *                            charon is a strongSwan stand-in rendered from the model's peer end (what
 *                            sitewire emits, for a strongSwan peer)
 *   lan     per network      a machine on a network behind a host (a flow's source network, a tunnel's
 *                            toHost network, the host's LAN), with the probe addresses, routed via the host
 *   pod     per pod kind     a namespace attached to its node by a veth, with the node's cluster effects:
 *                            the ip-masq-agent chain (the preview sitewire emits) and the pod's egress
 *                            NetworkPolicies as a filter (./policies.ts)
 *
 * Nothing is created in the machine's own namespace; every name carries the lab's prefix (./names.ts).
 */
import type { BgpSide, FlowModel, HostModel, PeerModel, Prefix, SiteModel, TunnelModel } from "../model/types.js";
import { containsAddress, containsPrefix, familyOf, overlaps, parseCidr } from "../net/ip.js";
import type { Query } from "../explain/types.js";
import { HOST_PATHS, hostFile } from "../targets/host-paths.js";
import type { Artifact } from "../targets/target.js";
import { freeAddressIn, freeBlocks, freeBlocks6, fromBig6, lastUsable, representative, toBig6, usedPrefixes } from "./addresses.js";
import { labPrefix, nsName } from "./names.js";
import { farSideFrrConf } from "./frr.js";
import { egressFilter } from "./policies.js";
import { emittedEnd, standInEnd, type DaemonFiles } from "./strongswan.js";
import { connView } from "../targets/strongswan/conn.js";

export type NsRole = "fabric" | "host" | "peer" | "engine" | "lan" | "beyond" | "pod";

export interface NsPlan {
  readonly name: string;
  readonly role: NsRole;
  /** What it stands for, for people ("host vpn-front", "engine of tunnel vpn1 (dc-router-1 end)"). */
  readonly what: string;
}

/** A command: argv run in namespace `ns` (or, for `ip -n …` commands that only touch lab namespaces, in none). */
export interface Cmd {
  readonly ns?: string;
  readonly argv: readonly string[];
  readonly input?: string;
}

export interface HostPlan {
  readonly name: string;
  readonly ns: string;
  readonly node: boolean;
  readonly sysctl?: string;
  readonly script?: string;
  /** The ipip devices whose other end this host's script creates too (device → the other host's namespace). */
  readonly createsLinks: Readonly<Record<string, string>>;
  readonly firewall?: { readonly rules: string; readonly script: string; readonly rulesPath: string; readonly rules6?: { readonly rules: string; readonly path: string } };
  /** A host on the nftables backend: its `table inet sitewire` file, loaded with `nft -f` as its unit does. */
  readonly nft?: { readonly rules: string };
  /** Policy-based tunnels: this host's own charon runs them. */
  readonly charon?: CharonPlan;
  /** Units sitewire emits that the lab does not run, and why. */
  readonly notRun: readonly string[];
}

export interface CharonPlan {
  readonly ns: string;
  readonly files: DaemonFiles;
  /** [IKE SA, CHILD SA] names that must be up, in the daemon's own naming. */
  readonly sas: readonly (readonly [string, string])[];
  /** CHILD SAs to initiate by hand (trap: nothing else would start them); empty: the daemon starts them. */
  readonly initiate: readonly string[];
  readonly what: string;
}

export interface EnginePlan {
  readonly ns: string;
  readonly side: "host" | "peer";
  /** The end's IKE address, on the engine's link to the fabric. */
  readonly outside: string;
  /** The fabric's side of that link. */
  readonly fabricDevice: string;
  /** The inner device: in the host (made by the tunnel script via the ip shim) or in the peer namespace. */
  readonly inner: { readonly ns: string; readonly device: string; readonly shimmed: boolean };
  readonly charon: CharonPlan;
}

export interface TunnelPlan {
  readonly name: string;
  readonly kind: TunnelModel["kind"];
  readonly host: string;
  readonly peer: string;
  readonly hostEngine?: EnginePlan;
  readonly peerEngine: EnginePlan;
  /** The host end's [IKE SA, CHILD SA] pairs of this tunnel, and the CHILD SAs to initiate by hand. */
  readonly hostSas: readonly (readonly [string, string])[];
  readonly initiate: readonly string[];
  /** BGP runs over this tunnel (./frr.ts). */
  readonly bgp: boolean;
}

/** FRRouting in one namespace: a host's emitted frr.conf, or a far side's rendered from the model. */
export interface FrrPlan {
  readonly ns: string;
  readonly node: string;
  readonly conf: string;
  readonly origin: "emitted" | "rendered";
  /** Its BGP sessions: the neighbour, the tunnel, and whether the model has it learn something there. */
  readonly neighbors: readonly { readonly address: string; readonly tunnel: string; readonly receives: boolean }[];
}

export interface PodPlan {
  readonly ns: string;
  readonly node: string;
  readonly nodeNs: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** "payments/app=curl": the selector as explain takes it. */
  readonly selector: string;
  readonly address: string;
  /** The pod's IPv6 address (a site whose flows reach IPv6 destinations: dual-stack pods). */
  readonly address6?: string;
  readonly nodeDevice: string;
  readonly policies: readonly string[];
  readonly filter?: string;
  /** The same allowlist for IPv6 (ip6tables-restore input), for a dual-stack pod. */
  readonly filter6?: string;
}

export interface Place {
  readonly ns: string;
  /** For people: "node-lan", "pod payments/app=curl on node-lan", "tun0 of vpn-front", "onprem behind dc-router-1". */
  readonly label: string;
  /** The source address to bind (absent: the namespace's own choice, as a host's own traffic gets). */
  readonly bind?: string;
}

export interface ProbePlan {
  readonly id: number;
  /** The flow the probe measures; pod probes name the flow they go with. */
  readonly flow: string;
  readonly kind: "flow" | "pod";
  readonly from: Place;
  readonly to: { readonly address: string; readonly name: string; readonly place?: Place };
  readonly protocol: "tcp" | "udp" | "sctp";
  readonly port: number;
  /** True when the flow names no port and the lab picked one. */
  readonly defaultPort: boolean;
  /** The explain question whose path goes with this probe, and which of its paths (by `from`). */
  readonly explain: { readonly query: Query; readonly path: number | string };
}

export interface Listener {
  readonly ns: string;
  readonly address: string;
  readonly protocol: "tcp" | "udp";
  readonly port: number;
}

export interface LabPlan {
  readonly site: string;
  readonly prefix: string;
  readonly namespaces: readonly NsPlan[];
  /** Links, addresses, bridges, routes: before any artifact runs. */
  readonly wiring: readonly Cmd[];
  readonly hosts: readonly HostPlan[];
  /** Order in which the hosts' artifacts run (a link's creator first). */
  readonly hostOrder: readonly string[];
  readonly tunnels: readonly TunnelPlan[];
  /** BGP: FRRouting per host and far side with sessions, started once the tunnels are up. */
  readonly frr: readonly FrrPlan[];
  readonly pods: readonly PodPlan[];
  /** Cluster effects on each node: the ip-masq-agent chain (iptables-restore --noflush input). */
  readonly masqAgent?: string;
  /** The agent's IPv6 chain (ip6tables-restore --noflush input), when it runs with --enable-ipv6. */
  readonly masqAgent6?: string;
  readonly nodes: readonly string[];
  readonly listeners: readonly Listener[];
  readonly probes: readonly ProbePlan[];
  /** What the lab emulates or leaves out, said once at the start. */
  readonly notes: readonly string[];
}

/** The port a probe uses when the flow names none: TCP echo. */
export const DEFAULT_PROBE = { protocol: "tcp", port: 7 } as const;

/** Metric of the routes the lab adds for what the site leaves to the hosts' own routes (sitewire's win). */
export const ENVIRONMENT_METRIC = 4000;

/** What a link-local next hop of the lab's own point-to-point links looks like (checked against the site). */
const GATEWAY_CANDIDATES = ["169.254.254.1", "100.127.255.254", "198.19.255.254", "192.0.0.254"];

export class LabPlanError extends Error {
  override readonly name = "LabPlanError";
}

export function planLab(model: SiteModel, artifacts: readonly Artifact[], options: { readonly flow?: string } = {}): LabPlan {
  return new Planner(model, artifacts, options.flow).plan();
}

// ---------------------------------------------------------------------------------------------------------

interface Segment {
  readonly network: Prefix;
  readonly bridge: string;
  readonly router?: string;
}

interface LanNs {
  readonly ns: string;
  readonly host: string;
  readonly network: Prefix;
  readonly addresses: Set<string>;
}

interface BeyondNs {
  readonly ns: string;
  readonly host: string;
  readonly device: string;
  readonly network: Prefix;
  readonly addresses: Set<string>;
}

class Planner {
  private readonly prefix: string;
  private readonly namespaces: NsPlan[] = [];
  private readonly wiring: Cmd[] = [];
  private readonly notes: string[] = [];
  private readonly used: Prefix[];
  private readonly counters = new Map<string, number>();
  private readonly fabric: string;
  private readonly segments: Segment[] = [];
  private readonly hostNs = new Map<string, string>();
  private readonly peerNs = new Map<string, string>();
  private readonly lans: LanNs[] = [];
  private readonly beyonds: BeyondNs[] = [];
  private readonly fabricNat: string[] = [];
  private readonly fabricNat6: string[] = [];
  /** Networks carried on another network's bridge (a dual-stack interface's second network). */
  private readonly aliases = new Map<string, Segment>();
  /** External interfaces ("host device") wired into another host's segment instead of a beyond namespace. */
  private readonly joined = new Set<string>();
  private readonly gateway: string;
  private fabricDevices = 0;
  private fabricTable = 1000;
  private readonly hostRoutes: Cmd[] = [];

  constructor(
    private readonly model: SiteModel,
    private readonly artifacts: readonly Artifact[],
    private readonly flowName: string | undefined,
  ) {
    this.prefix = labPrefix(model.name);
    this.used = usedPrefixes(model);
    const gateway = GATEWAY_CANDIDATES.find((g) => !this.used.some((p) => containsAddress(p, g)));
    if (!gateway) throw new LabPlanError("the site uses every address the lab could take for its own links");
    this.gateway = gateway;
    this.fabric = this.ns("fabric", "f", "fabric: the networks' bridges and the underlay router");
  }

  private ns(role: NsRole, letter: string, what: string): string {
    const i = this.counters.get(letter) ?? 0;
    this.counters.set(letter, i + 1);
    const name = nsName(this.prefix, letter, i);
    this.namespaces.push({ name, role, what });
    // IPv6 addresses are usable at once: no duplicate address detection (the lab's links are its own), also
    // for the addresses the site's scripts add (the tunnel script's `ip -6 addr add`, on devices made later).
    for (const key of ["all", "default"]) this.run(name, "sysctl", "-qw", `net.ipv6.conf.${key}.accept_dad=0`);
    return name;
  }

  private run(ns: string | undefined, ...argv: string[]): void {
    this.wiring.push({ ...(ns !== undefined ? { ns } : {}), argv });
  }

  /** A veth pair between two lab namespaces, each end optionally addressed, both up. */
  private veth(a: { ns: string; dev: string; cidrs?: readonly string[]; mtu?: number }, b: { ns: string; dev: string; cidrs?: readonly string[]; master?: string }): void {
    this.run(undefined, "ip", "-n", a.ns, "link", "add", a.dev, "type", "veth", "peer", "name", b.dev, "netns", b.ns);
    for (const c of a.cidrs ?? []) this.run(a.ns, "ip", "addr", "add", c, "dev", a.dev, ...nodad(c));
    for (const c of b.cidrs ?? []) this.run(b.ns, "ip", "addr", "add", c, "dev", b.dev, ...nodad(c));
    if (b.master) this.run(b.ns, "ip", "link", "set", b.dev, "master", b.master);
    if (a.mtu) this.run(a.ns, "ip", "link", "set", a.dev, "mtu", String(a.mtu));
    this.run(a.ns, "ip", "link", "set", a.dev, "up");
    this.run(b.ns, "ip", "link", "set", b.dev, "up");
  }

  private fabricDevice(letter: string): string {
    return `${letter}${this.fabricDevices++}`;
  }

  private artifact(host: HostModel, key: keyof (typeof HOST_PATHS)["debian"]): string | undefined {
    const path = hostFile(host.name, HOST_PATHS[host.os][key] as string);
    return this.artifacts.find((a) => a.path === path)?.content;
  }

  plan(): LabPlan {
    const { model } = this;
    const flows = this.flowName === undefined ? model.flows : model.flows.filter((f) => f.name === this.flowName);
    if (this.flowName !== undefined && flows.length === 0)
      throw new LabPlanError(`site '${model.name}' has no flow '${this.flowName}'${model.flows.length > 0 ? ` (flows: ${model.flows.map((f) => f.name).join(", ")})` : " (it declares no flows)"}`);

    this.run(this.fabric, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    this.run(this.fabric, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
    for (const key of ["all", "default"]) this.run(this.fabric, "sysctl", "-qw", `net.ipv4.conf.${key}.rp_filter=0`);

    // Hosts, and a bridge for each host network.
    const nodes = this.nodes();
    for (const h of model.hosts) this.hostNs.set(h.name, this.ns("host", "h", `host ${h.name}`));
    for (const h of model.hosts) this.wireHost(h);

    // Far-side devices and tunnels.
    for (const p of model.peers) if (p.tunnels.length > 0) this.peerNs.set(p.name, this.ns("peer", "p", `far side ${p.name} (${p.platform}): router and networks`));
    for (const p of model.peers) if (this.peerNs.has(p.name)) this.wirePeer(p);
    const tunnels = model.tunnels.map((t) => this.planTunnel(t));

    // Probes (they decide which lan/beyond addresses and which pods exist), then their places.
    const pods: PodPlan[] = [];
    const probes = this.probes(flows, nodes, pods);
    for (const b of this.beyonds) this.wireBeyond(b);
    for (const l of this.lans) this.wireLan(l);
    for (const pod of pods) this.wirePod(pod);
    this.wiring.push(...this.hostRoutes);
    if (this.fabricNat.length > 0) this.wiring.push({ ns: this.fabric, argv: ["iptables-restore", "--noflush"], input: ["*nat", ...this.fabricNat, "COMMIT", ""].join("\n") });
    if (this.fabricNat6.length > 0) this.wiring.push({ ns: this.fabric, argv: ["ip6tables-restore", "--noflush"], input: ["*nat", ...this.fabricNat6, "COMMIT", ""].join("\n") });

    const hosts = model.hosts.map((h) => this.hostPlan(h, nodes.has(h.name)));
    const frr = this.frrPlans();
    const listeners = dedupeListeners(probes.flatMap((p) => (p.to.place && p.protocol !== "sctp" ? [{ ns: p.to.place.ns, address: p.to.address, protocol: p.protocol, port: p.port }] : [])));
    const masq = this.artifacts.find((a) => a.path === "cluster/review/ip-masq-agent.rules")?.content;
    const masq6 = this.artifacts.find((a) => a.path === "cluster/review/ip-masq-agent6.rules")?.content;
    const devices = [
      model.hosts.some((h) => h.vtis.some((v) => v.kind === "vti")) ? "vti" : "",
      model.hosts.some((h) => h.vtis.some((v) => v.kind === "xfrm")) ? "xfrm" : "",
      model.links.length > 0 ? "ipip" : "",
    ].filter((x) => x !== "");
    if (devices.length > 0) this.notes.push(`${devices.join(" and ")} devices are veth pairs (ip shim), on any kernel`);
    if (model.tunnels.length > 0) this.notes.push("ESP runs in userspace (strongSwan kernel-libipsec), one daemon per route-based tunnel end (libipsec ignores marks and if_ids)");
    if (this.model.hosts.some((h) => h.addresses.some((a) => a.family === 6) || h.externalInterfaces.some((e) => e.address.family === 6)) || model.tunnels.some((t) => t.inside6 || t.inside?.family === 6))
      this.notes.push("IPv6 addresses are added without duplicate address detection (nodad, accept_dad=0), so they are usable at once");
    if (frr.length > 0) this.notes.push("BGP sessions run FRRouting: each host its emitted frr.conf, each far side one rendered from the model's peer side");
    if (model.tunnels.some((t) => t.peer.platform !== "strongswan"))
      this.notes.push("far-side devices other than strongSwan are strongSwan stand-ins rendered from the model's peer end, with the routes the model gives them");
    return {
      site: model.name,
      prefix: this.prefix,
      namespaces: this.namespaces,
      wiring: this.wiring,
      hosts,
      hostOrder: this.hostOrder(hosts),
      tunnels,
      frr,
      pods,
      ...(masq !== undefined && pods.length > 0 ? { masqAgent: masq } : {}),
      ...(masq6 !== undefined && pods.some((p) => p.address6 !== undefined) ? { masqAgent6: masq6 } : {}),
      nodes: [...nodes].sort(),
      listeners,
      probes,
      notes: this.notes,
    };
  }

  /** The Kubernetes nodes: hosts that are a flow's source (as explain takes them). */
  private nodes(): Set<string> {
    if (!this.model.cluster) return new Set();
    return new Set(this.model.flows.flatMap((f) => f.sources.flatMap((s) => (s.host ? [s.host] : []))));
  }

  // ---- hosts ---------------------------------------------------------------------------------------------

  private segmentOf(network: Prefix): Segment {
    const found = this.segments.find((s) => s.network.cidr === network.cidr) ?? this.aliases.get(network.cidr);
    if (found) return found;
    const taken = new Set<string>([
      ...this.model.hosts.flatMap((h) => [...h.addresses.map((a) => a.address), ...h.externalInterfaces.map((e) => e.address.address)]),
      ...this.model.peers.map((p) => p.address),
      ...this.model.tunnels.flatMap((t) => [t.host.localAddress, t.peer.localAddress]),
      ...this.model.networks.filter((n) => n.prefix.length >= 31).map((n) => n.prefix.network),
    ]);
    const router = freeAddressIn(network, taken);
    const bridge = `br${this.segments.length}`;
    const segment: Segment = { network, bridge, ...(router ? { router } : {}) };
    this.segments.push(segment);
    this.run(this.fabric, "ip", "link", "add", bridge, "type", "bridge");
    this.run(this.fabric, "ip", "link", "set", bridge, "up");
    if (router) this.run(this.fabric, "ip", "addr", "add", `${router}/${network.length}`, "dev", bridge, ...nodad(router));
    return segment;
  }

  /**
   * One L2 segment carries several networks when one device holds addresses of several (a dual-stack
   * interface: its IPv4 and IPv6 networks): the other networks are aliases of the first one's bridge, with the
   * fabric's router address of each family on it.
   */
  private alias(segment: Segment, network: Prefix): void {
    if (network.cidr === segment.network.cidr || this.aliases.has(network.cidr) || this.segments.some((s) => s.network.cidr === network.cidr)) return;
    this.aliases.set(network.cidr, segment);
    const taken = new Set<string>(this.model.hosts.flatMap((h) => [...h.addresses.map((a) => a.address), ...h.externalInterfaces.map((e) => e.address.address)]));
    const router = freeAddressIn(network, taken);
    if (router) this.run(this.fabric, "ip", "addr", "add", `${router}/${network.length}`, "dev", segment.bridge, ...nodad(router));
  }

  /** The host whose interface (not an external one) holds an address of `network`, other than `not`. */
  private interfaceOn(network: Prefix, not: string): HostModel | undefined {
    return this.model.hosts.find((o) => o.name !== not && o.addresses.some((a) => a.network.cidr === network.cidr));
  }

  private wireHost(h: HostModel): void {
    const ns = this.hostNs.get(h.name)!;
    const segment = this.segmentOf(h.address.network);
    for (const a of h.addresses) this.alias(segment, a.network);
    this.veth({ ns, dev: h.interface, cidrs: h.addresses.map((a) => a.cidr) }, { ns: this.fabric, dev: this.fabricDevice("h"), master: segment.bridge });
    // A VPN client's tun0 and the like: the interface, and beyond it a namespace answering its network only. An
    // interface on a network another host's interface is on (a dual-stack node's IPv6 address on the gateway's
    // IPv6 LAN) joins that host's segment instead: the two meet on one L2.
    for (const e of h.externalInterfaces) {
      const other = this.interfaceOn(e.address.network, h.name);
      if (other) {
        const shared = this.segmentOf(other.address.network);
        this.alias(shared, e.address.network);
        this.veth({ ns, dev: e.device, cidrs: [e.address.cidr] }, { ns: this.fabric, dev: this.fabricDevice("h"), master: shared.bridge });
        this.joined.add(`${h.name} ${e.device}`);
        continue;
      }
      const beyond = this.ns("beyond", "b", `beyond ${e.device} of ${h.name} (${e.address.network.cidr})`);
      this.beyonds.push({ ns: beyond, host: h.name, device: e.device, network: e.address.network, addresses: new Set() });
    }
  }

  private wireBeyond(b: BeyondNs): void {
    const h = this.model.hosts.find((x) => x.name === b.host)!;
    const e = h.externalInterfaces.find((x) => x.device === b.device)!;
    const addresses = [...b.addresses].sort().map((a) => `${a}/${b.network.length}`);
    this.veth({ ns: this.hostNs.get(h.name)!, dev: e.device, cidrs: [e.address.cidr] }, { ns: b.ns, dev: "wan0", cidrs: addresses });
  }

  private hostPlan(h: HostModel, node: boolean): HostPlan {
    const ns = this.hostNs.get(h.name)!;
    const rules = this.artifact(h, "iptablesRules");
    const rules6 = this.artifact(h, "ip6tablesRules");
    const script = this.artifact(h, "firewallScript");
    const nftRules = this.artifact(h, "nftRules");
    const sysctl = this.artifact(h, "sysctl");
    const tunnelScript = this.artifact(h, "tunnelScript");
    const policy = this.model.tunnels.filter((t) => t.kind === "ipsec-policy" && t.host.node === h.name);
    const notRun: string[] = [];
    if (this.artifact(h, "failoverScript") !== undefined) notRun.push("the failover monitor (it moves cloud routes; the lab has no cloud)");
    let charon: CharonPlan | undefined;
    if (policy.length > 0) {
      const files = emittedEnd(this.artifacts, h.name, "host", policy, "host");
      if (!files) throw new LabPlanError(`${h.name} ends policy-based tunnels but sitewire emitted no strongSwan files for it`);
      charon = {
        ns,
        files,
        sas: policy.flatMap((t) => saNames(t, files.mode)),
        initiate: initiations(policy),
        what: `charon of ${h.name} (policy-based: ${policy.map((t) => t.name).join(", ")})`,
      };
    }
    return {
      name: h.name,
      ns,
      node,
      ...(sysctl !== undefined ? { sysctl } : {}),
      ...(tunnelScript !== undefined ? { script: tunnelScript } : {}),
      createsLinks: {},
      ...(rules !== undefined && script !== undefined
        ? { firewall: { rules, script, rulesPath: `/${HOST_PATHS[h.os].iptablesRules}`, ...(rules6 !== undefined ? { rules6: { rules: rules6, path: `/${HOST_PATHS[h.os].ip6tablesRules}` } } : {}) } }
        : {}),
      ...(nftRules !== undefined ? { nft: { rules: nftRules } } : {}),
      ...(charon ? { charon } : {}),
      notRun,
    };
  }

  /** Hosts in an order where each ipip link's first end creates both ends (the ip shim), the other finds its end. */
  private hostOrder(hosts: HostPlan[]): string[] {
    const done = new Set<string>();
    const order: string[] = [];
    for (const h of this.model.hosts) {
      const links: Record<string, string> = {};
      for (const d of h.ipips) if (!done.has(d.peerHost)) links[d.device] = this.hostNs.get(d.peerHost)!;
      const plan = hosts.findIndex((x) => x.name === h.name);
      hosts[plan] = { ...hosts[plan]!, createsLinks: links };
      done.add(h.name);
      order.push(h.name);
    }
    return order;
  }

  // ---- far side and tunnels -----------------------------------------------------------------------------

  private wirePeer(p: PeerModel): void {
    const ns = this.peerNs.get(p.name)!;
    // The device's own address and a probe address of every network behind it, on lo (a router's loopbacks).
    const mine = this.model.tunnels.filter((t) => t.peer.node === p.name);
    const addresses = new Set<string>([p.address, ...mine.flatMap((t) => t.toPeer.map(representative))]);
    for (const a of [...addresses].sort()) this.run(ns, "ip", "addr", "add", hostCidr(a), "dev", "lo");
    this.run(ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    this.run(ns, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
    for (const key of ["all", "default"]) this.run(ns, "sysctl", "-qw", `net.ipv4.conf.${key}.rp_filter=0`);
  }

  private planTunnel(t: TunnelModel): TunnelPlan {
    const host = this.model.hosts.find((h) => h.name === t.host.node);
    const peer = this.model.peers.find((p) => p.name === t.peer.node);
    if (!host || !peer) throw new LabPlanError(`tunnel ${t.name}: both ends must be a host and a peer of the site`);
    const hostNs = this.hostNs.get(host.name)!;
    const peerNs = this.peerNs.get(peer.name)!;
    const routeBased = t.kind === "ipsec-vti";
    const device = `Tunnel${t.number}`;

    // The far side: a strongSwan engine, wired to the peer router by `Tunnel<n>`, and to the fabric.
    const peerFiles = peer.platform === "strongswan" ? (emittedEnd(this.artifacts, peer.name, "device", [t], "peer") ?? standInEnd(t)) : standInEnd(t);
    const peerEngineNs = this.ns("engine", "e", `engine of tunnel ${t.name}, ${peer.name}'s end (charon, ${peerFiles.origin === "emitted" ? "emitted files" : "stand-in"})`);
    const peerFabric = this.fabricDevice("p");
    this.engineOutside(peerEngineNs, t.peer.localAddress, peerFabric);
    // The engine's inner link: a NOARP wire to the router (the MAC trick is done at build time, ./build.ts).
    this.run(undefined, "ip", "-n", peerNs, "link", "add", device, "type", "veth", "peer", "name", "s-end", "netns", peerEngineNs);
    if (routeBased && t.peer.insideAddress) {
      // IPv4 point-to-point (`peer`); an IPv6 inside network is connected on the device (/126, /127) as is.
      const six = t.peer.insideAddress.family === 6;
      const remote = t.peer.insidePeerAddress && !six ? ["peer", `${t.peer.insidePeerAddress}/${t.peer.insideAddress.length}`] : [];
      this.run(peerNs, "ip", "addr", "add", `${t.peer.insideAddress.address}/${t.peer.insideAddress.length}`, ...remote, "dev", device, ...(six ? ["nodad"] : []));
    }
    if (routeBased && t.peer.insideAddress6) this.run(peerNs, "ip", "-6", "addr", "add", t.peer.insideAddress6.cidr, "dev", device, "nodad");
    this.run(peerNs, "ip", "link", "set", device, "mtu", String(t.peer.mtu), "up");
    // The routes the model gives the far side: the networks behind the host, into this tunnel (static).
    const toHost = t.bgp ? [] : t.peer.remoteNetworks;
    for (const n of toHost) this.run(peerNs, "ip", "route", "add", n.cidr, "dev", device, "metric", String(t.number));
    if (!routeBased) this.selectorAddresses(peerEngineNs, t.peer.localNetworks, []);
    const peerEngine: EnginePlan = {
      ns: peerEngineNs,
      side: "peer",
      outside: t.peer.localAddress,
      fabricDevice: peerFabric,
      inner: { ns: peerNs, device, shimmed: false },
      charon: { ns: peerEngineNs, files: peerFiles, sas: saNames(t, peerFiles.mode), initiate: [], what: `charon of ${peer.name} for tunnel ${t.name}` },
    };

    let hostEngine: EnginePlan | undefined;
    const hostFabric = this.fabricDevice(routeBased ? "e" : "x");
    if (routeBased) {
      const vti = host.vtis.find((v) => v.tunnel === t.name);
      if (!vti) throw new LabPlanError(`tunnel ${t.name}: ${host.name} has no vti device for it`);
      const files = emittedEnd(this.artifacts, host.name, "host", [t], "host") ?? standInEnd(t, t.host);
      const ns = this.ns("engine", "e", `engine of tunnel ${t.name}, ${host.name}'s end (charon, ${files.origin === "emitted" ? "emitted files" : "rendered"})`);
      this.engineOutside(ns, t.host.localAddress, hostFabric);
      hostEngine = {
        ns,
        side: "host",
        outside: t.host.localAddress,
        fabricDevice: hostFabric,
        inner: { ns: hostNs, device: vti.device, shimmed: true },
        charon: { ns, files, sas: saNames(t, files.mode), initiate: initiations([t]), what: `charon of ${host.name} for tunnel ${t.name}` },
      };
      // The fabric: everything from one engine goes to the other, NATed as the ends' public addresses say.
      this.pair(hostFabric, peerFabric, t);
    } else {
      // The host's own charon talks to the far engine through the fabric's router address on the host's bridge.
      const segment = this.segmentOf(host.address.network);
      if (!segment.router) throw new LabPlanError(`tunnel ${t.name}: no free address on ${host.address.network.cidr} for the lab's router`);
      this.hostRoutes.push({ ns: hostNs, argv: ["ip", "route", "add", hostCidr(t.host.remoteAddress), "via", segment.router, "dev", host.interface] });
      this.pair(segment.bridge, peerFabric, t);
      this.selectorAddresses(hostNs, t.host.localNetworks, [host.address.address, ...host.externalInterfaces.map((e) => e.address.address)]);
    }
    const hostMode = hostEngine?.charon.files.mode ?? (emittedEnd(this.artifacts, host.name, "host", [t], "host")?.mode ?? "vici");
    return {
      name: t.name,
      kind: t.kind,
      host: host.name,
      peer: peer.name,
      ...(hostEngine ? { hostEngine } : {}),
      peerEngine,
      hostSas: saNames(t, hostMode),
      initiate: initiations([t]),
      bgp: t.bgp !== undefined,
    };
  }

  /**
   * kernel-libipsec installs a policy's route into its TUN device only from an address inside the local
   * selectors (strongSwan kernel_libipsec_ipsec.c, install_route: "error installing route with policy"), and
   * gives the CHILD SA up without it. A real kernel's XFRM policies need no such address: where `ns` has none
   * (`own`), the last usable address of each local network goes on its lo. (Decrypted traffic is routed before
   * local delivery in an engine, so the address takes nothing away from the far side's router.)
   */
  private selectorAddresses(ns: string, locals: readonly Prefix[], own: readonly string[]): void {
    for (const n of locals) {
      if (own.some((a) => containsAddress(n, a))) continue;
      const a = lastUsable(n);
      if (!this.wiring.some((c) => c.ns === ns && c.argv.join(" ") === `ip addr add ${hostCidr(a)} dev lo`)) this.run(ns, "ip", "addr", "add", hostCidr(a), "dev", "lo");
    }
  }

  /** An engine's outside link to the fabric: its IKE address, a point-to-point next hop, rp_filter off. */
  private engineOutside(ns: string, address: string, fabricDev: string): void {
    if (familyOf(address) === 6) {
      // IPv6 outer addresses: the fabric's side is a link-local next hop of the lab's own (fe80::1 on each link).
      this.veth({ ns, dev: "eth0", cidrs: [`${address}/128`] }, { ns: this.fabric, dev: fabricDev, cidrs: [GATEWAY6] });
      this.run(ns, "ip", "-6", "route", "add", "default", "via", GATEWAY6.split("/")[0]!, "dev", "eth0");
      this.run(ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
      this.run(ns, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
      for (const key of ["all", "default", "eth0"]) this.run(ns, "sysctl", "-qw", `net.ipv4.conf.${key}.rp_filter=0`);
      return;
    }
    this.veth({ ns, dev: "eth0", cidrs: [`${address}/32`] }, { ns: this.fabric, dev: fabricDev, cidrs: [`${this.gateway}/32`] });
    this.run(ns, "ip", "route", "add", `${this.gateway}/32`, "dev", "eth0");
    this.run(ns, "ip", "route", "add", "default", "via", this.gateway, "dev", "eth0");
    this.run(ns, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
    this.run(this.fabric, "sysctl", "-qw", `net.ipv4.conf.${fabricDev}.rp_filter=0`);
    this.run(ns, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    for (const key of ["all", "default", "eth0"]) this.run(ns, "sysctl", "-qw", `net.ipv4.conf.${key}.rp_filter=0`);
  }

  /**
   * Route the tunnel's outer packets through the fabric: what arrives from the host side (an engine's link, or
   * the host's bridge) goes to the far engine and back, with 1:1 NAT for an end whose reachable address differs
   * from its own (DNAT in, SNAT out, per interface: the NAT of an elastic IP or a NAT gateway).
   */
  private pair(hostSide: string, peerDev: string, t: TunnelModel): void {
    const { host: h, peer: p } = t;
    const six = familyOf(h.localAddress) === 6;
    // The outer family's own rule and route lists (`ip -6 rule`, `ip -6 route`), and its NAT table.
    const ip = six ? ["ip", "-6"] : ["ip"];
    const bits = six ? 128 : 32;
    const nat = six ? this.fabricNat6 : this.fabricNat;
    const toPeer = this.fabricTable++;
    const toHost = this.fabricTable++;
    const fromHost = hostSide.startsWith("br") ? ["iif", hostSide, "from", h.localAddress] : ["iif", hostSide];
    this.run(this.fabric, ...ip, "rule", "add", "priority", String(toPeer), ...fromHost, "lookup", String(toPeer));
    this.run(this.fabric, ...ip, "route", "add", `${p.localAddress}/${bits}`, "dev", peerDev, "table", String(toPeer));
    this.run(this.fabric, ...ip, "rule", "add", "priority", String(toHost), "iif", peerDev, "lookup", String(toHost));
    this.run(this.fabric, ...ip, "route", "add", `${h.localAddress}/${bits}`, "dev", hostSide, "table", String(toHost));
    const source = hostSide.startsWith("br") ? ` -s ${h.localAddress}/${bits}` : "";
    if (p.reachableAddress !== p.localAddress) {
      nat.push(`-A PREROUTING -i ${hostSide}${source} -d ${p.reachableAddress}/${bits} -j DNAT --to-destination ${six ? `[${p.localAddress}]` : p.localAddress}`);
      nat.push(`-A POSTROUTING -o ${hostSide} -s ${p.localAddress}/${bits} -j SNAT --to-source ${six ? `[${p.reachableAddress}]` : p.reachableAddress}`);
    }
    if (h.reachableAddress !== h.localAddress) {
      nat.push(`-A PREROUTING -i ${peerDev} -d ${h.reachableAddress}/${bits} -j DNAT --to-destination ${six ? `[${h.localAddress}]` : h.localAddress}`);
      nat.push(`-A POSTROUTING -o ${peerDev} -s ${h.localAddress}/${bits} -j SNAT --to-source ${six ? `[${h.reachableAddress}]` : h.reachableAddress}`);
    }
  }

  /** FRRouting for every host and far side that has BGP sessions over tunnels. */
  private frrPlans(): FrrPlan[] {
    const out: FrrPlan[] = [];
    // overlaps() never matches across families: each session learns only what its own family carries.
    const learns = (own: BgpSide, other: BgpSide, family: 4 | 6) => other.announce.some((a) => a.family === family && own.accept.some((x) => overlaps(a, x)));
    for (const h of this.model.hosts) {
      const tunnels = this.model.tunnels.filter((t) => t.host.node === h.name && t.bgp);
      if (tunnels.length === 0) continue;
      const conf = this.artifact(h, "frrConf");
      if (conf === undefined) throw new LabPlanError(`${h.name} has BGP sessions but sitewire emitted no frr.conf for it`);
      out.push({ ns: this.hostNs.get(h.name)!, node: h.name, conf, origin: "emitted", neighbors: tunnels.flatMap((t) => sessionsOf(t, t.bgp!.host, t.bgp!.peer, learns)) });
    }
    for (const p of this.model.peers) {
      const tunnels = this.model.tunnels.filter((t) => t.peer.node === p.name && t.bgp);
      if (tunnels.length === 0) continue;
      out.push({
        ns: this.peerNs.get(p.name)!,
        node: p.name,
        conf: farSideFrrConf(p.name, tunnels),
        origin: "rendered",
        neighbors: tunnels.flatMap((t) => sessionsOf(t, t.bgp!.peer, t.bgp!.host, learns)),
      });
    }
    return out;
  }

  // ---- probes and where their ends are -----------------------------------------------------------------

  private probes(flows: readonly FlowModel[], nodes: ReadonlySet<string>, pods: PodPlan[]): ProbePlan[] {
    const out: ProbePlan[] = [];
    for (const f of flows) {
      const port = f.ports[0];
      const protocol = port?.protocol ?? DEFAULT_PROBE.protocol;
      const number = port?.from ?? DEFAULT_PROBE.port;
      let path = 0;
      for (const s of f.sources) {
        // Each source to each destination of its own family, as explain --flow walks them (same order, so
        // `path` is the index of explain's path for this probe).
        for (const to of f.to) {
          if (to.family !== s.prefix.family) continue;
          const address = representative(to);
          const from = s.host ? this.hostPlace(s.host) : this.sourcePlace(s.prefix);
          const place = this.destinationPlace(address, to);
          out.push({
            id: out.length + 1,
            flow: f.name,
            kind: "flow",
            from: from ?? { ns: "", label: s.prefix.name ?? s.prefix.cidr },
            to: { address, name: to.name ?? to.cidr, ...(place ? { place } : {}) },
            protocol,
            port: number,
            defaultPort: port === undefined,
            explain: { query: { flow: f.name }, path: path++ },
          });
        }
      }
      // Pods on the flow's nodes that the egress allowlist lets reach (part of) the flow's destinations.
      const flowNodes = f.sources.flatMap((s) => (s.host && nodes.has(s.host) ? [s.host] : []));
      for (const e of this.model.cluster?.egress ?? []) {
        for (const allow of e.allow) {
          const target = f.to.map((to) => (containsPrefix(to, allow.to) ? allow.to : containsPrefix(allow.to, to) ? to : undefined)).find((x) => x !== undefined);
          if (!target) continue;
          const ap = allow.ports[0];
          const protocol = port?.protocol ?? ap?.protocol ?? DEFAULT_PROBE.protocol;
          const number = port?.from ?? ap?.from ?? DEFAULT_PROBE.port;
          const address = representative(target);
          const labels = e.pods ?? {};
          const selector = `${e.namespace}/${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",")}`;
          // explain takes pods as NAMESPACE/KEY=VALUE: an allowlist for every pod of a namespace is probed from none.
          if (Object.keys(labels).length === 0) continue;
          for (const node of flowNodes) {
            const pod = this.pod(pods, node, e.namespace, labels, selector);
            const place = this.destinationPlace(address, target);
            if (out.some((p) => p.kind === "pod" && p.from.ns === pod.ns && p.to.address === address && p.port === number && p.protocol === protocol)) continue;
            out.push({
              id: out.length + 1,
              flow: f.name,
              kind: "pod",
              from: { ns: pod.ns, label: `pod ${selector} on ${node}` },
              to: { address, name: target.name ?? target.cidr, ...(place ? { place } : {}) },
              protocol,
              port: number,
              defaultPort: port === undefined && ap === undefined,
              explain: { query: { from: selector, to: `${address}:${protocol}/${number}` }, path: `pod ${selector} on ${node}` },
            });
          }
        }
      }
    }
    return out;
  }

  /** Every address of a host, both families: its interface's, its other interfaces', its tunnel devices'. */
  private ownAddresses(h: HostModel): string[] {
    return [
      ...h.addresses.map((a) => a.address),
      ...h.externalInterfaces.map((e) => e.address.address),
      ...h.ipips.map((d) => d.address.address),
      ...h.vtis.flatMap((d) => [d.address.address, ...(d.address6 ? [d.address6.address] : [])]),
    ];
  }

  private hostPlace(host: string): Place {
    return { ns: this.hostNs.get(host)!, label: host };
  }

  /** Where traffic from network `n` starts (as explain decides it: a host, behind a host, behind a peer). */
  private sourcePlace(n: Prefix): Place | undefined {
    const address = representative(n);
    const label = n.name ?? n.cidr;
    const owner = this.model.hosts.find((h) => this.ownAddresses(h).includes(address));
    if (owner) return this.hostPlace(owner.name);
    for (const h of this.model.hosts) {
      const behind = h.addresses.some((a) => containsAddress(a.network, address)) || this.model.tunnels.some((t) => t.host.node === h.name && t.toHost.some((p) => containsAddress(p, address)));
      if (behind) return { ns: this.lan(h.name, n, address).ns, label: `${label} behind ${h.name}`, bind: address };
    }
    for (const t of this.model.tunnels) {
      if (t.toPeer.some((p) => containsAddress(p, address)) && this.peerNs.has(t.peer.node)) return { ns: this.peerPlace(t.peer.node, address), label: `${label} behind ${t.peer.node}`, bind: address };
    }
    const flow = this.model.flows.find((f) => f.sources.some((s) => !s.host && containsAddress(s.prefix, address)));
    if (flow) return { ns: this.lan(flow.via, n, address).ns, label: `${label} behind ${flow.via}`, bind: address };
    return undefined;
  }

  /** Where `address` (of destination network `to`) lives in the lab; undefined: nowhere (the probe cannot be answered). */
  private destinationPlace(address: string, to: Prefix): Place | undefined {
    for (const h of this.model.hosts) {
      if (this.ownAddresses(h).includes(address)) return this.hostPlace(h.name);
    }
    for (const b of this.beyonds) {
      if (containsAddress(b.network, address)) {
        b.addresses.add(address);
        return { ns: b.ns, label: `beyond ${b.device} of ${b.host}` };
      }
    }
    for (const t of this.model.tunnels) {
      if ((t.toPeer.some((p) => containsAddress(p, address)) || t.peer.localAddress === address) && this.peerNs.has(t.peer.node))
        return { ns: this.peerPlace(t.peer.node, address), label: `behind ${t.peer.node}` };
    }
    for (const t of this.model.tunnels) {
      const n = t.toHost.find((p) => containsAddress(p, address));
      if (n) return { ns: this.lan(t.host.node, n, address).ns, label: `${n.name ?? n.cidr} behind ${t.host.node}` };
    }
    for (const h of this.model.hosts) {
      const on = h.addresses.find((a) => containsAddress(a.network, address));
      if (on) return { ns: this.lan(h.name, on.network, address).ns, label: `${to.name ?? to.cidr} on ${h.name}'s network` };
    }
    const flow = this.model.flows.find((f) => f.sources.some((s) => !s.host && containsAddress(s.prefix, address)));
    if (flow) {
      const n = flow.sources.find((s) => !s.host && containsAddress(s.prefix, address))!.prefix;
      return { ns: this.lan(flow.via, n, address).ns, label: `${n.name ?? n.cidr} behind ${flow.via}` };
    }
    return undefined;
  }

  /** The peer router's namespace, with `address` on its lo. */
  private peerPlace(peer: string, address: string): string {
    const ns = this.peerNs.get(peer)!;
    const known = this.wiring.some((c) => c.ns === ns && c.argv.join(" ") === `ip addr add ${hostCidr(address)} dev lo`);
    if (!known) this.run(ns, "ip", "addr", "add", hostCidr(address), "dev", "lo");
    return ns;
  }

  /** The machine for network `n` behind (or on the LAN of) `host`, holding `address`. */
  private lan(host: string, n: Prefix, address: string): LanNs {
    let lan = this.lans.find((l) => l.host === host && l.network.cidr === n.cidr);
    if (!lan) {
      lan = { ns: this.ns("lan", "l", `${n.name ?? n.cidr} (${n.cidr}) behind ${host}`), host, network: n, addresses: new Set() };
      this.lans.push(lan);
    }
    lan.addresses.add(address);
    return lan;
  }

  private wireLan(l: LanNs): void {
    const h = this.model.hosts.find((x) => x.name === l.host)!;
    // The host's address of the network's family that the machine uses as its gateway: one on a network holding
    // this one (on the LAN), else the host's interface address of that family; and the device it is on.
    const family = l.network.family;
    const candidates = [
      ...h.addresses.map((a) => ({ address: a, device: h.interface, segment: this.segmentOf(h.address.network) })),
      ...h.externalInterfaces.filter((e) => this.joined.has(`${h.name} ${e.device}`)).map((e) => ({ address: e.address, device: e.device, segment: this.segmentOf(e.address.network) })),
    ].filter((c) => c.address.family === family);
    const gw = candidates.find((c) => containsPrefix(c.address.network, l.network)) ?? candidates[0];
    if (!gw) throw new LabPlanError(`${l.network.cidr} lies behind ${h.name}, which has no IPv${family} address on its interface to be its gateway`);
    const onLan = containsPrefix(gw.address.network, l.network);
    const cidrs = [...l.addresses].sort().map((a) => (onLan ? `${a}/${gw.address.length}` : hostCidr(a)));
    this.veth({ ns: l.ns, dev: "eth0", cidrs }, { ns: this.fabric, dev: this.fabricDevice("l"), master: gw.segment.bridge });
    const ip = family === 6 ? ["ip", "-6"] : ["ip"];
    if (!onLan) this.run(l.ns, ...ip, "route", "add", hostCidr(gw.address.address), "dev", "eth0");
    this.run(l.ns, ...ip, "route", "add", "default", "via", gw.address.address, "dev", "eth0");
    // The host reaches a network behind it by its own routes (sitewire does not manage them): stand in for those.
    if (!onLan) this.hostRoutes.push({ ns: this.hostNs.get(h.name)!, argv: [...ip, "route", "add", l.network.cidr, "dev", gw.device, "metric", String(ENVIRONMENT_METRIC)] });
  }

  // ---- pods ---------------------------------------------------------------------------------------------

  private podNetworks: Prefix[] | undefined;
  private podNetworks6: Prefix[] | undefined;

  private pod(pods: PodPlan[], node: string, namespace: string, labels: Readonly<Record<string, string>>, selector: string): PodPlan {
    const found = pods.find((p) => p.node === node && p.selector === selector);
    if (found) return found;
    const nodeNames = [...this.nodes()].sort();
    if (nodeNames.length > 250) throw new LabPlanError("more than 250 Kubernetes nodes: too many for one lab");
    // Pod networks (one /24 per node, from Kubernetes' usual 10.244.0.0/16) may lie inside the ranges the
    // cluster keeps unmasqueraded (its own range), never over anything else the site names.
    const clusterOwn = this.model.cluster?.masquerade?.nonMasqueradeCIDRs;
    const own = Array.isArray(clusterOwn) ? clusterOwn.map((p) => p.cidr) : [];
    this.podNetworks ??= freeBlocks(
      24,
      nodeNames.length,
      this.used.filter((p) => !own.includes(p.cidr)),
      ["10.244.0.0/16"],
    );
    const net = this.podNetworks[nodeNames.indexOf(node)]!;
    const onNode = pods.filter((p) => p.node === node).length;
    const base = net.network.split(".").map(Number);
    const address = `${base[0]}.${base[1]}.${base[2]}.${onNode + 2}`;
    // Dual-stack pods where a flow reaches IPv6 destinations: a /64 per node, inside the cluster's own IPv6
    // range when nonMasqueradeCIDRs lists one (as the IPv4 /24 lies in its own range), else in a ULA of the lab's.
    const wants6 = this.model.flows.some((f) => f.to.some((t) => t.family === 6));
    let address6: string | undefined;
    if (wants6) {
      const own6 = Array.isArray(clusterOwn) ? clusterOwn.find((p) => p.family === 6) : undefined;
      const within = own6 ?? parseCidr(POD_ULA).prefix;
      this.podNetworks6 ??= freeBlocks6(Math.max(64, within.length), nodeNames.length, this.used.filter((p) => p.cidr !== within.cidr && !own.includes(p.cidr)), within);
      const net6 = this.podNetworks6[nodeNames.indexOf(node)]!;
      address6 = podAddress6(net6, onNode + 2);
    }
    const ns = this.ns("pod", "c", `pod ${selector} on ${node}`);
    const nodeDevice = `pod${onNode}`;
    const chain = `SWLAB-EGRESS-${onNode}`;
    const filter = egressFilter(this.artifacts, namespace, labels, nodeDevice, chain);
    const filter6 = address6 !== undefined ? egressFilter(this.artifacts, namespace, labels, nodeDevice, chain, 6) : undefined;
    const pod: PodPlan = {
      ns,
      node,
      nodeNs: this.hostNs.get(node)!,
      namespace,
      labels,
      selector,
      address,
      ...(address6 !== undefined ? { address6 } : {}),
      nodeDevice,
      policies: filter.policies,
      ...(filter.rules !== undefined ? { filter: filter.rules } : {}),
      ...(filter6?.rules !== undefined ? { filter6: filter6.rules } : {}),
    };
    pods.push(pod);
    return pod;
  }

  private wirePod(pod: PodPlan): void {
    const gateway = pod.address.replace(/\.\d+$/, ".1");
    // The CNI's part: a veth into the node, the pod's default route via the node, forwarding on the node.
    this.run(undefined, "ip", "-n", pod.ns, "link", "add", "eth0", "type", "veth", "peer", "name", pod.nodeDevice, "netns", pod.nodeNs);
    this.run(pod.ns, "ip", "addr", "add", `${pod.address}/32`, "dev", "eth0");
    this.run(pod.ns, "ip", "link", "set", "eth0", "up");
    this.run(pod.ns, "ip", "route", "add", `${gateway}/32`, "dev", "eth0");
    this.run(pod.ns, "ip", "route", "add", "default", "via", gateway, "dev", "eth0");
    this.run(pod.nodeNs, "ip", "addr", "add", `${gateway}/32`, "dev", pod.nodeDevice);
    this.run(pod.nodeNs, "ip", "link", "set", pod.nodeDevice, "up");
    this.run(pod.nodeNs, "ip", "route", "add", `${pod.address}/32`, "dev", pod.nodeDevice);
    this.run(pod.nodeNs, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    if (pod.address6 !== undefined) {
      // The pod's IPv6 side, the same way: its address, a default route via the node's address on the veth.
      const gateway6 = podAddress6(parseCidr(`${pod.address6}/64`).prefix, 1);
      this.run(pod.ns, "ip", "-6", "addr", "add", `${pod.address6}/128`, "dev", "eth0", "nodad");
      this.run(pod.ns, "ip", "-6", "route", "add", `${gateway6}/128`, "dev", "eth0");
      this.run(pod.ns, "ip", "-6", "route", "add", "default", "via", gateway6, "dev", "eth0");
      this.run(pod.nodeNs, "ip", "-6", "addr", "add", `${gateway6}/128`, "dev", pod.nodeDevice, "nodad");
      this.run(pod.nodeNs, "ip", "-6", "route", "add", `${pod.address6}/128`, "dev", pod.nodeDevice);
      this.run(pod.nodeNs, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
    }
  }
}

/** A tunnel's BGP sessions from one side: the IPv4 one, and the IPv6 one over the IPv6 inside addresses. */
function sessionsOf(t: TunnelModel, own: BgpSide, other: BgpSide, learns: (own: BgpSide, other: BgpSide, family: 4 | 6) => boolean): FrrPlan["neighbors"][number][] {
  return [
    { address: own.neighbor, tunnel: t.name, receives: learns(own, other, familyOf(own.neighbor)) },
    ...(own.neighbor6 ? [{ address: own.neighbor6, tunnel: t.name, receives: learns(own, other, 6) }] : []),
  ];
}

/** `nodad` for an IPv6 address or CIDR (usable at once), nothing for IPv4. */
function nodad(cidr: string): string[] {
  return cidr.includes(":") ? ["nodad"] : [];
}

/** An address as a host route: /32 or /128. */
function hostCidr(address: string): string {
  return `${address}/${familyOf(address) === 6 ? 128 : 32}`;
}

/** The fabric's IPv6 next hop on every engine link with IPv6 outer addresses (link-local: each link its own). */
const GATEWAY6 = "fe80::1/64";

/** Where dual-stack pods get IPv6 addresses when the cluster names no IPv6 range of its own (a ULA, RFC 4193). */
const POD_ULA = "fd00:10:244::/48";

/** Address number `n` of an IPv6 network (n small: the node's gateway is 1, pods from 2). */
function podAddress6(net: Prefix, n: number): string {
  return fromBig6(toBig6(net.network) + BigInt(n));
}

function dedupeListeners(ls: readonly Listener[]): Listener[] {
  const seen = new Map<string, Listener>();
  for (const l of ls) seen.set(`${l.ns} ${l.address} ${l.protocol} ${l.port}`, l);
  return [...seen.values()].sort((a, b) => (a.ns + a.address + a.port < b.ns + b.address + b.port ? -1 : 1));
}

/** [IKE SA, CHILD SA] names a daemon negotiates for `t` (vici: the IKE SA is the connection, named after the tunnel). */
function saNames(t: TunnelModel, mode: DaemonFiles["mode"]): [string, string][] {
  return connView(t, t.host).children.map((c) => [mode === "vici" ? t.name : c.name, c.name]);
}

/** CHILD SAs the lab starts by hand: those of tunnels whose daemon does not start them itself (trap, none). */
function initiations(tunnels: readonly TunnelModel[]): string[] {
  return tunnels.filter((t) => t.startAction !== "start").flatMap((t) => connView(t, t.host).children.map((c) => c.name));
}
