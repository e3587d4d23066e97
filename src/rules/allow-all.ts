import type { ClusterIntent } from "../intent/schema.js";
import type { Labels, PortRange, Prefix } from "../model/types.js";
import { formatPort } from "../model/values.js";
import { defineRule } from "./rule.js";
import { alignResolved, refPaths } from "./support/intent-paths.js";

/**
 * A policy's widest scope is never silent: an ipBlock of 0.0.0.0/0 in namespace isolation or an egress
 * allowlist admits every IPv4 address (::/0: every IPv6 address); an egress allowlist without pod labels applies
 * to every pod of its
 * namespace; a Cilium egress gateway with an empty nodeSelector lets Cilium pick any node as the gateway
 * (an empty label selector matches everything: kubernetes.io/docs/concepts/overview/working-with-objects/labels,
 * "An empty label selector … selects every object in the collection"). Each is a warning that names the
 * widened scope, an error under --strict, unless the intent states why with `allowAll: "<reason>"` on the
 * object whose scope it is; the reason is then shown in the plan.
 * Each family has its own "every address": 0.0.0.0/0 and ::/0 (a /0 of either family), named in the message.
 */
export const allowAll = defineRule({
  code: "SW142",
  name: "allow-all",
  description:
    "Namespace isolation or an egress allowlist admitting 0.0.0.0/0 or ::/0, an egress allowlist for every pod of its namespace, and a Cilium egress gateway on every node are warnings (errors under --strict) unless marked deliberate with allowAll: <reason>.",
  severity: "warning",
  messages: {
    ingressFromAll: "namespace isolation of {{namespaces}} admits ingress from {{prefix}}: every {{family}} address",
    egressToAll: "egress of {{who}} allows {{prefix}}{{except}} {{ports}}: every {{family}} address{{but}}",
    everyPod: "egress allowlist of {{namespace}} applies to every pod of the namespace (no pod labels)",
    everyNode: "cilium egress gateway '{{name}}' has an empty nodeSelector: every node may be chosen as the gateway",
  },
  check({ intent, model }, report) {
    const cluster = model.cluster;
    const c: ClusterIntent | undefined = intent.cluster;
    if (!cluster || !c) return;
    const hint = (where: string) => `narrow it, or state why it is deliberate: allowAll: "<reason>" on ${where}`;

    if (cluster.isolation && c.isolation && cluster.isolation.allowAll === undefined) {
      for (const { prefix, path } of refPaths(c.isolation.allowFrom, cluster.isolation.allowFrom, ["cluster", "isolation", "allowFrom"]))
        if (prefix.length === 0) report("ingressFromAll", path, { namespaces: cluster.isolation.namespaces.join(", "), prefix: shown(prefix), family: `IPv${prefix.family}` }, { hint: hint("the isolation section") });
    }

    cluster.egress.forEach((e, i) => {
      const entry = c.egress?.[i];
      if (!entry || entry.namespace !== e.namespace) return;
      const base = ["cluster", "egress", i] as const;
      if (isEmpty(e.pods) && e.allowAll === undefined) report("everyPod", [...base, entry.pods ? "pods" : "namespace"], { namespace: e.namespace }, { hint: hint("the egress entry") });
      const who = `${e.namespace} (${isEmpty(e.pods) ? "all pods" : labels(e.pods)})`;
      for (const { item: a, index } of alignResolved(entry.allow.map((x) => x.to), e.allow, (x) => x.to)) {
        if (a.to.length !== 0 || a.allowAll !== undefined) continue;
        const except = a.except.length > 0 ? ` except ${a.except.map(shown).join(", ")}` : "";
        report(
          "egressToAll",
          [...base, "allow", index, "to"],
          { who, prefix: shown(a.to), family: `IPv${a.to.family}`, except, ports: ports(a.ports), but: a.except.length > 0 ? " but the exceptions" : "" },
          { hint: hint("this allow entry") },
        );
      }
    });

    cluster.ciliumEgressGateways.forEach((g, i) => {
      if (isEmpty(g.nodeSelector) && g.allowAll === undefined)
        report("everyNode", ["cluster", "cilium", "egressGateways", i, "nodeSelector"], { name: g.name }, { hint: hint("the gateway") });
    });
  },
});

function isEmpty(l: Labels | undefined): boolean {
  return l === undefined || Object.keys(l).length === 0;
}

function labels(l: Labels | undefined): string {
  return Object.entries(l ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(",");
}

function shown(p: Prefix): string {
  return p.name !== undefined ? `${p.name} (${p.cidr})` : p.cidr;
}

function ports(list: readonly PortRange[]): string {
  return list.length > 0 ? list.map(formatPort).join(" ") : "on all ports";
}
