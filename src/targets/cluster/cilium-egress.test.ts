import { describe, expect, it } from "vitest";
import { ciliumEgressPolicies } from "./cilium-egress.js";
import { siteWithCluster } from "../../../test/helpers/cluster-site.js";

const NETWORKS = "partner-vpn: 172.16.0.0/24\npartner-mgmt: 172.16.0.0/28";
const gateway = (entry: string) =>
  ciliumEgressPolicies("s", siteWithCluster(`cilium:\n  egressGateways:\n${entry.replace(/^/gm, "    ")}`, NETWORKS).cluster)[0]!.object;

describe("CiliumEgressGatewayPolicy", () => {
  it("is cluster-scoped and selects the pods of each namespace with Cilium's namespace label", () => {
    const o = gateway("- { name: via-front, namespaces: [curl, jobs], pods: { app: curl }, to: [partner-vpn], except: [partner-mgmt], nodeSelector: { egress-gateway: 'true' }, egressIP: 10.24.0.20 }");
    expect(o.metadata).not.toHaveProperty("namespace");
    expect(o).toMatchObject({ apiVersion: "cilium.io/v2", kind: "CiliumEgressGatewayPolicy" });
    expect(o.spec).toEqual({
      selectors: [
        { podSelector: { matchLabels: { app: "curl", "io.kubernetes.pod.namespace": "curl" } } },
        { podSelector: { matchLabels: { app: "curl", "io.kubernetes.pod.namespace": "jobs" } } },
      ],
      destinationCIDRs: ["172.16.0.0/24"],
      excludedCIDRs: ["172.16.0.0/28"],
      egressGateway: { nodeSelector: { matchLabels: { "egress-gateway": "true" } }, egressIP: "10.24.0.20" },
    });
  });

  it("selects every pod of every namespace when neither is given, and uses the interface when that is the choice", () => {
    const o = gateway("- { name: all, to: [0.0.0.0/0], nodeSelector: { kubernetes.io/hostname: gw-1 }, interface: tun0 }");
    expect(o.spec).toEqual({
      selectors: [{ podSelector: {} }],
      destinationCIDRs: ["0.0.0.0/0"],
      egressGateway: { nodeSelector: { matchLabels: { "kubernetes.io/hostname": "gw-1" } }, interface: "tun0" },
    });
  });
});

describe("IPv6 and the IPv4-only CRDs", () => {
  it("refuses an IPv6 destination loudly instead of writing an object the API server rejects", () => {
    expect(() => gateway("- { name: v6, to: [2001:db8::/32], nodeSelector: { a: b }, egressIP: 10.24.0.20 }")).toThrow(/internal: IPv6 2001:db8::\/32 reached Cilium egress gateway 'v6'/);
  });
});
