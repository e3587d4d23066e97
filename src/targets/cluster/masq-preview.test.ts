import { describe, expect, it } from "vitest";
import { masqChainPreview } from "./masq-preview.js";
import { siteWithCluster } from "../../../test/helpers/cluster-site.js";

const preview = (block: string) => masqChainPreview("s", siteWithCluster(`masquerade:\n${block.replace(/^/gm, "  ")}`).cluster.masquerade!);
const rules = (text: string) => text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));

describe("ip-masq-agent chain preview", () => {
  it("is the agent's chain for seed 001: jump for non-LOCAL, RETURN per CIDR, MASQUERADE last", () => {
    expect(rules(preview("nonMasqueradeCIDRs: [10.0.0.0/8]\nmasqLinkLocal: true"))).toEqual([
      "*nat",
      ":IP-MASQ-AGENT - [0:0]",
      '-A POSTROUTING -m comment --comment "ip-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom IP-MASQ-AGENT chain" -m addrtype ! --dst-type LOCAL -j IP-MASQ-AGENT',
      '-A IP-MASQ-AGENT -m comment --comment "ip-masq-agent: local traffic is not subject to MASQUERADE" -d 10.0.0.0/8 -j RETURN',
      '-A IP-MASQ-AGENT -m comment --comment "ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE --random-fully',
      "COMMIT",
    ]);
  });

  it("keeps link-local first unless masqLinkLocal, then the CIDRs in config order", () => {
    const destinations = rules(preview("nonMasqueradeCIDRs: [192.168.0.0/16, 10.0.0.0/8]"))
      .map((l) => / -d (\S+) -j RETURN$/.exec(l)?.[1])
      .filter(Boolean);
    expect(destinations).toEqual(["169.254.0.0/16", "192.168.0.0/16", "10.0.0.0/8"]);
  });

  it("previews the RFC 1918 defaults for agent-defaults, and says so", () => {
    const text = preview("nonMasqueradeCIDRs: agent-defaults");
    expect(text).toContain("-d 172.16.0.0/12 -j RETURN");
    expect(text).toContain("#   192.168.0.0/16 (agent default, RFC 1918)");
  });

  it("states the agent version and every flag it assumes in its header", () => {
    const header = preview("nonMasqueradeCIDRs: [10.0.0.0/8]").split("\n").filter((l) => l.startsWith("#"));
    expect(header).toContain("# Assumes ip-masq-agent v2.12 (kubernetes-sigs/ip-masq-agent) running with:");
    expect(header).toContain("#   --masq-chain=IP-MASQ-AGENT --nomasq-all-reserved-ranges=false --random-fully=true --enable-ipv6=false");
  });

  it("masquerades everything but link-local for nonMasqueradeCIDRs: []", () => {
    const lines = rules(preview("nonMasqueradeCIDRs: []"));
    expect(lines.filter((l) => l.endsWith("-j RETURN")).map((l) => / -d (\S+) /.exec(l)?.[1])).toEqual(["169.254.0.0/16"]);
    expect(rules(preview("nonMasqueradeCIDRs: []\nmasqLinkLocal: true")).filter((l) => l.endsWith("-j RETURN"))).toEqual([]);
  });

  it("follows the flags: chain name, --random-fully, --to-ports per protocol, reserved ranges", () => {
    const text = preview("nonMasqueradeCIDRs: agent-defaults\nagent: { masqChain: MY-MASQ, nomasqAllReservedRanges: true, randomFully: false, toPorts: 32768-65535 }");
    const lines = rules(text);
    expect(lines[1]).toBe(":MY-MASQ - [0:0]");
    expect(lines[2]).toMatch(/our custom MY-MASQ chain" -m addrtype ! --dst-type LOCAL -j MY-MASQ$/);
    expect(lines.filter((l) => l.endsWith("-j RETURN"))).toHaveLength(1 + 3 + 8);
    expect(text).toContain("-d 240.0.0.0/4 -j RETURN");
    expect(lines.filter((l) => l.includes("-j MASQUERADE"))).toEqual([
      '-A MY-MASQ -p tcp -m comment --comment "ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE --to-ports 32768-65535',
      '-A MY-MASQ -p udp -m comment --comment "ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE --to-ports 32768-65535',
      '-A MY-MASQ -p sctp -m comment --comment "ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE --to-ports 32768-65535',
      '-A MY-MASQ -m comment --comment "ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)" -j MASQUERADE',
    ]);
    expect(text).toContain("#   --masq-chain=MY-MASQ --nomasq-all-reserved-ranges=true --random-fully=false --to-ports=32768-65535 --enable-ipv6=false");
  });

  it("has exactly one MASQUERADE, after every RETURN", () => {
    const lines = rules(preview("nonMasqueradeCIDRs: [10.0.0.0/8, 172.16.0.0/12]"));
    const masquerade = lines.findIndex((l) => l.includes("-j MASQUERADE"));
    expect(lines.filter((l) => l.includes("-j MASQUERADE"))).toHaveLength(1);
    expect(lines.findLastIndex((l) => l.endsWith("-j RETURN"))).toBeLessThan(masquerade);
  });
});

describe("ip-masq-agent IPv6 chain preview (ip6tables)", () => {
  const preview6 = (block: string) => masqChainPreview("s", siteWithCluster(`masquerade:\n${block.replace(/^/gm, "  ")}`, "pods: 10.244.0.0/16\npods6: fd10::/48").cluster.masquerade!, 6);
  it("is the agent's syncMasqRulesIPv6 chain: fe80::/10, then the IPv6 CIDRs only, MASQUERADE last", () => {
    const text = preview6("nonMasqueradeCIDRs: [pods, pods6, 2001:db8:71::/48]");
    expect(rules(text).map((l) => / -d (\S+) -j RETURN$/.exec(l)?.[1]).filter(Boolean)).toEqual(["fe80::/10", "fd10::/48", "2001:db8:71::/48"]);
    expect(rules(text).at(-2)).toMatch(/-j MASQUERADE --random-fully$/);
    expect(text).toContain("# Load into a scratch network namespace with: ip6tables-restore --noflush < ip-masq-agent6.rules");
    expect(text).toContain("--enable-ipv6=true");
  });
  it("masquerades link-local too with masqLinkLocalIPv6: true", () => {
    expect(rules(preview6("nonMasqueradeCIDRs: [pods]\nmasqLinkLocalIPv6: true")).filter((l) => l.endsWith("-j RETURN"))).toEqual([]);
  });
});
