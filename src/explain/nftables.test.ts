/**
 * The explain engine reads the nftables backend's file (hosts.<h>.firewall.backend: nftables) as it reads the
 * iptables one: the same verdicts and hops, each decision cited at its line of /etc/sitewire/firewall.nft.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { compileSource } from "../compile/pipeline.js";
import { explainSource, type Explanation, type PathExplanation } from "./index.js";

const PARTNER = readFileSync(new URL("../../sites/partner-vpn.yaml", import.meta.url), "utf8");
const FIXTURE = readFileSync(new URL("../../test/fixtures/sites/nft-gateway.yaml", import.meta.url), "utf8");

function onNftables(text: string, edit: (intent: Record<string, any>) => void = () => {}): string {
  const intent = parse(text) as Record<string, any>;
  for (const h of Object.values(intent.hosts) as Record<string, any>[]) h.firewall = { ...h.firewall, backend: "nftables" };
  edit(intent);
  return stringify(intent);
}

function run(file: string, text: string, query: { flow?: string; from?: string; to?: string }): Explanation {
  const r = explainSource(file, text, query);
  expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return r.explanation!;
}

const stepAt = (p: PathExplanation, at: string, what: RegExp) => p.hops.filter((h) => h.at === at).flatMap((h) => h.steps).find((s) => what.test(s.what));
const hops = (e: Explanation) => e.paths.map((p) => p.hops.map((h) => `${h.direction[0]}:${h.kind} ${h.at} ${h.packet.src}>${h.packet.dst}`));

/** Every cited line holds the quoted text. */
function expectCitationsExact(file: string, text: string, e: Explanation): number {
  const artifacts = new Map(compileSource(file, text).artifacts.map((a) => [a.path, a.content.split("\n")]));
  let cited = 0;
  for (const s of e.paths.flatMap((p) => p.hops.flatMap((h) => h.steps)))
    if (s.artifact) {
      expect(artifacts.get(s.artifact.path)?.[s.artifact.line - 1]?.trim(), `${s.artifact.path}:${s.artifact.line}`).toBe(s.artifact.text);
      cited++;
    }
  return cited;
}

describe("explain with the nftables backend", () => {
  it("partner-vpn: the same hops and packets as with iptables, the accept, masquerade and clamp cited in the nft file", () => {
    const nftText = onNftables(PARTNER);
    const ipt = run("sites/partner-vpn.yaml", PARTNER, { flow: "partner-api" });
    const nft = run("sites/partner-vpn.yaml", nftText, { flow: "partner-api" });
    expect(nft.verdict).toEqual({ delivered: true });
    expect(hops(nft)).toEqual(hops(ipt));
    const remote = nft.paths[1]!;
    const fwd = stepAt(remote, "vpn-front", /^inet sitewire forward accepts 192\.168\.10\.1/)!;
    expect(fwd.artifact).toMatchObject({ path: "hosts/vpn-front/etc/sitewire/firewall.nft" });
    expect(fwd.artifact?.text).toBe('ip saddr 192.168.10.1/32 ip daddr 172.16.0.0/24 iifname "vpnnic" oifname "tun0" accept comment "flow partner-api"');
    expect(fwd.intent).toMatchObject({ key: "flows.partner-api" });
    expect(stepAt(remote, "vpn-front", /^MASQUERADE in inet sitewire postrouting/)?.artifact?.text).toBe('ip saddr 192.168.10.1/32 oifname "tun0" masquerade comment "flow partner-api"');
    expect(stepAt(remote, "vpn-front", /known connection/)?.artifact?.text).toBe("ct state established,related accept");
    expect(expectCitationsExact("sites/partner-vpn.yaml", nftText, nft)).toBeGreaterThan(3);

    const pods = run("sites/partner-vpn.yaml", nftText, { from: "payments/app=curl", to: "partner-api:tcp/8080" });
    expect(stepAt(pods.paths[1]!, "vpn-front", /MSS clamped to the path MTU/)?.artifact?.text).toMatch(/^meta nfproto ipv4 oifname "tun0" .* set rt mtu /);
  });

  it("without masquerade the flow dies where it does with iptables: no rule of the postrouting chain matches", () => {
    const broken = (t: string) => t.replace("    nat: masquerade", "    nat: none");
    const ipt = explainSource("sites/partner-vpn.yaml", broken(PARTNER), { flow: "partner-api" }).explanation!;
    const nft = explainSource("sites/partner-vpn.yaml", broken(onNftables(PARTNER)), { flow: "partner-api" }).explanation!;
    expect(nft.verdict).toEqual(ipt.verdict);
    expect(nft.verdict.delivered).toBe(false);
    expect(stepAt(nft.paths[0]!, "vpn-front", /^no inet sitewire postrouting rule matches/)).toBeDefined();
  });

  it("the fixture: ports narrow the accept (tcp/8080 passes, tcp/22 is dropped by forwardDefault: drop, cited)", () => {
    const ok = run("sites/nft-gateway.yaml", FIXTURE, { from: "desk", to: "10.62.0.1:tcp/8080" });
    expect(ok.verdict).toEqual({ delivered: true });
    expect(stepAt(ok.paths[0]!, "gw", /^inet sitewire forward accepts/)?.artifact?.text).toContain("tcp dport { 443, 8000-8099 } accept");
    expect(stepAt(ok.paths[0]!, "gw", /MSS set to 1360/)).toBeDefined();
    const dropped = explainSource("sites/nft-gateway.yaml", FIXTURE, { from: "desk", to: "10.62.0.1:tcp/22" }).explanation!;
    expect(dropped.verdict.delivered).toBe(false);
    const step = stepAt(dropped.paths[0]!, "gw", /^inet sitewire forward ends with DROP/)!;
    expect(step.artifact?.text).toBe('drop comment "forwardDefault: drop"');
    expect(step.intent).toMatchObject({ key: "hosts.gw.firewall.forwardDefault" });
  });
});
