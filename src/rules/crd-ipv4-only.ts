import type { Prefix } from "../model/types.js";
import { defineRule } from "./rule.js";
import { refPaths } from "./support/intent-paths.js";

/**
 * Two custom resources sitewire writes accept IPv4 CIDRs only, so an IPv6 network there would be refused by the
 * API server (or never match):
 * - osm-edge `Egress.spec.ipAddresses`: the CRD validates each item against an IPv4 CIDR pattern
 *   (openservicemesh/osm cmd/osm-bootstrap/crds/policy_egress.yaml, `pattern` of ipAddresses items).
 * - Cilium `CiliumEgressGatewayPolicy` destinationCIDRs / excludedCIDRs: the egress gateway is IPv4-only in the
 *   Cilium releases sitewire targets (cilium/cilium#24244; Cilium docs "Egress Gateway": limitations).
 * Checked here so the user gets a positioned error instead of an internal one from the cluster target.
 */
export const crdIpv4Only = defineRule({
  code: "SW152",
  name: "crd-ipv4-only",
  description: "osm-edge Egress ipAddresses and Cilium egress gateway to/except are IPv4 networks: both custom resources accept IPv4 CIDRs only.",
  severity: "error",
  messages: {
    osm: "osm-edge Egress '{{name}}' lists {{prefix}}: its ipAddresses accept IPv4 CIDRs only",
    cilium: "Cilium egress gateway '{{name}}' lists {{prefix}} in {{key}}: the egress gateway handles IPv4 only",
  },
  check({ intent, model }, report) {
    const cluster = model.cluster;
    if (!cluster) return;
    const v6 = (refs: readonly string[] | undefined, prefixes: readonly Prefix[], base: (string | number)[]) =>
      refPaths(refs, prefixes, base).filter((r) => r.prefix.family === 6);
    const hint = "list IPv4 networks here; IPv6 destinations need a NetworkPolicy allowlist (cluster.egress) instead";
    cluster.osmEdge.forEach((e, i) => {
      const base = ["cluster", "mesh", "osmEdge", "egress", i, "ipAddresses"];
      const refs = intent.cluster?.mesh?.osmEdge?.egress?.[i]?.ipAddresses;
      for (const r of v6(refs, e.ipAddresses, base)) report("osm", r.path, { name: e.name, prefix: r.prefix.cidr }, { hint });
    });
    cluster.ciliumEgressGateways.forEach((g, i) => {
      const gateway = intent.cluster?.cilium?.egressGateways?.[i];
      for (const key of ["to", "except"] as const)
        for (const r of v6(gateway?.[key], g[key], ["cluster", "cilium", "egressGateways", i, key]))
          report("cilium", r.path, { name: g.name, prefix: r.prefix.cidr, key }, { hint });
    });
  },
});
