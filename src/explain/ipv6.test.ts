/**
 * explain with IPv6 and dual stack (sites/dual-stack.yaml): each family walks its own routes (`ip -6 route`,
 * `ensure_rule 6`), its own BGP session (neighbor6, `ipv6 prefix-list`), its own inside addresses (inside6),
 * its own firewall rules (`ip6` matches and `meta nfproto ipv6` in `table inet sitewire`), NAT66 onto the XFRM
 * interface's IPv6 address, ip-masq-agent's ip6tables chain and NetworkPolicy ipBlocks of IPv6 CIDRs.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSource } from "../compile/pipeline.js";
import { parseCidr } from "../net/ip.js";
import { representative } from "./engine.js";
import { explainSource, type Explanation, type PathExplanation } from "./index.js";
import { ArtifactIndex } from "./artifacts.js";
import { inCidr, masqVerdict } from "./rules.js";

const FILE = "sites/dual-stack.yaml";
const DUAL = readFileSync(new URL(`../../${FILE}`, import.meta.url), "utf8");

function run(query: { flow?: string; from?: string; to?: string }, text = DUAL): Explanation {
  const r = explainSource(FILE, text, query);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.explanation!;
}

const hopsOf = (p: PathExplanation) => p.hops.map((h) => `${h.direction[0]}:${h.kind} ${h.at}`);
const stepAt = (p: PathExplanation, at: string, what: RegExp) => p.hops.filter((h) => h.at === at).flatMap((h) => h.steps).find((s) => what.test(s.what));

/** Every cited artifact line holds the text the step quotes. */
function expectCitationsExact(e: Explanation, text = DUAL) {
  const artifacts = new Map(compileSource(FILE, text).artifacts.map((a) => [a.path, a.content.split("\n")]));
  for (const p of e.paths)
    for (const h of p.hops)
      for (const s of h.steps) if (s.artifact) expect(artifacts.get(s.artifact.path)?.[s.artifact.line - 1]?.trim(), `${s.artifact.path}:${s.artifact.line}`).toBe(s.artifact.text);
}

describe("addresses of both families", () => {
  it("never matches across families", () => {
    expect(inCidr("2001:db8::1", "2001:db8::/32")).toBe(true);
    expect(inCidr("2001:db8::1", "0.0.0.0/0")).toBe(false);
    expect(inCidr("10.0.0.1", "::/0")).toBe(false);
    expect(inCidr("pod:payments/app=billing", "::/0")).toBe(false);
    expect(inCidr("fd00:70::2", "fd00:70::/126")).toBe(true);
    expect(inCidr("fd00:70::4", "fd00:70::/126")).toBe(false);
  });
  it("stands for an IPv6 network by its first address after the network (/127 and /128: the network itself)", () => {
    expect(representative(parseCidr("2001:db8:71::/48").prefix)).toBe("2001:db8:71::1");
    expect(representative(parseCidr("2001:db8:71:5::443/128").prefix)).toBe("2001:db8:71:5::443");
    expect(representative(parseCidr("fd00:70::/127").prefix)).toBe("fd00:70::");
  });
});

describe("explain on dual-stack", () => {
  it("flow nodes-to-dc: one path per family from node-1, NAT44 and NAT66 onto xfrm70, each family's BGP route", () => {
    const e = run({ flow: "nodes-to-dc" });
    expect(e.verdict).toEqual({ delivered: true });
    expect(e.paths.map((p) => p.to)).toEqual(["dc-lan (10.71.0.1)", "dc-lan6 (2001:db8:71::1)"]);
    const v6 = e.paths[1]!;
    expect(hopsOf(v6)).toEqual(["f:host node-1", "f:host edge", "f:tunnel to-dc", "f:far-side dc-router", "r:far-side dc-router", "r:tunnel to-dc", "r:host edge", "r:host node-1"]);
    expect(stepAt(v6, "node-1", /^ip -6 route 2001:db8:71::\/48 via 2001:db8:70::1 dev eth0/)?.artifact?.text).toMatch(/^ip -6 route replace 2001:db8:71::\/48 via 2001:db8:70::1 dev eth0 /);
    expect(stepAt(v6, "node-1", /^source address/)?.what).toBe("source address 2001:db8:70::10 (of eth0)");
    // the IPv6 session: neighbour fd00:70::1, the route accepted by the IPv6 prefix list
    expect(stepAt(v6, "edge", /learned by BGP/)?.what).toBe("route 2001:db8:71::/48 via fd00:70::1 dev xfrm70: learned by BGP from dc-router (neighbour fd00:70::1, accepted by its prefix list)");
    expect(stepAt(v6, "edge", /learned by BGP/)?.artifact?.text).toMatch(/^ipv6 prefix-list .* permit 2001:db8:71::\/48$/);
    // the inet table's ip6 rules: arrives on eth1 (the node's IPv6 address is on the office's IPv6 LAN, which
    // tunnel to-dc carries: its rule comes first)
    expect(stepAt(v6, "edge", /forward accepts/)?.what).toBe("inet sitewire forward accepts 2001:db8:70::10 → 2001:db8:71::1 (in eth1, out xfrm70)");
    expect(stepAt(v6, "edge", /forward accepts/)?.artifact?.text).toBe('ip6 saddr 2001:db8:70::/64 ip6 daddr 2001:db8:71::/48 oifname "xfrm70" accept comment "tunnel to-dc"');
    const nat66 = stepAt(v6, "edge", /^MASQUERADE/)!;
    expect(nat66.what).toBe("MASQUERADE in inet sitewire postrouting: source 2001:db8:70::10 → fd00:70::2 (xfrm70)");
    expect(nat66.artifact?.text).toBe('ip6 saddr 2001:db8:70::10/128 oifname "xfrm70" masquerade comment "flow nodes-to-dc"');
    // the reply: fd00:70::/126 is connected on the router's tunnel interface; conntrack puts the node back
    expect(stepAt(v6, "dc-router", /inside network/)?.what).toBe("fd00:70::/126 (tunnel to-dc's inside network) is connected on dc-router's tunnel interface");
    expect(stepAt(v6, "edge", /conntrack reverses/)?.what).toBe("conntrack reverses the masquerade: destination fd00:70::2 → 2001:db8:70::10");
    expect(v6.hops.at(-1)?.steps.at(-1)?.what).toBe("2001:db8:70::10 is an address of node-1: delivered");
    // the IPv4 path is untouched by the IPv6 one
    expect(stepAt(e.paths[0]!, "edge", /^MASQUERADE/)?.what).toBe("MASQUERADE in inet sitewire postrouting: source 10.70.0.10 → 169.254.70.2 (xfrm70)");
    expectCitationsExact(e);
  });

  it("flow office-to-cloud: the IPv6 rule and table of to-cloud, no NAT, over IPv6 outer addresses", () => {
    const e = run({ flow: "office-to-cloud" });
    expect(e.verdict).toEqual({ delivered: true });
    const p = e.paths[0]!;
    expect(stepAt(p, "edge", /^ip -6 rule priority 71/)?.artifact?.text).toBe("ensure_rule 6 71 71 ip -6 rule add priority 71 lookup 71");
    expect(stepAt(p, "edge", /^ip -6 route 2001:db8:72::\/56/)?.artifact?.text).toMatch(/^ip -6 route replace 2001:db8:72::\/56 via fd00:71::1 dev xfrm71 table 71 /);
    expect(stepAt(p, "to-cloud", /^xfrm xfrm71/)?.what).toContain("2001:db8:ffff::70 → 2001:db8:ffff::72");
    expect(p.hops.flatMap((h) => h.steps).some((s) => /MASQUERADE/.test(s.what))).toBe(false);
    expectCitationsExact(e);
  });

  it("the cloud network back to the office: the strongSwan peer's SA cited, the forward rule of tunnel to-cloud", () => {
    // office6's first address is the edge's own (eth1): ask for a client behind it
    const e = run({ from: "cloud6", to: "2001:db8:70::20:tcp/22" });
    expect(e.verdict).toEqual({ delivered: true });
    const p = e.paths[0]!;
    expect(stepAt(p, "cloud-gw", /^static route 2001:db8:70::\/64 into the vti of tunnel to-cloud/)?.artifact).toMatchObject({ path: "devices/cloud-gw/etc/swanctl/conf.d/sitewire.conf", text: "mark_out = 71" });
    expect(stepAt(p, "edge", /forward accepts/)?.artifact?.text).toBe('ip6 saddr 2001:db8:72::/56 ip6 daddr 2001:db8:70::/64 iifname "xfrm71" accept comment "tunnel to-cloud"');
    expect(stepAt(p, "edge", /MSS set to/)?.what).toBe("TCP SYN / SYN-ACK: MSS set to 1340");
    expectCitationsExact(e);
  });

  it("pods: the IPv6 ipBlock allows the API, ip-masq-agent's ip6tables chain masquerades it behind the node's IPv6 address", () => {
    const e = run({ from: "payments/app=billing", to: "dc-api6:tcp/443" });
    expect(e.verdict).toEqual({ delivered: true });
    const p = e.paths[0]!;
    expect(stepAt(p, "pod payments/app=billing", /allows egress/)?.artifact).toMatchObject({ path: "cluster/payments/networkpolicy-sitewire-egress-allowlist.yaml", text: "cidr: 2001:db8:71:5::443/128" });
    const masq = stepAt(p, "node-1", /ip-masq-agent masquerades/)!;
    expect(masq.what).toContain("→ 2001:db8:70::10 (the node's address on eth0)");
    expect(masq.artifact).toMatchObject({ path: "cluster/review/ip-masq-agent6.rules" });
    expect(masq.artifact?.text).toMatch(/-j MASQUERADE --random-fully$/);
    expect(p.hops.at(-1)?.steps.at(-1)?.what).toBe("delivered to the pod (payments/app=billing) by the node's pod network");
    expectCitationsExact(e);
  });

  it("pods: another port of the IPv6 API is denied in the cluster, at hop 1", () => {
    const e = run({ from: "payments/app=billing", to: "2001:db8:71:5::443:tcp/22" });
    expect(e.verdict).toMatchObject({ delivered: false, hop: 1 });
  });

  it("ip-masq-agent's ip6tables chain: cluster-internal6 keeps the pod address, others are masqueraded, IPv4 read from its own chain", () => {
    const index = new ArtifactIndex(compileSource(FILE, DUAL).artifacts);
    expect(masqVerdict(index, "fd10::9")).toMatchObject({ masquerade: false, cite: { path: "cluster/review/ip-masq-agent6.rules" } });
    expect(masqVerdict(index, "fd10::9")?.cite?.text).toMatch(/-d fd10::\/48 -j RETURN$/);
    expect(masqVerdict(index, "fe80::1")?.cite?.text).toMatch(/-d fe80::\/10 -j RETURN$/);
    expect(masqVerdict(index, "2001:db8:72::1")).toMatchObject({ masquerade: true, cite: { path: "cluster/review/ip-masq-agent6.rules" } });
    expect(masqVerdict(index, "10.244.1.1")).toMatchObject({ masquerade: false, cite: { path: "cluster/review/ip-masq-agent.rules" } });
    // without --enable-ipv6 (no IPv6 in the masquerade block) the agent leaves IPv6 alone: no verdict
    const v4only = DUAL.replace("nonMasqueradeCIDRs: [cluster-internal, cluster-internal6]", "nonMasqueradeCIDRs: [cluster-internal]").replace("    masqLinkLocalIPv6: false\n", "");
    expect(masqVerdict(new ArtifactIndex(compileSource(FILE, v4only, { deliverability: false }).artifacts), "2001:db8:72::1")).toBeUndefined();
  });

  it("an IPv6 source no rule accepts is dropped by forwardDefault: drop, at the inet table's drop", () => {
    const text = DUAL.replace("    publicAddress: 198.51.100.70\n", "    publicAddress: 198.51.100.70\n    firewall: { forwardDefault: drop }\n");
    const denied = explainSource(FILE, text, { from: "2001:db8:ffff::99", to: "dc-lan6" }).explanation!;
    expect(denied.verdict).toMatchObject({ delivered: false, hop: 2 });
    expect(!denied.verdict.delivered && denied.verdict.reason).toMatch(/^inet sitewire forward on edge drops 2001:db8:ffff::99 → 2001:db8:71::1 \(in eth0, out xfrm70\)/);
  });
});

describe("explain on the lab's IPv6 site (iptables backend, policy-based selectors of both families)", () => {
  const LAB = "test/live/lab-sites/lab-ipv6.yaml";
  const text = readFileSync(new URL(`../../${LAB}`, import.meta.url), "utf8");
  it("reads the IPv6 forward rule from the ip6tables file and the IPv6 selector from swanctl.conf", () => {
    const e = explainSource(LAB, text, { flow: "clients6-to-branch6" }).explanation!;
    expect(e.verdict).toEqual({ delivered: true });
    const p = e.paths[0]!;
    expect(stepAt(p, "gw", /^IPsec policy of tunnel branch matches 2001:db8:6:1::1 → 2001:db8:61::1/)?.artifact?.text).toMatch(/^local_ts = .*2001:db8:6:1::\/64/);
    const fwd = stepAt(p, "gw", /^SITEWIRE-FORWARD accepts/)!;
    expect(fwd.artifact?.path).toBe("hosts/gw/etc/sitewire/ip6tables.rules");
    expect(fwd.artifact?.text).toMatch(/^-A SITEWIRE-FORWARD -s 2001:db8:6:1::\/64 -d 2001:db8:61::\/48 /);
    // the IPv4 flow beside it reads the iptables file
    const v4 = explainSource(LAB, text, { flow: "lan-to-branch" }).explanation!;
    expect(stepAt(v4.paths[0]!, "gw", /^SITEWIRE-FORWARD accepts/)?.artifact?.path).toBe("hosts/gw/etc/sitewire/iptables.rules");
  });
  it("a source outside the IPv6 selector is dropped at the gateway", () => {
    const narrowed = text.replace("toHost: [gw-lan, clients6]", "toHost: [gw-lan, 2001:db8:6:1:8000::/65]");
    const e = explainSource(LAB, narrowed, { flow: "clients6-to-branch6" }).explanation!;
    expect(e.verdict).toMatchObject({ delivered: false, hop: 2 });
    expect(!e.verdict.delivered && e.verdict.reason).toBe("tunnel branch's selectors exclude source 2001:db8:6:1::1: the packet would leave unencrypted");
  });
});
