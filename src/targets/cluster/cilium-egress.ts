/**
 * Cilium `CiliumEgressGatewayPolicy` (cilium.io/v2, cluster-scoped), optional: pins selected pods' traffic to
 * the given destinations to a gateway node, SNATed to egressIP or to the first IPv4 address of `interface`
 * (exactly one is set: rules SW120 and SW121; Cilium would ignore a policy with both, and without either it
 * would pick the default-route interface, rarely the tunnel).
 *
 * Shape from cilium/cilium pkg/k8s/apis/cilium.io/client/crds/v2/ciliumegressgatewaypolicies.yaml; semantics
 * from docs.cilium.io network/egress-gateway: namespaces are selected with the `io.kubernetes.pod.namespace`
 * pod label (works on every Cilium version with the feature; namespaceSelector is newer), excludedCIDRs
 * only act inside destinationCIDRs, and a policy with both egressIP and interface is ignored.
 *
 * IPv4 only: the CRD sitewire targets (cilium.io/v2 CiliumEgressGatewayPolicy, ciliumegressgatewaypolicies.yaml)
 * validates destinationCIDRs and excludedCIDRs with an IPv4-only pattern (`^(?:(?:25[0-5]|…)\.){3}…\/([0-9]|
 * [1-2][0-9]|3[0-2])$`), and Cilium's egress gateway documentation of those releases states the feature is for
 * IPv4 traffic (cilium/cilium#24244, "docs: Update egress gateway limitations": IPv6 isn't supported). An IPv6
 * destination must be refused before it gets here; `assertIpv4` makes a miss loud instead of an object the API
 * server rejects.
 */
import type { ClusterModel, Prefix } from "../../model/types.js";
import { describePrefix, formatLabels, labelSelector, objectMeta, type Manifest } from "./k8s.js";

type Gateway = ClusterModel["ciliumEgressGateways"][number];

export const CILIUM_NAMESPACE_LABEL = "io.kubernetes.pod.namespace";

export function ciliumEgressPolicies(site: string, cluster: ClusterModel): Manifest[] {
  return cluster.ciliumEgressGateways.map((g) => ciliumEgress(site, g));
}

function ciliumEgress(site: string, g: Gateway): Manifest {
  assertIpv4(`Cilium egress gateway '${g.name}'`, [...g.to, ...g.except]);
  const selectors =
    g.namespaces.length > 0
      ? g.namespaces.map((ns) => ({ podSelector: labelSelector({ ...g.pods, [CILIUM_NAMESPACE_LABEL]: ns }) }))
      : [{ podSelector: labelSelector(g.pods) }];
  const spec = {
    selectors,
    destinationCIDRs: g.to.map((p) => p.cidr),
    ...(g.except.length > 0 ? { excludedCIDRs: g.except.map((p) => p.cidr) } : {}),
    egressGateway: {
      nodeSelector: labelSelector(g.nodeSelector),
      ...(g.egressIP !== undefined ? { egressIP: g.egressIP } : {}),
      ...(g.interface !== undefined ? { interface: g.interface } : {}),
    },
  };
  const pods = formatLabels(g.pods);
  const source = g.interface !== undefined ? `the first IPv4 address of ${g.interface}` : g.egressIP;
  return {
    object: { apiVersion: "cilium.io/v2", kind: "CiliumEgressGatewayPolicy", metadata: objectMeta(site, g.name), spec },
    comment: [
      `Cilium egress gateway: ${pods ? `pods ${pods}` : "all pods"} of ${g.namespaces.length > 0 ? g.namespaces.join(", ") : "every namespace"}`,
      `  reaching ${g.to.map(describePrefix).join(", ")}${g.except.length > 0 ? `, except ${g.except.map(describePrefix).join(", ")},` : ""}`,
      `  leave through the node matching ${formatLabels(g.nodeSelector)}, SNATed to ${source}.`,
    ],
  };
}

/** The CRDs that accept IPv4 CIDRs only (Cilium egress gateway, osm-edge Egress): an IPv6 one is a bug upstream. */
export function assertIpv4(what: string, prefixes: readonly Prefix[]): void {
  const v6 = prefixes.find((p) => p.family === 6);
  if (v6) throw new Error(`internal: IPv6 ${v6.cidr} reached ${what}, whose CRD accepts IPv4 CIDRs only`);
}
