/** NetworkPolicy egress rules as the lab's packet filter (./policies.ts). */
import { describe, expect, it } from "vitest";
import type { Artifact } from "../targets/target.js";
import { egressFilter, selects } from "./policies.js";

const policy = (name: string, spec: string): Artifact => ({
  path: `cluster/shop/networkpolicy-${name}.yaml`,
  kind: "network-policy",
  mode: 0o644,
  content: `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n${spec}`,
});

describe("label selectors", () => {
  it("match labels and expressions as Kubernetes does", () => {
    expect(selects({}, { app: "x" })).toBe(true);
    expect(selects({ matchLabels: { app: "x" } }, { app: "x", tier: "a" })).toBe(true);
    expect(selects({ matchLabels: { app: "x" } }, { app: "y" })).toBe(false);
    expect(selects({ matchExpressions: [{ key: "tier", operator: "In", values: ["a", "b"] }] }, { tier: "b" })).toBe(true);
    expect(selects({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["a"] }] }, { tier: "a" })).toBe(false);
    expect(selects({ matchExpressions: [{ key: "tier", operator: "Exists" }] }, {})).toBe(false);
    expect(selects({ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] }, {})).toBe(true);
    expect(selects({ matchExpressions: [{ key: "tier", operator: "Bogus" }] }, { tier: "a" })).toBe(false);
  });
});

describe("egress filters", () => {
  const deny = policy("deny", "  podSelector: {}\n  policyTypes: [Egress]\n");
  const allow = policy(
    "allow",
    "  podSelector:\n    matchLabels: { app: api }\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] }\n      ports:\n        - { protocol: TCP, port: 443 }\n        - { protocol: UDP, port: 5000, endPort: 5010 }\n",
  );
  const ingressOnly = policy("ingress", "  podSelector: {}\n  policyTypes: [Ingress]\n  ingress: []\n");

  it("leaves a pod alone when no egress policy selects it", () => {
    expect(egressFilter([ingressOnly], "shop", { app: "api" }, "pod0", "C")).toEqual({ policies: [] });
    expect(egressFilter([deny], "other", { app: "api" }, "pod0", "C")).toEqual({ policies: [] });
  });

  it("drops everything but replies for a pod only a deny-all selects", () => {
    const f = egressFilter([deny, ingressOnly], "shop", { app: "web" }, "pod3", "SWLAB-EGRESS-3");
    expect(f.policies).toEqual(["deny"]);
    expect(f.rules!.split("\n").filter((l) => l.startsWith("-A "))).toEqual([
      "-A SWLAB-EGRESS-3 -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN",
      '-A SWLAB-EGRESS-3 -m comment --comment "not allowed by the egress NetworkPolicies" -j DROP',
      "-A PREROUTING -i pod3 -j SWLAB-EGRESS-3",
    ]);
  });

  it("accepts what the union of the selecting policies allows, except its exceptions, ports and ranges included", () => {
    const f = egressFilter([allow, deny], "shop", { app: "api" }, "pod0", "C");
    expect(f.policies).toEqual(["allow", "deny"]);
    const rules = f.rules!.split("\n");
    expect(rules).toContain(":C-X0 - [0:0]");
    expect(rules).toContain(':C-X1 - [0:0]');
    expect(rules).toContain('-A C -d 10.0.0.0/8 -p tcp -m tcp --dport 443 -m comment --comment "allow" -j C-X0');
    expect(rules).toContain('-A C -d 10.0.0.0/8 -p udp -m udp --dport 5000:5010 -m comment --comment "allow" -j C-X1');
    expect(rules).toContain("-A C-X0 -d 10.1.0.0/16 -j RETURN");
    expect(rules.indexOf("-A C-X0 -d 10.1.0.0/16 -j RETURN")).toBeLessThan(rules.indexOf("-A C-X0 -j ACCEPT"));
    expect(rules.filter((l) => l.startsWith("-A C ")).at(-1)).toMatch(/-j DROP$/);
  });

  it("refuses an ipBlock that is not an IPv4 CIDR instead of passing it to iptables", () => {
    const bad = policy("bad", "  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n        - ipBlock: { cidr: '10.0.0.0/8 -j ACCEPT' }\n");
    expect(() => egressFilter([bad], "shop", {}, "pod0", "C")).toThrow(/not an IPv4 or IPv6 CIDR/);
  });
});
