import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sourceOf } from "../../../test/helpers/source.js";
import { resolveSite } from "../../model/resolve.js";
import type { SiteModel } from "../../model/types.js";
import { deviceTarget } from "../devices.js";
import { devicePath as platformDevicePath } from "../platforms.js";
import { device as iosDevice } from "./index.js";
import { platform } from "./platform.js";

const iosTarget = deviceTarget(iosDevice);
const devicePath = (peer: string) => platformDevicePath(platform, peer);
import { neighborDescription } from "./view.js";

const bjs = readFileSync(new URL("../../../sites/bjs-hybrid.yaml", import.meta.url), "utf8");
const ikev2 = readFileSync(new URL("../../../test/fixtures/sites/ikev2-cisco.yaml", import.meta.url), "utf8");
const onpremBgp = readFileSync(new URL("../../../test/fixtures/sites/onprem-bgp-cisco.yaml", import.meta.url), "utf8");
const awsTgw = readFileSync(new URL("../../../test/fixtures/sites/aws-tgw-bgp.yaml", import.meta.url), "utf8");
const ipv6Devices = readFileSync(new URL("../../../test/fixtures/sites/ipv6-devices.yaml", import.meta.url), "utf8");

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

  describe("BGP over tunnels (issue 13)", () => {
    const config = () => device(onpremBgp, "dc-router");
    const lines = (text: string, prefix: string) => text.split("\n").filter((l) => l.startsWith(prefix));

    it("runs one router bgp with a neighbour per tunnel at the host's inside address, remote-as the host's AS", () => {
      const c = config();
      expect(lines(c, "router bgp")).toEqual(["router bgp 65020"]);
      const bgp = c.slice(c.indexOf("\nrouter bgp 65020\n"));
      expect(bgp).toContain("\n bgp router-id 10.80.255.1\n bgp log-neighbor-changes\n");
      // a: peer-first (router .1, gateway .2); b: host-first (gateway .1, router .2).
      expect(lines(bgp, " neighbor")).toEqual([
        " neighbor 169.254.61.2 remote-as 65010",
        " neighbor 169.254.61.2 description sitewire a to gw",
        " neighbor 169.254.61.2 timers 10 30",
        " neighbor 169.254.61.2 fall-over bfd",
        " neighbor 169.254.62.1 remote-as 65010",
        " neighbor 169.254.62.1 description sitewire b to gw",
        " neighbor 169.254.62.1 timers 10 30",
      ]);
      expect(bgp).toMatch(/\n address-family ipv4\n {2}network 10\.80\.0\.0 mask 255\.255\.0\.0\n {2}neighbor 169\.254\.61\.2 activate\n/);
      for (const [n, t] of [["169.254.61.2", "a"], ["169.254.62.1", "b"]])
        for (const l of [`activate`, `prefix-list sitewire-${t}-in in`, `prefix-list sitewire-${t}-out out`, `route-map sitewire-${t}-in in`, `route-map sitewire-${t}-out out`])
          expect(bgp).toContain(`\n  neighbor ${n} ${l}\n`);
      expect(bgp).toMatch(/\n exit-address-family\n!\nend\n$/);
    });

    it("filters with prefix lists of the model's accept/announce and prefers the primary tunnel with route maps", () => {
      const c = config();
      expect(lines(c, "ip prefix-list")).toEqual([
        "ip prefix-list sitewire-a-in seq 5 permit 10.70.0.0/24",
        "ip prefix-list sitewire-a-out seq 5 permit 10.80.0.0/16",
        "ip prefix-list sitewire-b-in seq 5 permit 10.70.0.0/24",
        "ip prefix-list sitewire-b-out seq 5 permit 10.80.0.0/16",
      ]);
      expect(c).toContain("\nroute-map sitewire-a-in permit 10\n set local-preference 200\n!\nroute-map sitewire-a-out permit 10\n set metric 100\n!\n");
      expect(c).toContain("\nroute-map sitewire-b-in permit 10\n set local-preference 100\n!\nroute-map sitewire-b-out permit 10\n set metric 200\n set as-path prepend 65020 65020\n");
    });

    it("installs no static routes for BGP tunnels and redistributes nothing", () => {
      const c = config();
      expect(lines(c, "ip route ")).toEqual([]);
      expect(c).not.toContain("redistribute");
      expect(c).not.toContain("match tag");
    });

    it("an accept list that is empty denies everything instead of referring to a missing list (which IOS reads as permit all)", () => {
      const c = device(onpremBgp.replace("bgp: { preference: secondary }", "bgp: { preference: secondary, accept: { peer: [] } }"), "dc-router");
      expect(lines(c, "ip prefix-list sitewire-b-in")).toEqual(["ip prefix-list sitewire-b-in seq 5 deny 0.0.0.0/0 le 32"]);
    });

    it("BFD: the interface gets bfd timers and the neighbour fall-over bfd only where the tunnel asks for it", () => {
      const c = config();
      expect(blocksOf(c, "a")).toContain(" bfd interval 300 min_rx 300 multiplier 3");
      expect(blocksOf(c, "b").some((l) => l.includes("bfd"))).toBe(false);
    });

    it("keeps BGP and static tunnels apart on one router: the static one keeps its routes and redistribution", () => {
      const mixed = onpremBgp.replace("    bgp: { preference: secondary }\n", "");
      const c = device(mixed, "dc-router");
      expect(lines(c, "ip route ")).toEqual(["ip route 10.70.0.0 255.255.255.0 Tunnel62 169.254.62.1 tag 62 track 62"]);
      expect(c).toContain("\n address-family ipv4\n  network 10.80.0.0 mask 255.255.0.0\n  redistribute static route-map sitewire-static\n  neighbor 169.254.61.2 activate\n");
      expect(lines(c, " neighbor 169.254.62.1")).toEqual([]);
    });
  });

  it("keeps a neighbour description within IOS's 80 characters, whatever the names", () => {
    expect(neighborDescription("a", "gw")).toBe("sitewire a to gw");
    const long = "t".repeat(40);
    expect(neighborDescription(long, "h".repeat(40))).toBe(`sitewire ${long}`);
    expect(neighborDescription(long, "h".repeat(27))).toHaveLength(80);
  });

  it("numbers the Tunnel interface from `number`, independent of the key (SLA, track and tag stay on the key)", () => {
    const c = device(onpremBgp, "dc-router");
    expect(c).toMatch(/^interface Tunnel1$/m);
    expect(c).toMatch(/^interface Tunnel62$/m);
    expect(c).not.toMatch(/^interface Tunnel61$/m);
    expect(c).toMatch(/^ip sla 61$/m);
    expect(c).toMatch(/^track 61 ip sla 61 reachability$/m);
  });

  it("writes the IP SLA timeout in milliseconds, and leaves IOS's default (5000) unwritten", () => {
    const c = device(onpremBgp, "dc-router");
    expect(c).toContain("\nip sla 61\n icmp-echo 169.254.61.2 source-ip 169.254.61.1\n timeout 2000\n frequency 10\n");
    expect(c).toContain("\nip sla 62\n icmp-echo 169.254.62.1 source-ip 169.254.62.2\n frequency 5\n");
    expect(device(onpremBgp.replace("timeout: 2s", "timeout: 1500ms"), "dc-router")).toContain("\n timeout 1500\n frequency 10\n");
  });

  it("gives every local address IKEv2 tunnels end on its own IKEv2 policy (overrides.<peer>.address)", () => {
    const c = device(onpremBgp, "dc-router");
    expect(c).toContain("\ncrypto ikev2 policy sitewire\n match address local 203.0.113.5\n proposal sitewire-a\n");
    expect(c).toContain("\ncrypto ikev2 policy sitewire-203-0-113-6\n match address local 203.0.113.6\n proposal sitewire-b\n");
    expect(c).toContain("\n tunnel source 203.0.113.6\n");
  });

  it("emits nothing for a cloud gateway peer (aws-vpn): the provider configures its end", () => {
    const m = model(awsTgw);
    expect(m.peers.some((p) => p.platform === "aws-vpn")).toBe(true);
    expect(iosTarget.emit(m)).toEqual([]);
  });

  describe("IPv6 and dual stack (issue 16)", () => {
    const dual = () => device(ipv6Devices, "ios-dc");
    const six = () => device(ipv6Devices, "ios-v6");
    const lines = (text: string, prefix: string) => text.split("\n").filter((l) => l.startsWith(prefix));

    it("switches IPv6 routing on only where a tunnel carries IPv6 or runs over it", () => {
      expect(dual()).toMatch(/^ipv6 unicast-routing$/m);
      expect(six()).toMatch(/^ipv6 unicast-routing$/m);
      expect(device(bjs, "dc-router-1")).not.toContain("ipv6");
    });

    it("a dual-stack tunnel: both inside addresses, both MSS clamps (IPv6 20 below), tunnel mode ipsec dual-overlay over IPv4", () => {
      expect(blocksOf(dual(), "ios-dual").join("\n")).toContain(
        [
          " ip address 169.254.101.1 255.255.255.252",
          " ip mtu 1400",
          " ip tcp adjust-mss 1360",
          " ip virtual-reassembly",
          " ipv6 address fd00:101::1/126",
          " ipv6 mtu 1400",
          " ipv6 tcp adjust-mss 1340",
          " tunnel source 203.0.113.101",
          " tunnel mode ipsec dual-overlay",
          " tunnel destination 198.51.100.100",
        ].join("\n"),
      );
    });

    it("an IPv6-only tunnel over IPv6: no IPv4 lines, tunnel mode ipsec ipv6, keyring and identity by IPv6 address, IPv6 probe and routes", () => {
      const c = six();
      const intf = blocksOf(c, "ios-six");
      expect(intf.filter((l) => l.startsWith(" ip "))).toEqual([]);
      expect(intf).toContain(" tunnel mode ipsec ipv6");
      expect(intf).toContain(" tunnel source 2001:db8:ffff::102");
      expect(intf).toContain(" tunnel destination 2001:db8:ffff::100");
      expect(c).toContain("\n peer gw\n  address 2001:db8:ffff::100/128\n");
      expect(c).toContain("\n match identity remote address 2001:db8:ffff::100/128\n identity local address 2001:db8:ffff::102\n");
      expect(c).toContain("\n icmp-echo fd00:102::2 source-ip fd00:102::1\n");
      expect(lines(c, "ipv6 route ")).toEqual(["ipv6 route 2001:db8:100::/64 Tunnel102 fd00:102::2 tag 102 track 102"]);
      expect(lines(c, "ip route ")).toEqual([]);
    });

    it("BGP: a second session over the IPv6 inside addresses, activated for IPv6 only, with ipv6 prefix lists of the IPv6 networks", () => {
      const c = dual();
      const bgp = c.slice(c.indexOf("\nrouter bgp 65101\n"));
      expect(lines(bgp, " neighbor")).toEqual([
        " neighbor 169.254.101.2 remote-as 65100",
        " neighbor 169.254.101.2 description sitewire ios-dual to gw",
        " neighbor 169.254.101.2 timers 10 30",
        " neighbor fd00:101::2 remote-as 65100",
        " neighbor fd00:101::2 description sitewire ios-dual to gw",
        " neighbor fd00:101::2 timers 10 30",
      ]);
      const af4 = bgp.slice(bgp.indexOf(" address-family ipv4\n"), bgp.indexOf(" exit-address-family"));
      expect(af4).toContain("  network 10.101.0.0 mask 255.255.0.0\n");
      expect(af4).toContain("  no neighbor fd00:101::2 activate\n");
      expect(af4).not.toContain("2001:db8");
      expect(bgp).toContain(
        [
          " address-family ipv6",
          "  network 2001:db8:101::/48",
          "  neighbor fd00:101::2 activate",
          "  neighbor fd00:101::2 prefix-list sitewire-ios-dual-in6 in",
          "  neighbor fd00:101::2 prefix-list sitewire-ios-dual-out6 out",
          "  neighbor fd00:101::2 route-map sitewire-ios-dual-in6 in",
          "  neighbor fd00:101::2 route-map sitewire-ios-dual-out6 out",
          " exit-address-family",
        ].join("\n"),
      );
      expect(lines(c, "ipv6 prefix-list")).toEqual(["ipv6 prefix-list sitewire-ios-dual-in6 seq 5 permit 2001:db8:100::/64", "ipv6 prefix-list sitewire-ios-dual-out6 seq 5 permit 2001:db8:101::/48"]);
      expect(lines(c, "ip prefix-list")).toEqual(["ip prefix-list sitewire-ios-dual-in seq 5 permit 10.100.0.0/24", "ip prefix-list sitewire-ios-dual-out seq 5 permit 10.101.0.0/16"]);
    });

    it("an empty IPv6 accept list denies every IPv6 prefix", () => {
      const c = device(ipv6Devices.replace("    bgp: { holdTime: 30s }\n  ios-six:", "    bgp: { holdTime: 30s, accept: { peer: [gw-lan] } }\n  ios-six:"), "ios-dc");
      expect(lines(c, "ipv6 prefix-list sitewire-ios-dual-in6")).toEqual(["ipv6 prefix-list sitewire-ios-dual-in6 seq 5 deny ::/0 le 128"]);
    });
  });
});
