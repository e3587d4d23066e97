/**
 * The validators must fail on broken manifests, each layer on what it is there for; a validator that
 * accepts everything would make manifests.test.ts meaningless.
 */
import { describe, expect, it } from "vitest";
import { checkConventions, checkMasqAgentConfig, checkSchema, checkTypes, cidrInside, cidrProblem, type K8sObject } from "./validate.js";

const labels = { "app.kubernetes.io/managed-by": "sitewire", "sitewire.dev/site": "t" };

function networkPolicy(spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): K8sObject {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "p", namespace: "ns", labels, ...metadata },
    spec: {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "10.10.0.0/16", except: ["10.10.255.0/24"] } }], ports: [{ protocol: "TCP", port: 30000, endPort: 32767 }] }],
      ...spec,
    },
  };
}

const masqConfigMap = (config: string): K8sObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "ip-masq-agent", namespace: "kube-system", labels },
  data: { config },
});

const osmEgress = (spec: Record<string, unknown> = {}): K8sObject => ({
  apiVersion: "policy.openservicemesh.io/v1alpha1",
  kind: "Egress",
  metadata: { name: "httpbin-80", namespace: "curl", labels },
  spec: { sources: [{ kind: "ServiceAccount", name: "curl", namespace: "curl" }], hosts: ["httpbin.org"], ports: [{ number: 80, protocol: "http" }], ...spec },
});

const cilium = (gateway: Record<string, unknown> = { egressIP: "10.24.0.20" }, extra: Record<string, unknown> = {}): K8sObject => ({
  apiVersion: "cilium.io/v2",
  kind: "CiliumEgressGatewayPolicy",
  metadata: { name: "g", labels },
  spec: {
    selectors: [{ podSelector: { matchLabels: { app: "curl" } } }],
    destinationCIDRs: ["172.16.0.0/24"],
    egressGateway: { nodeSelector: { matchLabels: { "egress-gateway": "true" } }, ...gateway },
    ...extra,
  },
});

describe("the valid baselines pass every layer", () => {
  it.each([networkPolicy(), masqConfigMap("nonMasqueradeCIDRs:\n  - 10.0.0.0/8\nresyncInterval: 60s\n"), osmEgress(), cilium()])("$kind", async (o) => {
    expect(await checkSchema(o)).toEqual([]);
    expect(checkConventions(o)).toEqual([]);
  });
});

describe("schema layer (kubernetes-models, CRD schemas)", () => {
  it("rejects a bad enum and an unknown apiVersion", async () => {
    expect(await checkSchema(networkPolicy({ policyTypes: ["Egres"] }))).toEqual([expect.stringContaining("allowed values")]);
    expect(await checkSchema({ ...networkPolicy(), apiVersion: "networking.k8s.io/v2" })).toEqual([expect.stringContaining("unknown apiVersion")]);
  });
  it("rejects a wrong type", async () => {
    expect((await checkSchema(networkPolicy({ policyTypes: "Egress" }))).length).toBeGreaterThan(0);
  });
  it("does NOT see unknown fields, CIDRs or port ranges of built-in kinds (why the other layers exist)", async () => {
    expect(await checkSchema(networkPolicy({ podSelectr: {}, egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/33" } }], ports: [{ port: 70000 }] }] }))).toEqual([]);
  });
  it("rejects unknown fields, bad enums and missing fields of custom resources", async () => {
    expect(await checkSchema(osmEgress({ host: ["x"] }))).toEqual([expect.stringContaining("additional properties")]);
    expect(await checkSchema(osmEgress({ ports: [{ number: 80, protocol: "grpc" }] }))).toEqual([expect.stringContaining("allowed values")]);
    expect(await checkSchema(cilium({ egressIP: "10.24.0.20", nodeSelector: undefined }))).not.toEqual([]);
    expect(await checkSchema(cilium(undefined, { destinationCIDRs: ["10.0.0.0/33"] }))).not.toEqual([]);
  });
});

describe("types layer (kubernetes-types + tsc)", () => {
  it("catches a misspelt field, a missing required field and a wrong JSON type", () => {
    const problems = checkTypes([
      { label: "ok", object: networkPolicy() },
      { label: "misspelt", object: networkPolicy({ podSelectr: {} }) },
      { label: "wrong-type", object: networkPolicy({ egress: [{ ports: [{ port: true }] }] }) },
      { label: "missing", object: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "p", labels }, spec: { policyTypes: ["Egress"] } } },
    ]);
    const by = (label: string) => problems.filter((p) => p.includes(`${label}:`));
    expect(by("ok")).toEqual([]);
    expect(by("misspelt")).toEqual([expect.stringContaining("podSelectr")]);
    expect(by("wrong-type")).not.toEqual([]);
    expect(by("missing")).toEqual([expect.stringContaining("podSelector")]);
  });
});

describe("conventions layer", () => {
  it("checks CIDRs: syntax, octets, length, alignment", () => {
    expect(cidrProblem("10.0.0.0/8")).toBeUndefined();
    expect(cidrProblem("0.0.0.0/0")).toBeUndefined();
    expect(cidrProblem("10.0.0.0/33")).toMatch(/prefix length/);
    expect(cidrProblem("10.0.0.300/32")).toMatch(/octet/);
    expect(cidrProblem("010.0.0.0/8")).toMatch(/octet/);
    expect(cidrProblem("10.0.0.1/8")).toMatch(/aligned/);
    expect(cidrProblem("10.0.0.0")).toMatch(/not an IPv4 or IPv6 CIDR/);
    expect(cidrInside("10.10.255.0/24", "10.10.0.0/16", true)).toBe(true);
    expect(cidrInside("10.10.0.0/16", "10.10.0.0/16", true)).toBe(false);
    expect(cidrInside("10.11.0.0/24", "10.10.0.0/16", false)).toBe(false);
  });
  it("checks IPv6 CIDRs too: syntax, length, alignment; never inside a block of the other family; IPv4-only resources refuse them", () => {
    expect(cidrProblem("2001:db8::/32")).toBeUndefined();
    expect(cidrProblem("2001:db8:71:5::443/128")).toBeUndefined();
    expect(cidrProblem("::/0")).toBeUndefined();
    expect(cidrProblem("2001:db8::1/32")).toMatch(/aligned/);
    expect(cidrProblem("2001:db8::/129")).toMatch(/prefix length/);
    expect(cidrProblem("2001:DB8::/32")).toMatch(/not an IPv6 CIDR/);
    expect(cidrProblem("2001:db8:::1/64")).toMatch(/not an IPv6 CIDR/);
    expect(cidrProblem("2001:db8::/32", true)).toMatch(/IPv4 only/);
    expect(cidrInside("2001:db8:1::/48", "2001:db8::/32", true)).toBe(true);
    expect(cidrInside("2001:db9::/48", "2001:db8::/32", true)).toBe(false);
    expect(cidrInside("10.0.0.0/8", "::/0", false)).toBe(false);
    const bad = (spec: Record<string, unknown>) => checkConventions(networkPolicy(spec));
    expect(bad({ egress: [{ to: [{ ipBlock: { cidr: "2001:db8::/32", except: ["2001:db8:1::/48"] } }] }] })).toEqual([]);
    expect(bad({ egress: [{ to: [{ ipBlock: { cidr: "2001:db8::/32", except: ["10.0.0.0/8"] } }] }] })).toEqual([expect.stringContaining("strictly inside")]);
    expect(checkConventions(cilium(undefined, { destinationCIDRs: ["2001:db8::/32"] }))).toEqual([expect.stringContaining("IPv4 only")]);
    expect(checkMasqAgentConfig("nonMasqueradeCIDRs:\n  - fd10::/48\n  - 10.0.0.0/8\nmasqLinkLocalIPv6: false\n")).toEqual([]);
    expect(checkMasqAgentConfig("nonMasqueradeCIDRs:\n  - fd10::1/48\n")).toEqual([expect.stringContaining("aligned")]);
  });
  it("checks names, namespaces and labels", () => {
    expect(checkConventions(networkPolicy({}, { name: "Bad_Name" }))).toEqual([expect.stringContaining("DNS-1123 subdomain")]);
    expect(checkConventions(networkPolicy({}, { namespace: "a.b" }))).toEqual([expect.stringContaining("DNS-1123 label")]);
    expect(checkConventions(networkPolicy({}, { labels: { ...labels, "bad key!": "x" } }))).toEqual([expect.stringContaining("label key")]);
    expect(checkConventions(networkPolicy({}, { labels: { "app.kubernetes.io/managed-by": "someone" } }))).toEqual([expect.stringContaining("managed-by")]);
  });
  it("checks NetworkPolicy peers, ports and policyTypes", () => {
    const bad = (spec: Record<string, unknown>) => checkConventions(networkPolicy(spec));
    expect(bad({ egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/33" } }] }] })).toEqual([expect.stringContaining("prefix length")]);
    expect(bad({ egress: [{ to: [{ ipBlock: { cidr: "10.10.0.0/16", except: ["10.11.0.0/24"] } }] }] })).toEqual([expect.stringContaining("strictly inside")]);
    expect(bad({ egress: [{ to: [{ ipBlock: { cidr: "10.10.0.0/16", except: ["10.10.0.0/16"] } }] }] })).toEqual([expect.stringContaining("strictly inside")]);
    expect(bad({ egress: [{ ports: [{ protocol: "TCP", port: 70000 }] }] })).toEqual([expect.stringContaining("1..65535")]);
    expect(bad({ egress: [{ ports: [{ protocol: "TCP", port: 443, endPort: 80 }] }] })).toEqual([expect.stringContaining("below port")]);
    expect(bad({ egress: [{ ports: [{ protocol: "ICMP", port: 1 }] }] })).toEqual([expect.stringContaining("protocol")]);
    expect(bad({ policyTypes: undefined })).toContainEqual(expect.stringContaining("policyTypes must be explicit"));
    expect(bad({ policyTypes: ["Ingress"] })).toEqual([expect.stringContaining("lacks Egress")]);
    expect(bad({ podSelector: undefined })).toEqual([expect.stringContaining("podSelector: missing")]);
    expect(bad({ egress: [{ to: [{ ipBlock: { cidr: "10.10.0.0/16" }, podSelector: {} }] }] })).toEqual([expect.stringContaining("ipBlock cannot be combined")]);
  });
  it("checks Cilium's egressIP/interface exclusivity and excluded CIDRs", () => {
    expect(checkConventions(cilium({ egressIP: "10.24.0.20", interface: "eth1" }))).toEqual([expect.stringContaining("egressIP and interface")]);
    expect(checkConventions(cilium(undefined, { excludedCIDRs: ["10.0.0.0/8"] }))).toEqual([expect.stringContaining("outside every destination")]);
  });
  it("checks osm-edge ipAddresses", () => {
    expect(checkConventions(osmEgress({ ipAddresses: ["10.10.0.1/16"] }))).toEqual([expect.stringContaining("aligned")]);
  });
});

describe("inner ip-masq-agent config", () => {
  it("accepts seed 001's config", () => {
    expect(checkMasqAgentConfig("nonMasqueradeCIDRs:\n  - 10.0.0.0/8\nresyncInterval: 60s\nmasqLinkLocal: true\n")).toEqual([]);
  });
  it.each([
    ["a typo Go would silently ignore", "nonMasqueradeCIDR:\n  - 10.0.0.0/8\n", "unknown key"],
    ["an unaligned CIDR (the agent refuses the whole file)", "nonMasqueradeCIDRs: [10.0.0.1/8]\n", "aligned"],
    ["more CIDRs than cidrLimit", "cidrLimit: 1\nnonMasqueradeCIDRs: [10.0.0.0/8, 172.16.0.0/12]\n", "cidrLimit"],
    ["a duration Go cannot parse", "resyncInterval: 1d\n", "Go duration"],
    ["a quoted boolean", "masqLinkLocal: \"true\"\n", "boolean"],
    ["a non-mapping", "- 10.0.0.0/8\n", "not a mapping"],
  ])("rejects %s", (_what, text, message) => {
    expect(checkMasqAgentConfig(text)).toEqual([expect.stringContaining(message)]);
  });
  it("reads YAML 1.1 like the agent: `masqLinkLocal: yes` is a boolean there", () => {
    expect(checkMasqAgentConfig("masqLinkLocal: yes\n")).toEqual([]);
  });
  it("is applied to the ip-masq-agent ConfigMap, which must hold exactly `config` in kube-system", () => {
    expect(checkConventions(masqConfigMap("resyncInterval: 1d\n"))).toEqual([expect.stringContaining("data.config: resyncInterval")]);
    expect(checkConventions({ ...masqConfigMap(""), data: { conf: "" } })).toEqual([expect.stringContaining("exactly the key config")]);
    expect(checkConventions({ ...masqConfigMap("{}\n"), metadata: { name: "ip-masq-agent", namespace: "default", labels } })).toEqual([
      expect.stringContaining("kube-system"),
    ]);
  });
});
