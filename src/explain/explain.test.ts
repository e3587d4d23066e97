/**
 * The explain engine on the example sites and on mutated intents: verdicts, the hop that drops, and that
 * every citation points at the exact artifact and intent line it names.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSource } from "../compile/pipeline.js";
import { explainSource, QueryError, type Explanation, type PathExplanation } from "./index.js";

const site = (name: string) => readFileSync(new URL(`../../sites/${name}.yaml`, import.meta.url), "utf8");
const PARTNER = site("partner-vpn");
const BJS = site("bjs-hybrid");

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/sites/${name}.yaml`, import.meta.url), "utf8");

function run(name: string, text: string, query: { flow?: string; from?: string; to?: string }, file = `sites/${name}.yaml`): Explanation {
  const r = explainSource(file, text, query);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.explanation!;
}

function mutate(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.split(from).join(to);
}

/** Every cited artifact line holds the text the step quotes; every intent line exists in the file. */
function expectCitationsExact(name: string, text: string, e: Explanation, file = `sites/${name}.yaml`) {
  const artifacts = new Map(compileSource(file, text).artifacts.map((a) => [a.path, a.content.split("\n")]));
  const intent = text.split("\n");
  let cited = 0;
  for (const p of e.paths)
    for (const h of p.hops)
      for (const s of h.steps) {
        if (s.artifact) {
          expect(artifacts.get(s.artifact.path)?.[s.artifact.line - 1]?.trim(), `${s.artifact.path}:${s.artifact.line}`).toBe(s.artifact.text);
          cited++;
        }
        if (s.intent) {
          expect(s.intent.line).toBeGreaterThan(0);
          const last = String(s.intent.key.split(".").pop());
          expect(intent[s.intent.line - 1], `${s.intent.key} at line ${s.intent.line}`).toContain(last);
        }
      }
  expect(cited).toBeGreaterThan(3);
}

const hopsOf = (p: PathExplanation) => p.hops.map((h) => `${h.direction[0]}:${h.kind} ${h.at}`);
const stepAt = (p: PathExplanation, at: string, what: RegExp) => p.hops.filter((h) => h.at === at).flatMap((h) => h.steps).find((s) => what.test(s.what));

describe("explain on partner-vpn", () => {
  it("flow partner-api is delivered from both nodes, NAT out tun0 at vpn-front, replies back", () => {
    const e = run("partner-vpn", PARTNER, { flow: "partner-api" });
    expect(e.verdict).toEqual({ delivered: true });
    expect(e.paths.map((p) => p.from)).toEqual(["node-lan", "node-remote"]);
    const remote = e.paths[1]!;
    expect(hopsOf(remote)).toEqual([
      "f:host node-remote",
      "f:link vpnnic",
      "f:host vpn-front",
      "f:network tun0 of vpn-front",
      "r:network tun0 of vpn-front",
      "r:host vpn-front",
      "r:link vpnnic",
      "r:host node-remote",
    ]);
    expect(stepAt(remote, "node-remote", /^route 172\.16\.0\.0\/24 via 192\.168\.10\.2 dev vpnnic/)?.artifact?.path).toBe("hosts/node-remote/usr/local/sbin/sitewire-tunnels");
    const fwd = stepAt(remote, "vpn-front", /^SITEWIRE-FORWARD accepts 192\.168\.10\.1/)!;
    expect(fwd.artifact?.text).toMatch(/^-A SITEWIRE-FORWARD -s 192\.168\.10\.1\/32 -d 172\.16\.0\.0\/24 -i vpnnic -o tun0 /);
    expect(fwd.intent).toMatchObject({ file: "sites/partner-vpn.yaml", key: "flows.partner-api" });
    const nat = stepAt(remote, "vpn-front", /^MASQUERADE/)!;
    expect(nat.artifact?.text).toMatch(/^-A SITEWIRE-POSTROUTING -s 192\.168\.10\.1\/32 -o tun0 .*-j MASQUERADE$/);
    expect(remote.hops[3]!.packet).toEqual({ src: "172.16.0.10", dst: "172.16.0.1" });
    // the reply: conntrack undoes the NAT and accepts it as part of the connection
    expect(stepAt(remote, "vpn-front", /conntrack reverses/)?.what).toContain("172.16.0.10 → 192.168.10.1");
    expect(stepAt(remote, "vpn-front", /known connection/)?.artifact?.text).toBe("-A SITEWIRE-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
    expectCitationsExact("partner-vpn", PARTNER, e);
  });

  it("pods: NetworkPolicy allows the port, ip-masq-agent masquerades, each node's path, MSS clamp on tun0", () => {
    const e = run("partner-vpn", PARTNER, { from: "payments/app=curl", to: "partner-api:tcp/8080" });
    expect(e.verdict.delivered).toBe(true);
    expect(e.paths.map((p) => p.from)).toEqual(["pod payments/app=curl on node-lan", "pod payments/app=curl on node-remote"]);
    const p = e.paths[1]!;
    expect(p.hops[0]!.kind).toBe("cluster");
    expect(p.hops[0]!.steps[0]!.artifact).toMatchObject({ path: "cluster/payments/networkpolicy-sitewire-egress-allowlist.yaml", text: "cidr: 172.16.0.138/32" });
    expect(stepAt(p, "node-remote", /ip-masq-agent masquerades/)?.what).toContain("→ 192.168.10.1");
    expect(stepAt(p, "vpn-front", /MSS clamped/)?.artifact?.text).toMatch(/^-A SITEWIRE-MSS -o tun0 /);
    expect(p.hops.at(-1)!.steps.at(-1)!.what).toMatch(/delivered to the pod/);
    expectCitationsExact("partner-vpn", PARTNER, e);
  });

  it("an egress policy missing the port: dropped at hop 1 in the cluster", () => {
    const text = mutate(PARTNER, "ports: [tcp/8080]", "ports: [tcp/9090]");
    const e = run("partner-vpn", text, { from: "payments/app=curl", to: "partner-api:tcp/8080" });
    expect(e.verdict).toMatchObject({ delivered: false, hop: 1 });
    expect(!e.verdict.delivered && e.verdict.reason).toMatch(/NetworkPolicy sitewire-default-deny-egress .* no policy allows 172\.16\.0\.138 tcp\/8080/);
    expect(!e.verdict.delivered && e.verdict.hint).toContain("cluster.egress");
    // the port the policy does allow still goes through
    expect(run("partner-vpn", text, { from: "payments/app=curl", to: "partner-api:tcp/9090" }).verdict.delivered).toBe(true);
  });

  it("masquerade removed in the cluster: pod addresses pass vpn-front but the reply cannot return through tun0", () => {
    const text = mutate(PARTNER, "nonMasqueradeCIDRs: [cluster-internal]", "nonMasqueradeCIDRs: [cluster-internal, partner-vpn]");
    const e = run("partner-vpn", text, { from: "payments/app=curl", to: "partner-api:tcp/8080" });
    const p = e.paths[0]!;
    expect(p.verdict).toMatchObject({ delivered: false, hop: 5 });
    expect(p.hops[4]).toMatchObject({ direction: "reply", kind: "network", at: "tun0 of vpn-front" });
    expect(!p.verdict.delivered && p.verdict.reason).toMatch(/^no route back: the reply to the pod's address .* must return through tun0/);
    expect(stepAt(p, "node-lan", /does not masquerade/)?.artifact?.text).toMatch(/-d 172\.16\.0\.0\/24 -j RETURN$/);
  });

  it("the flow's masquerade removed (nat: none): the reply has no way back", () => {
    const e = run("partner-vpn", mutate(PARTNER, "    nat: masquerade", "    nat: none"), { flow: "partner-api" });
    expect(e.verdict).toMatchObject({ delivered: false, hop: 4 });
    expect(!e.verdict.delivered && e.verdict.reason).toMatch(/no route back: the reply to 10\.24\.0\.10 must return through tun0/);
  });

  it("a route removed (node-remote no longer a source of the flow): dropped at hop 1, no route", () => {
    const e = run("partner-vpn", mutate(PARTNER, "from: [node-lan, node-remote]", "from: [node-lan]"), { from: "node-remote", to: "partner-api:tcp/8080" });
    expect(e.verdict).toMatchObject({ delivered: false, hop: 1 });
    expect(!e.verdict.delivered && e.verdict.reason).toBe("node-remote has no route to 172.16.0.138 (only its own default route, which sitewire does not manage)");
  });

  it("a flow from a network enters at the flow's gateway and its reply goes back there", () => {
    const text = mutate(PARTNER, "from: [node-lan, node-remote]", "from: [node-lan, node-remote, office-clients]");
    const e = run("partner-vpn", text, { flow: "partner-api" });
    expect(e.verdict.delivered).toBe(true);
    const p = e.paths[2]!;
    expect(p.from).toBe("office-clients");
    expect(hopsOf(p)).toEqual(["f:network office-clients", "f:host vpn-front", "f:network tun0 of vpn-front", "r:network tun0 of vpn-front", "r:host vpn-front", "r:network office-clients"]);
    expect(stepAt(p, "vpn-front", /^MASQUERADE/)?.artifact?.text).toMatch(/^-A SITEWIRE-POSTROUTING -s 192\.168\.100\.0\/24 -o tun0 /);
    expectCitationsExact("partner-vpn", text, e);
  });

  it("refuses questions the site cannot answer", () => {
    expect(() => run("partner-vpn", PARTNER, { flow: "nope" })).toThrow(QueryError);
    expect(() => run("partner-vpn", PARTNER, { from: "nowhere", to: "partner-api" })).toThrow(/not a host, network/);
    expect(() => run("partner-vpn", PARTNER, { from: "node-lan", to: "partner-api:tcp/99999" })).toThrow(/1-65535/);
  });
});

describe("explain on bjs-hybrid", () => {
  it("tunnel routes: vpc → onprem is delivered both ways through vpn1, the IOS route back tracked", () => {
    const e = run("bjs-hybrid", BJS, { from: "vpc", to: "onprem:tcp/443" });
    expect(e.verdict.delivered).toBe(true);
    const p = e.paths[0]!;
    expect(hopsOf(p)).toEqual([
      "f:network vpc",
      "f:host strongswan-1",
      "f:tunnel vpn1",
      "f:far-side dc-router-1",
      "r:far-side dc-router-1",
      "r:tunnel vpn1",
      "r:host strongswan-1",
      "r:network vpc",
    ]);
    expect(stepAt(p, "strongswan-1", /^ip rule priority 10/)?.artifact?.text).toBe("ensure_rule 4 10 10 ip rule add priority 10 lookup 10");
    expect(stepAt(p, "vpn1", /marked 100/)?.artifact).toMatchObject({ path: "hosts/strongswan-1/etc/strongswan/swanctl/conf.d/sitewire.conf", text: "mark_out = 100" });
    expect(stepAt(p, "dc-router-1", /^static route 172\.16\.0\.0\/16/)?.artifact).toMatchObject({ path: "devices/dc-router-1/ios.cfg", text: "ip route 172.16.0.0 255.255.0.0 Tunnel100 169.254.100.2 tag 100 track 100" });
    expect(stepAt(p, "dc-router-1", /track 100/)?.artifact?.text).toBe("track 100 ip sla 10 reachability");
    expect(stepAt(p, "strongswan-1", /MSS set to 1396/)).toBeDefined();
    expectCitationsExact("bjs-hybrid", BJS, e);
  });

  it("onprem → vpc starts at the router and is delivered both ways", () => {
    const e = run("bjs-hybrid", BJS, { from: "onprem", to: "vpc" });
    expect(e.verdict.delivered).toBe(true);
    expect(hopsOf(e.paths[0]!).slice(0, 4)).toEqual(["f:far-side dc-router-1", "f:tunnel vpn1", "f:host strongswan-1", "f:network vpc"]);
    expect(stepAt(e.paths[0]!, "strongswan-1", /SITEWIRE-FORWARD accepts 10\.10\.0\.1/)?.artifact?.text).toMatch(/^-A SITEWIRE-FORWARD -s 10\.10\.0\.0\/16 -d 172\.16\.0\.0\/16 -i tunnel1 /);
  });

  it("a tunnel's toHost lacking the source: the far side has no route back", () => {
    const e = run("bjs-hybrid", mutate(BJS, "toHost: [vpc]", "toHost: [172.16.2.0/24]"), { from: "172.16.1.0/24", to: "onprem:tcp/443" });
    expect(e.verdict).toMatchObject({ delivered: false, hop: 5 });
    const p = e.paths[0]!;
    expect(p.hops[4]).toMatchObject({ direction: "reply", kind: "far-side", at: "dc-router-1" });
    expect(!p.verdict.delivered && p.verdict.reason).toBe("no route back: dc-router-1 has no route to 172.16.1.1 (tunnel vpn1 routes only 172.16.2.0/24 to strongswan-1)");
    expect(!p.verdict.delivered && p.verdict.hint).toContain("tunnels.vpn1.routes.toHost");
  });

  it("a tunnel route removed (toPeer narrowed): the gateway has no route", () => {
    const e = run("bjs-hybrid", mutate(BJS, "toPeer: [onprem]", "toPeer: [10.10.2.0/24]"), { from: "vpc", to: "onprem" });
    expect(e.verdict).toMatchObject({ delivered: false, hop: 2 });
    expect(!e.verdict.delivered && e.verdict.reason).toMatch(/^strongswan-1 has no route to 10\.10\.0\.1/);
  });
});

describe("explain on every example site and fixture", () => {
  const sites = [
    ...readdirSync(new URL("../../sites/", import.meta.url)).map((f) => `sites/${f}`),
    ...["onprem-bgp-cisco", "aws-tgw-bgp", "bgp-pair", "sw-policy", "ikev2-cisco"].map((n) => `test/fixtures/sites/${n}.yaml`),
  ].filter((f) => f.endsWith(".yaml"));

  it.each(sites)("%s: every flow and every tunnel route is delivered both ways, every citation exact", (file) => {
    const text = readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");
    const name = file.split("/").pop()!.replace(/\.yaml$/, "");
    const { model } = compileSource(file, text);
    expect(model).toBeDefined();
    const questions: { flow?: string; from?: string; to?: string }[] = model!.flows.map((f) => ({ flow: f.name }));
    for (const t of model!.tunnels)
      for (const h of t.toHost)
        for (const p of t.toPeer) questions.push({ from: h.cidr, to: `${p.cidr}:tcp/443` }, { from: p.cidr, to: `${h.cidr}:tcp/443` });
    expect(questions.length).toBeGreaterThan(0);
    for (const q of questions) {
      const e = run(name, text, q, file);
      expect(e.verdict, JSON.stringify(q)).toEqual({ delivered: true });
      expect(e.paths.every((p) => p.hops.some((h) => h.direction === "reply"))).toBe(true);
      // what the hosts and devices do is always cited at its rendered line
      const decisive = e.paths.flatMap((p) => p.hops.flatMap((h) => h.steps)).filter((s) => /^(route [\d:a-f]|ip -6 route |ip rule |ip -6 rule |SITEWIRE-FORWARD |inet sitewire forward accepts |MASQUERADE |vti |xfrm |ipip |IPsec SA |static route |TCP SYN)/.test(s.what));
      expect(decisive.length).toBeGreaterThan(0);
      for (const s of decisive) expect(s.artifact, s.what).toBeDefined();
      expectCitationsExact(name, text, e, file);
    }
  });
});

describe("explain with BGP and policy-based tunnels", () => {
  const FILE = "test/fixtures/sites/onprem-bgp-cisco.yaml";
  const BGP = fixture("onprem-bgp-cisco");

  it("routes learned by BGP on both ends, cited at the prefix lists that accept them", () => {
    const e = run("onprem-bgp-cisco", BGP, { from: "gw-lan", to: "dc-lan:tcp/22" }, FILE);
    expect(e.verdict.delivered).toBe(true);
    const p = e.paths[0]!;
    const host = stepAt(p, "gw", /learned by BGP from dc-router/)!;
    expect(host.what).toMatch(/^route 10\.80\.0\.0\/16 via 169\.254\.61\.1 dev vti61: learned by BGP/);
    expect(host.artifact).toMatchObject({ path: "hosts/gw/etc/frr/frr.conf", text: "ip prefix-list sitewire-a-in seq 5 permit 10.80.0.0/16" });
    expect(host.intent?.key).toBe("tunnels.a.bgp");
    const far = stepAt(p, "dc-router", /learned by BGP from gw/)!;
    expect(far.artifact).toMatchObject({ path: "devices/dc-router/ios.cfg", text: "ip prefix-list sitewire-a-in seq 5 permit 10.70.0.0/24" });
  });

  it("a source the host does not announce: the far side has no BGP route back", () => {
    const text = mutate(
      mutate(BGP, "preference: primary }", "preference: primary, announce: { host: [10.70.0.0/25] } }"),
      "bgp: { preference: secondary }",
      "bgp: { preference: secondary, announce: { host: [10.70.0.0/25] } }",
    );
    const e = run("onprem-bgp-cisco", text, { from: "10.70.0.128/25", to: "dc-lan" }, FILE);
    expect(e.verdict).toMatchObject({ delivered: false, hop: 5 });
    expect(e.paths[0]!.hops[4]).toMatchObject({ direction: "reply", kind: "far-side", at: "dc-router" });
    expect(!e.verdict.delivered && e.verdict.reason).toBe(
      "no route back: dc-router has no route to 10.70.0.129 (over tunnel a, gw announces 10.70.0.0/25 and dc-router accepts 10.70.0.0/25)",
    );
    // the announced half still works
    expect(run("onprem-bgp-cisco", text, { from: "10.70.0.0/25", to: "dc-lan" }, FILE).verdict.delivered).toBe(true);
  });

  it("policy-based: a source outside the selectors is dropped at the gateway", () => {
    const file = "test/fixtures/sites/sw-policy.yaml";
    const text = fixture("sw-policy");
    const ok = run("sw-policy", text, { from: "10.1.0.0/24", to: "10.2.0.0/24" }, file);
    expect(stepAt(ok.paths[0]!, "gw-a", /IPsec policy of tunnel hq-branch matches/)?.artifact?.text).toBe("local_ts = 10.1.0.0/24");
    const e = run("sw-policy", text, { from: "gw-a", to: "10.2.0.0/24" }, file);
    expect(e.verdict).toMatchObject({ delivered: false, hop: 1 });
    expect(!e.verdict.delivered && e.verdict.reason).toBe("tunnel hq-branch's selectors exclude source 198.51.100.1: the packet would leave unencrypted");
  });
});

describe("explain with XFRM interfaces (sw-xfrm: two XFRM interfaces and a vti on one host)", () => {
  const FILE = "test/fixtures/sites/sw-xfrm.yaml";
  const XFRM = fixture("sw-xfrm");

  it("the tunnel hop cites the xfrm device and the SA's if_id in that tunnel's own swanctl block, both ways", () => {
    const e = run("sw-xfrm", XFRM, { from: "edge-lan", to: "hub-lan:tcp/443" }, FILE);
    expect(e.verdict.delivered).toBe(true);
    expectCitationsExact("sw-xfrm", XFRM, e, FILE);
    const swanctl = "hosts/edge-1/etc/swanctl/conf.d/sitewire.conf";
    const lines = compileSource(FILE, XFRM).artifacts.find((a) => a.path === swanctl)!.content.split("\n");
    const block = (name: string) => [lines.indexOf(`  ${name} {`) + 1, lines.indexOf("  }", lines.indexOf(`  ${name} {`)) + 1];
    const [from, to] = block("to-hub");
    const p = e.paths[0]!;
    const device = p.hops.flatMap((h) => h.steps).find((s) => /^xfrm xfrm20 /.test(s.what))!;
    expect(device.what).toBe("xfrm xfrm20 (if_id 20) dev eth0, 203.0.113.10 → 203.0.113.20");
    expect(device.artifact).toMatchObject({ path: "hosts/edge-1/usr/local/sbin/sitewire-tunnels", text: "ip link add xfrm20 type xfrm dev eth0 if_id 20" });
    const sas = p.hops.flatMap((h) => h.steps).filter((s) => /^IPsec SA of tunnel to-hub/.test(s.what));
    expect(sas.map((s) => s.what)).toEqual(["IPsec SA of tunnel to-hub belongs to if_id 20", "IPsec SA of tunnel to-hub, hub → edge-1"]);
    for (const s of sas) {
      expect(s.artifact).toMatchObject({ path: swanctl, text: "if_id_out = 20" });
      expect(s.artifact!.line).toBeGreaterThan(from!);
      expect(s.artifact!.line).toBeLessThan(to!);
    }
  });

  it("the vti tunnel beside them still cites its mark", () => {
    const e = run("sw-xfrm", XFRM, { from: "edge-lan", to: "legacy-lan:tcp/443" }, FILE);
    expect(e.verdict.delivered).toBe(true);
    const steps = e.paths[0]!.hops.flatMap((h) => h.steps);
    expect(steps.find((s) => /^vti vti40 /.test(s.what))?.artifact?.text).toBe("ip link add vti40 type vti local 203.0.113.10 remote 203.0.113.40 key 40");
    expect(steps.filter((s) => /^IPsec SA of tunnel to-legacy/.test(s.what)).map((s) => s.artifact?.text)).toEqual(["mark_out = 40", "mark_out = 40"]);
  });
});
