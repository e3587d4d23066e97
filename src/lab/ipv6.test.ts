/**
 * The lab's layout for IPv6 and dual stack, without root (the live runs are test/live/lab.test.ts and
 * test/live/oracle.test.ts): addresses added without DAD, each family's routes and rules, the far side's IPv6 inside
 * address and BGP session, IPv6 outer addresses through the fabric, dual-stack pods with ip-masq-agent's ip6tables
 * chain and their NetworkPolicy filter for IPv6, and one probe per source and destination of the same family.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSource } from "../compile/pipeline.js";
import { explain } from "../explain/engine.js";
import { parseCidr } from "../net/ip.js";
import { PACKAGE_ROOT } from "../render/package-root.js";
import { missing } from "../../test/harness/tools.js";
import { freeAddressIn, freeBlocks6, lastUsable, representative } from "./addresses.js";
import { farSideFrrConf } from "./frr.js";
import { planLab, type Cmd, type LabPlan } from "./plan.js";
import { egressFilter } from "./policies.js";

function compiled(file: string) {
  const text = readFileSync(join(PACKAGE_ROOT, file), "utf8");
  const r = compileSource(file, text, { deliverability: false });
  if (!r.model) throw new Error(`${file}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return { model: r.model, artifacts: r.artifacts };
}

const line = (c: Cmd) => `${c.ns ?? "-"}: ${c.argv.join(" ")}`;
const wiringOf = (plan: LabPlan) => plan.wiring.map(line);

describe("IPv6 address arithmetic", () => {
  const p = (c: string) => parseCidr(c).prefix;
  it("picks the representative, the last usable and a free address of IPv6 networks", () => {
    expect(representative(p("2001:db8:71::/48"))).toBe("2001:db8:71::1");
    expect(representative(p("2001:db8:71:5::443/128"))).toBe("2001:db8:71:5::443");
    // RFC 5952 4.2.2: one zero group is written as 0, not ::
    expect(lastUsable(p("2001:db8:6::/64"))).toBe("2001:db8:6:0:ffff:ffff:ffff:fffe");
    expect(lastUsable(p("fd00:70::/127"))).toBe("fd00:70::1");
    expect(freeAddressIn(p("2001:db8:6::/64"), new Set(["2001:db8:6:0:ffff:ffff:ffff:fffe"]))).toBe("2001:db8:6:0:ffff:ffff:ffff:fffd");
    expect(freeAddressIn(p("fd00:70::/127"), new Set())).toBeUndefined();
  });
  it("finds free IPv6 pod networks inside a range, around what the site uses", () => {
    expect(freeBlocks6(64, 2, [p("fd10::/64")], p("fd10::/48")).map((x) => x.cidr)).toEqual(["fd10:0:0:1::/64", "fd10:0:0:2::/64"]);
  });
});

describe("dual-stack's lab", () => {
  const { model, artifacts } = compiled("sites/dual-stack.yaml");
  const plan = planLab(model, artifacts);
  const ns = (what: string) => plan.namespaces.find((n) => n.what === what)!.name;
  const wiring = wiringOf(plan);

  it("turns duplicate address detection off in every namespace before anything is wired, and adds IPv6 addresses nodad", () => {
    for (const n of plan.namespaces) {
      const i = wiring.indexOf(`${n.name}: sysctl -qw net.ipv6.conf.default.accept_dad=0`);
      expect(i, n.name).toBeGreaterThanOrEqual(0);
      expect(wiring.findIndex((l) => l.startsWith(`${n.name}: ip `) || l.includes(`netns ${n.name}`))).toBeGreaterThan(i);
    }
    const v6 = wiring.filter((l) => / addr add [0-9a-f:]+:[0-9a-f:]*\/\d+ /.test(l) && !l.includes(" dev lo"));
    expect(v6.length).toBeGreaterThan(3);
    for (const l of v6) expect(l, l).toMatch(/ nodad$/);
  });

  it("gives each host its addresses of both families on its interface, and the node's IPv6 LAN one L2 with the edge's eth1", () => {
    const edge = ns("host edge");
    const node = ns("host node-1");
    expect(wiring).toContain(`${edge}: ip addr add 10.70.0.1/24 dev eth0`);
    expect(wiring).toContain(`${edge}: ip addr add 2001:db8:ffff::70/64 dev eth0 nodad`);
    expect(wiring).toContain(`${node}: ip addr add 2001:db8:70::10/64 dev eth0 nodad`);
    // edge's eth1 (2001:db8:70::1/64) is on node-1's network: it joins node-1's bridge, no beyond namespace
    expect(wiring).toContain(`${edge}: ip addr add 2001:db8:70::1/64 dev eth1 nodad`);
    expect(plan.namespaces.some((n) => n.role === "beyond")).toBe(false);
    const bridgeOf = (host: string, dev: string) => {
      const link = wiring.find((l) => l.startsWith(`-: ip -n ${host} link add ${dev} type veth peer name `))!.split(" ")[11]!;
      return wiring.find((l) => l.includes(` link set ${link} master `))!.split(" ").pop();
    };
    expect(bridgeOf(edge, "eth1")).toBe(bridgeOf(node, "eth0"));
  });

  it("wires the far side's IPv6: its inside6 address on Tunnel70, its networks' IPv6 addresses, forwarding", () => {
    const dc = ns("far side dc-router (cisco-ios): router and networks");
    expect(wiring).toContain(`${dc}: ip -6 addr add fd00:70::1/126 dev Tunnel70 nodad`);
    expect(wiring).toContain(`${dc}: ip addr add 2001:db8:71::1/128 dev lo`);
    expect(wiring).toContain(`${dc}: sysctl -qw net.ipv6.conf.all.forwarding=1`);
    // to-cloud is IPv6-only inside: its one inside address is IPv6, without the IPv4 `peer` form
    const cloud = ns("far side cloud-gw (strongswan): router and networks");
    expect(wiring).toContain(`${cloud}: ip addr add fd00:71::1/126 dev Tunnel71 nodad`);
  });

  it("carries to-cloud's IPv6 outer addresses through the fabric with its IPv6 rules and routes, via a link-local next hop", () => {
    const fabric = ns("fabric: the networks' bridges and the underlay router");
    expect(wiring).toContain(`${fabric}: sysctl -qw net.ipv6.conf.all.forwarding=1`);
    expect(wiring.some((l) => l.startsWith(`${fabric}: ip -6 route add 2001:db8:ffff::72/128 dev `))).toBe(true);
    expect(wiring.some((l) => l.startsWith(`${fabric}: ip -6 route add 2001:db8:ffff::70/128 dev `))).toBe(true);
    expect(wiring.some((l) => /: ip -6 route add default via fe80::1 dev eth0$/.test(l))).toBe(true);
  });

  it("runs both BGP sessions of to-dc on each side: the far side's frr.conf has the IPv6 neighbour in its own address family", () => {
    const sides = plan.frr.map((f) => [f.node, f.neighbors.map((n) => `${n.address}${n.receives ? " receives" : ""}`)]);
    expect(sides).toEqual([
      ["edge", ["169.254.70.1 receives", "fd00:70::1 receives"]],
      ["dc-router", ["169.254.70.2 receives", "fd00:70::2 receives"]],
    ]);
    const conf = plan.frr.find((f) => f.node === "dc-router")!.conf;
    expect(conf).toContain("ipv6 prefix-list LAB-TO-DC-IN6 seq 5 permit 2001:db8:70::/64");
    expect(conf).toContain(" address-family ipv6 unicast\n  network 2001:db8:71::/48\n  neighbor fd00:70::2 activate\n");
    expect(conf).toContain("  no neighbor fd00:70::2 activate\n");
  });

  it.skipIf(missing("vtysh"))("renders a far-side frr.conf that vtysh --dryrun accepts", () => {
    const dir = mkdtempSync(join(tmpdir(), "sw-frr6-"));
    try {
      const file = join(dir, "frr.conf");
      writeFileSync(file, farSideFrrConf("dc-router", model.tunnels.filter((t) => t.bgp)));
      expect(execFileSync("vtysh", ["--dryrun", "-f", file], { encoding: "utf8" })).not.toMatch(/Unknown command/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives the pod an IPv6 address in cluster-internal6, its IPv6 NetworkPolicy filter and ip-masq-agent's ip6tables chain", () => {
    const pod = plan.pods[0]!;
    expect(pod.address6).toBe("fd10::2");
    expect(pod.filter6).toContain("-d 2001:db8:71:5::443/128 -p tcp -m tcp --dport 443");
    expect(pod.filter6).toContain("--icmpv6-type neighbour-solicitation -j RETURN");
    expect(pod.filter).not.toContain("2001:db8");
    expect(plan.masqAgent6).toContain("-d fd10::/48 -j RETURN");
    expect(wiring).toContain(`${pod.ns}: ip -6 route add default via fd10::1 dev eth0`);
  });

  it("probes each source to each destination of its own family, in explain's path order", () => {
    const flow = plan.probes.filter((p) => p.kind === "flow" && p.flow === "nodes-to-dc");
    expect(flow.map((p) => `${p.from.label} → ${p.to.address}`)).toEqual(["node-1 → 10.71.0.1", "node-1 → 2001:db8:71::1"]);
    const e = explain({ model, artifacts }, { flow: "nodes-to-dc" });
    for (const p of flow) expect(e.paths[p.explain.path as number]?.to).toContain(p.to.address);
  });
});

describe("NetworkPolicy filters per family", () => {
  const policy = {
    path: "cluster/shop/networkpolicy-x.yaml",
    content: [
      "apiVersion: networking.k8s.io/v1",
      "kind: NetworkPolicy",
      "metadata: { name: x, namespace: shop }",
      "spec:",
      "  podSelector: {}",
      "  policyTypes: [Egress]",
      "  egress:",
      "    - to: [{ ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] } }, { ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }]",
      "",
    ].join("\n"),
    mode: 0o644,
    kind: "k8s-manifest",
  };
  it("puts each family's blocks in its own filter, with their except entries", () => {
    const v4 = egressFilter([policy], "shop", {}, "pod0", "C").rules!;
    const v6 = egressFilter([policy], "shop", {}, "pod0", "C", 6).rules!;
    expect(v4).toContain("-d 10.0.0.0/8");
    expect(v4).not.toContain("2001:db8");
    expect(v6).toContain("-d 2001:db8::/32");
    expect(v6).toContain("-d 2001:db8:1::/48 -j RETURN");
    expect(v6).not.toContain("10.0.0.0/8");
  });
  it.skipIf(missing("ip6tables-restore", "root"))("loads into ip6tables (--test)", () => {
    const v6 = egressFilter([policy], "shop", {}, "pod0", "C", 6).rules!;
    execFileSync("ip6tables-restore", ["--test", "--noflush"], { input: v6 });
  });
});
