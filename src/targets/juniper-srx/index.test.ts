import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSource } from "../../compile/pipeline.js";
import type { SiteModel } from "../../model/types.js";
import { PACKAGE_ROOT } from "../../render/templates.js";
import { readJunosSet } from "../../../test/readers/junos-set.js";
import { device } from "./index.js";
import { NAME_MAX, proposalName, tunnelObjectName } from "./names.js";
import { platform } from "./platform.js";
import { junosDescription, junosString, junosText, junosWord } from "./quote.js";
import { renderDevice } from "./render.js";

const FIXTURE = "test/fixtures/sites/juniper-srx.yaml";

function compiled(file: string): SiteModel {
  const result = compileSource(file, readFileSync(join(PACKAGE_ROOT, file), "utf8"), { targets: [] });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.model!;
}

const model = compiled(FIXTURE);
const srx = model.peers.find((p) => p.name === "srx")!;
const text = renderDevice(model, srx);
const lines = text.split("\n");

/** The lines starting with `prefix`. */
const starting = (prefix: string) => lines.filter((l) => l.startsWith(prefix));

describe("juniper-srx device", () => {
  it("is the registered platform's renderer", () => {
    expect(device.platform).toBe(platform);
    expect(device.render(model, srx)).toBe(text);
  });

  it("reads back as Junos set commands, every line within the grammar", () => {
    expect(() => readJunosSet(text)).not.toThrow();
    expect(text.endsWith("\n")).toBe(true);
    expect(lines.every((l) => l === "" || l.startsWith("# ") || l === "#" || l.startsWith("set "))).toBe(true);
  });

  it("writes the pre-shared keys as quoted placeholders only", () => {
    expect(starting("set security ike policy sitewire-v2 pre-shared-key")).toEqual(['set security ike policy sitewire-v2 pre-shared-key ascii-text "@@sitewire-secret:env:SRX_V2_PSK@@"']);
    expect(text).not.toMatch(/pre-shared-key ascii-text [^"]/);
  });

  it("spells IKEv2 with two proposals in order, and IKEv1 in main mode", () => {
    expect(starting("set security ike policy sitewire-v2 proposals")).toEqual(["set security ike policy sitewire-v2 proposals sitewire-v2", "set security ike policy sitewire-v2 proposals sitewire-v2-2"]);
    expect(starting("set security ike proposal sitewire-v2 ")).toEqual([
      "set security ike proposal sitewire-v2 authentication-method pre-shared-keys",
      "set security ike proposal sitewire-v2 dh-group group20",
      "set security ike proposal sitewire-v2 authentication-algorithm sha-384",
      "set security ike proposal sitewire-v2 encryption-algorithm aes-256-cbc",
      "set security ike proposal sitewire-v2 lifetime-seconds 28800",
    ]);
    expect(text).toContain("set security ike proposal sitewire-v2-2 dh-group group15\n");
    expect(text).toContain("set security ike gateway sitewire-v2 version v2-only\n");
    expect(text).toContain("set security ike policy sitewire-v1 mode main\n");
    expect(text).toContain("set security ike gateway sitewire-v1 version v1-only\n");
    expect(text).not.toContain("set security ike policy sitewire-v2 mode");
  });

  it("writes no authentication algorithm next to AES-GCM (Junos derives the PRF from the cipher)", () => {
    expect(starting("set security ike proposal sitewire-a ")).toEqual([
      "set security ike proposal sitewire-a authentication-method pre-shared-keys",
      "set security ike proposal sitewire-a dh-group group20",
      "set security ike proposal sitewire-a encryption-algorithm aes-256-gcm",
      "set security ike proposal sitewire-a lifetime-seconds 28800",
    ]);
    expect(starting("set security ipsec proposal sitewire-v2 ")).not.toContainEqual(expect.stringContaining("authentication-algorithm"));
    expect(text).toContain("set security ipsec proposal sitewire-v2-2 authentication-algorithm hmac-sha-256-128\n");
    expect(text).toContain("set security ipsec policy sitewire-v2 perfect-forward-secrecy keys group20\n");
  });

  it("binds each VPN to the st0 unit of the tunnel's number, with the gateway's endpoints and identities", () => {
    expect(text).toContain("set interfaces st0 unit 71 family inet address 169.254.71.1/30\n");
    expect(text).toContain("set interfaces st0 unit 71 family inet mtu 1400\n");
    expect(text).toContain("set security zones security-zone sitewire-vpn interfaces st0.71\n");
    expect(text).toContain("set security ipsec vpn sitewire-v2 bind-interface st0.71\n");
    expect(text).toContain("set security ipsec vpn sitewire-v2 vpn-monitor destination-ip 169.254.71.2\n");
    expect(text).toContain("set security ike gateway sitewire-v1 address 198.51.100.30\n");
    expect(text).toContain("set security ike gateway sitewire-v1 local-address 203.0.113.31\n");
    expect(text).toContain("set security ike gateway sitewire-v1 local-identity inet 203.0.113.31\n");
    expect(text).toContain("set security ike gateway sitewire-v1 remote-identity inet 198.51.100.30\n");
    // b's inside order is host-first: the SRX takes the second address.
    expect(text).toContain("set interfaces st0 unit 4 family inet address 169.254.74.2/30\n");
  });

  it("spreads the DPD timeout over Junos's threshold and sets the device-wide monitor from the fastest tunnel", () => {
    // v1: delay 5s, timeout 20s → interval 5, threshold 4; default 10s/30s → 10, 3.
    expect(text).toContain("set security ike gateway sitewire-v1 dead-peer-detection interval 5\nset security ike gateway sitewire-v1 dead-peer-detection threshold 4\n");
    expect(text).toContain("set security ike gateway sitewire-v2 dead-peer-detection interval 10\nset security ike gateway sitewire-v2 dead-peer-detection threshold 3\n");
    expect(starting("set security ipsec vpn-monitor-options")).toEqual(["set security ipsec vpn-monitor-options interval 5", "set security ipsec vpn-monitor-options threshold 3"]);
  });

  it("routes the gateway's network over both static tunnels, the lower unit preferred, and none over BGP tunnels", () => {
    expect(starting("set routing-options static")).toEqual([
      "set routing-options static route 10.90.0.0/24 qualified-next-hop st0.71 metric 71",
      "set routing-options static route 10.90.0.0/24 qualified-next-hop st0.72 metric 72",
    ]);
    expect(text).not.toMatch(/static route 10\.90\.8\.0\/24/);
  });

  it("permits each tunnel's flows both ways in global policies, with the tunnel's MSS", () => {
    expect(starting("set security policies global policy sitewire-v1-out")).toEqual([
      "set security policies global policy sitewire-v1-out match source-address sitewire-10.92.0.0/24",
      "set security policies global policy sitewire-v1-out match destination-address sitewire-10.90.0.0/24",
      "set security policies global policy sitewire-v1-out match application any",
      "set security policies global policy sitewire-v1-out match from-zone any",
      "set security policies global policy sitewire-v1-out match to-zone sitewire-vpn",
      "set security policies global policy sitewire-v1-out then permit tcp-options initial-tcp-mss 1360",
      "set security policies global policy sitewire-v1-out then permit tcp-options reverse-tcp-mss 1360",
    ]);
    expect(text).toContain("set security address-book global address sitewire-10.92.0.0/24 10.92.0.0/24\n");
  });

  it("runs one BGP group per BGP tunnel with the preference of primary and secondary", () => {
    expect(text).toContain("set routing-options autonomous-system 65040\nset routing-options router-id 10.93.255.1\n");
    expect(starting("set protocols bgp group sitewire-a ")).toEqual([
      "set protocols bgp group sitewire-a type external",
      "set protocols bgp group sitewire-a import sitewire-a-in",
      "set protocols bgp group sitewire-a export sitewire-a-out",
      "set protocols bgp group sitewire-a neighbor 169.254.73.2 peer-as 65030",
      "set protocols bgp group sitewire-a neighbor 169.254.73.2 local-address 169.254.73.1",
      "set protocols bgp group sitewire-a neighbor 169.254.73.2 hold-time 30",
      "set protocols bgp group sitewire-a neighbor 169.254.73.2 bfd-liveness-detection minimum-interval 300",
      "set protocols bgp group sitewire-a neighbor 169.254.73.2 bfd-liveness-detection multiplier 3",
    ]);
    expect(starting("set protocols bgp group sitewire-b ")).not.toContainEqual(expect.stringContaining("bfd"));
    expect(text).toContain("set policy-options policy-statement sitewire-a-in term accept then local-preference 200\n");
    expect(text).toContain("set policy-options policy-statement sitewire-b-in term accept then local-preference 100\n");
    expect(text).toContain("set policy-options policy-statement sitewire-b-out term announce then metric 200\n");
    expect(text).toContain('set policy-options policy-statement sitewire-b-out term announce then as-path-prepend "65040 65040"\n');
    expect(text).not.toContain("sitewire-a-out term announce then as-path-prepend");
    expect(text).toContain("set policy-options prefix-list sitewire-a-in 10.90.8.0/24\nset policy-options prefix-list sitewire-a-out 10.93.0.0/16\n");
    expect(text).toContain("set security zones security-zone sitewire-vpn host-inbound-traffic protocols bgp\n");
  });

  it("binds every IKE gateway to the peer's outside interface: the platform's default when the intent names none", () => {
    expect(srx.interface).toBe("ge-0/0/0.0");
    const gateways = starting("set security ike gateway").filter((l) => l.includes(" external-interface "));
    expect(gateways.length).toBe(model.tunnels.filter((t) => t.peer.node === "srx").length);
    expect(gateways.every((l) => l.endsWith(" external-interface ge-0/0/0.0"))).toBe(true);
    const fixture = readFileSync(join(PACKAGE_ROOT, FIXTURE), "utf8");
    const named = fixture.replace("    platform: juniper-srx\n", "    platform: juniper-srx\n    interface: reth0.0\n");
    expect(named).not.toBe(fixture);
    const result = compileSource(FIXTURE, named, { targets: [] });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const again = renderDevice(result.model!, result.model!.peers.find((p) => p.name === "srx")!);
    const bound = again.split("\n").filter((l) => l.startsWith("set ") && l.includes(" external-interface "));
    expect(bound.length).toBe(gateways.length);
    expect(bound.every((l) => l.endsWith(" external-interface reth0.0"))).toBe(true);
    expect(again).toContain("# - external-interface reth0.0 (the intent's peers.<p>.interface; unset: ge-0/0/0.0)");
  });

  it("renders the IOS fixtures' models as well (it reads only the model, not the peer's platform)", () => {
    const other = compiled("test/fixtures/sites/onprem-bgp-cisco.yaml");
    const router = other.peers.find((p) => p.name === "dc-router")!;
    expect(() => readJunosSet(renderDevice(other, router))).not.toThrow();
  });

  it("cannot be given an extra statement by a description", () => {
    const hostile = structuredClone(model) as { tunnels: { name: string; description?: string }[] };
    hostile.tunnels.find((t) => t.name === "v2")!.description = 'x" ; set system root-authentication plain-text-password "y';
    const again = renderDevice(hostile as unknown as SiteModel, srx);
    expect(readJunosSet(again).map((s) => s.shape.join(" "))).toEqual(readJunosSet(text).map((s) => s.shape.join(" ")));
    hostile.tunnels.find((t) => t.name === "v2")!.description = "two\nlines";
    expect(() => renderDevice(hostile as unknown as SiteModel, srx)).toThrow(/control character/);
  });
});

describe("juniper-srx capability data, enforced before rendering (SW208, at the intent line)", () => {
  const fixture = readFileSync(join(PACKAGE_ROOT, FIXTURE), "utf8");
  const errorsOf = (text: string) => compileSource(FIXTURE, text, { targets: [] }).diagnostics.filter((d) => d.severity === "error");

  it.each([
    ["an IKEv2 GCM proposal naming a PRF other than the one Junos derives", "aes256gcm16-prfsha384-ecp384] }\n    esp: { proposals: [aes256gcm16-ecp384] }\n    psk: { env: SRX_A_PSK }", "aes256gcm16-prfsha512-ecp384] }\n    esp: { proposals: [aes256gcm16-ecp384] }\n    psk: { env: SRX_A_PSK }", /prfsha512/],
    ["an IKE lifetime beyond 86400 s", "lifetime: 8h }", "lifetime: 2d }", /86400/],
    ["ChaCha20-Poly1305 in ESP", "esp: { proposals: [aes256gcm16-ecp384, aes256-sha256-ecp384] }", "esp: { proposals: [chacha20poly1305-ecp384] }", /chacha20poly1305/],
    ["an outside interface without its logical unit", "    platform: juniper-srx\n", "    platform: juniper-srx\n    interface: ge-0/0/1\n", /not a Juniper SRX interface name/],
    ["OSPF, which sitewire does not configure on an SRX", "      bgp: { as: 65040, routerId: 10.93.255.1 }\n", "      bgp: { as: 65040, routerId: 10.93.255.1 }\n      ospf: { process: 1 }\n", /cannot configure OSPF/],
    ["five IKE proposals", "proposals: [aes256-sha384-ecp384, aes128-sha256-modp3072]", "proposals: [aes256-sha384-ecp384, aes128-sha256-modp3072, aes256-sha256-modp3072, aes256-sha512-modp4096, aes128-sha384-ecp256]", /at most 4/],
  ])("refuses %s", (_, from, to, message) => {
    expect(fixture).toContain(from);
    const errors = errorsOf(fixture.replace(from, to));
    expect(errors.map((e) => e.code)).toContain("SW208");
    expect(errors.map((e) => e.message).join("\n")).toMatch(message);
    expect(errors.every((e) => e.file === FIXTURE && (e.range?.start.line ?? 0) > 0)).toBe(true);
  });
});

describe("juniper-srx names and quoting", () => {
  it("keeps every object name within Junos's 32 characters, stable per tunnel", () => {
    expect(tunnelObjectName("v2")).toBe("sitewire-v2");
    const long = "a-very-long-tunnel-name-that-goes-on-and-on";
    const name = tunnelObjectName(long);
    expect(name).toMatch(/^sitewire-a-very-long-[0-9a-f]{6}$/);
    expect(tunnelObjectName(long)).toBe(name);
    expect(tunnelObjectName(`${long}x`)).not.toBe(name);
    expect(`${proposalName(long, 3)}`.length).toBeLessThanOrEqual(NAME_MAX);
    expect(`${name}-out`.length).toBeLessThanOrEqual(NAME_MAX);
  });

  it("quotes intent text so it stays one word and refuses what would end it", () => {
    expect(junosWord("srx.example.net")).toBe("srx.example.net");
    expect(() => junosWord("a b")).toThrow();
    expect(() => junosWord("-x")).toThrow();
    expect(junosString("@@sitewire-secret:env:K@@")).toBe('"@@sitewire-secret:env:K@@"');
    expect(() => junosString('a"b')).toThrow();
    expect(() => junosString("a\\b")).toThrow();
    expect(junosText('say "hi" \\ bye é')).toBe("say _hi_ _ bye _");
    expect(junosDescription('x"; set system')).toBe('"x_; set system"');
    for (const f of [junosWord, junosString, junosText]) expect(() => f("a\nb")).toThrow(/control character/);
    expect(() => junosText("a\u2028b")).toThrow(/control character/);
  });
});

describe("juniper-srx device with IPv6 beside IPv4 (issue 16)", () => {
  const six = compiled("test/fixtures/sites/ipv6-devices.yaml");
  const text6 = renderDevice(six, six.peers.find((p) => p.name === "srx")!);
  const at = (prefix: string) => text6.split("\n").filter((l) => l.startsWith(prefix));

  it("reads back within the grammar (IPv6 slots included)", () => {
    expect(() => readJunosSet(text6)).not.toThrow();
  });

  it("the st0 unit carries both families: family inet and family inet6, one MTU", () => {
    expect(at("set interfaces st0 unit 103 family")).toEqual([
      "set interfaces st0 unit 103 family inet address 169.254.103.1/30",
      "set interfaces st0 unit 103 family inet mtu 1400",
      "set interfaces st0 unit 103 family inet6 address fd00:103::1/126",
      "set interfaces st0 unit 103 family inet6 mtu 1400",
    ]);
  });

  it("IPv6 static routes go in rib inet6.0, IPv4 ones in routing-options static", () => {
    expect(at("set routing-options rib inet6.0 static")).toEqual(["set routing-options rib inet6.0 static route 2001:db8:100::/64 next-hop st0.104"]);
    expect(at("set routing-options static")).toEqual(["set routing-options static route 10.100.0.0/24 next-hop st0.104"]);
  });

  it("IPv6 flows get their own policy pair, clamped to the MSS − 20", () => {
    expect(at("set security policies global policy sitewire-srx-six-o6 then")).toEqual([
      "set security policies global policy sitewire-srx-six-o6 then permit tcp-options initial-tcp-mss 1340",
      "set security policies global policy sitewire-srx-six-o6 then permit tcp-options reverse-tcp-mss 1340",
    ]);
    expect(at("set security policies global policy sitewire-srx-six-out then permit tcp-options initial-tcp-mss")).toEqual(["set security policies global policy sitewire-srx-six-out then permit tcp-options initial-tcp-mss 1360"]);
  });

  it("BGP: a second group over the IPv6 inside addresses with family inet6 unicast and the IPv6 networks only", () => {
    expect(at("set protocols bgp group sitewire-srx-dual-6 ")).toEqual([
      "set protocols bgp group sitewire-srx-dual-6 type external",
      "set protocols bgp group sitewire-srx-dual-6 family inet6 unicast",
      "set protocols bgp group sitewire-srx-dual-6 import sitewire-srx-dual-i6",
      "set protocols bgp group sitewire-srx-dual-6 export sitewire-srx-dual-o6",
      "set protocols bgp group sitewire-srx-dual-6 neighbor fd00:103::2 peer-as 65100",
      "set protocols bgp group sitewire-srx-dual-6 neighbor fd00:103::2 local-address fd00:103::1",
      "set protocols bgp group sitewire-srx-dual-6 neighbor fd00:103::2 hold-time 30",
    ]);
    expect(at("set policy-options prefix-list sitewire-srx-dual-")).toEqual([
      "set policy-options prefix-list sitewire-srx-dual-in 10.100.0.0/24",
      "set policy-options prefix-list sitewire-srx-dual-out 10.103.0.0/16",
      "set policy-options prefix-list sitewire-srx-dual-i6 2001:db8:100::/64",
      "set policy-options prefix-list sitewire-srx-dual-o6 2001:db8:103::/48",
    ]);
    expect(at("set protocols bgp group sitewire-srx-dual family")).toEqual([]);
  });
});
