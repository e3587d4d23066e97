/**
 * NetworkPolicies (seed 002): namespace isolation and egress allowlists. `policyTypes` is always explicit
 * (omitted, it means Ingress plus Egress only when egress rules exist: a trap in review). Policies are
 * additive, so each object has one job and the set is read as a union:
 *
 * - isolation, per namespace: ingress only from the namespace's own pods, plus `allowFrom` address blocks;
 * - per namespace with an allowlist: default-deny egress for every pod, DNS to the cluster DNS pods, egress
 *   to the namespace's own pods (the allowlist governs what leaves the namespace; traffic between its pods
 *   is governed by ingress), and the allowlist itself (ipBlock with except, ports with endPort) for the
 *   selected pods.
 *
 * Sources: kubernetes.io/docs/concepts/services-networking/network-policies (policyTypes, ipBlock, endPort,
 * default deny), the `kubernetes.io/metadata.name` namespace label (Kubernetes ≥ 1.21).
 *
 * IPv6: an ipBlock's `cidr` is a CIDR of either family (OpenAPI io.k8s.api.networking.v1.IPBlock: "IPBlock
 * describes a particular CIDR (Ex. "192.168.1.0/24","2001:db8::/64")"; except: "Except values will be rejected
 * if they are outside the cidr range"), and ValidateIPBlock (pkg/apis/networking/validation/validation.go)
 * requires every `except` entry to be a strict subset of that block's `cidr`, never true across families. So each block is one family, and the `except` entries
 * each block carries are only those inside it (ipBlocks below); a dual-stack destination list is one ipBlock
 * per CIDR. Default-deny and the DNS allowance select pods, not addresses, and hold for both families.
 */
import type { ClusterModel, PortRange, Prefix } from "../../model/types.js";
import { containsPrefix } from "../../net/ip.js";
import { formatPort } from "../../model/values.js";
import { describePrefix, formatLabels, labelSelector, NAMESPACE_NAME_LABEL, objectMeta, type Manifest } from "./k8s.js";

const API = "networking.k8s.io/v1";
export const POLICY_NAMES = {
  isolation: "sitewire-namespace-isolation",
  denyEgress: "sitewire-default-deny-egress",
  dns: "sitewire-allow-dns-egress",
  sameNamespace: "sitewire-allow-namespace-egress",
  allowlist: "sitewire-egress-allowlist",
} as const;

type Isolation = NonNullable<ClusterModel["isolation"]>;
type EgressEntry = ClusterModel["egress"][number];

export function networkPolicies(site: string, cluster: ClusterModel): Manifest[] {
  const isolated = cluster.isolation ? [...cluster.isolation.namespaces].sort().map((ns) => isolationPolicy(site, ns, cluster.isolation!)) : [];
  return [...isolated, ...egressPolicies(site, cluster)];
}

function policy(site: string, name: string, namespace: string, spec: Record<string, unknown>, comment: string[]): Manifest {
  return { object: { apiVersion: API, kind: "NetworkPolicy", metadata: objectMeta(site, name, namespace), spec }, comment };
}

function isolationPolicy(site: string, namespace: string, iso: Isolation): Manifest {
  const ingress = [
    { from: [{ podSelector: {} }] },
    ...(iso.allowFrom.length > 0 ? [{ from: ipBlocks(iso.allowFrom, []) }] : []),
  ];
  return policy(site, POLICY_NAMES.isolation, namespace, { podSelector: {}, policyTypes: ["Ingress"], ingress }, [
    `Namespace isolation for ${namespace}: its pods accept connections only from pods of the same namespace`,
    ...(iso.allowFrom.length > 0
      ? ["and from these addresses (NodePort / LoadBalancer traffic):", ...iso.allowFrom.map((p) => `  ${describePrefix(p)}`)]
      : ["(no outside addresses are admitted: services exposed by NodePort or LoadBalancer are unreachable)."]),
    ...trafficPolicyNote(iso.externalTrafficPolicy),
  ]);
}

/** Seed 002's trade-off, stated where the reviewer reads the allowlist. */
function trafficPolicyNote(policy: Isolation["externalTrafficPolicy"]): string[] {
  const cluster = [
    "externalTrafficPolicy: Cluster - a node without a local pod forwards the connection and SNATs it, so the pod",
    "sees the node (or its overlay tunnel) address, not the client: the node/overlay addresses must be listed,",
    "and a client allowlist cannot be enforced here (any client can come in through a listed node).",
  ];
  const local = [
    "externalTrafficPolicy: Local - the client address is kept, so listing client CIDRs is enough and is enforced;",
    "but only nodes running a pod of the service answer (connections to other nodes' NodePort are dropped).",
  ];
  if (policy === "Cluster") return cluster;
  if (policy === "Local") return local;
  return ["Exposed services decide which source address the pods see:", ...cluster, ...local];
}

/** One allowlist per namespace (rule SW103), so the policy names below are unique in their namespace. */
function egressPolicies(site: string, cluster: ClusterModel): Manifest[] {
  return cluster.egress.flatMap((entry) => {
    const ns = entry.namespace;
    return [
      policy(site, POLICY_NAMES.denyEgress, ns, { podSelector: {}, policyTypes: ["Egress"] }, [
        `Default-deny egress for every pod of ${ns}: connections leave the pods only where`,
        `the sitewire-allow-* and ${POLICY_NAMES.allowlist} policies allow them.`,
      ]),
      dnsPolicy(site, ns, cluster.dns),
      policy(site, POLICY_NAMES.sameNamespace, ns, { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ podSelector: {} }] }] }, [
        `Pods of ${ns} may connect to each other (the allowlist restricts what leaves the namespace).`,
      ]),
      allowlistPolicy(site, entry),
    ];
  });
}

function dnsPolicy(site: string, namespace: string, dns: ClusterModel["dns"]): Manifest {
  const to = [{ namespaceSelector: labelSelector({ [NAMESPACE_NAME_LABEL]: dns.namespace }), podSelector: labelSelector(dns.pods) }];
  const ports = [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ];
  const selector = formatLabels(dns.pods);
  return policy(site, POLICY_NAMES.dns, namespace, { podSelector: {}, policyTypes: ["Egress"], egress: [{ to, ports }] }, [
    `Pods of ${namespace} may resolve names: UDP and TCP 53 to pods ${selector || "(any)"} in namespace ${dns.namespace}.`,
  ]);
}

function allowlistPolicy(site: string, e: EgressEntry): Manifest {
  const egress = e.allow.map((a) => ({
    to: ipBlocks([a.to], a.except),
    ...(a.ports.length > 0 ? { ports: a.ports.map(networkPolicyPort) } : {}),
  }));
  const who = formatLabels(e.pods);
  return policy(site, POLICY_NAMES.allowlist, e.namespace, { podSelector: labelSelector(e.pods), policyTypes: ["Egress"], egress }, [
    `Egress allowlist for ${who ? `pods ${who}` : "every pod"} of ${e.namespace}:`,
    ...e.allow.map((a) => {
      const ports = a.ports.length > 0 ? a.ports.map(formatPort).join(" ") : "all ports";
      const except = a.except.length > 0 ? ` except ${a.except.map(describePrefix).join(", ")}` : "";
      return `  ${describePrefix(a.to)}${except}: ${ports}`;
    }),
  ]);
}

/**
 * One `{ ipBlock }` peer per CIDR, in the given order, each with the `except` entries that lie strictly inside
 * it (so never one of the other family). Rule SW124 guarantees every `except` is inside its destination; an
 * entry inside no block here is a bug upstream, not something to drop silently.
 */
export function ipBlocks(cidrs: readonly Prefix[], except: readonly Prefix[]): { ipBlock: { cidr: string; except?: string[] } }[] {
  const inside = (block: Prefix, x: Prefix) => x.family === block.family && containsPrefix(block, x) && x.length > block.length;
  const lost = except.find((x) => !cidrs.some((b) => inside(b, x)));
  if (lost) throw new Error(`internal: except ${lost.cidr} lies inside none of ${cidrs.map((b) => b.cidr).join(", ")} (rule SW124 should have stopped it)`);
  return cidrs.map((block) => {
    const own = except.filter((x) => inside(block, x)).map((x) => x.cidr);
    return { ipBlock: { cidr: block.cidr, ...(own.length > 0 ? { except: own } : {}) } };
  });
}

/** `{protocol, port[, endPort]}`; endPort only for a real range (Kubernetes ≥ 1.25 honours it). */
export function networkPolicyPort(p: PortRange): { protocol: string; port: number; endPort?: number } {
  return { protocol: p.protocol.toUpperCase(), port: p.from, ...(p.to > p.from ? { endPort: p.to } : {}) };
}
