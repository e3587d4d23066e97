/**
 * The lab's layout, without root: what stands for what, how the pieces are wired and which probes measure
 * which flow, for partner-vpn (links, tun0, pods) and the lab's IPsec site (engines, NAT in the fabric, far-side
 * routes). The live run is test/live/lab.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSource } from "../compile/pipeline.js";
import { PACKAGE_ROOT } from "../render/package-root.js";
import { freeBlocks, lastUsable, representative, usedPrefixes } from "./addresses.js";
import { isLabNamespace, labPrefix } from "./names.js";
import { LabPlanError, planLab, type Cmd, type LabPlan } from "./plan.js";
import { overlaps, parseCidr } from "../net/ip.js";

function compiled(file: string, edit: (text: string) => string = (t) => t) {
  const text = edit(readFileSync(join(PACKAGE_ROOT, file), "utf8"));
  const r = compileSource(file, text, { deliverability: false });
  if (!r.model) throw new Error(`${file}: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  return { model: r.model, artifacts: r.artifacts };
}

const line = (c: Cmd) => `${c.ns ?? "-"}: ${c.argv.join(" ")}`;
const wiringOf = (plan: LabPlan) => plan.wiring.map(line);

describe("partner-vpn's lab", () => {
  const { model, artifacts } = compiled("sites/partner-vpn.yaml");
  const plan = planLab(model, artifacts);
  const ns = (what: string) => plan.namespaces.find((n) => n.what === what)!.name;

  it("names every namespace with the site's prefix, at most 15 characters, each once", () => {
    expect(plan.prefix).toBe(labPrefix("partner-vpn"));
    expect(plan.prefix).not.toBe(labPrefix("partner-vpn2"));
    for (const n of plan.namespaces) {
      expect(n.name.length).toBeLessThanOrEqual(15);
      expect(isLabNamespace(plan.prefix, n.name)).toBe(true);
    }
    expect(new Set(plan.namespaces.map((n) => n.name)).size).toBe(plan.namespaces.length);
    expect(plan.namespaces.map((n) => n.what)).toEqual([
      "fabric: the networks' bridges and the underlay router",
      "host node-lan",
      "host node-remote",
      "host vpn-front",
      "beyond tun0 of vpn-front (172.16.0.0/24)",
      "pod payments/app=curl on node-lan",
      "pod payments/app=curl on node-remote",
    ]);
  });

  it("puts the two hosts of front-lan on one bridge and node-remote on its own, nothing in the machine's namespace", () => {
    const w = wiringOf(plan);
    const fabric = ns("fabric: the networks' bridges and the underlay router");
    expect(w).toContain(`${fabric}: ip link add br0 type bridge`);
    expect(w).toContain(`${fabric}: ip link add br1 type bridge`);
    const enslaved = w.filter((l) => / master br\d$/.test(l));
    expect(enslaved.filter((l) => l.endsWith("master br0"))).toHaveLength(2);
    expect(enslaved.filter((l) => l.endsWith("master br1"))).toHaveLength(1);
    // Commands without a namespace only create links directly inside lab namespaces.
    for (const c of plan.wiring.filter((x) => x.ns === undefined)) {
      expect(c.argv.slice(0, 3)).toEqual(["ip", "-n", expect.stringMatching(new RegExp(`^${plan.prefix}-`))]);
      expect(c.argv).toContain("netns");
    }
    // The router's address on each host network is one no host uses.
    expect(w).toContain(`${fabric}: ip addr add 10.24.3.254/22 dev br0`);
  });

  it("gives vpn-front its tun0 and, beyond it, the partner's addresses that the probes need", () => {
    const beyond = ns("beyond tun0 of vpn-front (172.16.0.0/24)");
    expect(wiringOf(plan)).toContain(`-: ip -n ${ns("host vpn-front")} link add tun0 type veth peer name wan0 netns ${beyond}`);
    expect(wiringOf(plan).filter((l) => l.startsWith(`${beyond}: ip addr add`))).toEqual([`${beyond}: ip addr add 172.16.0.1/24 dev wan0`, `${beyond}: ip addr add 172.16.0.138/24 dev wan0`]);
  });

  it("runs node-remote's tunnel script first: it makes both ends of the ipip link (the shim), vpn-front finds its end", () => {
    expect(plan.hostOrder.indexOf("node-remote")).toBeLessThan(plan.hostOrder.indexOf("vpn-front"));
    const remote = plan.hosts.find((h) => h.name === "node-remote")!;
    expect(remote.createsLinks).toEqual({ vpnnic: ns("host vpn-front") });
    expect(plan.hosts.find((h) => h.name === "vpn-front")!.createsLinks).toEqual({});
    const front = plan.hosts.find((h) => h.name === "vpn-front")!;
    expect(front.firewall?.rulesPath).toBe("/etc/sitewire/iptables.rules");
    expect(front.sysctl).toContain("net.ipv4.ip_forward = 1");
    expect(plan.hosts.find((h) => h.name === "node-lan")!.firewall).toBeUndefined();
  });

  it("probes the flow from each source and, from pods the allowlist lets out, on each node", () => {
    expect(plan.probes.map((p) => `${p.kind} ${p.from.label} → ${p.to.address} ${p.protocol}/${p.port}${p.defaultPort ? " default" : ""} @${p.to.place?.label}`)).toEqual([
      "flow node-lan → 172.16.0.1 tcp/7 default @beyond tun0 of vpn-front",
      "flow node-remote → 172.16.0.1 tcp/7 default @beyond tun0 of vpn-front",
      "pod pod payments/app=curl on node-lan → 172.16.0.138 tcp/8080 @beyond tun0 of vpn-front",
      "pod pod payments/app=curl on node-remote → 172.16.0.138 tcp/8080 @beyond tun0 of vpn-front",
    ]);
    expect(plan.probes.map((p) => p.explain)).toEqual([
      { query: { flow: "partner-api" }, path: 0 },
      { query: { flow: "partner-api" }, path: 1 },
      { query: { from: "payments/app=curl", to: "172.16.0.138:tcp/8080" }, path: "pod payments/app=curl on node-lan" },
      { query: { from: "payments/app=curl", to: "172.16.0.138:tcp/8080" }, path: "pod payments/app=curl on node-remote" },
    ]);
    expect(plan.listeners.map((l) => `${l.address} ${l.protocol}/${l.port}`)).toEqual(["172.16.0.138 tcp/8080", "172.16.0.1 tcp/7"]);
  });

  it("attaches pods to their nodes inside the cluster's own range, with the masq-agent chain and the egress filter", () => {
    expect(plan.nodes).toEqual(["node-lan", "node-remote"]);
    expect(plan.pods.map((p) => `${p.node} ${p.address}`)).toEqual(["node-lan 10.244.0.2", "node-remote 10.244.1.2"]);
    expect(plan.masqAgent).toContain("-j IP-MASQ-AGENT");
    const pod = plan.pods[0]!;
    expect(pod.policies).toContain("sitewire-egress-allowlist");
    expect(pod.filter).toContain("-A SWLAB-EGRESS-0 -d 172.16.0.138/32 -p tcp -m tcp --dport 8080");
    expect(pod.filter).toContain("-A PREROUTING -i pod0 -j SWLAB-EGRESS-0");
    expect(pod.filter!.split("\n").filter((l) => l.startsWith("-A SWLAB-EGRESS-0")).at(-1)).toMatch(/-j DROP$/);
  });

  it("asks for one flow only with --flow, and refuses a flow the site does not have", () => {
    expect(planLab(model, artifacts, { flow: "partner-api" }).probes).toHaveLength(4);
    expect(() => planLab(model, artifacts, { flow: "nope" })).toThrow(LabPlanError);
    expect(() => planLab(model, artifacts, { flow: "nope" })).toThrow(/flows: partner-api/);
  });
});

describe("the lab's IPsec site", () => {
  const { model, artifacts } = compiled("test/live/lab-sites/lab-ipsec.yaml");
  const plan = planLab(model, artifacts);
  const fabric = plan.namespaces[0]!.name;
  const w = wiringOf(plan);

  it("runs a route-based tunnel in two engines and a policy-based one in the host and a far engine", () => {
    const dc = plan.tunnels.find((t) => t.name === "dc")!;
    expect(dc.hostEngine?.inner).toEqual({ ns: plan.namespaces.find((n) => n.what === "host gw")!.name, device: "vti100", shimmed: true });
    expect(dc.peerEngine.inner.device).toBe("Tunnel100");
    expect(dc.peerEngine.charon.files.origin).toBe("stand-in");
    expect(dc.hostEngine?.charon.files.origin).toBe("emitted");
    expect(dc.hostEngine?.charon.files.swanctlConf).toMatch(/^ {2}dc \{$/m);
    expect(dc.hostEngine?.charon.files.swanctlConf).not.toMatch(/^ {2}branch \{$/m);
    const branch = plan.tunnels.find((t) => t.name === "branch")!;
    expect(branch.hostEngine).toBeUndefined();
    expect(branch.peerEngine.charon.files.origin).toBe("emitted");
    expect(plan.hosts[0]!.charon?.files.swanctlConf).toMatch(/^ {2}branch \{$/m);
    expect(plan.hosts[0]!.charon?.files.swanctlConf).not.toMatch(/^ {2}dc \{$/m);
    // Secrets stay placeholders in the plan: lab keys are made at build time only.
    expect(plan.hosts[0]!.charon?.files.swanctlConf).toContain("@@sitewire-secret:env:LAB_BRANCH_PSK@@");
  });

  it("NATs each end's public address in the fabric, one rule set per tunnel and interface", () => {
    const nat = plan.wiring.find((c) => c.ns === fabric && c.argv[0] === "iptables-restore")!.input!;
    expect(nat.split("\n")).toEqual([
      "*nat",
      // branch (policy-based): gw's own charon, on its bridge, behind its public address
      "-A PREROUTING -i p1 -d 198.51.100.10/32 -j DNAT --to-destination 172.16.1.10",
      "-A POSTROUTING -o p1 -s 172.16.1.10/32 -j SNAT --to-source 198.51.100.10",
      // dc (route-based): the router's public address towards gw's engine, and gw's towards the router's engine
      "-A PREROUTING -i e4 -d 203.0.113.5/32 -j DNAT --to-destination 10.10.1.100",
      "-A POSTROUTING -o e4 -s 10.10.1.100/32 -j SNAT --to-source 203.0.113.5",
      "-A PREROUTING -i p3 -d 198.51.100.10/32 -j DNAT --to-destination 172.16.1.10",
      "-A POSTROUTING -o p3 -s 172.16.1.10/32 -j SNAT --to-source 198.51.100.10",
      "COMMIT",
      "",
    ]);
    // Each engine pair is a wire through the fabric: what comes from one engine goes to the other.
    expect(w).toContain(`${fabric}: ip rule add priority 1002 iif e4 lookup 1002`);
    expect(w).toContain(`${fabric}: ip route add 10.10.1.100/32 dev p3 table 1002`);
    expect(w).toContain(`${fabric}: ip rule add priority 1000 iif br0 from 172.16.1.10 lookup 1000`);
  });

  it("gives the far side the routes the model gives it, and nothing more", () => {
    const dcRouter = plan.namespaces.find((n) => n.what.startsWith("far side dc-router"))!.name;
    expect(w.filter((l) => l.startsWith(`${dcRouter}: ip route add`))).toEqual([`${dcRouter}: ip route add 172.16.1.0/24 dev Tunnel100 metric 100`]);
    expect(w).toContain(`${dcRouter}: ip addr add 169.254.100.1/30 peer 169.254.100.2/30 dev Tunnel100`);
  });

  it("places the flows' ends: pods behind gw (a lan namespace, routed by gw), the data centre and the branch at their far sides", () => {
    expect(plan.probes.map((p) => `${p.from.label} (${p.from.bind}) → ${p.to.address} @${p.to.place?.label}`)).toEqual([
      "gw-lan behind gw (172.16.1.1) → 10.2.0.1 @behind branch-gw",
      "pods behind gw (10.90.0.1) → 10.10.0.1 @behind dc-router",
    ]);
    const gw = plan.namespaces.find((n) => n.what === "host gw")!.name;
    expect(w).toContain(`${gw}: ip route add 10.90.0.0/16 dev eth0 metric 4000`);
  });
});

describe("dc-bgp's lab: BGP over two tunnels", () => {
  const { model, artifacts } = compiled("sites/dc-bgp.yaml");
  const plan = planLab(model, artifacts);

  it("runs the host's emitted frr.conf and a far side rendered from the model's peer side of each session", () => {
    expect(plan.frr.map((f) => `${f.node} ${f.origin} ${f.neighbors.map((n) => `${n.tunnel}:${n.address}:${n.receives}`).join(" ")}`)).toEqual([
      "k8s-gw emitted isp1:169.254.80.1:true isp2:169.254.80.6:true",
      "dc-router rendered isp1:169.254.80.2:true isp2:169.254.80.5:true",
    ]);
    expect(plan.frr[0]!.conf).toBe(artifacts.find((a) => a.path === "hosts/k8s-gw/etc/frr/frr.conf")!.content);
    const far = plan.frr[1]!.conf.split("\n");
    expect(far).toContain("router bgp 65090");
    expect(far).toContain(" bgp router-id 10.90.255.1");
    expect(far).toContain(" neighbor 169.254.80.2 remote-as 65080");
    expect(far).toContain(" neighbor 169.254.80.2 timers 5 15");
    expect(far).toContain("  network 10.90.0.0/16");
    expect(far).toContain("ip prefix-list LAB-ISP1-IN seq 5 permit 10.80.0.0/20");
    // The secondary tunnel: prepended, a higher MED, a lower local preference, as the host's side does.
    expect(far).toContain(" set as-path prepend 65090 65090");
    expect(far.filter((l) => l.startsWith(" set local-preference"))).toEqual([" set local-preference 200", " set local-preference 100"]);
  });

  it("gives the far side no static route into a BGP tunnel: its routes are what BGP learns", () => {
    expect(plan.wiring.filter((c) => c.argv.join(" ").startsWith("ip route add") && c.argv.includes("Tunnel1"))).toEqual([]);
  });
});

describe("addresses the lab invents", () => {
  it("never overlap what the site uses", () => {
    const { model } = compiled("sites/partner-vpn.yaml");
    const used = usedPrefixes(model);
    const blocks = freeBlocks(24, 40, used, ["10.24.0.0/16"]);
    for (const b of blocks) for (const u of used) expect(overlaps(b, u), `${b.cidr} overlaps ${u.cidr}`).toBe(false);
    // 10.0.0.0/8 is the site's (cluster-internal): the preferred pool is passed over.
    expect(blocks[0]!.cidr).toBe("169.254.255.0/24");
    const outsideCluster = used.filter((u) => u.cidr !== "10.0.0.0/8");
    expect(freeBlocks(24, 2, outsideCluster, ["10.24.0.0/16"]).map((b) => b.cidr)).toEqual(["10.24.4.0/24", "10.24.5.0/24"]);
    expect(representative(parseCidr("10.0.0.0/8").prefix)).toBe("10.0.0.1");
    expect(lastUsable(parseCidr("10.2.0.0/24").prefix)).toBe("10.2.0.254");
    expect(lastUsable(parseCidr("172.16.0.138/32").prefix)).toBe("172.16.0.138");
  });
});
