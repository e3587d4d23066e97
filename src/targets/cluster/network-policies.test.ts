import { describe, expect, it } from "vitest";
import { ipBlocks, networkPolicies, networkPolicyPort } from "./network-policies.js";
import { parseCidr } from "../../net/ip.js";
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

describe("NetworkPolicies with IPv6 (dual stack)", () => {
  const NETS6 = `${NETWORKS}\napi6: 2001:db8:71:5::443/128\ndc6: 2001:db8:71::/48\ndc6-mgmt: 2001:db8:71:ff::/64\nnodes6: 2001:db8:70::/64`;
  const policies6 = (cluster: string) => networkPolicies("s", siteWithCluster(cluster, NETS6).cluster);
  const find = (cluster: string, name: string) => policies6(cluster).find((m) => m.object.metadata.name === name)!.object.spec as Record<string, unknown>;

  it("admits allowFrom blocks of both families, one ipBlock each, in intent order", () => {
    expect(find("isolation: { namespaces: [payments], allowFrom: [nodes, nodes6, fd00:1::/64] }", "sitewire-namespace-isolation").ingress).toEqual([
      { from: [{ podSelector: {} }] },
      { from: [{ ipBlock: { cidr: "10.24.0.0/22" } }, { ipBlock: { cidr: "2001:db8:70::/64" } }, { ipBlock: { cidr: "fd00:1::/64" } }] },
    ]);
  });

  it("puts an IPv6 destination and its IPv6 except in one block, beside IPv4 blocks with their own except", () => {
    const cluster = `egress:\n  - namespace: payments\n    pods: { app: billing }\n    allow:\n      - { to: onprem, except: [onprem-mgmt], ports: [tcp/443] }\n      - { to: dc6, except: [dc6-mgmt], ports: [tcp/443] }\n      - { to: api6, ports: [tcp/8443] }`;
    expect(find(cluster, "sitewire-egress-allowlist").egress).toEqual([
      { to: [{ ipBlock: { cidr: "10.10.0.0/16", except: ["10.10.255.0/24"] } }], ports: [{ protocol: "TCP", port: 443 }] },
      { to: [{ ipBlock: { cidr: "2001:db8:71::/48", except: ["2001:db8:71:ff::/64"] } }], ports: [{ protocol: "TCP", port: 443 }] },
      { to: [{ ipBlock: { cidr: "2001:db8:71:5::443/128" } }], ports: [{ protocol: "TCP", port: 8443 }] },
    ]);
    // default-deny and DNS select pods, not addresses: the same for both families
    expect(find(cluster, "sitewire-default-deny-egress")).toEqual({ podSelector: {}, policyTypes: ["Egress"] });
  });
});

describe("ipBlocks", () => {
  const p = (cidr: string) => parseCidr(cidr).prefix;
  it("gives each block only the except entries of its own family inside it", () => {
    expect(ipBlocks([p("10.0.0.0/8"), p("2001:db8::/32")], [p("2001:db8:1::/48"), p("10.1.0.0/16")])).toEqual([
      { ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } },
      { ipBlock: { cidr: "2001:db8::/32", except: ["2001:db8:1::/48"] } },
    ]);
  });
  it("refuses an except inside no block (the API server would reject it), instead of dropping it", () => {
    expect(() => ipBlocks([p("10.0.0.0/8")], [p("::/0")])).toThrow(/internal: except ::\/0 lies inside none of 10.0.0.0\/8/);
    expect(() => ipBlocks([p("10.0.0.0/8")], [p("10.0.0.0/8")])).toThrow(/internal/);
  });
});
