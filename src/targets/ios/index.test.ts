import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sourceOf } from "../../../test/helpers/source.js";
import { resolveSite } from "../../model/resolve.js";
import type { SiteModel } from "../../model/types.js";
import { devicePath, iosTarget } from "./index.js";

const bjs = readFileSync(new URL("../../../sites/bjs-hybrid.yaml", import.meta.url), "utf8");
const ikev2 = readFileSync(new URL("../../../test/fixtures/sites/ikev2-cisco.yaml", import.meta.url), "utf8");

function model(text: string): SiteModel {
  const { source, intent } = sourceOf(text);
  return resolveSite(source, intent, "0".repeat(64)).model;
}

function device(text: string, peer: string): string {
  const found = iosTarget.emit(model(text)).find((a) => a.path === devicePath(peer));
  if (!found) throw new Error(`no file for ${peer}`);
  return found.content;
}

/** The lines of one tunnel's blocks: from its "---- tunnel <name>" comment to the next "---- " comment. */
function blocksOf(config: string, tunnel: string): string[] {
  const out: string[] = [];
  let inside = false;
  for (const line of config.split("\n")) {
    if (line.startsWith("! ---- ")) inside = line.startsWith(`! ---- tunnel ${tunnel}:`);
    else if (inside) out.push(line);
  }
  return out;
}

describe("IOS target", () => {
  it("emits one file per cisco-ios peer that ends a tunnel, and nothing for other peers", () => {
    const withStrongswanPeer = bjs.replace("platform: cisco-ios\n    address: 10.10.2.100", "platform: strongswan\n    address: 10.10.2.100");
    const artifacts = iosTarget.emit(model(withStrongswanPeer));
    expect(artifacts.map((a) => [a.path, a.kind, a.mode, a.device])).toEqual([["devices/dc-router-1/ios.cfg", "cisco-ios", 0o644, "dc-router-1"]]);
  });

  it("derives the tunnel mask from the inside network (the seed typed /24 against a /30)", () => {
    expect(device(bjs, "dc-router-1")).toContain("\n ip address 169.254.100.1 255.255.255.252\n");
    expect(device(bjs.replace("inside: 169.254.100.0/30", "inside: 169.254.100.0/31"), "dc-router-1")).toContain("\n ip address 169.254.100.0 255.255.255.254\n");
  });

  it("derives the MSS from the MTU unless it is set (the seed typed 1387 against MTU 1436)", () => {
    expect(device(bjs, "dc-router-1")).toMatch(/\n ip mtu 1436\n ip tcp adjust-mss 1396\n/);
    expect(device(bjs.replace("    mtu: 1436\n    table: 10", "    mtu: 1436\n    mss: 1300\n    table: 10"), "dc-router-1")).toMatch(/\n ip mtu 1436\n ip tcp adjust-mss 1300\n/);
  });

  it("writes the pre-shared key as a placeholder, never a value", () => {
    const config = device(bjs, "dc-router-1");
    expect(config).toContain("\n pre-shared-key address 54.223.192.238 key @@sitewire-secret:env:BJS_VPN1_PSK@@\n");
    expect(device(ikev2, "dc-edge")).toContain("\n  pre-shared-key @@sitewire-secret:env:TUN_A_PSK@@\n");
  });

  it("chooses IKEv1 or IKEv2 blocks by the tunnel's IKE version", () => {
    const v1 = device(bjs, "dc-router-1");
    expect(v1).toMatch(/^crypto isakmp profile sitewire-vpn1$/m);
    expect(v1).not.toContain("ikev2");
    const v2 = device(ikev2, "dc-edge");
    expect(v2).toMatch(/^crypto ikev2 profile sitewire-tun-a$/m);
    expect(v2).not.toContain("isakmp");
  });

  it("keeps a device's file byte-identical when the tunnels are reordered or an unrelated tunnel is added", () => {
    const before = device(bjs, "dc-router-1");
    const [head, vpn1, vpn2, tail] = bjs.split(/^(?=  vpn[12]:|failover:)/m) as [string, string, string, string];
    expect(device(head + vpn2 + vpn1 + tail, "dc-router-1")).toBe(before);
    const unrelated = bjs
      .replace("peers:", "  strongswan-3:\n    os: debian\n    address: 172.16.3.10/24\n\npeers:\n  dc-router-3:\n    platform: cisco-ios\n    address: 10.10.3.100")
      .replace(
        "failover:",
        "  vpn3:\n    between: [strongswan-3, dc-router-3]\n    ike: { version: 1, proposals: [aes256-sha256-modp3072] }\n    esp: { proposals: [aes256-sha256-modp3072] }\n    psk: { env: VPN3_PSK }\n    inside: 169.254.30.0/30\n    key: 30\n\nfailover:",
      );
    const { source, intent } = sourceOf(unrelated);
    expect(resolveSite(source, intent, "0".repeat(64)).diagnostics).toEqual([]);
    expect(device(unrelated, "dc-router-3")).toContain("\ninterface Tunnel30\n");
    expect(device(unrelated, "dc-router-1")).toBe(before);
  });

  it("adding a tunnel to a device leaves the other tunnels' blocks as they were", () => {
    const before = device(ikev2, "dc-edge");
    const third = ikev2
      .replace("peers:", "  gw-c:\n    os: debian\n    address: 10.40.1.10/24\n\npeers:")
      .concat("  tun-c:\n    between: [gw-c, dc-edge]\n    ike: { version: 2, proposals: [aes256-sha256-modp3072] }\n    esp: { proposals: [aes256-sha256-modp3072] }\n    psk: { env: TUN_C_PSK }\n    inside: 169.254.23.0/30\n    key: 23\n");
    const after = device(third, "dc-edge");
    for (const tunnel of ["tun-a", "tun-b"]) expect(blocksOf(after, tunnel)).toEqual(blocksOf(before, tunnel));
    expect(blocksOf(after, "tun-c")).toContain("interface Tunnel23");
    expect(after).toMatch(/ proposal sitewire-tun-b\n proposal sitewire-tun-c\n/);
  });

  it("numbers everything from the intent: tunnel key, monitor ids, isakmp policy", () => {
    const config = device(bjs, "dc-router-1");
    for (const line of ["crypto isakmp policy 100", "interface Tunnel100", "ip sla 10", "ip sla schedule 10 life forever start-time now", "track 100 ip sla 10 reachability"]) expect(config).toMatch(new RegExp(`^${line}$`, "m"));
    expect(config).toMatch(/^ip route 172\.16\.0\.0 255\.255\.0\.0 Tunnel100 169\.254\.100\.2 tag 100 track 100$/m);
    expect(device(ikev2, "dc-edge")).toMatch(/^track 122 ip sla 220 reachability$/m);
  });

  it("keeps free text on its line: a description cannot add a command", () => {
    const hostile = bjs.replace("description: zone A to router 1", 'description: "x ! end ? crypto key zeroize 中"');
    const config = device(hostile, "dc-router-1");
    expect(config.split("\n")).toHaveLength(device(bjs, "dc-router-1").split("\n").length);
    expect(config).toContain("\n description sitewire vpn1 to strongswan-1: x ! end _ crypto key zeroize _\n");
    const m = model(bjs);
    const broken = { ...m, tunnels: m.tunnels.map((t) => ({ ...t, description: "x\nend" })) };
    expect(() => iosTarget.emit(broken)).toThrow(/control character/);
  });

  it("refuses a tunnel the checks should have stopped, instead of guessing", () => {
    const gcmOnIkev1 = bjs.replace(/ike: \{ version: 1, proposals: \[aes256-sha256-modp3072\], lifetime: 8h \}/, "ike: { version: 1, proposals: [aes256gcm16-prfsha384-ecp384], lifetime: 8h }");
    expect(() => iosTarget.emit(model(gcmOnIkev1))).toThrow(/SW123 or SW208 should have stopped it/);
  });
});
