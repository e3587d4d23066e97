import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { clusterTarget } from "./index.js";
import { siteWithCluster } from "../../../test/helpers/cluster-site.js";

const FULL = `
description: "prod # eu: yes"
masquerade: { nonMasqueradeCIDRs: [10.0.0.0/8] }
isolation: { namespaces: [payments], allowFrom: [10.24.0.0/22] }
egress: [{ namespace: payments, allow: [{ to: 172.16.0.138, ports: [tcp/8080] }] }]
mesh: { osmEdge: { egress: [{ name: httpbin-80, namespace: curl, serviceAccounts: [curl], hosts: [httpbin.org], ports: [http/80] }] } }
cilium: { egressGateways: [{ name: via-front, to: [172.16.0.0/24], nodeSelector: { role: gw }, interface: tun0 }] }
`;

describe("cluster target", () => {
  const artifacts = clusterTarget.emit(siteWithCluster(FULL));

  it("emits one manifest per object, the kustomization and the review preview, with their kinds", () => {
    expect(artifacts.map((a) => [a.path, a.kind])).toEqual(
      expect.arrayContaining([
        ["cluster/kube-system/configmap-ip-masq-agent.yaml", "k8s-manifest"],
        ["cluster/payments/networkpolicy-sitewire-namespace-isolation.yaml", "k8s-manifest"],
        ["cluster/curl/egress-httpbin-80.yaml", "k8s-manifest"],
        ["cluster/ciliumegressgatewaypolicy-via-front.yaml", "k8s-manifest"],
        ["cluster/kustomization.yaml", "kustomization"],
        ["cluster/review/ip-masq-agent.rules", "iptables-preview"],
      ]),
    );
    expect(artifacts.filter((a) => a.kind === "k8s-manifest")).toHaveLength(1 + 1 + 4 + 1 + 1);
    for (const a of artifacts) expect(a.mode).toBe(0o644);
  });

  it("lists the manifests, sorted, and not the preview, in the kustomization", () => {
    const k = parse(artifacts.find((a) => a.kind === "kustomization")!.content) as { resources: string[] };
    const manifests = artifacts.filter((a) => a.kind === "k8s-manifest").map((a) => a.path.slice("cluster/".length));
    expect(k.resources).toEqual([...manifests].sort());
  });

  it("keeps free text in comments: the description cannot add a key", () => {
    const configMap = artifacts.find((a) => a.path.endsWith("configmap-ip-masq-agent.yaml"))!;
    expect(configMap.content).toContain("# Cluster: prod # eu: yes\n");
    expect(Object.keys(parse(configMap.content) as object)).toEqual(["apiVersion", "kind", "metadata", "data"]);
  });

  it("is deterministic", () => {
    expect(clusterTarget.emit(siteWithCluster(FULL))).toEqual(artifacts);
  });

  it("emits nothing for a site without a cluster part, and no preview without masquerade", () => {
    expect(clusterTarget.emit({ ...siteWithCluster(FULL), cluster: undefined })).toEqual([]);
    const noMasq = clusterTarget.emit(siteWithCluster("isolation: { namespaces: [a] }"));
    expect(noMasq.map((a) => a.path)).toEqual(["cluster/a/networkpolicy-sitewire-namespace-isolation.yaml", "cluster/kustomization.yaml"]);
  });
});
