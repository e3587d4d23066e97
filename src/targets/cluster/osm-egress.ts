/**
 * osm-edge `Egress` policies (seed 003), optional: emitted only when the intent lists them. They take effect
 * once egress permissive mode is off (`meshconfig osm-mesh-config` spec.traffic.enableEgress: false); then
 * the sidecar forwards only what some Egress policy allows and answers 403 to the rest.
 *
 * Shape from flomesh-io/osm-edge cmd/osm-bootstrap/crds/policy_egress.yaml (policy.openservicemesh.io/v1alpha1):
 * required `sources` (kind ServiceAccount, name, namespace) and `ports` (number, protocol); optional
 * `hosts` (HTTP Host / TLS SNI, for http and https ports) and `ipAddresses` (IPv4 CIDRs, what tcp ports match).
 *
 * IPv4 only: that CRD validates each `ipAddresses` item with `((?:\d{1,3}\.){3}\d{1,3})\/(\d{1,2})$`, so an IPv6
 * CIDR is rejected by the API server; an IPv6 address must be refused before it gets here (assertIpv4).
 */
import type { ClusterModel } from "../../model/types.js";
import { assertIpv4 } from "./cilium-egress.js";
import { objectMeta, type Manifest } from "./k8s.js";

type OsmEgress = ClusterModel["osmEdge"][number];

export function osmEgressPolicies(site: string, cluster: ClusterModel): Manifest[] {
  return cluster.osmEdge.map((e) => osmEgress(site, e));
}

function osmEgress(site: string, e: OsmEgress): Manifest {
  assertIpv4(`osm-edge Egress '${e.name}'`, e.ipAddresses);
  const spec = {
    sources: e.serviceAccounts.map((name) => ({ kind: "ServiceAccount", name, namespace: e.namespace })),
    ...(e.hosts.length > 0 ? { hosts: [...e.hosts] } : {}),
    ...(e.ipAddresses.length > 0 ? { ipAddresses: e.ipAddresses.map((p) => p.cidr) } : {}),
    ports: e.ports.map((p) => ({ number: p.number, protocol: p.protocol })),
  };
  const to = [...e.hosts, ...e.ipAddresses.map((p) => p.cidr)];
  return {
    object: { apiVersion: "policy.openservicemesh.io/v1alpha1", kind: "Egress", metadata: objectMeta(site, e.name, e.namespace), spec },
    comment: [
      `osm-edge egress policy: ServiceAccount ${e.serviceAccounts.join(", ")} in ${e.namespace} may reach`,
      `  ${to.length > 0 ? to.join(", ") : "any destination"} on ${e.ports.map((p) => `${p.protocol}/${p.number}`).join(", ")}.`,
      "Effective when egress permissive mode is off (osm-mesh-config spec.traffic.enableEgress: false).",
    ],
  };
}
