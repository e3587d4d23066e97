import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { namesUnder, readPanosSet, valueOf, valuesOf, type PanosStatement } from "../../../test/readers/panos-set.js";
import { compileSource } from "../../compile/pipeline.js";
import type { SiteModel } from "../../model/types.js";
import { TARGETS } from "../registry.js";
import { device } from "./index.js";
import { objectName } from "./names.js";
import { platform } from "./platform.js";
import { panosComment, panosString } from "./quote.js";
import { renderDevice } from "./render.js";

const FIXTURE = "test/fixtures/sites/paloalto-panos.yaml";
const fixture = readFileSync(new URL(`../../../${FIXTURE}`, import.meta.url), "utf8");

function compiled(text: string): { model: SiteModel; config: string } {
  const result = compileSource(FIXTURE, text, { targets: TARGETS.filter((t) => t.name === platform.folder) });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const config = result.artifacts.find((a) => a.path === "devices/pa-fw/panos.set");
  if (!result.model || !config) throw new Error("no devices/pa-fw/panos.set");
  return { model: result.model, config: config.content };
}

const { model, config } = compiled(fixture);
const lines = config.trimEnd().split("\n");
const statements = readPanosSet(config);
const gw = (tunnel: string, ...path: string[]) => valueOf(statements, "network", "ike", "gateway", `sitewire-${tunnel}`, ...path);
const ikeProfile = (tunnel: string, key: string) => valuesOf(statements, "network", "ike", "crypto-profiles", "ike-crypto-profiles", `sitewire-${tunnel}`, key);
const ipsecProfile = (tunnel: string, ...key: string[]) => valuesOf(statements, "network", "ike", "crypto-profiles", "ipsec-crypto-profiles", `sitewire-${tunnel}`, ...key);
const bgp = (...path: string[]) => valuesOf(statements, "network", "virtual-router", "default", "protocol", "bgp", ...path);

/** The lines that name one tunnel's objects (`sitewire-<t>` as a word or before a suffix) or its interface. */
function linesOfTunnel(text: string, tunnel: string, iface: string): string[] {
  const name = new RegExp(`(?:^| )sitewire-${tunnel}(?:-[a-z0-9]+)?(?: |$)|(?:^| )${iface.replace(".", "\\.")}(?: |$)`);
  return text.split("\n").filter((l) => name.test(l));
}

describe("PAN-OS target", () => {
  it("emits devices/<peer>/panos.set of kind panos-set, every line a set command the reader accepts", () => {
    const result = compileSource(FIXTURE, fixture, { targets: TARGETS.filter((t) => t.name === "paloalto-panos") });
    expect(result.artifacts.filter((a) => a.kind === "panos-set").map((a) => [a.path, a.mode, a.device])).toEqual([["devices/pa-fw/panos.set", 0o644, "pa-fw"]]);
    expect(lines.every((l) => l.startsWith("set "))).toBe(true);
    expect(new Set(statements.map((x) => x.line)).size).toBe(lines.length);
    expect(device.platform).toBe(platform);
  });

  it("writes each pre-shared key as its quoted placeholder, never a value", () => {
    const keys = lines.filter((l) => l.includes(" pre-shared-key key "));
    expect(keys).toEqual([
      'set network ike gateway sitewire-branch-v1 authentication pre-shared-key key "@@sitewire-secret:env:PA_BRANCH_V1_PSK@@"',
      'set network ike gateway sitewire-branch-v2 authentication pre-shared-key key "@@sitewire-secret:env:PA_BRANCH_V2_PSK@@"',
      'set network ike gateway sitewire-dc-a authentication pre-shared-key key "@@sitewire-secret:env:PA_DC_A_PSK@@"',
      'set network ike gateway sitewire-dc-b authentication pre-shared-key key "@@sitewire-secret:env:PA_DC_B_PSK@@"',
    ]);
  });

  it("chooses the IKE version per tunnel: IKEv1 main mode with DPD retries from the timeout, IKEv2 liveness check", () => {
    expect(gw("branch-v1", "protocol", "version")).toBe("ikev1");
    expect(gw("branch-v1", "protocol", "ikev1", "exchange-mode")).toBe("main");
    expect(gw("branch-v1", "protocol", "ikev1", "ike-crypto-profile")).toBe("sitewire-branch-v1");
    // delay 10s, timeout 40s: probe every 10 s, give up after 4 retries.
    expect([gw("branch-v1", "protocol", "ikev1", "dpd", "interval"), gw("branch-v1", "protocol", "ikev1", "dpd", "retry")]).toEqual(["10", "4"]);
    expect(gw("branch-v2", "protocol", "version")).toBe("ikev2");
    expect(gw("branch-v2", "protocol", "ikev2", "dpd", "interval")).toBe("10");
    expect(lines.filter((l) => l.includes("sitewire-branch-v2 protocol ikev1"))).toEqual([]);
    expect(lines.filter((l) => l.includes("sitewire-branch-v1 protocol ikev2"))).toEqual([]);
  });

  it("translates one strongSwan proposal into one crypto profile: lists of every kind, GCM with authentication none, one PFS group", () => {
    expect(ikeProfile("branch-v2", "encryption")).toEqual(["aes-256-cbc", "aes-128-cbc"]);
    expect(ikeProfile("branch-v2", "hash")).toEqual(["sha384"]);
    expect(ikeProfile("branch-v2", "dh-group")).toEqual(["group20", "group15"]);
    expect(ipsecProfile("branch-v2", "esp", "encryption")).toEqual(["aes-256-gcm"]);
    expect(ipsecProfile("branch-v2", "esp", "authentication")).toEqual(["none"]);
    expect(ipsecProfile("branch-v2", "dh-group")).toEqual(["group20"]);
    expect(ipsecProfile("branch-v1", "esp", "authentication")).toEqual(["sha256"]);
    expect(ipsecProfile("branch-v1", "dh-group")).toEqual(["group14"]);
    expect(ikeProfile("branch-v1", "lifetime")).toEqual([]);
    expect(valueOf(statements, "network", "ike", "crypto-profiles", "ike-crypto-profiles", "sitewire-branch-v1", "lifetime", "seconds")).toBe("28800");
    expect(valueOf(statements, "network", "ike", "crypto-profiles", "ipsec-crypto-profiles", "sitewire-branch-v1", "lifetime", "seconds")).toBe("3600");
    expect(lines).toContain("set network ike crypto-profiles ike-crypto-profiles sitewire-branch-v2 dh-group [ group20 group15 ]");
  });

  it("writes no PFS as no-pfs, and refuses a tunnel the rules should have stopped instead of guessing", () => {
    const noPfs = compiled(fixture.replace("esp: { proposals: [aes128-sha256-modp2048], lifetime: 1h }", "esp: { proposals: [aes128-sha256], lifetime: 1h }")).config;
    expect(noPfs).toContain("\nset network ike crypto-profiles ipsec-crypto-profiles sitewire-branch-v1 dh-group no-pfs\n");
    const gcmIke = structuredClone(model) as { tunnels: { name: string; peer: { ike: { proposals: unknown[] } } }[] } & SiteModel;
    const v2 = model.tunnels.find((t) => t.name === "branch-v2")!;
    (gcmIke.tunnels.find((t) => t.name === "branch-v2")!.peer.ike.proposals as unknown[]) = [{ ...v2.peer.ike.proposals[0]!, text: "aes256gcm16-prfsha384-ecp384", encryption: ["aes256gcm16"], integrity: [], prf: ["prfsha384"], dh: ["ecp384"] }];
    expect(() => renderDevice(gcmIke, model.peers[0]!)).toThrow(/SW123 or SW208 should have stopped it/);
  });

  it("binds the gateway to the device's address for the tunnel, expects the gateway's, and sends address identities", () => {
    expect(gw("branch-v1", "local-address", "ip")).toBe("203.0.113.11");
    expect(gw("branch-v2", "local-address", "ip")).toBe("203.0.113.10");
    expect(gw("dc-b", "peer-address", "ip")).toBe("198.51.100.20");
    expect([gw("dc-a", "local-id", "type"), gw("dc-a", "local-id", "id"), gw("dc-a", "peer-id", "type"), gw("dc-a", "peer-id", "id")]).toEqual(["ipaddr", "203.0.113.12", "ipaddr", "198.51.100.20"]);
    expect(gw("dc-a", "protocol-common", "nat-traversal", "enable")).toBe("yes");
  });

  it("binds every IKE gateway to the peer's outside interface, and refuses a firewall whose intent names none (no safe default)", () => {
    const bound = statements.filter((x) => x.path[1] === "ike" && x.path[2] === "gateway" && x.path[4] === "local-address" && x.path[5] === "interface");
    expect(bound.map((x) => [x.path[3], x.path[6]])).toEqual(["branch-v1", "branch-v2", "dc-a", "dc-b"].map((t) => [`sitewire-${t}`, "ethernet1/1"]));
    const without = fixture.replace("    interface: ethernet1/1\n", "");
    expect(without).not.toBe(fixture);
    const errors = compileSource(FIXTURE, without, { targets: [] }).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((e) => [e.code, e.range?.start.line])).toEqual([["SW208", without.split("\n").indexOf("  pa-fw:") + 1]]);
    expect(errors[0]!.message).toContain("needs the outside interface IKE runs on");
  });

  it("refuses an explicit MSS other than the MTU − 40 the firewall clamps to by itself", () => {
    const mss = fixture.replace("    key: 71\n", "    key: 71\n    mss: 1300\n");
    expect(mss).not.toBe(fixture);
    const errors = compileSource(FIXTURE, mss, { targets: [] }).diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((e) => e.code)).toEqual(["SW208"]);
    expect(errors[0]!.message).toMatch(/no MSS setting and clamps TCP to the tunnel MTU − 40 = 1380 by itself; MSS 1300/);
  });

  it("puts every tunnel interface in zone sitewire-vpn and the default virtual router, with its inside address, MTU and ping profile", () => {
    expect(valuesOf(statements, "zone", "sitewire-vpn", "network", "layer3")).toEqual(["tunnel.72", "tunnel.71", "tunnel.73", "tunnel.74"]);
    expect(valuesOf(statements, "network", "virtual-router", "default", "interface")).toEqual(["tunnel.72", "tunnel.71", "tunnel.73", "tunnel.74"]);
    const unit = (n: string, key: string) => valuesOf(statements, "network", "interface", "tunnel", "units", n, key);
    expect([unit("tunnel.71", "ip"), unit("tunnel.71", "mtu"), unit("tunnel.71", "interface-management-profile")]).toEqual([["169.254.71.1/30"], ["1420"], ["sitewire-ping"]]);
    // dc-b is host-first: the gateway takes .1, the firewall .2.
    expect(unit("tunnel.74", "ip")).toEqual(["169.254.74.2/30"]);
    expect(lines[0]).toBe("set network profiles interface-management-profile sitewire-ping ping yes");
    // No MSS line: PAN-OS clamps to the tunnel MTU − 40 by itself.
    expect(config).not.toContain("mss");
  });

  it("monitors every tunnel (tunnel-monitor with its own profile) and tracks static routes with path-monitor", () => {
    const tunnel = (t: string, ...path: string[]) => valueOf(statements, "network", "tunnel", "ipsec", `sitewire-${t}`, ...path);
    expect([tunnel("branch-v2", "tunnel-interface"), tunnel("branch-v2", "tunnel-monitor", "destination-ip"), tunnel("branch-v2", "tunnel-monitor", "tunnel-monitor-profile")]).toEqual(["tunnel.71", "169.254.71.2", "sitewire-branch-v2"]);
    expect(lines).toContain("set network profiles monitor-profile sitewire-branch-v2 interval 10");
    expect(lines).toContain("set network profiles monitor-profile sitewire-branch-v2 threshold 4");
    const route = (name: string, ...path: string[]) => valueOf(statements, "network", "virtual-router", "default", "routing-table", "ip", "static-route", name, ...path);
    expect([route("sitewire-branch-v2-1", "destination"), route("sitewire-branch-v2-1", "interface"), route("sitewire-branch-v2-1", "nexthop", "ip-address"), route("sitewire-branch-v2-1", "metric")]).toEqual(["10.60.0.0/24", "tunnel.71", "169.254.71.2", "10"]);
    const probe = (key: string) => route("sitewire-branch-v2-1", "path-monitor", "monitor-destinations", "sitewire-branch-v2", key);
    expect([probe("source"), probe("destination"), probe("interval"), probe("count")]).toEqual(["169.254.71.1/30", "169.254.71.2", "10", "4"]);
  });

  it("installs no static routes for BGP tunnels, but one peer each over the inside addresses with timers, BFD where asked, and policies", () => {
    const routes = valuesOf(statements, "network", "virtual-router", "default", "routing-table", "ip", "static-route").length;
    expect(routes).toBe(0); // every route statement is deeper than the route name
    const routeNames = new Set(statements.filter((s) => s.path[5] === "static-route").map((s) => s.path[6]));
    expect([...routeNames]).toEqual(["sitewire-branch-v1-1", "sitewire-branch-v2-1"]);
    expect([bgp("enable"), bgp("router-id"), bgp("local-as"), bgp("install-route")]).toEqual([["yes"], ["10.90.255.1"], ["65030"], ["yes"]]);
    expect(bgp("redist-rules", "10.90.0.0/16", "enable")).toEqual(["yes"]);
    const peer = (t: string, ...path: string[]) => bgp("peer-group", `sitewire-${t}`, "peer", `sitewire-${t}`, ...path);
    expect([peer("dc-a", "peer-as"), peer("dc-a", "peer-address", "ip"), peer("dc-a", "local-address", "ip"), peer("dc-a", "local-address", "interface")]).toEqual([["65010"], ["169.254.73.2"], ["169.254.73.1/30"], ["tunnel.73"]]);
    expect([peer("dc-b", "peer-address", "ip"), peer("dc-b", "local-address", "ip")]).toEqual([["169.254.74.1"], ["169.254.74.2/30"]]);
    expect([peer("dc-a", "connection-options", "keep-alive-interval"), peer("dc-a", "connection-options", "hold-time")]).toEqual([["10"], ["30"]]);
    expect(peer("dc-a", "bfd", "profile")).toEqual(["sitewire"]);
    expect(peer("dc-b", "bfd", "profile")).toEqual([]);
    expect(lines).toContain("set network profiles bfd-profile sitewire detection-multiplier 3");
  });

  it("filters with exact prefixes and prefers the primary tunnel: local preference in, MED and prepending out, the rest denied", () => {
    const rule = (dir: "import" | "export", name: string, ...path: string[]) => bgp("policy", dir, "rules", name, ...path);
    const prefixes = (dir: "import" | "export", name: string) => namesUnder(statements, "network", "virtual-router", "default", "protocol", "bgp", "policy", dir, "rules", name, "match", "address-prefix");
    expect(prefixes("import", "sitewire-dc-a-accept")).toEqual(["10.60.0.0/24"]);
    expect(lines).toContain("set network virtual-router default protocol bgp policy import rules sitewire-dc-a-accept match address-prefix 10.60.0.0/24 exact yes");
    expect(rule("import", "sitewire-dc-a-accept", "action", "allow", "update", "local-preference")).toEqual(["200"]);
    expect(rule("import", "sitewire-dc-b-accept", "action", "allow", "update", "local-preference")).toEqual(["100"]);
    expect(rule("import", "sitewire-dc-b-reject", "used-by")).toEqual(["sitewire-dc-b"]);
    expect(lines).toContain("set network virtual-router default protocol bgp policy import rules sitewire-dc-b-reject action deny");
    expect(prefixes("export", "sitewire-dc-a-announce")).toEqual(["10.90.0.0/16"]);
    expect(rule("export", "sitewire-dc-a-announce", "action", "allow", "update", "med")).toEqual(["100"]);
    expect(rule("export", "sitewire-dc-a-announce", "action", "allow", "update", "as-path", "prepend")).toEqual([]);
    expect(rule("export", "sitewire-dc-b-announce", "action", "allow", "update", "med")).toEqual(["200"]);
    expect(rule("export", "sitewire-dc-b-announce", "action", "allow", "update", "as-path", "prepend")).toEqual(["2"]);
    // Accept before reject: PAN-OS applies the first matching rule.
    const order = lines.filter((l) => l.includes("policy import rules sitewire-dc-a-")).map((l) => l.split(" ")[9]);
    expect([...new Set(order)]).toEqual(["sitewire-dc-a-accept", "sitewire-dc-a-reject"]);
  });

  it("an empty accept list leaves only the deny rule (nothing is accepted)", () => {
    const none = {
      ...model,
      tunnels: model.tunnels.map((t) => (t.name === "dc-b" && t.bgp ? { ...t, bgp: { ...t.bgp, peer: { ...t.bgp.peer, accept: [] } } } : t)),
    };
    const c = renderDevice(none, model.peers[0]!);
    expect(c).not.toContain("sitewire-dc-b-accept");
    expect(c).toContain("\nset network virtual-router default protocol bgp policy import rules sitewire-dc-b-reject action deny\n");
  });

  it("allows the tunnel's flows both ways with security rules between zone sitewire-vpn and any", () => {
    const rule = (name: string, key: string) => valuesOf(statements, "rulebase", "security", "rules", name, key);
    expect(["from", "to", "source", "destination", "application", "service", "action"].map((k) => rule("sitewire-dc-a-in", k))).toEqual([["sitewire-vpn"], ["any"], ["10.60.0.0/24"], ["10.90.0.0/16"], ["any"], ["any"], ["allow"]]);
    expect(["from", "to", "source", "destination"].map((k) => rule("sitewire-branch-v1-out", k))).toEqual([["any"], ["sitewire-vpn"], ["10.92.0.0/24"], ["10.60.0.0/24"]]);
  });

  it("keeps the file byte-identical when tunnels are reordered, and other tunnels' lines as they were when one is added", () => {
    const [head, ...blocks] = fixture.split(/^(?=  (?:branch-v2|branch-v1|dc-a|dc-b):)/m);
    expect(compiled(head + [...blocks].reverse().join("")).config).toBe(config);
    const more = fixture.replace("  branch-one: 10.92.0.0/24\n", "  branch-one: 10.92.0.0/24\n  branch-three: 10.93.0.0/24\n").concat(
      [
        "  branch-x:",
        "    between: [gw, pa-fw]",
        "    ike: { version: 2, proposals: [aes256-sha256-modp3072] }",
        "    esp: { proposals: [aes256-sha256-modp3072] }",
        "    psk: { env: PA_BRANCH_X_PSK }",
        "    inside: 169.254.75.0/30",
        "    key: 75",
        "    routes: { toPeer: [branch-three], toHost: [gw-lan] }",
        "    overrides:",
        "      pa-fw:",
        "        address: 203.0.113.14",
        "",
      ].join("\n"),
    );
    const after = compiled(more).config;
    for (const [t, iface] of [["branch-v1", "tunnel.72"], ["branch-v2", "tunnel.71"], ["dc-a", "tunnel.73"], ["dc-b", "tunnel.74"]] as const)
      expect(linesOfTunnel(after, t, iface)).toEqual(linesOfTunnel(config, t, iface));
    expect(linesOfTunnel(after, "branch-x", "tunnel.75").length).toBeGreaterThan(40);
  });

  it("keeps free text inside its quotes: a description cannot add a command; a control character is refused", () => {
    const hostile = compiled(fixture.replace("description: branch one, IKEv1 main mode", `description: 'x" \\ ? set deviceconfig system hostname pwned'`)).config;
    expect(hostile.split("\n")).toHaveLength(config.split("\n").length);
    expect(hostile).toContain('\nset network tunnel ipsec sitewire-branch-v1 comment "sitewire branch-v1 to gw: x_ _ _ set deviceconfig system hostname pwned"\n');
    expect(readPanosSet(hostile).map((s: PanosStatement) => s.shape.join(" "))).toEqual(statements.map((s) => s.shape.join(" ")));
    const broken = { ...model, tunnels: model.tunnels.map((t) => ({ ...t, description: "x\nset deviceconfig" })) };
    expect(() => renderDevice(broken, model.peers[0]!)).toThrow(/control character/);
    expect(() => panosString('a"b')).toThrow(/double quote/);
    expect(() => panosString("a\u2028b")).toThrow(/control character/);
    expect(panosComment("é\u00e9 ok")).toBe('"__ ok"');
  });

  it("shortens a name too long for PAN-OS with the tunnel's number, so no two tunnels share one", () => {
    expect(objectName({ name: "dc-a", number: 73 })).toBe("sitewire-dc-a");
    const long = { name: "a-very-long-tunnel-name-to-the-dc", number: 2147483647 };
    const short = objectName(long);
    expect(short.length).toBeLessThanOrEqual(31);
    expect(short).toBe("sitewire-a-very-long_2147483647");
    expect(objectName(long, "withhold")).toBe("sitewire-a_2147483647-withhold");
    expect(objectName({ ...long, number: 2147483646 })).not.toBe(short);
    expect(objectName(long, "in", 63)).toBe("sitewire-a-very-long-tunnel-name-to-the-dc-in");
    expect(() => objectName(long, "a-b")).toThrow(/holds a '-'/);
  });
});
