import { describe, expect, it } from "vitest";
import { osmEgressPolicies } from "./osm-egress.js";
import { siteWithCluster } from "../../../test/helpers/cluster-site.js";

const egress = (entries: string, networks = "") =>
  osmEgressPolicies("s", siteWithCluster(`mesh:\n  osmEdge:\n    egress:\n${entries.replace(/^/gm, "      ")}`, networks).cluster);

describe("osm-edge Egress", () => {
  it("reproduces seed 003's httpbin-80 policy field for field", () => {
    const [m] = egress("- { name: httpbin-80, namespace: curl, serviceAccounts: [curl], hosts: [httpbin.org], ports: [http/80] }");
    const { labels: _labels, ...metadata } = m!.object.metadata;
    // The seed's `kubectl apply` document, minus nothing: sitewire only adds labels.
    expect({ ...m!.object, metadata }).toEqual({
      kind: "Egress",
      apiVersion: "policy.openservicemesh.io/v1alpha1",
      metadata: { name: "httpbin-80", namespace: "curl" },
      spec: { sources: [{ kind: "ServiceAccount", name: "curl", namespace: "curl" }], hosts: ["httpbin.org"], ports: [{ number: 80, protocol: "http" }] },
    });
  });

  it("lists one source per ServiceAccount, in the policy's namespace, and ipAddresses as CIDRs", () => {
    const [m] = egress("- { name: db, namespace: billing, serviceAccounts: [ledger, reports], ipAddresses: [onprem, 192.0.2.7], ports: [tcp/5432, tcp-server-first/3306] }", "onprem: 10.10.0.0/16");
    expect(m!.object.spec).toEqual({
      sources: [
        { kind: "ServiceAccount", name: "ledger", namespace: "billing" },
        { kind: "ServiceAccount", name: "reports", namespace: "billing" },
      ],
      ipAddresses: ["10.10.0.0/16", "192.0.2.7/32"],
      ports: [
        { number: 5432, protocol: "tcp" },
        { number: 3306, protocol: "tcp-server-first" },
      ],
    });
  });

  it("emits nothing when the mesh is not switched on", () => {
    expect(osmEgressPolicies("s", siteWithCluster("isolation: { namespaces: [a] }").cluster)).toEqual([]);
  });
});
