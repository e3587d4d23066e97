import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { agentConfig, goDuration, masqAgentConfigMap, nonMasqueraded } from "./masq-agent.js";
import { siteWithCluster } from "./test-site.js";

const masq = (block: string, networks = "") => siteWithCluster(`masquerade:\n${block.replace(/^/gm, "  ")}`, networks).cluster.masquerade!;

describe("ip-masq-agent ConfigMap", () => {
  it("reproduces seed 001's ConfigMap: ip-masq-agent in kube-system, key config, the write-up's keys", () => {
    const m = masqAgentConfigMap("seed", masq("nonMasqueradeCIDRs: [10.0.0.0/8]\nmasqLinkLocal: true\nresyncInterval: 60s"));
    expect(m.object).toMatchObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ip-masq-agent", namespace: "kube-system" } });
    expect(Object.keys(m.object.data as object)).toEqual(["config"]);
    expect((m.object.data as { config: string }).config).toBe("nonMasqueradeCIDRs:\n  - 10.0.0.0/8\nmasqLinkLocal: true\nresyncInterval: 60s\n");
  });

  it("writes names as the prefixes they stand for, in intent order", () => {
    const config = agentConfig(masq("nonMasqueradeCIDRs: [onprem, vpc, 100.64.0.0/10]", "vpc: 172.16.0.0/16\nonprem: 10.10.0.0/16"));
    expect(config.nonMasqueradeCIDRs).toEqual(["10.10.0.0/16", "172.16.0.0/16", "100.64.0.0/10"]);
  });

  it("omits nonMasqueradeCIDRs for agent-defaults, so the agent keeps RFC 1918", () => {
    const config = agentConfig(masq("nonMasqueradeCIDRs: agent-defaults"));
    expect(config).not.toHaveProperty("nonMasqueradeCIDRs");
    expect(config).toEqual({ masqLinkLocal: false, resyncInterval: "60s" });
  });

  it("writes cidrLimit and masqLinkLocalIPv6 only when set, in the agent's field order", () => {
    const config = agentConfig(masq("nonMasqueradeCIDRs: [10.0.0.0/8]\ncidrLimit: 8\nmasqLinkLocalIPv6: false\nresyncInterval: 2m"));
    expect(Object.keys(config)).toEqual(["nonMasqueradeCIDRs", "cidrLimit", "masqLinkLocal", "masqLinkLocalIPv6", "resyncInterval"]);
    expect(config).toMatchObject({ cidrLimit: 8, masqLinkLocalIPv6: false, resyncInterval: "2m" });
  });

  it("keeps config a YAML document the agent reads back to the same values", () => {
    const m = masqAgentConfigMap("s", masq("nonMasqueradeCIDRs: [10.0.0.0/8, 192.168.0.0/16]\nresyncInterval: 1d"));
    expect(parse((m.object.data as { config: string }).config, { version: "1.1" })).toEqual({
      nonMasqueradeCIDRs: ["10.0.0.0/8", "192.168.0.0/16"],
      masqLinkLocal: false,
      resyncInterval: "24h",
    });
  });
});

describe("the agent's reading of the config", () => {
  it("returns early for link-local first, then each CIDR in config order", () => {
    expect(nonMasqueraded(masq("nonMasqueradeCIDRs: [172.16.0.0/12, 10.0.0.0/8]")).map((k) => k.cidr)).toEqual(["169.254.0.0/16", "172.16.0.0/12", "10.0.0.0/8"]);
  });
  it("masquerades link-local too when masqLinkLocal is true", () => {
    expect(nonMasqueraded(masq("nonMasqueradeCIDRs: [10.0.0.0/8]\nmasqLinkLocal: true")).map((k) => k.cidr)).toEqual(["10.0.0.0/8"]);
  });
  it("uses the RFC 1918 defaults when the key is omitted", () => {
    expect(nonMasqueraded(masq("nonMasqueradeCIDRs: agent-defaults\nmasqLinkLocal: true")).map((k) => k.cidr)).toEqual(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]);
  });
});

describe("goDuration", () => {
  it.each([
    ["60s", "60s"],
    ["500ms", "500ms"],
    ["5m", "5m"],
    ["2h", "2h"],
    ["1d", "24h"],
    ["7d", "168h"],
  ])("%s → %s (Go's time.ParseDuration has no d)", (text, go) => {
    expect(goDuration(masq(`nonMasqueradeCIDRs: agent-defaults\nresyncInterval: ${text}`).resyncInterval)).toBe(go);
  });
});
