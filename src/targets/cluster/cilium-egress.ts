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
 */
import type { ClusterModel } from "../../model/types.js";
import { describePrefix, formatLabels, labelSelector, objectMeta, type Manifest } from "./k8s.js";

type Gateway = ClusterModel["ciliumEgressGateways"][number];

export const CILIUM_NAMESPACE_LABEL = "io.kubernetes.pod.namespace";

export function ciliumEgressPolicies(site: string, cluster: ClusterModel): Manifest[] {
  return cluster.ciliumEgressGateways.map((g) => ciliumEgress(site, g));
}

function ciliumEgress(site: string, g: Gateway): Manifest {
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
