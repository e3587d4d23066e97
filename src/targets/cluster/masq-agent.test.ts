import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { agentConfig, agentFlags, enablesIpv6, goDuration, masqAgentConfigMap, nonMasqueraded } from "./masq-agent.js";
import { siteWithCluster } from "../../../test/helpers/cluster-site.js";

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

  it("writes an empty list as nonMasqueradeCIDRs: [] (masquerade everything but link-local), and says so", () => {
    const m = masqAgentConfigMap("s", masq("nonMasqueradeCIDRs: []"));
    const config = (m.object.data as { config: string }).config;
    expect(config).toBe("nonMasqueradeCIDRs: []\nmasqLinkLocal: false\nresyncInterval: 60s\n");
    // The agent's YAML → JSON reading keeps the empty list, which replaces its RFC 1918 defaults.
    expect(parse(config, { version: "1.1" }).nonMasqueradeCIDRs).toEqual([]);
    expect(m.comment).toContain("  169.254.0.0/16 (link-local, masqLinkLocal: false)");
    expect(m.comment).toContain("nonMasqueradeCIDRs is an empty list on purpose: it replaces the agent's defaults, so everything but link-local is masqueraded.");
  });

  it("states the agent version and flags it assumes", () => {
    expect(masqAgentConfigMap("s", masq("nonMasqueradeCIDRs: [10.0.0.0/8]")).comment).toContain(
      "Assumes ip-masq-agent v2.12 (kubernetes-sigs/ip-masq-agent) running with --masq-chain=IP-MASQ-AGENT --nomasq-all-reserved-ranges=false --random-fully=true --enable-ipv6=false (sitewire does not deploy the DaemonSet).",
    );
    expect(masqAgentConfigMap("s", masq("nonMasqueradeCIDRs: agent-defaults\nagent: { masqChain: MY-MASQ, nomasqAllReservedRanges: true, randomFully: false, toPorts: 32768-65535 }")).comment).toContain(
      "Assumes ip-masq-agent v2.12 (kubernetes-sigs/ip-masq-agent) running with --masq-chain=MY-MASQ --nomasq-all-reserved-ranges=true --random-fully=false --to-ports=32768-65535 --enable-ipv6=false (sitewire does not deploy the DaemonSet).",
    );
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
  it("adds every RFC-reserved range to the defaults with --nomasq-all-reserved-ranges (NewMasqConfig's order)", () => {
    expect(nonMasqueraded(masq("nonMasqueradeCIDRs: agent-defaults\nmasqLinkLocal: true\nagent: { nomasqAllReservedRanges: true }")).map((k) => k.cidr)).toEqual([
      "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4",
    ]);
  });
  it("keeps nothing but link-local for an empty list, and nothing at all with masqLinkLocal", () => {
    expect(nonMasqueraded(masq("nonMasqueradeCIDRs: []")).map((k) => k.cidr)).toEqual(["169.254.0.0/16"]);
    expect(nonMasqueraded(masq("nonMasqueradeCIDRs: []\nmasqLinkLocal: true"))).toEqual([]);
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

describe("ip-masq-agent with IPv6", () => {
  const NETS = "pods: 10.244.0.0/16\npods6: fd10::/48";
  it("lists both families in one nonMasqueradeCIDRs, in intent order, with masqLinkLocalIPv6", () => {
    const m = masqAgentConfigMap("s", masq("nonMasqueradeCIDRs: [pods6, pods]\nmasqLinkLocalIPv6: true", NETS));
    expect(parse((m.object.data as { config: string }).config)).toEqual({ nonMasqueradeCIDRs: ["fd10::/48", "10.244.0.0/16"], masqLinkLocal: false, masqLinkLocalIPv6: true, resyncInterval: "60s" });
    expect(m.comment).toContain("and (IPv6, ip6tables):");
    expect(m.comment).toContain("  fd10::/48 (pods6)");
    expect(m.comment).not.toContain("  fe80::/10 (link-local, masqLinkLocalIPv6: false)");
  });

  it("splits the RETURNs per family, link-local of each family first unless masqueraded", () => {
    const m = masq("nonMasqueradeCIDRs: [pods6, pods, 2001:db8:71::/48]", NETS);
    expect(nonMasqueraded(m).map((k) => k.cidr)).toEqual(["169.254.0.0/16", "10.244.0.0/16"]);
    expect(nonMasqueraded(m, 6).map((k) => k.cidr)).toEqual(["fe80::/10", "fd10::/48", "2001:db8:71::/48"]);
    expect(nonMasqueraded(masq("nonMasqueradeCIDRs: [pods6]\nmasqLinkLocalIPv6: true", NETS), 6).map((k) => k.cidr)).toEqual(["fd10::/48"]);
    // the agent's defaults are IPv4 only
    expect(nonMasqueraded(masq("nonMasqueradeCIDRs: agent-defaults"), 6).map((k) => k.cidr)).toEqual(["fe80::/10"]);
  });

  it("assumes --enable-ipv6=true exactly when the config speaks IPv6 (the agent rejects an IPv6 CIDR without it)", () => {
    expect(agentFlags(masq("nonMasqueradeCIDRs: [pods]", NETS))).toContain("--enable-ipv6=false");
    expect(enablesIpv6(masq("nonMasqueradeCIDRs: [pods]", NETS))).toBe(false);
    expect(agentFlags(masq("nonMasqueradeCIDRs: [pods, pods6]", NETS))).toContain("--enable-ipv6=true");
    // masqLinkLocalIPv6 alone is written as given and takes effect only with the flag: it does not imply it
    expect(enablesIpv6(masq("nonMasqueradeCIDRs: agent-defaults\nmasqLinkLocalIPv6: false"))).toBe(false);
    expect(masqAgentConfigMap("s", masq("nonMasqueradeCIDRs: [pods]\nmasqLinkLocalIPv6: true", NETS)).comment).toContain("masqLinkLocalIPv6 only takes effect when the agent runs with --enable-ipv6.");
    const text = masqAgentConfigMap("s", masq("nonMasqueradeCIDRs: [pods6]", NETS)).comment.join("\n");
    expect(text).toContain("IPv6 needs the agent's --enable-ipv6=true");
    expect(text).toContain("review/ip-masq-agent6.rules (IPv6)");
  });
});
