/**
 * The egress allowlist of a pod as a packet filter: the NetworkPolicy manifests sitewire emitted
 * (cluster/<namespace>/networkpolicy-*.yaml), read back and turned into an iptables chain on the pod's node,
 * the way a CNI enforces them (Kubernetes docs, "Network Policies": a pod is isolated for egress once any
 * policy with policyTypes Egress selects it; then only what the union of those policies' egress rules allows
 * leaves it; replies of allowed connections are always allowed).
 *
 * Peers by podSelector/namespaceSelector name pods: the lab's destinations are outside the cluster, so such
 * peers match none of them and add no rule (the DNS allowance to kube-dns is one). An ipBlock's `except`
 * becomes RETURNs before the ACCEPT. Ports: protocol (TCP default), port (numbers only; a named port matches
 * nothing outside the cluster) and endPort.
 *
 * The chain hooks mangle PREROUTING for the pod's interface (filtering in mangle is allowed, and it keeps the
 * pod's filter ahead of whatever the node's own filter table holds, sitewire's chains included).
 */
import { parse as parseYaml } from "yaml";
import { familyOf, isIpv4, isIpv6, parseCidr } from "../net/ip.js";
import type { Artifact } from "../targets/target.js";

export interface EgressFilter {
  /** The policies that select the pod (names), sorted; empty: the pod is not isolated for egress. */
  readonly policies: readonly string[];
  /** iptables-restore text (mangle, --noflush) creating `chain` and the jump for `device`; absent when not isolated. */
  readonly rules?: string;
}

interface Peer {
  readonly cidr?: string;
  readonly except: readonly string[];
}

interface Port {
  readonly protocol: "tcp" | "udp" | "sctp";
  readonly from?: number;
  readonly to?: number;
}

interface EgressRule {
  /** Absent: every destination. */
  readonly to?: readonly Peer[];
  /** Absent or empty: every port. */
  readonly ports: readonly Port[];
}

type Obj = Record<string, unknown>;

/** Does a label selector (matchLabels, matchExpressions) select `labels`? An empty selector selects every pod. */
export function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (selector === null || selector === undefined) return true;
  if (typeof selector !== "object") return false;
  const s = selector as Obj;
  const match = (s.matchLabels ?? {}) as Obj;
  for (const [k, v] of Object.entries(match)) if (labels[k] !== String(v)) return false;
  for (const e of (s.matchExpressions ?? []) as Obj[]) {
    const key = String(e.key);
    const values = ((e.values ?? []) as unknown[]).map(String);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case "In":
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key]!)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function readPolicies(artifacts: readonly Artifact[], namespace: string): { name: string; spec: Obj }[] {
  const out: { name: string; spec: Obj }[] = [];
  for (const a of artifacts) {
    if (!a.path.startsWith("cluster/") || !a.path.endsWith(".yaml")) continue;
    let doc: unknown;
    try {
      doc = parseYaml(a.content);
    } catch {
      continue;
    }
    const d = doc as Obj | null;
    if (!d || d.kind !== "NetworkPolicy") continue;
    const meta = (d.metadata ?? {}) as Obj;
    if (meta.namespace !== namespace) continue;
    out.push({ name: String(meta.name), spec: (d.spec ?? {}) as Obj });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function egressRules(spec: Obj): EgressRule[] {
  return ((spec.egress ?? []) as Obj[]).map((r) => {
    const ports: Port[] = ((r.ports ?? []) as Obj[]).map((p) => {
      const protocol = String(p.protocol ?? "TCP").toLowerCase() as Port["protocol"];
      if (p.port === undefined) return { protocol };
      // A named port matches no address outside the cluster: an impossible range.
      if (typeof p.port !== "number") return { protocol, from: 0, to: -1 };
      return { protocol, from: p.port, to: typeof p.endPort === "number" ? p.endPort : p.port };
    });
    if (r.to === undefined) return { ports };
    const to: Peer[] = ((r.to ?? []) as Obj[]).flatMap((peer) => {
      const block = peer.ipBlock as Obj | undefined;
      if (!block) return [];
      return [{ cidr: String(block.cidr), except: ((block.except ?? []) as unknown[]).map(String) }];
    });
    return { to, ports };
  });
}

/** An address or CIDR fit for an iptables or ip6tables argument (the manifests come from the model, but check anyway). */
function cidrArg(text: string): string {
  const [a, len] = text.split("/");
  const v4 = !!a && isIpv4(a) && (len === undefined || /^\d{1,2}$/.test(len));
  const v6 = !!a && isIpv6(a) && (len === undefined || /^\d{1,3}$/.test(len));
  if (!v4 && !v6) throw new Error(`NetworkPolicy ipBlock '${text}' is not an IPv4 or IPv6 CIDR`);
  return parseCidr(text.includes("/") ? text : `${text}/${v6 ? 128 : 32}`).prefix.cidr;
}

/**
 * The egress filter of a pod with `labels` in `namespace`, on interface `device` of its node, as chain
 * `chain` (mangle table), for one family: IPv4 (iptables-restore input) or IPv6 (ip6tables-restore input; the
 * same rules, with the ipBlocks of IPv6 CIDRs: a block of the other family matches none of this family's packets).
 */
export function egressFilter(artifacts: readonly Artifact[], namespace: string, labels: Readonly<Record<string, string>>, device: string, chain: string, family: 4 | 6 = 4): EgressFilter {
  const selecting = readPolicies(artifacts, namespace).filter((p) => {
    const types = ((p.spec.policyTypes ?? (p.spec.egress ? ["Ingress", "Egress"] : ["Ingress"])) as unknown[]).map(String);
    return types.includes("Egress") && selects(p.spec.podSelector ?? {}, labels);
  });
  if (selecting.length === 0) return { policies: [] };
  const lines: string[] = ["*mangle", `:${chain} - [0:0]`];
  let sub = 0;
  const add = (rule: string) => lines.push(`-A ${chain} ${rule}`);
  add("-m conntrack --ctstate RELATED,ESTABLISHED -j RETURN");
  // IPv6 neighbour discovery is ICMPv6, not a separate protocol as ARP is for IPv4: without it the pod cannot
  // reach its gateway at all (CNIs let it through; NetworkPolicy governs connections, not link-local resolution).
  if (family === 6) for (const type of ["neighbour-solicitation", "neighbour-advertisement"]) add(`-p ipv6-icmp -m icmp6 --icmpv6-type ${type} -j RETURN`);
  const portArgs = (ports: readonly Port[]): string[] =>
    ports.length === 0
      ? [""]
      : ports.flatMap((p) => {
          if (p.from === undefined) return [` -p ${p.protocol}`];
          if (p.to! < p.from) return [];
          return [` -p ${p.protocol} -m ${p.protocol} --dport ${p.from === p.to ? p.from : `${p.from}:${p.to}`}`];
        });
  for (const p of selecting) {
    for (const r of egressRules(p.spec)) {
      const comment = ` -m comment --comment "${p.name.replace(/[^A-Za-z0-9_.-]/g, "_")}"`;
      const peers: readonly (Peer | undefined)[] = r.to === undefined ? [undefined] : r.to.filter((peer) => familyOf(peer.cidr!) === family);
      for (const peer of peers) {
        for (const ports of portArgs(r.ports)) {
          if (!peer) {
            add(`${ports.trim()}${comment} -j ACCEPT`.trim());
            continue;
          }
          const dst = cidrArg(peer.cidr!);
          if (peer.except.length === 0) {
            add(`-d ${dst}${ports}${comment} -j ACCEPT`);
            continue;
          }
          const excepted = `${chain}-X${sub++}`.slice(0, 28);
          lines.splice(2, 0, `:${excepted} - [0:0]`);
          add(`-d ${dst}${ports}${comment} -j ${excepted}`);
          for (const e of peer.except) lines.push(`-A ${excepted} -d ${cidrArg(e)} -j RETURN`);
          lines.push(`-A ${excepted} -j ACCEPT`);
        }
      }
    }
  }
  add(`-m comment --comment "not allowed by the egress NetworkPolicies" -j DROP`);
  lines.push(`-A PREROUTING -i ${device} -j ${chain}`, "COMMIT", "");
  return { policies: selecting.map((p) => p.name), rules: lines.join("\n") };
}
