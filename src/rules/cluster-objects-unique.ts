import { defineRule } from "./rule.js";
import { lineOf, repeats } from "./support/file-order.js";

/**
 * Each entry of these cluster lists becomes one named Kubernetes object; two entries with the same identity
 * would overwrite each other in the kustomize output, or (egress) silently combine into a policy nobody wrote.
 */
export const clusterObjectsUnique = defineRule({
  code: "SW103",
  name: "cluster-objects-unique",
  description:
    "One egress allowlist per namespace, one osm-edge Egress per namespace and name, one CiliumEgressGatewayPolicy per name (it is cluster-scoped).",
  severity: "error",
  messages: {
    egressNamespace: "namespace '{{namespace}}' already has an egress allowlist (line {{line}})",
    osmEgress: "osm-edge Egress '{{name}}' in namespace '{{namespace}}' is already defined (line {{line}})",
    ciliumPolicy: "CiliumEgressGatewayPolicy '{{name}}' is already defined (line {{line}})",
  },
  check({ source, model }, report) {
    // List entries are in file order already.
    const cluster = model.cluster;
    if (!cluster) return;

    const egress = cluster.egress.map((e, i) => ({ key: e.namespace, path: ["cluster", "egress", i, "namespace"] }));
    for (const { first, again } of repeats(egress, (e) => e.key))
      report("egressNamespace", again.path, { namespace: again.key, line: lineOf(source, first.path) }, { hint: "merge them into one entry with several allow items" });

    const osm = cluster.osmEdge.map((e, i) => ({ e, path: ["cluster", "mesh", "osmEdge", "egress", i, "name"] }));
    for (const { first, again } of repeats(osm, (o) => `${o.e.namespace}/${o.e.name}`))
      report("osmEgress", again.path, { name: again.e.name, namespace: again.e.namespace, line: lineOf(source, first.path) }, { hint: "give each policy its own name" });

    const cilium = cluster.ciliumEgressGateways.map((g, i) => ({ name: g.name, path: ["cluster", "cilium", "egressGateways", i, "name"] }));
    for (const { first, again } of repeats(cilium, (c) => c.name))
      report("ciliumPolicy", again.path, { name: again.name, line: lineOf(source, first.path) }, { hint: "give each policy its own name" });
  },
});
