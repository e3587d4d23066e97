import { describe, expect, it } from "vitest";
import { networkPolicies, networkPolicyPort } from "./network-policies.js";
import { siteWithCluster } from "../../../test/helpers/cluster-site.js";

const NETWORKS = "partner-api: 172.16.0.138/32\nonprem: 10.10.0.0/16\nonprem-mgmt: 10.10.255.0/24\nnodes: 10.24.0.0/22";
const policies = (cluster: string) => networkPolicies("s", siteWithCluster(cluster, NETWORKS).cluster);
const named = (cluster: string, namespace: string, name: string) => {
  const found = policies(cluster).find((m) => m.object.metadata.namespace === namespace && m.object.metadata.name === name);
  if (!found) throw new Error(`no ${namespace}/${name}`);
  return found;
};
const spec = (cluster: string, namespace: string, name: string) => named(cluster, namespace, name).object.spec as Record<string, unknown>;

const ALLOWLIST = `
egress:
  - namespace: payments
    pods: { app: curl }
    allow:
      - to: partner-api
        ports: [tcp/8080]
      - to: onprem
        except: [onprem-mgmt]
        ports: [tcp/30000-32767, udp/53]
      - to: 192.0.2.0/24
`;

describe("NetworkPolicies", () => {
  it("always states policyTypes explicitly", () => {
    const all = policies(`isolation: { namespaces: [a, b], allowFrom: [nodes] }\n${ALLOWLIST}`);
    expect(all).toHaveLength(2 + 4);
    for (const m of all) expect((m.object.spec as { policyTypes?: string[] }).policyTypes?.length).toBe(1);
  });

  describe("namespace isolation (seed 002)", () => {
    it("admits the namespace's own pods and the allowFrom blocks, nothing else", () => {
      expect(spec("isolation: { namespaces: [payments], allowFrom: [nodes, 192.168.100.0/24] }", "payments", "sitewire-namespace-isolation")).toEqual({
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ podSelector: {} }] }, { from: [{ ipBlock: { cidr: "10.24.0.0/22" } }, { ipBlock: { cidr: "192.168.100.0/24" } }] }],
      });
    });
    it("without allowFrom admits only the namespace and warns that exposed services are unreachable", () => {
      const m = named("isolation: { namespaces: [payments] }", "payments", "sitewire-namespace-isolation");
      expect((m.object.spec as { ingress: unknown[] }).ingress).toEqual([{ from: [{ podSelector: {} }] }]);
      expect(m.comment.join("\n")).toContain("unreachable");
    });
    it.each([
      ["Cluster", /SNATs it.*node \(or its overlay tunnel\) address/s, /Local -/],
      ["Local", /client address is kept/, /Cluster -/],
    ])("explains the externalTrafficPolicy %s trade-off, and only that one", (policy, says, not) => {
      const comment = named(`isolation: { namespaces: [p], allowFrom: [nodes], externalTrafficPolicy: ${policy} }`, "p", "sitewire-namespace-isolation").comment.join("\n");
      expect(comment).toMatch(says);
      expect(comment).not.toMatch(not);
    });
    it("explains both when the intent does not say which policy services use", () => {
      const comment = named("isolation: { namespaces: [p], allowFrom: [nodes] }", "p", "sitewire-namespace-isolation").comment.join("\n");
      expect(comment).toMatch(/Cluster -/);
      expect(comment).toMatch(/Local -/);
    });
  });

  describe("egress allowlist (seed 002)", () => {
    it("denies all egress of every pod of the namespace by default", () => {
      expect(spec(ALLOWLIST, "payments", "sitewire-default-deny-egress")).toEqual({ podSelector: {}, policyTypes: ["Egress"] });
    });
    it("allows DNS to kube-dns in kube-system by default, on UDP and TCP 53", () => {
      expect(spec(ALLOWLIST, "payments", "sitewire-allow-dns-egress")).toEqual({
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
        ],
      });
    });
    it("takes the DNS namespace and pod labels from the intent", () => {
      const dns = spec(`dns: { namespace: dns, pods: { app.kubernetes.io/name: coredns } }\n${ALLOWLIST}`, "payments", "sitewire-allow-dns-egress");
      expect((dns.egress as { to: unknown }[])[0]!.to).toEqual([
        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "dns" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "coredns" } } },
      ]);
    });
    it("lets the namespace's pods reach each other", () => {
      expect(spec(ALLOWLIST, "payments", "sitewire-allow-namespace-egress")).toEqual({ podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ podSelector: {} }] }] });
    });
    it("opens each allowed destination for the selected pods: ipBlock with except, ports with endPort, or all ports", () => {
      expect(spec(ALLOWLIST, "payments", "sitewire-egress-allowlist")).toEqual({
        podSelector: { matchLabels: { app: "curl" } },
        policyTypes: ["Egress"],
        egress: [
          { to: [{ ipBlock: { cidr: "172.16.0.138/32" } }], ports: [{ protocol: "TCP", port: 8080 }] },
          {
            to: [{ ipBlock: { cidr: "10.10.0.0/16", except: ["10.10.255.0/24"] } }],
            ports: [
              { protocol: "TCP", port: 30000, endPort: 32767 },
              { protocol: "UDP", port: 53 },
            ],
          },
          { to: [{ ipBlock: { cidr: "192.0.2.0/24" } }] },
        ],
      });
    });
    it("applies the allowlist to every pod when no pod labels are given", () => {
      expect(spec("egress: [{ namespace: jobs, allow: [{ to: onprem }] }]", "jobs", "sitewire-egress-allowlist").podSelector).toEqual({});
    });
    it("summarises the allowlist for the reviewer", () => {
      expect(named(ALLOWLIST, "payments", "sitewire-egress-allowlist").comment).toEqual([
        "Egress allowlist for pods app=curl of payments:",
        "  172.16.0.138/32 (partner-api): tcp/8080",
        "  10.10.0.0/16 (onprem) except 10.10.255.0/24 (onprem-mgmt): tcp/30000-32767 udp/53",
        "  192.0.2.0/24: all ports",
      ]);
    });
  });

  it("writes a single port without endPort and upper-cases the protocol", () => {
    expect(networkPolicyPort({ protocol: "sctp", from: 3868, to: 3868 })).toEqual({ protocol: "SCTP", port: 3868 });
    expect(networkPolicyPort({ protocol: "tcp", from: 1, to: 65535 })).toEqual({ protocol: "TCP", port: 1, endPort: 65535 });
  });
});
