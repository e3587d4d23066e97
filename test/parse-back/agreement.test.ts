/**
 * Parse-back proof: for every tunnel to a cisco-ios router in every example and fixture site, the IOS text
 * the compiler emits, read back, agrees with the model and with the gateway's strongSwan files and tunnel
 * script on every fact the compatibility rules check (src/rules/compat). A template that drifts from the
 * model cannot pass: the second half renders with deliberately broken copies of the IOS template and shows
 * each one caught, and the last test reads seed 004's hand-written router config and finds its mistakes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { compileSource, type SiteResult } from "../../src/compile/pipeline.js";
import type { SiteModel, TunnelModel } from "../../src/model/types.js";
import { iosText } from "../../src/targets/ios/quote.js";
import { normalise, PACKAGE_ROOT } from "../../src/render/templates.js";
import { HOST_PATHS, hostFile } from "../../src/targets/host-paths.js";
import { TARGETS } from "../../src/targets/registry.js";
import { platform as iosPlatform } from "../../src/targets/ios/platform.js";
import { devicePath as platformDevicePath } from "../../src/targets/platforms.js";
import { IOS_TEMPLATE, renderDevice, type TemplateRenderer } from "../../src/targets/ios/render.js";
import { disagreements, type GatewayFacts } from "./agreement.js";
import { fromIpsecConf, fromSwanctl } from "./host-facts.js";
import { vtiDevices } from "./host-script.js";

const devicePath = (peer: string) => platformDevicePath(iosPlatform, peer);

/** Every example and fixture site with a Cisco IOS router. */
const siteFiles = [
  ...readdirSync(join(PACKAGE_ROOT, "sites")).map((f) => `sites/${f}`),
  ...readdirSync(join(PACKAGE_ROOT, "test/fixtures/sites")).map((f) => `test/fixtures/sites/${f}`),
].filter((f) => f.endsWith(".yaml") && /^\s+platform: cisco-ios\s*$/m.test(readFileSync(join(PACKAGE_ROOT, f), "utf8")));

/** The targets whose files describe a tunnel's two ends (the others cannot break this proof). */
const TUNNEL_TARGETS = TARGETS.filter((t) => ["strongswan", "linux", "ios", "frr"].includes(t.name));

function compile(file: string): SiteResult & { model: SiteModel } {
  const result = compileSource(file, readFileSync(join(PACKAGE_ROOT, file), "utf8"), { targets: TUNNEL_TARGETS });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (!result.model) throw new Error(`${file} did not compile`);
  return { ...result, model: result.model };
}

function artifact(result: SiteResult, path: string): string | undefined {
  return result.artifacts.find((a) => a.path === path)?.content;
}

/** What the gateway end of `t` says, from every strongSwan format its host gets, and its tunnel script. */
function gatewayFacts(result: SiteResult & { model: SiteModel }, t: TunnelModel): GatewayFacts {
  const host = result.model.hosts.find((h) => h.name === t.host.node)!;
  const paths = HOST_PATHS[host.os];
  const read = (path: string) => artifact(result, hostFile(host.name, path));
  const strongswan = [];
  if (host.strongswanFormat !== "swanctl") {
    const conf = read(paths.ipsecConf);
    const secrets = read(paths.ipsecSecrets);
    expect(conf, `${host.name} gets ${paths.ipsecConf}`).toBeDefined();
    expect(secrets, `${host.name} gets ${paths.ipsecSecrets}`).toBeDefined();
    strongswan.push(fromIpsecConf(conf!, secrets!, t.name));
  }
  if (host.strongswanFormat !== "ipsec-conf") {
    const swanctl = read(paths.swanctlConf);
    expect(swanctl, `${host.name} gets ${paths.swanctlConf}`).toBeDefined();
    strongswan.push(fromSwanctl(swanctl!, t.name));
  }
  expect(strongswan.every(Boolean), `every strongSwan file of ${host.name} has tunnel ${t.name}`).toBe(true);
  const script = read(paths.tunnelScript);
  const vti = script ? vtiDevices(script).find((d) => d.device === t.device) : undefined;
  expect(vti, `${host.name}'s tunnel script creates ${t.device}`).toBeDefined();
  expect(vti?.kind, `${t.device} is a ${t.deviceKind} device`).toBe(t.deviceKind);
  if (vti?.kind === "xfrm") expect(vti.underlay, `${t.device} sends out of ${host.interface}`).toBe(host.interface);
  const frr = t.bgp ? read(paths.frrConf) : undefined;
  if (t.bgp) expect(frr, `${host.name} gets ${paths.frrConf} for tunnel ${t.name}'s BGP session`).toBeDefined();
  return { strongswan: strongswan.filter((s) => s !== undefined), ...(vti ? { vti } : {}), ...(frr !== undefined ? { frr } : {}) };
}

function routerTunnels(model: SiteModel) {
  return model.tunnels.filter((t) => t.peer.platform === "cisco-ios").map((t) => ({ t, router: model.peers.find((p) => p.name === t.peer.node)! }));
}

describe.each(siteFiles)("parse-back %s", (file) => {
  const result = compile(file);
  const tunnels = routerTunnels(result.model);

  it.each(tunnels.map(({ t, router }) => [t.name, t, router] as const))("%s: the router's IOS text agrees with the model and the gateway", (_, t, router) => {
    const ios = artifact(result, devicePath(router.name));
    expect(ios, `devices/${router.name} is emitted`).toBeDefined();
    expect(disagreements(t, router, ios!, gatewayFacts(result, t))).toEqual([]);
  });

  it("no secret value, only placeholders, follows a key keyword", () => {
    for (const { router } of tunnels) {
      const ios = artifact(result, devicePath(router.name))!;
      for (const m of ios.matchAll(/(?:\bkey|pre-shared-key) (\S+)\s*$/gm)) expect(m[1]).toMatch(/^@@sitewire-secret:(env|file):[A-Za-z0-9_./+-]+@@$/);
    }
  });
});

/** "pre-shared key (swanctl.conf): …" → "pre-shared key". */
function factsOf(found: readonly string[]): string[] {
  return found.map((d) => d.split(":")[0]!.replace(/ \(.*\)$/, ""));
}

// ---------------------------------------------------------------------------------------------------------
// A broken template is caught
// ---------------------------------------------------------------------------------------------------------

const templateText = readFileSync(join(PACKAGE_ROOT, "templates", "ios", `${IOS_TEMPLATE}.hbs`), "utf8");

/** Render with a copy of the IOS template in which `from` is replaced by `to` (same helpers as src/render). */
function brokenRenderer(from: string, to: string): TemplateRenderer {
  const altered = templateText.split(from).join(to);
  if (altered === templateText) throw new Error(`the template has no ${JSON.stringify(from)}: the mutation would prove nothing`);
  const hb = Handlebars.create();
  hb.registerHelper("ios", (v: unknown) => iosText(String(v)));
  const compiled = hb.compile(altered, { strict: true, noEscape: true });
  return (name, data) => {
    expect(name).toBe(IOS_TEMPLATE);
    return normalise(compiled(data));
  };
}

const BGP_SITE = "test/fixtures/sites/onprem-bgp-cisco.yaml";

const MUTATIONS: readonly { site: string; tunnel: string; fact: string; why: string; from: string; to: string }[] = [
  // IPv6 (issue 16): the dual-stack and the IPv6-only tunnel of the IPv6 fixture.
  { site: "test/fixtures/sites/ipv6-devices.yaml", tunnel: "ios-dual", fact: "tunnel mode", why: "a dual-stack tunnel left in IPv4 mode", from: " tunnel mode ipsec {{interface.mode}}", to: " tunnel mode ipsec ipv4" },
  { site: "test/fixtures/sites/ipv6-devices.yaml", tunnel: "ios-dual", fact: "ipv6 mss", why: "the IPv4 MSS clamped on IPv6 too", from: "ipv6 tcp adjust-mss {{interface.mss6}}", to: "ipv6 tcp adjust-mss {{interface.mss}}" },
  { site: "test/fixtures/sites/ipv6-devices.yaml", tunnel: "ios-dual", fact: "inside6 address", why: "no IPv6 address on the interface", from: " ipv6 address {{interface.ipv6}}\n", to: "" },
  { site: "test/fixtures/sites/ipv6-devices.yaml", tunnel: "ios-six", fact: "ipv6 routes", why: "IPv6 routes left out", from: "ipv6 route {{prefix}} Tunnel{{../interface.number}} {{nextHop}} tag {{tag}} track {{track}}\n", to: "" },
  { site: "test/fixtures/sites/ipv6-devices.yaml", tunnel: "ios-dual", fact: "ipv6 bgp activate", why: "the IPv6 neighbour left active for IPv4", from: "  no neighbor {{neighbor}} activate\n", to: "" },
  { site: "sites/bjs-hybrid.yaml", tunnel: "vpn1", fact: "inside mask", why: "the seed's /24 on the router", from: "{{interface.ipv4.mask}}", to: "255.255.255.0" },
  { site: "sites/bjs-hybrid.yaml", tunnel: "vpn1", fact: "inside network", why: "the router given the gateway's inside address", from: "ip address {{interface.ipv4.address}} {{interface.ipv4.mask}}", to: "ip address {{sla.target}} {{interface.ipv4.mask}}" },
  { site: "sites/bjs-hybrid.yaml", tunnel: "vpn1", fact: "pre-shared key", why: "the seed's literal key instead of the placeholder", from: "key {{psk}}", to: "key cisco" },
  { site: "sites/bjs-hybrid.yaml", tunnel: "vpn1", fact: "mss", why: "the seed's hand-typed MSS", from: "ip tcp adjust-mss {{interface.mss}}", to: "ip tcp adjust-mss 1387" },
  { site: "sites/bjs-hybrid.yaml", tunnel: "vpn1", fact: "mtu", why: "no ip mtu on the router", from: " ip mtu {{interface.mtu}}\n", to: "" },
  { site: "sites/bjs-hybrid.yaml", tunnel: "vpn1", fact: "pre-shared key peer", why: "keyring keyed to the wrong address", from: "pre-shared-key address {{remoteAddress}}", to: "pre-shared-key address {{localAddress}}" },
  { site: "sites/bjs-hybrid.yaml", tunnel: "vpn1", fact: "PFS", why: "PFS left out", from: " set pfs group{{pfs}}\n", to: "" },
  { site: "sites/bjs-hybrid.yaml", tunnel: "vpn1", fact: "IKE proposals", why: "isakmp hash hard-coded", from: " hash {{hash}}", to: " hash sha" },
  { site: "sites/bjs-hybrid.yaml", tunnel: "vpn1", fact: "route tag and track", why: "route tracks the SLA id instead of the track id", from: "track {{track}}", to: "track {{../sla.id}}" },
  { site: "sites/bjs-hybrid.yaml", tunnel: "vpn1", fact: "ip sla", why: "probe source and target swapped", from: "icmp-echo {{sla.target}} source-ip {{sla.source}}", to: "icmp-echo {{sla.source}} source-ip {{sla.target}}" },
  { site: "sites/bjs-hybrid.yaml", tunnel: "vpn1", fact: "ip sla schedule", why: "the seed's schedule, which stops after an hour", from: " life forever start-time now", to: " start-time now" },
  { site: "sites/bjs-hybrid.yaml", tunnel: "vpn1", fact: "tunnel destination", why: "destination typed from the wrong end", from: "tunnel destination {{interface.destination}}", to: "tunnel destination {{interface.source}}" },
  { site: "sites/bjs-hybrid.yaml", tunnel: "vpn1", fact: "admin state", why: "Tunnel interface left without no shutdown", from: " no shutdown\n", to: "" },
  { site: "sites/bjs-hybrid.yaml", tunnel: "vpn1", fact: "redistribution", why: "OSPF redistributes without the route map", from: "redistribute static subnets route-map {{routeMap.name}}", to: "redistribute static subnets" },
  { site: "test/fixtures/sites/ikev2-cisco.yaml", tunnel: "tun-b", fact: "IKE proposals", why: "IKEv2 encryption hard-coded", from: " encryption {{encryption}}", to: " encryption aes-cbc-128" },
  { site: "test/fixtures/sites/ikev2-cisco.yaml", tunnel: "tun-a", fact: "router identity", why: "IKEv2 local identity from the wrong end", from: " identity local {{localIdentity}}", to: " identity local address {{remoteAddress}}" },
  { site: "test/fixtures/sites/ikev2-cisco.yaml", tunnel: "tun-b", fact: "ESP proposals", why: "transform set hard-coded", from: "crypto ipsec transform-set {{name}} {{transforms}}", to: "crypto ipsec transform-set {{name}} esp-aes 128 esp-sha-hmac" },
  { site: "test/fixtures/sites/ikev2-cisco.yaml", tunnel: "tun-b", fact: "redistribution", why: "route map matches no tag", from: " match tag {{routeMap.tags}}", to: " match tag 1" },
  { site: BGP_SITE, tunnel: "a", fact: "ip sla timeout", why: "the probe's timeout left at IOS's 5000 ms", from: " timeout {{sla.timeoutMs}}\n", to: "" },
  { site: BGP_SITE, tunnel: "a", fact: "bgp neighbor", why: "the neighbour is the router's own router id", from: "{{neighbor}}", to: "{{../bgp.routerId}}" },
  { site: BGP_SITE, tunnel: "b", fact: "bgp remote-as", why: "remote-as typed as the router's own AS (iBGP)", from: "remote-as {{remoteAs}}", to: "remote-as {{../bgp.as}}" },
  { site: BGP_SITE, tunnel: "a", fact: "bgp timers", why: "keepalive and hold time swapped", from: "timers {{keepalive}} {{holdTime}}", to: "timers {{holdTime}} {{keepalive}}" },
  { site: BGP_SITE, tunnel: "a", fact: "bgp bfd", why: "BFD on the interface but no fall-over bfd", from: " neighbor {{neighbor}} fall-over bfd\n", to: "" },
  { site: BGP_SITE, tunnel: "b", fact: "bgp accept", why: "the in-list built from the router's own announcements", from: "{{#each accept}}", to: "{{#each announce}}" },
  { site: BGP_SITE, tunnel: "a", fact: "bgp announce", why: "the in-list applied outbound", from: "prefix-list {{prefixListOut}} out", to: "prefix-list {{prefixListIn}} out" },
  { site: BGP_SITE, tunnel: "b", fact: "bgp preference", why: "the secondary tunnel's routes preferred like the primary's", from: " set local-preference {{localPref}}", to: " set local-preference 200" },
  { site: BGP_SITE, tunnel: "b", fact: "bgp preference", why: "no AS-path prepend on the secondary tunnel", from: " set as-path prepend {{prepend}}\n", to: "" },
];

describe("the parse-back check catches a broken IOS template", () => {
  it.each(MUTATIONS.map((m) => [`${m.fact} (${m.why})`, m] as const))("%s", (_, m) => {
    const result = compile(m.site);
    const t = result.model.tunnels.find((x) => x.name === m.tunnel)!;
    const router = result.model.peers.find((p) => p.name === t.peer.node)!;
    const gateway = gatewayFacts(result, t);
    const good = renderDevice(result.model, router);
    expect(disagreements(t, router, good, gateway)).toEqual([]);
    const broken = renderDevice(result.model, router, brokenRenderer(m.from, m.to));
    expect(broken).not.toBe(good);
    const found = disagreements(t, router, broken, gateway);
    expect(factsOf(found), found.join("\n")).toContain(m.fact);
  });
});

describe("seed 004's hand-written router 1 against the bjs-hybrid intent", () => {
  it("is reported for each of its known mistakes", () => {
    const result = compile("sites/bjs-hybrid.yaml");
    const t = result.model.tunnels.find((x) => x.name === "vpn1")!;
    const router = result.model.peers.find((p) => p.name === "dc-router-1")!;
    const seed = readFileSync(join(PACKAGE_ROOT, "test/parse-back/seed-004-router1.ios"), "utf8");
    const facts = factsOf(disagreements(t, router, seed, gatewayFacts(result, t)));
    // /24 mask, MSS 1387 typed against MTU 1436, no ip mtu, PSK "cisco", group 2 + SHA-1 instead of the
    // intent's strong proposals, and an SLA that stops after an hour (schedule without `life forever`).
    // The seed's Tunnel100 has no `no shutdown`: an interface someone shut stays down after the paste.
    for (const fact of ["inside mask", "mss", "mtu", "pre-shared key", "IKE proposals", "ESP proposals", "PFS", "ip sla schedule", "admin state"]) expect(facts).toContain(fact);
    // What the seed got right is not reported.
    for (const fact of ["inside address", "tunnel source", "tunnel destination", "local address", "ip sla", "track", "routes", "route next hop", "route tag and track"])
      expect(facts).not.toContain(fact);
  });
});
