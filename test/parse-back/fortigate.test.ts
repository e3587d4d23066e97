/**
 * Parse-back proof for FortiGate: for every tunnel to a fortigate peer in every example and fixture site, the
 * FortiOS file the compiler emits, read back with test/readers/fortios.ts, agrees with the model and with the
 * gateway's strongSwan files, tunnel script and FRR (./fortigate.ts). The second half renders with deliberately
 * broken copies of the FortiGate template and shows each one caught.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { compileSource, type SiteResult } from "../../src/compile/pipeline.js";
import type { SiteModel, TunnelModel } from "../../src/model/types.js";
import { normalise, PACKAGE_ROOT } from "../../src/render/templates.js";
import { FORTIGATE_TEMPLATE, renderDevice, type TemplateRenderer } from "../../src/targets/fortigate/index.js";
import { platform } from "../../src/targets/fortigate/platform.js";
import { HOST_PATHS, hostFile } from "../../src/targets/host-paths.js";
import { devicePath } from "../../src/targets/platforms.js";
import { TARGETS } from "../../src/targets/registry.js";
import { readFortios, entries, value } from "../readers/fortios.js";
import { disagreements, type GatewayFacts } from "./fortigate.js";
import { fromIpsecConf, fromSwanctl } from "./host-facts.js";
import { vtiDevices } from "./host-script.js";

const PREFIX = platform.capabilities.interfaces.prefix;

/** Every example and fixture site with a FortiGate. */
const siteFiles = [
  ...readdirSync(join(PACKAGE_ROOT, "sites")).map((f) => `sites/${f}`),
  ...readdirSync(join(PACKAGE_ROOT, "test/fixtures/sites")).map((f) => `test/fixtures/sites/${f}`),
].filter((f) => f.endsWith(".yaml") && /^\s+platform: fortigate\s*$/m.test(readFileSync(join(PACKAGE_ROOT, f), "utf8")));

/** The targets whose files describe a tunnel's two ends. */
const TUNNEL_TARGETS = TARGETS.filter((t) => ["strongswan", "linux", "frr", platform.folder].includes(t.name));

function compile(file: string): SiteResult & { model: SiteModel } {
  const result = compileSource(file, readFileSync(join(PACKAGE_ROOT, file), "utf8"), { targets: TUNNEL_TARGETS });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (!result.model) throw new Error(`${file} did not compile`);
  return { ...result, model: result.model };
}

function artifact(result: SiteResult, path: string): string | undefined {
  return result.artifacts.find((a) => a.path === path)?.content;
}

/** What the gateway end of `t` says, from every strongSwan format its host gets, its tunnel script and FRR. */
function gatewayFacts(result: SiteResult & { model: SiteModel }, t: TunnelModel): GatewayFacts {
  const host = result.model.hosts.find((h) => h.name === t.host.node)!;
  const paths = HOST_PATHS[host.os];
  const read = (path: string) => artifact(result, hostFile(host.name, path));
  const strongswan = [];
  if (host.strongswanFormat !== "swanctl") strongswan.push(fromIpsecConf(read(paths.ipsecConf)!, read(paths.ipsecSecrets)!, t.name));
  if (host.strongswanFormat !== "ipsec-conf") strongswan.push(fromSwanctl(read(paths.swanctlConf)!, t.name));
  expect(strongswan.every(Boolean), `every strongSwan file of ${host.name} has tunnel ${t.name}`).toBe(true);
  const script = read(paths.tunnelScript);
  const vti = script ? vtiDevices(script).find((d) => d.device === t.device) : undefined;
  expect(vti, `${host.name}'s tunnel script creates ${t.device}`).toBeDefined();
  const frr = t.bgp ? read(paths.frrConf) : undefined;
  if (t.bgp) expect(frr, `${host.name} gets ${paths.frrConf}`).toBeDefined();
  return { strongswan: strongswan.filter((s) => s !== undefined), ...(vti ? { vti } : {}), ...(frr !== undefined ? { frr } : {}) };
}

function deviceTunnels(model: SiteModel) {
  return model.tunnels.filter((t) => t.peer.platform === platform.name).map((t) => ({ t, device: model.peers.find((p) => p.name === t.peer.node)! }));
}

it("finds the FortiGate sites", () => {
  expect(siteFiles).toContain("test/fixtures/sites/fortigate.yaml");
});

describe.each(siteFiles)("parse-back %s", (file) => {
  const result = compile(file);
  const tunnels = deviceTunnels(result.model);

  it.each(tunnels.map(({ t, device }) => [t.name, t, device] as const))("%s: the FortiOS file agrees with the model and the gateway", (_, t, device) => {
    const text = artifact(result, devicePath(platform, device.name));
    expect(text, `devices/${device.name} is emitted`).toBeDefined();
    expect(disagreements(t, text!, gatewayFacts(result, t), PREFIX)).toEqual([]);
  });

  it("holds only secret placeholders, each on a psksecret line", () => {
    for (const { device } of tunnels) {
      const tree = readFortios(artifact(result, devicePath(platform, device.name))!);
      for (const p1 of entries(tree, "vpn ipsec phase1-interface")) expect(value(p1, "psksecret")).toMatch(/^@@sitewire-secret:(env|file):[A-Za-z0-9_./+-]+@@$/);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// A broken template is caught
// ---------------------------------------------------------------------------------------------------------

const templateText = readFileSync(join(PACKAGE_ROOT, "templates", platform.folder, `${FORTIGATE_TEMPLATE}.hbs`), "utf8");

/** Render with a copy of the FortiGate template in which `from` is replaced by `to`. */
function brokenRenderer(from: string, to: string): TemplateRenderer {
  const altered = templateText.split(from).join(to);
  if (altered === templateText) throw new Error(`the template has no ${JSON.stringify(from)}: the mutation would prove nothing`);
  const compiled = Handlebars.create().compile(altered, { strict: true, noEscape: true });
  return (name, data) => {
    expect(name).toBe(FORTIGATE_TEMPLATE);
    return normalise(compiled(data));
  };
}

const SITE = "test/fixtures/sites/fortigate.yaml";

const MUTATIONS: readonly { tunnel: string; fact: string; why: string; from: string; to: string }[] = [
  { tunnel: "apps", fact: "pre-shared key", why: "a literal key instead of the placeholder", from: "set psksecret {{psk}}", to: 'set psksecret "fortinet"' },
  { tunnel: "apps", fact: "remote gateway", why: "remote-gw typed from the wrong end", from: "set remote-gw {{remoteGw}}", to: "set remote-gw {{localGw}}" },
  { tunnel: "apps", fact: "IKE proposals", why: "DH group hard-coded", from: "set dhgrp {{dhgrp}}", to: "set dhgrp 14" },
  { tunnel: "apps", fact: "ESP proposals", why: "phase 2 proposal hard-coded", from: "set proposal {{phase2.proposal}}", to: "set proposal aes128-sha1" },
  { tunnel: "apps", fact: "PFS", why: "PFS left out", from: "        set pfs enable\n        set dhgrp {{phase2.pfs}}\n", to: "        set pfs disable\n" },
  { tunnel: "apps", fact: "inside mask", why: "the gateway's network typed as a /24", from: "set remote-ip {{iface.remoteIp}} {{iface.remoteMask}}", to: "set remote-ip {{iface.remoteIp}} 255.255.255.0" },
  { tunnel: "apps", fact: "inside address", why: "the device given the gateway's inside address", from: "set ip {{iface.ip}} 255.255.255.255", to: "set ip {{iface.remoteIp}} 255.255.255.255" },
  { tunnel: "apps", fact: "mss", why: "a hand-typed MSS", from: "set tcp-mss {{iface.mss}}", to: "set tcp-mss 1387" },
  { tunnel: "apps", fact: "selectors", why: "phase 2 narrowed to one network", from: "set dst-subnet 0.0.0.0 0.0.0.0", to: "set dst-subnet 10.0.0.0 255.0.0.0" },
  { tunnel: "apps", fact: "DPD timeout", why: "retry count not derived from the timeout", from: "set dpd-retrycount {{dpd.retries}}", to: "set dpd-retrycount 10" },
  { tunnel: "apps", fact: "link-monitor timing", why: "interval written in seconds (FortiOS 7 reads milliseconds)", from: "set interval {{intervalMs}}", to: "set interval 5" },
  { tunnel: "apps", fact: "route tracking", why: "the monitor lists no routes, so it would withdraw every route of the interface", from: "        set route {{routes}}\n", to: "" },
  { tunnel: "apps", fact: "route gateway", why: "static route to the device's own inside address", from: "set gateway {{gateway}}", to: "set gateway 169.254.71.1" },
  { tunnel: "apps", fact: "policy from the tunnel", why: "policy interfaces swapped", from: "set srcintf {{srcintf}}\n        set dstintf {{dstintf}}", to: "set srcintf {{dstintf}}\n        set dstintf {{srcintf}}" },
  { tunnel: "legacy", fact: "IKE version", why: "IKE version hard-coded", from: "set ike-version {{ikeVersion}}", to: "set ike-version 2" },
  { tunnel: "dc-a", fact: "bgp remote-as", why: "remote-as typed as the device's own AS (iBGP)", from: "set remote-as {{remoteAs}}", to: "set remote-as {{../bgp.as}}" },
  { tunnel: "dc-a", fact: "bgp timers", why: "keepalive and hold time swapped", from: "set keep-alive-timer {{keepalive}}", to: "set keep-alive-timer {{holdtime}}" },
  { tunnel: "dc-a", fact: "bgp bfd", why: "BFD on the neighbour but not on the interface", from: "        set bfd enable\n        set bfd-desired-min-tx", to: "        set bfd-desired-min-tx" },
  { tunnel: "dc-a", fact: "bgp announce", why: "the in-list applied outbound", from: "set prefix-list-out {{prefixOut}}", to: "set prefix-list-out {{prefixIn}}" },
  { tunnel: "dc-b", fact: "bgp preference", why: "no AS-path prepend on the secondary tunnel", from: "                set set-aspath-action prepend\n                set set-aspath {{aspath}}\n", to: "" },
];

describe("the parse-back check catches a broken FortiGate template", () => {
  const result = compile(SITE);
  it.each(MUTATIONS.map((m) => [`${m.fact} (${m.why})`, m] as const))("%s", (_, m) => {
    const t = result.model.tunnels.find((x) => x.name === m.tunnel)!;
    const device = result.model.peers.find((p) => p.name === t.peer.node)!;
    const gateway = gatewayFacts(result, t);
    const good = renderDevice(result.model, device);
    expect(disagreements(t, good, gateway, PREFIX)).toEqual([]);
    const broken = renderDevice(result.model, device, brokenRenderer(m.from, m.to));
    expect(broken).not.toBe(good);
    const found = disagreements(t, broken, gateway, PREFIX);
    expect(found.map((d) => d.split(":")[0]!.replace(/ \(.*\)$/, "")), found.join("\n")).toContain(m.fact);
  });
});

/** IPv6 beside IPv4 (issue 16): the IPv6 slots of the template are checked as the IPv4 ones. */
const SITE6 = "test/fixtures/sites/ipv6-devices.yaml";

const MUTATIONS6: readonly { tunnel: string; fact: string; why: string; from: string; to: string }[] = [
  { tunnel: "fgt-six", fact: "inside6 address", why: "the IPv6 inside address left out", from: "            set ip6-address {{iface.ip6}}\n", to: "" },
  { tunnel: "fgt-six", fact: "phase 2 IPv6", why: "no phase 2 for the IPv6 selectors", from: "{{#if phase2v6}}", to: "{{#if false}}" },
  { tunnel: "fgt-six", fact: "selectors IPv6", why: "IPv6 phase 2 narrowed", from: "set dst-subnet6 ::/0", to: "set dst-subnet6 2001:db8::/32" },
  { tunnel: "fgt-six", fact: "routes6", why: "IPv6 static routes left out", from: "config router static6\n{{#each routes6}}", to: "config router static6\n{{#each routes}}" },
  { tunnel: "fgt-six", fact: "route6 gateway", why: "IPv6 route via the device's own address", from: "        set gateway {{gateway}}\n{{/if}}\n        set distance", to: "        set gateway fd00:106::1\n{{/if}}\n        set distance" },
  { tunnel: "fgt-six", fact: "policy from the tunnel (IPv6)", why: "IPv6 policies clamped to the IPv4 MSS", from: "set tcp-mss-sender {{mss6}}", to: "set tcp-mss-sender 1360" },
  { tunnel: "fgt-dual", fact: "bgp6 family", why: "IPv6 neighbour not activated for IPv6", from: "            set activate6 enable\n", to: "" },
  { tunnel: "fgt-dual", fact: "bgp6 announce", why: "the IPv6 in-list applied outbound", from: "set prefix-list-out6 {{prefixOut}}", to: "set prefix-list-out6 {{prefixIn}}" },
  { tunnel: "fgt-dual", fact: "bgp6 networks", why: "no network6 entries", from: "            set prefix6 {{prefix6}}\n        next", to: "            set prefix6 2001:db8::/32\n        next" },
];

describe("the parse-back check catches a broken FortiGate template (IPv6)", () => {
  const result = compile(SITE6);
  it.each(MUTATIONS6.map((m) => [`${m.fact} (${m.why})`, m] as const))("%s", (_, m) => {
    const t = result.model.tunnels.find((x) => x.name === m.tunnel)!;
    const device = result.model.peers.find((p) => p.name === t.peer.node)!;
    const gateway = gatewayFacts(result, t);
    const good = renderDevice(result.model, device);
    expect(disagreements(t, good, gateway, PREFIX)).toEqual([]);
    const broken = renderDevice(result.model, device, brokenRenderer(m.from, m.to));
    expect(broken).not.toBe(good);
    const found = disagreements(t, broken, gateway, PREFIX);
    expect(found.map((d) => d.split(":")[0]!.replace(/ \((?!IPv6).*\)$/, "")), found.join("\n")).toContain(m.fact);
  });
});
