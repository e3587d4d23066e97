/**
 * Parse-back proof for Palo Alto PAN-OS: for every tunnel to a paloalto-panos peer in every example and fixture
 * site, the `set` commands the target renders, read back with test/readers/panos-set.ts and followed name by name
 * (./panos-facts.ts), agree with the model's firewall end (`t.peer`) and fit the gateway's strongSwan end
 * (`t.host`): proposals (as algorithm identities), lifetimes, PFS, identities and addresses, inside addresses,
 * routes and their monitoring, the tunnel monitor, the flows' security rules and the BGP session. The second half
 * renders with deliberately broken copies of the template and shows each one caught.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { compileSource } from "../../src/compile/pipeline.js";
import { identityOf, parseProposal, prfOfIntegrity } from "../../src/model/crypto.js";
import type { PeerModel, SiteModel, TunnelModel } from "../../src/model/types.js";
import { isIpv4 } from "../../src/net/ip.js";
import { normalise, PACKAGE_ROOT } from "../../src/render/templates.js";
import { PANOS_TEMPLATE, renderDevice, type TemplateRenderer } from "../../src/targets/paloalto-panos/render.js";
import { groupIdentity, panosTunnels, type Combo } from "./panos-facts.js";

const siteFiles = [
  ...readdirSync(join(PACKAGE_ROOT, "sites")).map((f) => `sites/${f}`),
  ...readdirSync(join(PACKAGE_ROOT, "test/fixtures/sites")).map((f) => `test/fixtures/sites/${f}`),
].filter((f) => f.endsWith(".yaml") && /^\s+platform: paloalto-panos\s*$/m.test(readFileSync(join(PACKAGE_ROOT, f), "utf8")));

function compile(file: string): SiteModel {
  const result = compileSource(file, readFileSync(join(PACKAGE_ROOT, file), "utf8"), { targets: [] });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  if (!result.model) throw new Error(`${file} did not compile`);
  return result.model;
}

const key = (c: Combo) => [c.encryption, c.integrity ?? "-", c.prf ?? "-", c.dh ?? "-"].join(" ");

/** Every single-algorithm combination a strongSwan proposal list allows, as identities (PRF explicit for IKE). */
function combos(texts: readonly string[], ike: boolean): Set<string> {
  const out = new Set<string>();
  for (const text of texts) {
    const p = parseProposal(text).proposal;
    for (const enc of p.encryption)
      for (const integ of p.integrity.length ? p.integrity : [undefined])
        for (const dh of ike ? p.dh : [undefined]) {
          const prfs = !ike ? [undefined] : p.prf.length ? p.prf.map(identityOf) : [integ ? prfOfIntegrity(integ) : undefined];
          for (const prf of prfs) out.add(key({ encryption: identityOf(enc), ...(integ ? { integrity: identityOf(integ) } : {}), ...(prf ? { prf } : {}), ...(dh ? { dh: identityOf(dh) } : {}) }));
        }
  }
  return out;
}

/** The one PFS group the ESP proposals ask for, as an identity; undefined for none. */
function pfsOf(texts: readonly string[]): string | undefined {
  const groups = new Set(texts.map((t) => parseProposal(t).proposal.dh.map(identityOf).join("-")));
  return groups.size === 1 ? [...groups][0] || undefined : `mixed: ${[...groups].join(", ")}`;
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((x) => b.has(x));
const cidrSet = (ps: readonly { cidr: string }[]) => new Set(ps.map((p) => p.cidr));
const ofFamily = <P extends { family: 4 | 6 }>(ps: readonly P[], family: 4 | 6) => ps.filter((p) => p.family === family);
const bare = (id: string) => id.replace(/^@/, "");
const idType = (id: string) => (isIpv4(bare(id)) ? "ipaddr" : "fqdn");

/** Each failed fact as "<fact>: <what differs>". */
export function disagreements(t: TunnelModel, text: string): string[] {
  const out: string[] = [];
  const expect = (fact: string, ok: boolean, detail: () => string) => {
    if (!ok) out.push(`${fact}: ${detail()}`);
  };
  const f = panosTunnels(text).get(t.number);
  if (!f) return [`tunnel interface: no tunnel.${t.number}`];
  const peer = t.peer;
  const host = t.host;
  const hostInside = host.insideAddress?.address;

  // The tunnel interface: inside address of the model, in the gateway's network; MTU; zone; virtual router.
  expect("inside address", f.inside === peer.insideAddress?.cidr, () => `${f.iface} has ${f.inside}, the model ${peer.insideAddress?.cidr}`);
  expect("inside network", f.inside !== undefined && host.insideAddress !== undefined && f.inside.split("/")[1] === String(host.insideAddress.length) && f.inside.split("/")[0] !== hostInside && peer.insideAddress?.network.cidr === host.insideAddress.network.cidr, () => `firewall ${f.inside}, gateway ${host.insideAddress?.cidr}`);
  expect("mtu", f.mtu === peer.mtu && f.mtu === host.mtu, () => `${f.iface} mtu ${f.mtu}, the model ${peer.mtu}, the gateway ${host.mtu}`);
  // PAN-OS clamps the MSS to the tunnel MTU − 40 by itself: the model's MSS must be that.
  expect("mss", peer.mss === (f.mtu ?? 0) - 40 && peer.mss <= host.mtu - 40, () => `the model's MSS ${peer.mss}, the firewall clamps to ${(f.mtu ?? 0) - 40}`);
  expect("zone", f.zone !== undefined && f.ping, () => `${f.iface} in zone ${f.zone}, answering ping: ${f.ping}`);
  expect("virtual router", f.virtualRouter === "default", () => `${f.iface} in virtual router ${f.virtualRouter}`);
  // IPv6 beside IPv4 (issue 16): the unit's IPv6 address is the model's, in the gateway's inside6 network.
  const hostInside6 = host.insideAddress6?.address;
  expect("inside6 address", f.inside6 === peer.insideAddress6?.cidr, () => `${f.iface} has IPv6 ${f.inside6}, the model ${peer.insideAddress6?.cidr}`);
  expect("inside6 network", peer.insideAddress6 === undefined || (host.insideAddress6 !== undefined && f.inside6?.split("/")[0] !== hostInside6 && peer.insideAddress6.network.cidr === host.insideAddress6.network.cidr), () => `firewall ${f.inside6}, gateway ${host.insideAddress6?.cidr}`);
  // Both families: a proxy ID per family, any address both ways (one SA each, as the gateway's CHILD SAs); one family: none.
  const both = t.families.includes(6);
  const v4ids = f.proxyIds.filter((p) => p.family === 4);
  const v6ids = f.proxyIds.filter((p) => p.family === 6);
  expect(
    "proxy IDs",
    both
      ? v4ids.length === 1 && v6ids.length === 1 && v4ids[0]!.local === "0.0.0.0/0" && v4ids[0]!.remote === "0.0.0.0/0" && v4ids[0]!.any && v6ids[0]!.local === "::/0" && v6ids[0]!.remote === "::/0" && v6ids[0]!.any
      : f.proxyIds.length === 0,
    () => `proxy IDs ${JSON.stringify(f.proxyIds)} for a tunnel carrying IPv${t.families.join(" and IPv")}`,
  );
  expect("monitor proxy ID", both ? f.monitor?.proxyId !== undefined && f.monitor.proxyId === v4ids[0]?.name : f.monitor?.proxyId === undefined, () => `tunnel-monitor proxy-id ${f.monitor?.proxyId}, IPv4 proxy IDs ${v4ids.map((p) => p.name).join(", ")}`);

  // The IPsec tunnel bound to the interface and its gateway.
  expect("ipsec tunnel", f.ipsec !== undefined && f.gateway !== undefined, () => `ipsec tunnel ${f.ipsec} with gateway ${f.gateway}`);
  expect("IKE version", f.ikeVersion === peer.ike.version && f.ikeVersion === host.ike.version, () => `firewall IKEv${f.ikeVersion}, the model IKEv${peer.ike.version}, the gateway IKEv${host.ike.version}`);
  expect("IKEv1 mode", peer.ike.version === 2 ? f.mode === undefined : f.mode === "main", () => `exchange-mode ${f.mode}`);
  expect("gateway address", f.peerAddress === host.reachableAddress && f.peerAddress === peer.remoteAddress, () => `firewall connects to ${f.peerAddress}, the gateway is at ${host.reachableAddress}`);
  expect("local address", f.localAddress === peer.localAddress && host.remoteAddress === peer.reachableAddress, () => `firewall binds IKE to ${f.localAddress}, its address is ${peer.localAddress}`);
  expect("router identity", f.localId?.id === bare(host.remoteIdentity) && f.localId.id === bare(peer.identity) && f.localId.type === idType(peer.identity), () => `firewall sends ${f.localId?.type} ${f.localId?.id}, the gateway expects ${host.remoteIdentity}`);
  expect("gateway identity", f.peerId?.id === bare(host.identity) && f.peerId.type === idType(host.identity), () => `firewall expects ${f.peerId?.type} ${f.peerId?.id}, the gateway sends ${host.identity}`);
  expect("pre-shared key", f.psk === peer.psk.placeholder && f.psk === host.psk.placeholder, () => `firewall key ${f.psk}, the model ${peer.psk.placeholder}`);
  expect("NAT traversal", f.natTraversal, () => "nat-traversal is not enabled");
  const dpd = f.dpd;
  expect("DPD", dpd !== undefined && dpd.enabled && dpd.interval !== undefined && dpd.interval >= 2 && dpd.interval <= 100 && (peer.ike.version === 2 ? dpd.retry === undefined : dpd.retry !== undefined && dpd.retry >= 2 && dpd.retry <= 100), () => `dpd ${JSON.stringify(dpd)}`);
  if (dpd?.interval !== undefined && peer.dpd.delay.seconds >= 2 && peer.dpd.delay.seconds <= 100) {
    expect("DPD delay", dpd.interval === peer.dpd.delay.seconds, () => `firewall probes every ${dpd.interval}s, the model ${peer.dpd.delay.seconds}s`);
    if (peer.ike.version === 1 && dpd.retry !== undefined && peer.dpd.timeout.seconds <= 100 * dpd.interval && peer.dpd.timeout.seconds >= 2 * dpd.interval)
      expect("DPD timeout", dpd.interval * dpd.retry >= peer.dpd.timeout.seconds && dpd.interval * (dpd.retry - 1) < peer.dpd.timeout.seconds, () => `firewall gives up after ${dpd.retry} × ${dpd.interval}s, the model's timeout is ${peer.dpd.timeout.seconds}s`);
  }

  // Crypto: the firewall's profiles offer exactly the model's combinations, and the gateway's fit them.
  const fwIke = new Set(f.ikeCombos.map((c) => (c ? key(c) : "?unknown")));
  const fwEsp = new Set(f.espCombos.map((c) => (c ? key(c) : "?unknown")));
  const texts = (ps: readonly { text: string }[]) => ps.map((p) => p.text);
  expect("IKE proposals", sameSet(fwIke, combos(texts(peer.ike.proposals), true)), () => `firewall ${[...fwIke].join(", ")}; the model ${[...combos(texts(peer.ike.proposals), true)].join(", ")}`);
  expect("IKE proposals (gateway)", [...combos(texts(host.ike.proposals), true)].some((c) => fwIke.has(c)), () => `the gateway offers ${texts(host.ike.proposals).join(", ")}, the firewall accepts ${[...fwIke].join(", ")}`);
  expect("IKE lifetime", f.ikeLifetime === peer.ike.lifetime.seconds, () => `firewall ${f.ikeLifetime}, the model ${peer.ike.lifetime.seconds}`);
  expect("ESP proposals", sameSet(fwEsp, combos(texts(peer.esp.proposals), false)), () => `firewall ${[...fwEsp].join(", ")}; the model ${[...combos(texts(peer.esp.proposals), false)].join(", ")}`);
  expect("ESP proposals (gateway)", [...combos(texts(host.esp.proposals), false)].some((c) => fwEsp.has(c)), () => `the gateway offers ${texts(host.esp.proposals).join(", ")}`);
  expect("ESP lifetime", f.espLifetime === peer.esp.lifetime.seconds, () => `firewall ${f.espLifetime}, the model ${peer.esp.lifetime.seconds}`);
  expect("PFS", f.pfs === pfsOf(texts(host.esp.proposals)) && f.pfs === pfsOf(texts(peer.esp.proposals)), () => `firewall PFS ${f.pfs}, the gateway ${pfsOf(texts(host.esp.proposals))}`);
  expect("PFS group", f.pfs === groupIdentity(undefined) || !f.pfs?.startsWith("?"), () => `unknown group ${f.pfs}`);

  // Tunnel monitor, static routes and their path monitoring.
  const m = f.monitor;
  expect("tunnel monitor", m !== undefined && m.enabled && m.destination === hostInside && m.interval === t.monitor.interval.seconds && m.threshold === t.monitor.failures && m.action === "wait-recover", () => `tunnel-monitor ${JSON.stringify(m)}, the gateway is at ${hostInside}, every ${t.monitor.interval.seconds}s, ${t.monitor.failures} failures`);
  const wanted = t.bgp ? new Set<string>() : cidrSet(ofFamily(host.localNetworks, 4));
  const routed = new Set(f.routes.map((r) => r.prefix ?? "?"));
  expect("routes", sameSet(wanted, routed) && (t.bgp !== undefined || sameSet(cidrSet(ofFamily(peer.remoteNetworks, 4)), routed)), () => `firewall routes ${[...routed].join(", ")} into ${f.iface}, the gateway's networks are ${[...wanted].join(", ")}`);
  const wanted6 = t.bgp ? new Set<string>() : cidrSet(ofFamily(host.localNetworks, 6));
  const routed6 = new Set(f.routes6.map((r) => r.prefix ?? "?"));
  expect("routes6", sameSet(wanted6, routed6) && (t.bgp !== undefined || sameSet(cidrSet(ofFamily(peer.remoteNetworks, 6)), routed6)), () => `firewall IPv6 routes ${[...routed6].join(", ")} into ${f.iface}, the gateway's IPv6 networks are ${[...wanted6].join(", ")}`);
  expect("route6 next hop", f.routes6.every((r) => r.nexthop !== undefined && r.nexthop === hostInside6), () => `IPv6 next hops ${f.routes6.map((r) => r.nexthop).join(", ")}, the gateway is ${hostInside6}`);
  expect("route6 monitor", f.routes6.every((r) => r.probe?.enabled === true && r.probe.source === f.inside6 && r.probe.destination === hostInside6 && r.probe.interval === t.monitor.interval.seconds && r.probe.count === t.monitor.failures), () => `IPv6 path monitors ${JSON.stringify(f.routes6.map((r) => r.probe))}`);
  expect("route next hop", f.routes.every((r) => r.nexthop === hostInside), () => `next hops ${f.routes.map((r) => r.nexthop).join(", ")}, the gateway is ${hostInside}`);
  expect("route monitor", f.routes.every((r) => r.probe?.enabled === true && r.probe.source === f.inside && r.probe.destination === hostInside && r.probe.interval === t.monitor.interval.seconds && r.probe.count === t.monitor.failures), () => `path monitors ${JSON.stringify(f.routes.map((r) => r.probe))}`);

  // The tunnel's flows: every network behind the gateway to every network behind the firewall and back.
  if (host.localNetworks.length && host.remoteNetworks.length) {
    const allows = (from: "zone" | "any", sources: ReadonlySet<string>, destinations: ReadonlySet<string>) =>
      f.rules.some(
        (r) =>
          r.action === "allow" &&
          (from === "zone" ? r.from.includes(f.zone!) && r.to.includes("any") : r.from.includes("any") && r.to.includes(f.zone!)) &&
          sameSet(new Set(r.sources), sources) &&
          sameSet(new Set(r.destinations), destinations) &&
          r.applications.includes("any") &&
          r.services.includes("any"),
      );
    expect("flows from the gateway", allows("zone", cidrSet(host.localNetworks), cidrSet(host.remoteNetworks)), () => `rules ${JSON.stringify(f.rules)}`);
    expect("flows to the gateway", allows("any", cidrSet(host.remoteNetworks), cidrSet(host.localNetworks)), () => `rules ${JSON.stringify(f.rules)}`);
  }

  // BGP over the inside addresses.
  if (t.bgp) {
    const b = t.bgp;
    const g = f.bgp;
    if (!g) out.push(`bgp neighbor: no BGP peer sourced from ${f.iface}`);
    else {
      expect("bgp enabled", g.enabled && g.groupEnabled && g.peerEnabled && g.ebgp && g.installRoute, () => `bgp ${g.enabled}, group ${g.groupEnabled} (ebgp ${g.ebgp}), peer ${g.peerEnabled}, install-route ${g.installRoute}`);
      expect("bgp local AS", g.as === b.peer.as, () => `local-as ${g.as}, the model ${b.peer.as}`);
      expect("bgp router id", g.routerId === b.peer.routerId, () => `router-id ${g.routerId}, the model ${b.peer.routerId}`);
      expect("bgp neighbor", g.neighbor === b.host.address && g.neighbor === hostInside && g.localAddress === f.inside && b.peer.address === peer.insideAddress?.address, () => `peer ${g.neighbor} from ${g.localAddress}, the gateway ${b.host.address}`);
      expect("bgp remote-as", g.peerAs === b.host.as, () => `peer-as ${g.peerAs}, the gateway's AS ${b.host.as}`);
      expect("bgp timers", g.keepalive === b.keepalive.seconds && g.holdTime === b.holdTime.seconds, () => `keep-alive ${g.keepalive} hold ${g.holdTime}, the model ${b.keepalive.seconds}/${b.holdTime.seconds}`);
      expect("bgp bfd", (g.bfd !== undefined) === b.bfd && (!g.bfd || (g.bfd.minTx === 300 && g.bfd.minRx === 300 && g.bfd.multiplier === 3)), () => `bfd ${JSON.stringify(g.bfd)}, the model ${b.bfd} (FRR's 300/300/3)`);
      const lastDenies = (rules: typeof g.imports) => rules.length > 0 && rules.at(-1)!.action === "deny" && rules.at(-1)!.prefixes.length === 0 && rules.every((r) => r.enabled);
      const allowed = (rules: typeof g.imports) => rules.filter((r) => r.action === "allow").flatMap((r) => r.prefixes);
      const accept4 = cidrSet(ofFamily(b.peer.accept, 4));
      const announce4 = cidrSet(ofFamily(b.peer.announce, 4));
      expect("bgp family", g.family === 4, () => `the IPv4 session is AFI ipv${g.family}`);
      expect("bgp accept", lastDenies(g.imports) && sameSet(new Set(allowed(g.imports)), accept4), () => `import rules ${JSON.stringify(g.imports)}, the model accepts ${[...accept4].join(", ")}`);
      expect("bgp announce", lastDenies(g.exports) && sameSet(new Set(allowed(g.exports)), announce4), () => `export rules ${JSON.stringify(g.exports)}, the model announces ${[...announce4].join(", ")}`);
      expect("bgp networks", [...announce4].every((p) => g.redist.includes(p)), () => `redist-rules ${g.redist.join(", ")}, the model announces ${[...announce4].join(", ")}`);
      expect("bgp two ends", b.peer.announce.every((p) => b.host.accept.some((q) => q.cidr === p.cidr)), () => "the gateway does not accept what the firewall announces");
      const imports = g.imports.filter((r) => r.action === "allow");
      const exports = g.exports.filter((r) => r.action === "allow");
      expect(
        "bgp preference",
        imports.every((r) => r.localPref === b.localPref) && exports.every((r) => r.med === b.med && (r.prepend ?? 0) === b.prepend),
        () => `local-pref ${imports.map((r) => r.localPref).join(",")}, med ${exports.map((r) => r.med).join(",")}, prepend ${exports.map((r) => r.prepend).join(",")}; the model ${b.preference}: ${b.localPref}, ${b.med}, ${b.prepend}`,
      );
    }
    // The IPv6 session over the IPv6 inside addresses (tunnels.<t>.inside6 with bgp).
    const g6 = f.bgp6;
    if (b.peer.neighbor6 === undefined) {
      if (g6) out.push(`bgp6 neighbor: an IPv6 BGP peer ${g6.neighbor} on tunnel ${t.name}, which has no IPv6 session`);
    } else if (!g6) out.push(`bgp6 neighbor: no IPv6 BGP peer sourced from ${f.iface}`);
    else {
      const lastDenies = (rules: typeof g6.imports) => rules.length > 0 && rules.at(-1)!.action === "deny" && rules.at(-1)!.prefixes.length === 0 && rules.every((r) => r.enabled);
      const allowed = (rules: typeof g6.imports) => rules.filter((r) => r.action === "allow").flatMap((r) => r.prefixes);
      const accept6 = cidrSet(ofFamily(b.peer.accept, 6));
      const announce6 = cidrSet(ofFamily(b.peer.announce, 6));
      expect("bgp6 family", g6.family === 6 && g6.mpUnicast, () => `AFI ipv${g6.family}, MP-BGP with SAFI unicast: ${g6.mpUnicast}`);
      expect("bgp6 enabled", g6.enabled && g6.groupEnabled && g6.peerEnabled && g6.ebgp && g6.installRoute && g6.group !== f.bgp?.group, () => `bgp ${g6.enabled}, group ${g6.group} ${g6.groupEnabled} (ebgp ${g6.ebgp}, the IPv4 group ${f.bgp?.group}), peer ${g6.peerEnabled}`);
      expect("bgp6 neighbor", g6.neighbor === b.host.address6 && g6.neighbor === hostInside6 && g6.localAddress === f.inside6 && b.peer.address6 === peer.insideAddress6?.address, () => `IPv6 peer ${g6.neighbor} from ${g6.localAddress}, the gateway ${b.host.address6}`);
      expect("bgp6 remote-as", g6.peerAs === b.host.as, () => `peer-as ${g6.peerAs}, the gateway's AS ${b.host.as}`);
      expect("bgp6 timers", g6.keepalive === b.keepalive.seconds && g6.holdTime === b.holdTime.seconds, () => `keep-alive ${g6.keepalive} hold ${g6.holdTime}`);
      expect("bgp6 accept", lastDenies(g6.imports) && sameSet(new Set(allowed(g6.imports)), accept6), () => `IPv6 import rules ${JSON.stringify(g6.imports)}, the model accepts ${[...accept6].join(", ")}`);
      expect("bgp6 announce", lastDenies(g6.exports) && sameSet(new Set(allowed(g6.exports)), announce6), () => `IPv6 export rules ${JSON.stringify(g6.exports)}, the model announces ${[...announce6].join(", ")}`);
      expect("bgp6 networks", [...announce6].every((p) => g6.redist.includes(p)), () => `IPv6 redist-rules ${g6.redist.join(", ")}, the model announces ${[...announce6].join(", ")}`);
      const imports = g6.imports.filter((r) => r.action === "allow");
      const exports = g6.exports.filter((r) => r.action === "allow");
      expect("bgp6 preference", imports.every((r) => r.localPref === b.localPref) && exports.every((r) => r.med === b.med && (r.prepend ?? 0) === b.prepend), () => `IPv6 local-pref ${imports.map((r) => r.localPref).join(",")}, med ${exports.map((r) => r.med).join(",")}`);
    }
  } else if (f.bgp || f.bgp6) out.push(`bgp neighbor: a BGP peer ${(f.bgp ?? f.bgp6)!.neighbor} on tunnel ${t.name}, which runs no BGP`);
  return out;
}

function panosPeers(model: SiteModel): { t: TunnelModel; device: PeerModel }[] {
  return model.tunnels.filter((t) => t.peer.platform === "paloalto-panos").map((t) => ({ t, device: model.peers.find((p) => p.name === t.peer.node)! }));
}

it("finds the sites with PAN-OS peers", () => {
  expect(siteFiles).toContain("test/fixtures/sites/paloalto-panos.yaml");
});

describe.each(siteFiles)("parse-back %s", (file) => {
  const model = compile(file);
  const tunnels = panosPeers(model);

  it.each(tunnels.map(({ t, device }) => [t.name, t, device] as const))("%s: the firewall's set commands agree with the model and the gateway", (_, t, device) => {
    expect(disagreements(t, renderDevice(model, device))).toEqual([]);
  });

  it("runs every IKE gateway on the device's outside interface (peers.<p>.interface), never on a tunnel interface", () => {
    for (const { t, device } of tunnels) {
      const outside = panosTunnels(renderDevice(model, device)).get(t.number)?.outside;
      expect(outside, t.name).toBe(device.interface);
      expect(outside, t.name).toMatch(/^(?!tunnel\.)[a-z]/);
    }
  });

  it("no secret value, only placeholders, follows pre-shared-key key", () => {
    for (const { device } of tunnels) {
      const keys = [...renderDevice(model, device).matchAll(/pre-shared-key key (.*)$/gm)].map((m) => m[1]);
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(k).toMatch(/^"@@sitewire-secret:(env|file):[A-Za-z0-9_./+-]+@@"$/);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// A broken template is caught
// ---------------------------------------------------------------------------------------------------------

const templateText = readFileSync(join(PACKAGE_ROOT, "templates", "paloalto-panos", `${PANOS_TEMPLATE}.hbs`), "utf8");

function brokenRenderer(from: string, to: string): TemplateRenderer {
  const altered = templateText.split(from).join(to);
  if (altered === templateText) throw new Error(`the template has no ${JSON.stringify(from)}: the mutation would prove nothing`);
  const compiled = Handlebars.create().compile(altered, { strict: true, noEscape: true });
  return (name, data) => {
    expect(name).toBe(PANOS_TEMPLATE);
    return normalise(compiled(data));
  };
}

const SITE = "test/fixtures/sites/paloalto-panos.yaml";

const MUTATIONS: readonly { tunnel: string; fact: string; why: string; from: string; to: string }[] = [
  { tunnel: "branch-v2", fact: "inside address", why: "the gateway's inside address on the tunnel interface", from: "units {{iface}} ip {{address}}", to: "units {{iface}} ip {{monitor.destination}}/30" },
  { tunnel: "branch-v2", fact: "mtu", why: "no mtu on the tunnel interface", from: "set network interface tunnel units {{iface}} mtu {{mtu}}\n", to: "" },
  { tunnel: "branch-v1", fact: "zone", why: "the tunnel interface left out of the zone", from: "set zone {{../zone}} network layer3 {{iface}}\n", to: "" },
  { tunnel: "branch-v1", fact: "zone", why: "no ping on the tunnel interface", from: "set network profiles interface-management-profile {{pingProfile}} ping yes", to: "set network profiles interface-management-profile {{pingProfile}} ping no" },
  { tunnel: "dc-a", fact: "virtual router", why: "the tunnel interface left out of the virtual router", from: "set network virtual-router {{../virtualRouter}} interface {{iface}}\n", to: "" },
  { tunnel: "branch-v2", fact: "IKE proposals", why: "IKE encryption hard-coded", from: "ike-crypto-profiles {{ikeProfile.name}} encryption {{ikeProfile.encryption}}", to: "ike-crypto-profiles {{ikeProfile.name}} encryption aes-128-cbc" },
  { tunnel: "branch-v2", fact: "IKE proposals", why: "only the first DH group", from: "dh-group {{ikeProfile.dh}}", to: "dh-group group20" },
  { tunnel: "branch-v2", fact: "ESP proposals", why: "an authentication algorithm next to GCM", from: "esp authentication {{ipsecProfile.authentication}}", to: "esp authentication sha256" },
  { tunnel: "branch-v1", fact: "ESP proposals", why: "ESP encryption hard-coded", from: "esp encryption {{ipsecProfile.encryption}}", to: "esp encryption aes-256-cbc" },
  { tunnel: "branch-v1", fact: "PFS", why: "PFS off", from: "ipsec-crypto-profiles {{ipsecProfile.name}} dh-group {{ipsecProfile.dh}}", to: "ipsec-crypto-profiles {{ipsecProfile.name}} dh-group no-pfs" },
  { tunnel: "branch-v1", fact: "IKE lifetime", why: "the ESP lifetime on the IKE profile", from: "ike-crypto-profiles {{ikeProfile.name}} lifetime seconds {{ikeProfile.lifetime}}", to: "ike-crypto-profiles {{ikeProfile.name}} lifetime seconds {{ipsecProfile.lifetime}}" },
  { tunnel: "branch-v1", fact: "IKEv1 mode", why: "IKEv1 without main mode", from: "protocol ikev1 exchange-mode main", to: "protocol ikev1 exchange-mode auto" },
  { tunnel: "branch-v1", fact: "IKE version", why: "version hard-coded to IKEv2", from: "protocol version {{gateway.version}}", to: "protocol version ikev2" },
  { tunnel: "branch-v1", fact: "DPD timeout", why: "PAN-OS's default five retries instead of the intent's timeout", from: "dpd retry {{gateway.dpd.retry}}", to: "dpd retry 5" },
  { tunnel: "dc-b", fact: "pre-shared key", why: "a literal key instead of the placeholder", from: "pre-shared-key key {{gateway.psk}}", to: 'pre-shared-key key "paloalto"' },
  { tunnel: "dc-a", fact: "gateway address", why: "the gateway's address typed from the wrong end", from: "peer-address ip {{gateway.peerAddress}}", to: "peer-address ip {{gateway.localAddress}}" },
  { tunnel: "dc-a", fact: "router identity", why: "the firewall identifies as the gateway", from: "local-id id {{gateway.localId.id}}", to: "local-id id {{gateway.peerId.id}}" },
  { tunnel: "dc-a", fact: "NAT traversal", why: "NAT-T off (a gateway behind NAT would never connect)", from: "nat-traversal enable yes", to: "nat-traversal enable no" },
  { tunnel: "branch-v2", fact: "tunnel monitor", why: "the monitor probes the firewall's own address", from: "tunnel-monitor destination-ip {{monitor.destination}}", to: "tunnel-monitor destination-ip {{gateway.localAddress}}" },
  { tunnel: "branch-v2", fact: "tunnel monitor", why: "threshold hard-coded", from: "threshold {{monitor.threshold}}", to: "threshold 5" },
  { tunnel: "branch-v2", fact: "routes", why: "the route to the wrong interface", from: "static-route {{name}} interface {{../iface}}", to: "static-route {{name}} interface tunnel.1" },
  { tunnel: "branch-v1", fact: "route monitor", why: "the path monitor left disabled", from: "path-monitor enable yes", to: "path-monitor enable no" },
  { tunnel: "branch-v1", fact: "flows to the gateway", why: "the rule into the tunnel with swapped addresses", from: "set rulebase security rules {{name}} destination {{destination}}", to: "set rulebase security rules {{name}} destination {{source}}" },
  { tunnel: "dc-a", fact: "bgp remote-as", why: "peer-as typed as the firewall's own AS", from: "peer-as {{bgp.peerAs}}", to: "peer-as {{../bgp.as}}" },
  { tunnel: "dc-a", fact: "bgp neighbor", why: "the peer is the firewall's own router id", from: "peer-address ip {{bgp.peerAddress}}", to: "peer-address ip {{../bgp.routerId}}" },
  { tunnel: "dc-a", fact: "bgp timers", why: "keepalive and hold time swapped", from: "keep-alive-interval {{bgp.keepalive}}", to: "keep-alive-interval {{bgp.holdTime}}" },
  { tunnel: "dc-a", fact: "bgp bfd", why: "BFD left out", from: "bfd profile {{../bgp.bfd.profile}}", to: "bfd profile None" },
  { tunnel: "dc-a", fact: "bgp enabled", why: "learned routes not installed", from: "protocol bgp install-route yes", to: "protocol bgp install-route no" },
  { tunnel: "dc-b", fact: "bgp accept", why: "the import list built from the firewall's own announcements", from: "{{#each bgp.accept.prefixes}}", to: "{{#each bgp.announce.prefixes}}" },
  { tunnel: "dc-a", fact: "bgp announce", why: "export without its final deny", from: "export rules {{bgp.withhold}} action deny", to: "export rules {{bgp.withhold}} action allow" },
  { tunnel: "dc-b", fact: "bgp preference", why: "no AS-path prepend on the secondary", from: "action allow update as-path prepend {{bgp.announce.prepend}}", to: "action allow update med {{bgp.announce.med}}" },
  { tunnel: "dc-b", fact: "bgp preference", why: "the secondary's routes preferred like the primary's", from: "update local-preference {{bgp.accept.localPref}}", to: "update local-preference 200" },
  { tunnel: "dc-a", fact: "bgp networks", why: "the announced network not redistributed", from: "redist-rules {{prefix}} enable yes", to: "redist-rules {{prefix}} enable no" },
];

describe("the parse-back check catches a broken PAN-OS template", () => {
  const model = compile(SITE);
  const device = model.peers.find((p) => p.platform === "paloalto-panos")!;
  const good = renderDevice(model, device);

  it.each(MUTATIONS.map((m) => [`${m.fact} (${m.why})`, m] as const))("%s", (_, m) => {
    const t = model.tunnels.find((x) => x.name === m.tunnel)!;
    expect(disagreements(t, good)).toEqual([]);
    const broken = renderDevice(model, device, brokenRenderer(m.from, m.to));
    expect(broken).not.toBe(good);
    const found = disagreements(t, broken);
    expect(found.map((d) => d.split(":")[0]), found.join("\n")).toContain(m.fact);
  });
});

/** IPv6 beside IPv4 (issue 16): the IPv6 slots of the template are checked as the IPv4 ones. */
const SITE6 = "test/fixtures/sites/ipv6-devices.yaml";

const MUTATIONS6: readonly { tunnel: string; fact: string; why: string; from: string; to: string }[] = [
  { tunnel: "pan-six", fact: "inside6 address", why: "IPv6 left disabled on the tunnel interface", from: "units {{iface}} ipv6 enabled yes", to: "units {{iface}} ipv6 enabled no" },
  { tunnel: "pan-six", fact: "inside6 address", why: "the IPv6 inside address left out", from: "set network interface tunnel units {{iface}} ipv6 address {{address6}}\n", to: "" },
  { tunnel: "pan-six", fact: "proxy IDs", why: "no IPv6 proxy ID (IPv4 SA only)", from: "auto-key proxy-id-v6 {{proxyIds.v6}} local ::/0", to: "auto-key proxy-id-v6 {{proxyIds.v6}} local 2001:db8::/32" },
  { tunnel: "pan-dual", fact: "proxy IDs", why: "the IPv4 proxy ID narrowed", from: "auto-key proxy-id {{proxyIds.v4}} remote 0.0.0.0/0", to: "auto-key proxy-id {{proxyIds.v4}} remote 10.0.0.0/8" },
  { tunnel: "pan-dual", fact: "monitor proxy ID", why: "the tunnel monitor on the IPv6 proxy ID", from: "tunnel-monitor proxy-id {{proxyIds.v4}}", to: "tunnel-monitor proxy-id {{proxyIds.v6}}" },
  { tunnel: "pan-six", fact: "routes6", why: "IPv6 static routes to a hard-coded network", from: "routing-table ipv6 static-route {{name}} destination {{destination}}", to: "routing-table ipv6 static-route {{name}} destination 2001:db8::/32" },
  { tunnel: "pan-six", fact: "route6 next hop", why: "IPv6 route via the firewall's own address", from: "nexthop ipv6-address {{nexthop}}", to: "nexthop ipv6-address fd00:108::1" },
  { tunnel: "pan-dual", fact: "bgp6 family", why: "the IPv6 peer without MP-BGP", from: "peer {{bgp6.peer}} enable-mp-bgp yes", to: "peer {{bgp6.peer}} enable-mp-bgp no" },
  { tunnel: "pan-dual", fact: "bgp6 neighbor", why: "the IPv6 peer sourced from the IPv4 inside address", from: "local-address ip {{bgp6.localAddress}}", to: "local-address ip {{address}}" },
  { tunnel: "pan-dual", fact: "bgp6 announce", why: "the IPv6 export list built from the accepted networks", from: "{{#each bgp6.announce.prefixes}}", to: "{{#each bgp6.accept.prefixes}}" },
  { tunnel: "pan-dual", fact: "bgp6 networks", why: "IPv6 networks redistributed as IPv4", from: "address-family-identifier {{afi}}", to: "address-family-identifier ipv4" },
];

describe("the parse-back check catches a broken PAN-OS template (IPv6)", () => {
  const model = compile(SITE6);
  it.each(MUTATIONS6.map((m) => [`${m.fact} (${m.why})`, m] as const))("%s", (_, m) => {
    const t = model.tunnels.find((x) => x.name === m.tunnel)!;
    const device = model.peers.find((p) => p.name === t.peer.node)!;
    const good = renderDevice(model, device);
    expect(disagreements(t, good)).toEqual([]);
    const broken = renderDevice(model, device, brokenRenderer(m.from, m.to));
    expect(broken).not.toBe(good);
    const found = disagreements(t, broken);
    expect(found.map((d) => d.split(":")[0]), found.join("\n")).toContain(m.fact);
  });
});
