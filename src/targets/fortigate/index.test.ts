import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSource } from "../../compile/pipeline.js";
import type { SiteModel } from "../../model/types.js";
import { PACKAGE_ROOT } from "../../render/package-root.js";
import { entries, entry, readFortios, sub, value, values, type FosConfig } from "../../../test/readers/fortios.js";
import { device, renderDevice } from "./index.js";
import { policyId, routeId, tunnelName } from "./names.js";
import { platform } from "./platform.js";
import { fortiosComment, fortiosString } from "./quote.js";

const FIXTURE = "test/fixtures/sites/fortigate.yaml";

function model(text = readFileSync(join(PACKAGE_ROOT, FIXTURE), "utf8")): SiteModel {
  const result = compileSource(FIXTURE, text, { targets: [] });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.model!;
}

function render(m: SiteModel): { text: string; tree: FosConfig[] } {
  const text = renderDevice(m, m.peers.find((p) => p.name === "fw")!);
  return { text, tree: readFortios(text) };
}

describe("FortiGate target", () => {
  const m = model();
  const { text, tree } = render(m);

  it("is registered as a device platform with its declaration", () => {
    expect(device.platform).toBe(platform);
    expect(platform.name).toBe("fortigate");
    expect(platform.artifact.file).toBe("fortios.conf");
  });

  it("writes one phase 1 per tunnel, named by its number, with the tunnel's crypto in FortiOS words", () => {
    expect(entries(tree, "vpn ipsec phase1-interface").map((e) => e.key)).toEqual(["sitewire-71", "sitewire-73", "sitewire-74", "sitewire-72"]);
    const apps = entry(tree, "vpn ipsec phase1-interface", "sitewire-71");
    expect(value(apps, "ike-version")).toBe("2");
    expect(values(apps, "proposal")).toEqual(["aes256gcm-prfsha384", "aes256-sha256"]);
    expect(values(apps, "dhgrp")).toEqual(["20", "15"]);
    expect(value(apps, "interface")).toBe("port1"); // the fixture's peers.fw.interface
    expect(value(apps, "local-gw")).toBe("203.0.113.5");
    expect(value(apps, "remote-gw")).toBe("198.51.100.10");
    expect(value(apps, "psksecret")).toBe("@@sitewire-secret:env:FW_APPS_PSK@@");
    expect(value(apps, "peertype")).toBe("any");
    expect([value(apps, "dpd"), value(apps, "dpd-retryinterval"), value(apps, "dpd-retrycount")]).toEqual(["on-idle", "10", "3"]);
    expect(value(apps, "keylife")).toBe("28800");
    const legacy = entry(tree, "vpn ipsec phase1-interface", "sitewire-72");
    expect([value(legacy, "ike-version"), value(legacy, "mode"), value(legacy, "proposal"), value(legacy, "dhgrp"), value(legacy, "local-gw")]).toEqual(["1", "main", "aes256-sha256", "14", "203.0.113.7"]);
  });

  it("writes phase 2 with PFS, lifetime and 0.0.0.0/0 selectors", () => {
    const p2 = entry(tree, "vpn ipsec phase2-interface", "sitewire-72");
    expect(value(p2, "phase1name")).toBe("sitewire-72");
    expect([value(p2, "proposal"), value(p2, "pfs"), value(p2, "dhgrp"), value(p2, "keylifeseconds")]).toEqual(["aes256-sha256", "enable", "14", "3600"]);
    expect(values(p2, "src-subnet")).toEqual(["0.0.0.0", "0.0.0.0"]);
    expect(value(entry(tree, "vpn ipsec phase2-interface", "sitewire-71"), "proposal")).toBe("aes256gcm");
  });

  it("addresses the tunnel interface from the inside network (host-first on dc-b)", () => {
    const a = entry(tree, "system interface", "sitewire-71");
    expect(values(a, "ip")).toEqual(["169.254.71.1", "255.255.255.255"]);
    expect(values(a, "remote-ip")).toEqual(["169.254.71.2", "255.255.255.252"]);
    expect([value(a, "mtu"), value(a, "tcp-mss")]).toEqual(["1400", "1360"]);
    expect(values(entry(tree, "system interface", "sitewire-74"), "ip")).toEqual(["169.254.74.2", "255.255.255.255"]);
    expect(value(entry(tree, "system interface", "sitewire-73"), "bfd")).toBe("enable");
    expect(value(entry(tree, "system interface", "sitewire-74"), "bfd")).toBeUndefined();
  });

  it("routes the static tunnels' host networks with stable ids and tracks them with a link-monitor; none for BGP tunnels", () => {
    const routes = entries(tree, "router static");
    expect(routes.map((r) => [r.key, values(r, "dst")?.join(" "), value(r, "gateway"), value(r, "device")])).toEqual([
      [String(routeId(71, 0)), "10.70.0.0 255.255.255.0", "169.254.71.2", "sitewire-71"],
      [String(routeId(72, 0)), "10.71.0.0 255.255.255.0", "169.254.72.2", "sitewire-72"],
    ]);
    const monitor = entry(tree, "system link-monitor", "sitewire-71");
    expect([value(monitor, "server"), value(monitor, "gateway-ip"), value(monitor, "interval"), value(monitor, "probe-timeout"), value(monitor, "failtime"), value(monitor, "route")]).toEqual([
      "169.254.71.2",
      "169.254.71.2",
      "5000",
      "2000",
      "3",
      "10.70.0.0/24",
    ]);
    expect(entry(tree, "system link-monitor", "sitewire-73")).toBeUndefined();
  });

  it("admits the tunnel's networks in both directions, and the masqueraded flow's source from the apps tunnel", () => {
    const inApps = entry(tree, "firewall policy", String(policyId(71, "from-tunnel")));
    expect(values(inApps, "srcaddr")).toEqual(["sitewire-10.70.0.0/24", "sitewire-169.254.71.2/32"]);
    expect(values(inApps, "dstaddr")).toEqual(["sitewire-10.81.0.0/16"]);
    expect([value(inApps, "srcintf"), value(inApps, "dstintf"), value(inApps, "action"), value(inApps, "service")]).toEqual(["sitewire-71", "any", "accept", "ALL"]);
    const outApps = entry(tree, "firewall policy", String(policyId(71, "to-tunnel")));
    expect(values(outApps, "dstaddr")).toEqual(["sitewire-10.70.0.0/24"]);
    expect(values(entry(tree, "firewall address", "sitewire-169.254.71.2/32"), "subnet")).toEqual(["169.254.71.2", "255.255.255.255"]);
  });

  it("runs one BGP session per BGP tunnel with its policy, preference and BFD", () => {
    const bgp = tree.find((c) => c.path === "router bgp")!;
    expect([value(bgp, "as"), value(bgp, "router-id")]).toEqual(["65020", "10.83.255.1"]);
    const [a, b] = sub(bgp, "neighbor")!.edits;
    expect([a!.key, value(a, "remote-as"), value(a, "keep-alive-timer"), value(a, "holdtime-timer"), value(a, "bfd")]).toEqual(["169.254.73.2", "65010", "10", "30", "enable"]);
    expect([b!.key, value(b, "bfd"), value(b, "route-map-out")]).toEqual(["169.254.74.1", "disable", "sitewire-74-out"]);
    const outB = sub(entry(tree, "router route-map", "sitewire-74-out"), "rule")!.edits[0];
    expect([value(outB, "set-metric"), value(outB, "set-aspath-action"), value(outB, "set-aspath")]).toEqual(["200", "prepend", "65020 65020"]);
    expect(value(sub(entry(tree, "router route-map", "sitewire-73-in"), "rule")!.edits[0], "set-local-preference")).toBe("200");
    expect(values(sub(entry(tree, "router prefix-list", "sitewire-73-out"), "rule")!.edits[0], "prefix")).toEqual(["10.83.0.0", "255.255.0.0"]);
    expect(sub(bgp, "network")!.edits.map((e) => values(e, "prefix")?.join(" "))).toEqual(["10.83.0.0 255.255.0.0"]);
  });

  it("leaves the intent's descriptions out and is the same every time", () => {
    for (const d of ["IKEv2, static routes", "branch FortiGate", "pods call the apps network"]) expect(text).not.toContain(d);
    expect(render(model()).text).toBe(text);
  });

  it("adding a tunnel renames nothing of the others", () => {
    const without = readFileSync(join(PACKAGE_ROOT, FIXTURE), "utf8").replace(/ {2}dc-b:\n(?: {4}.*\n)+/, "");
    const smaller = render(model(without)).tree;
    const keys = (t: FosConfig[]) => new Set(t.flatMap((c) => c.edits.map((e) => `${c.path} ${e.key}`)));
    const full = keys(tree);
    expect(smaller.length).toBeGreaterThan(0);
    for (const k of keys(smaller)) expect(full.has(k), k).toBe(true);
    expect(keys(smaller).has(`vpn ipsec phase1-interface ${tunnelName(74)}`)).toBe(false);
  });
});

describe("FortiOS quoting", () => {
  it("quotes plain names and refuses anything that could end the string or the line", () => {
    expect(fortiosString("sitewire-61")).toBe('"sitewire-61"');
    expect(fortiosString("@@sitewire-secret:file:/etc/psk.d/a+b@@")).toBe('"@@sitewire-secret:file:/etc/psk.d/a+b@@"');
    for (const bad of ["a\nexecute reboot", 'a" ; set x', "a\\", "why?", "it's", "tab\there", "cr\r", "nel\u0085", "ls\u2028", "é", ""])
      expect(() => fortiosString(bad), JSON.stringify(bad)).toThrow();
    expect(() => fortiosComment("a\nconfig system admin")).toThrow();
    expect(() => fortiosComment("a\u2028b")).toThrow();
    expect(fortiosComment('sites/café "x"?.yaml')).toBe("sites/caf_ _x__.yaml");
  });
});

describe("FortiGate device with IPv6 beside IPv4 (issue 16)", () => {
  const SIX = "test/fixtures/sites/ipv6-devices.yaml";
  const result = compileSource(SIX, readFileSync(join(PACKAGE_ROOT, SIX), "utf8"), { targets: [] });
  const six = result.model!;
  const text6 = renderDevice(six, six.peers.find((p) => p.name === "fgt")!);
  const tree6 = readFortios(text6);

  it("compiles without errors and reads back within the FortiOS grammar", () => {
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(tree6.length).toBeGreaterThan(0);
  });

  it("one phase 2 per family under the tunnel's phase 1: 0.0.0.0/0 and subnet6 ::/0", () => {
    const p2 = entries(tree6, "vpn ipsec phase2-interface").filter((e) => value(e, "phase1name") === "sitewire-105");
    expect(p2.map((e) => e.key)).toEqual(["sitewire-105", "sitewire-105-6"]);
    expect([value(p2[1], "src-addr-type"), value(p2[1], "src-subnet6"), value(p2[1], "dst-addr-type"), value(p2[1], "dst-subnet6")]).toEqual(["subnet6", "::/0", "subnet6", "::/0"]);
    expect(values(p2[1], "proposal")).toEqual(values(p2[0], "proposal"));
  });

  it("the tunnel interface gets its IPv6 inside address under config ipv6", () => {
    const v6 = sub(entry(tree6, "system interface", "sitewire-105"), "ipv6");
    expect([value(v6, "ip6-address"), value(v6, "ip6-allowaccess")]).toEqual(["fd00:105::1/126", "ping"]);
  });

  it("IPv6 flows get their own policies with address6 objects, clamped to the MSS − 20", () => {
    const p = entry(tree6, "firewall policy", String(policyId(106, "from-tunnel", 6)));
    expect([values(p, "srcaddr6"), values(p, "dstaddr6"), value(p, "srcaddr")]).toEqual([["sitewire-2001:db8:100::/64"], ["sitewire-2001:db8:106::/48"], undefined]);
    expect([value(p, "tcp-mss-sender"), value(p, "tcp-mss-receiver")]).toEqual(["1340", "1340"]);
    expect(value(entry(tree6, "firewall address6", "sitewire-2001:db8:106::/48"), "ip6")).toBe("2001:db8:106::/48");
    expect(entry(tree6, "firewall address", "sitewire-2001:db8:106::/48")).toBeUndefined();
  });

  it("IPv6 static routes go in router static6 via the gateway's IPv6 inside address; the link-monitor lists IPv4 routes only", () => {
    const r = entries(tree6, "router static6");
    expect(r.map((e) => [e.key, value(e, "dst"), value(e, "gateway"), value(e, "device")])).toEqual([[String(routeId(106, 0)), "2001:db8:100::/64", "fd00:106::2", "sitewire-106"]]);
    expect(values(entry(tree6, "system link-monitor", "sitewire-106"), "route")).toEqual(["10.100.0.0/24"]);
  });

  it("BGP: a second neighbour over the IPv6 inside addresses with activate6 and the IPv6 lists; the IPv4 one carries IPv4 only", () => {
    const bgp = tree6.find((c) => c.path === "router bgp");
    const n = sub(bgp, "neighbor")!.edits;
    expect(n.map((e) => [e.key, value(e, "activate"), value(e, "activate6")])).toEqual([
      ["169.254.105.2", undefined, "disable"],
      ["fd00:105::2", "disable", "enable"],
    ]);
    expect([value(n[1], "prefix-list-in6"), value(n[1], "prefix-list-out6"), value(n[1], "route-map-in6")]).toEqual(["sitewire-105-in6", "sitewire-105-out6", "sitewire-105-in"]);
    expect(sub(entry(tree6, "router prefix-list6", "sitewire-105-out6"), "rule")!.edits.map((r) => value(r, "prefix6"))).toEqual(["2001:db8:105::/48"]);
    expect(sub(bgp, "network6")!.edits.map((e) => value(e, "prefix6"))).toEqual(["2001:db8:105::/48"]);
    expect(sub(bgp, "network")!.edits.map((e) => values(e, "prefix")!.join(" "))).toEqual(["10.105.0.0 255.255.0.0"]);
  });
});
