/**
 * Parse-back proof for Juniper SRX: for every tunnel to a juniper-srx peer in every example and fixture site, the
 * Junos `set` text the target renders, read back with test/readers/junos-set.ts and followed name by name
 * (./junos-facts.ts), agrees with the model's SRX end (`t.peer`) and fits the gateway's strongSwan end (`t.host`):
 * proposals (as algorithm identities), lifetimes, PFS, identities and addresses, inside addresses, routes, flows and
 * the BGP session. The second half renders with deliberately broken copies of the template and shows each caught.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Handlebars from "handlebars";
import { describe, expect, it } from "vitest";
import { compileSource } from "../../src/compile/pipeline.js";
import { identityOf, parseProposal, prfOfIntegrity } from "../../src/model/crypto.js";
import type { PeerModel, SiteModel, TunnelModel } from "../../src/model/types.js";
import { normalise, PACKAGE_ROOT } from "../../src/render/templates.js";
import { JUNOS_TEMPLATE, renderDevice, type TemplateRenderer } from "../../src/targets/juniper-srx/render.js";
import { readJunosSet } from "../readers/junos-set.js";
import { ReadError } from "../readers/reader.js";
import { groupIdentity, junosTunnels, type Combo } from "./junos-facts.js";

const siteFiles = [
  ...readdirSync(join(PACKAGE_ROOT, "sites")).map((f) => `sites/${f}`),
  ...readdirSync(join(PACKAGE_ROOT, "test/fixtures/sites")).map((f) => `test/fixtures/sites/${f}`),
].filter((f) => f.endsWith(".yaml") && /^\s+platform: juniper-srx\s*$/m.test(readFileSync(join(PACKAGE_ROOT, f), "utf8")));

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

function pfsOf(texts: readonly string[]): string | undefined {
  const groups = new Set(texts.map((t) => parseProposal(t).proposal.dh.map(identityOf).join("-")));
  return groups.size === 1 ? [...groups][0] || undefined : `mixed: ${[...groups].join(", ")}`;
}

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
const bare = (id: string) => id.replace(/^@/, "");

/** Each failed fact as "<fact>: <what differs>". */
function disagreements(t: TunnelModel, text: string): string[] {
  const out: string[] = [];
  const expect = (fact: string, ok: boolean, detail: () => string) => {
    if (!ok) out.push(`${fact}: ${detail()}`);
  };
  const f = junosTunnels(text).find((x) => x.unit === t.number);
  if (!f) return [`tunnel interface: no st0 unit ${t.number}`];
  const peer = t.peer;
  const host = t.host;

  // Inside addresses: two usable addresses of one network; MTU; the unit in a zone that answers pings.
  expect("inside address", f.inside === peer.insideAddress?.cidr, () => `st0.${t.number} has ${f.inside}, the model ${peer.insideAddress?.cidr}`);
  expect("inside network", f.inside !== undefined && host.insideAddress !== undefined && f.inside.split("/")[1] === String(host.insideAddress.length) && f.inside.split("/")[0] !== host.insideAddress.address && peer.insideAddress?.network.cidr === host.insideAddress.network.cidr, () => `SRX ${f.inside}, gateway ${host.insideAddress?.cidr}`);
  expect("mtu", f.mtu === peer.mtu && f.mtu === host.mtu, () => `st0 mtu ${f.mtu}, the model ${peer.mtu}, the gateway ${host.mtu}`);
  expect("zone", f.zone !== undefined && f.zoneServices.includes("ping"), () => `st0.${t.number} is in zone ${f.zone} answering ${f.zoneServices.join(", ") || "nothing"}`);

  // The VPN bound to the unit, its gateway and endpoints.
  expect("vpn", f.vpn !== undefined && f.establish === "immediately" && f.dfBit === "clear", () => `vpn ${f.vpn}, establish-tunnels ${f.establish}, df-bit ${f.dfBit}`);
  expect("IKE version", f.ikeVersion === peer.ike.version && f.ikeVersion === host.ike.version, () => `SRX ${f.ikeVersion}, gateway IKEv${host.ike.version}`);
  expect("IKEv1 mode", peer.ike.version === 2 ? f.mode === undefined : f.mode === "main", () => `mode ${f.mode}`);
  expect("gateway address", f.address === host.reachableAddress && f.address === peer.remoteAddress, () => `SRX connects to ${f.address}, the gateway is at ${host.reachableAddress}`);
  expect("local address", f.localAddress === peer.localAddress && host.remoteAddress === f.localAddress, () => `SRX binds IKE to ${f.localAddress}, the gateway connects to ${host.remoteAddress}`);
  expect("external interface", f.externalInterface !== undefined, () => "ike gateway without external-interface");
  expect("router identity", f.localIdentity === bare(host.remoteIdentity) && f.localIdentity === bare(peer.identity), () => `SRX sends ${f.localIdentity}, the gateway expects ${host.remoteIdentity}`);
  expect("gateway identity", f.remoteIdentity === bare(host.identity), () => `SRX expects ${f.remoteIdentity}, the gateway sends ${host.identity}`);
  expect("pre-shared key", f.psk === peer.psk.placeholder && f.psk === host.psk.placeholder, () => `SRX key ${f.psk}, the model ${peer.psk.placeholder}`);
  expect("DPD", f.dpd?.interval !== undefined && f.dpd.interval >= 2 && f.dpd.interval <= 60 && f.dpd.threshold !== undefined && f.dpd.threshold >= 1 && f.dpd.threshold <= 5, () => `dpd ${JSON.stringify(f.dpd)}`);
  if (peer.dpd.delay.seconds >= 2 && peer.dpd.delay.seconds <= 60) expect("DPD delay", f.dpd?.interval === peer.dpd.delay.seconds, () => `SRX probes every ${f.dpd?.interval}s, the model ${peer.dpd.delay.seconds}s`);

  // Crypto: the SRX's proposals are the model's, and the gateway's fit them.
  const srxIke = new Set(f.ikeProposals.map((c) => (c ? key(c) : "?unknown")));
  const srxEsp = new Set(f.espProposals.map((c) => (c ? key(c) : "?unknown")));
  const texts = (ps: readonly { text: string }[]) => ps.map((p) => p.text);
  expect("IKE proposals", sameSet(srxIke, combos(texts(peer.ike.proposals), true)), () => `SRX ${[...srxIke].join(", ")}; the model ${[...combos(texts(peer.ike.proposals), true)].join(", ")}`);
  expect("IKE proposals (gateway)", [...combos(texts(host.ike.proposals), true)].some((c) => srxIke.has(c)), () => `the gateway offers ${texts(host.ike.proposals).join(", ")}, the SRX accepts ${[...srxIke].join(", ")}`);
  expect("IKE lifetime", f.ikeLifetimes.length > 0 && f.ikeLifetimes.every((l) => l === peer.ike.lifetime.seconds), () => `SRX ${f.ikeLifetimes.join(", ")}, the model ${peer.ike.lifetime.seconds}`);
  expect("ESP proposals", sameSet(srxEsp, combos(texts(peer.esp.proposals), false)), () => `SRX ${[...srxEsp].join(", ")}; the model ${[...combos(texts(peer.esp.proposals), false)].join(", ")}`);
  expect("ESP proposals (gateway)", [...combos(texts(host.esp.proposals), false)].some((c) => srxEsp.has(c)), () => `the gateway offers ${texts(host.esp.proposals).join(", ")}`);
  expect("ESP lifetime", f.espLifetimes.length > 0 && f.espLifetimes.every((l) => l === peer.esp.lifetime.seconds), () => `SRX ${f.espLifetimes.join(", ")}, the model ${peer.esp.lifetime.seconds}`);
  expect("PFS", groupIdentity(f.pfs) === pfsOf(texts(host.esp.proposals)) && groupIdentity(f.pfs) === pfsOf(texts(peer.esp.proposals)), () => `SRX PFS ${f.pfs}, the gateway ${pfsOf(texts(host.esp.proposals))}`);

  // Monitor, routes and flows.
  expect("vpn-monitor", f.monitor?.source === `st0.${t.number}` && f.monitor.destination === host.insideAddress?.address, () => `vpn-monitor ${JSON.stringify(f.monitor)}, the gateway is at ${host.insideAddress?.address}`);
  const wanted = new Set(t.bgp ? [] : host.localNetworks.map((p) => p.cidr));
  const routed = new Set(f.routes.map((r) => r.prefix));
  expect("routes", sameSet(wanted, routed) && sameSet(new Set(peer.remoteNetworks.map((p) => p.cidr)), t.bgp ? new Set(peer.remoteNetworks.map((p) => p.cidr)) : routed), () => `SRX routes ${[...routed].join(", ")} into st0.${t.number}, the gateway's networks are ${[...wanted].join(", ")}`);
  expect("route metric", f.routes.every((r) => r.metric === undefined || r.metric === t.number), () => `metrics ${JSON.stringify(f.routes)}`);
  // One policy pair per family: IPv4 flows clamped to the MSS, IPv6 flows to the MSS − 20 (issue 16).
  const flowOk = (flows: typeof f.flows.toTunnel, from: readonly { cidr: string }[], to: readonly { cidr: string }[], mss: number, overhead: number) =>
    flows.some((x) => sameSet(new Set(x.sources), new Set(from.map((p) => p.cidr))) && sameSet(new Set(x.destinations), new Set(to.map((p) => p.cidr))) && x.mss.length === 2 && x.mss.every((m) => m === mss && m <= host.mtu - overhead));
  for (const family of [4, 6] as const) {
    const local = host.localNetworks.filter((p) => p.family === family);
    const remote = host.remoteNetworks.filter((p) => p.family === family);
    if (!local.length || !remote.length) continue;
    const [mss, overhead] = family === 6 ? [peer.mss6, 60] : [peer.mss, 40];
    expect(`flows to the gateway (IPv${family})`, flowOk(f.flows.toTunnel, remote, local, mss, overhead), () => `policies into the tunnel ${JSON.stringify(f.flows.toTunnel)}`);
    expect(`flows from the gateway (IPv${family})`, flowOk(f.flows.fromTunnel, local, remote, mss, overhead), () => `policies out of the tunnel ${JSON.stringify(f.flows.fromTunnel)}`);
  }
  // IPv6 inside (tunnels.<t>.inside6): the unit's family inet6 address is the model's, its MTU the tunnel's.
  expect("inside6 address", f.inside6 === peer.insideAddress6?.cidr, () => `st0.${t.number} has inet6 ${f.inside6}, the model ${peer.insideAddress6?.cidr}`);
  if (peer.insideAddress6) expect("inet6 mtu", f.mtu6 === peer.mtu, () => `st0 inet6 mtu ${f.mtu6}, the model ${peer.mtu}`);

  // BGP over the inside addresses: the IPv4 session carries IPv4, a second group over the IPv6 inside addresses
  // (family inet6 unicast) carries IPv6.
  if (t.bgp) {
    const b6 = t.bgp.peer.neighbor6 !== undefined ? t.bgp : undefined;
    if (b6) {
      const g6 = f.bgp6;
      const want = (side: typeof b6.peer) => new Set(side.filter((p) => p.family === 6).map((p) => p.cidr));
      if (!g6) out.push(`bgp6 neighbor: no BGP neighbour on ${f.inside6}`);
      else {
        expect("bgp6 neighbor", g6.neighbor === b6.peer.neighbor6 && g6.neighbor === host.insideAddress6?.address && g6.localAddress === b6.peer.address6, () => `neighbor ${g6.neighbor} from ${g6.localAddress}, the gateway ${b6.peer.neighbor6}`);
        expect("bgp6 family", g6.families.includes("inet6"), () => `group ${g6.group} has families ${g6.families.join(", ") || "(default inet)"}`);
        expect("bgp6 accept", sameSet(new Set(g6.accept), want(b6.peer.accept)) && g6.importRejectsRest, () => `import accepts ${g6.accept.join(", ")}, the model ${[...want(b6.peer.accept)].join(", ")}`);
        expect("bgp6 announce", sameSet(new Set(g6.announce), want(b6.peer.announce)) && g6.exportRejectsRest, () => `export announces ${g6.announce.join(", ")}, the model ${[...want(b6.peer.announce)].join(", ")}`);
      }
    }
  }
  if (t.bgp) {
    const all = t.bgp;
    // The IPv4 session's own networks (a dual-stack tunnel's IPv6 ones are the second group's, checked above).
    const only = (side: typeof all.peer) => ({ ...side, accept: side.accept.filter((p) => p.family === 4), announce: side.announce.filter((p) => p.family === 4) });
    const b = all.peer.neighbor6 !== undefined ? { ...all, peer: only(all.peer), host: only(all.host) } : all;
    const g = f.bgp;
    if (!g) out.push(`bgp neighbor: no BGP neighbour on ${f.inside}`);
    else {
      expect("bgp local AS", g.as === b.peer.as, () => `autonomous-system ${g.as}, the model ${b.peer.as}`);
      expect("bgp router id", g.routerId === b.peer.routerId, () => `router-id ${g.routerId}, the model ${b.peer.routerId}`);
      expect("bgp neighbor", g.neighbor === b.host.address && g.neighbor === host.insideAddress?.address && g.localAddress === b.peer.address, () => `neighbor ${g.neighbor} from ${g.localAddress}, the gateway ${b.host.address}`);
      expect("bgp remote-as", g.peerAs === b.host.as, () => `peer-as ${g.peerAs}, the gateway's AS ${b.host.as}`);
      // Junos has no keepalive statement: it sends keepalives every hold-time / 3. The hold time is what the two
      // ends negotiate (the smaller wins), so it is the timer that must agree.
      expect("bgp timers", g.holdTime === b.holdTime.seconds, () => `hold-time ${g.holdTime}, the model ${b.holdTime.seconds}s`);
      expect("bgp bfd", g.bfd === b.bfd && f.zoneProtocols.includes("bfd") === (b.bfd || f.zoneProtocols.includes("bfd")), () => `bfd ${g.bfd}, the model ${b.bfd}`);
      expect("bgp zone", f.zoneProtocols.includes("bgp") && (!b.bfd || f.zoneProtocols.includes("bfd")), () => `zone protocols ${f.zoneProtocols.join(", ")}`);
      expect("bgp accept", sameSet(new Set(g.accept), new Set(b.peer.accept.map((p) => p.cidr))) && g.importRejectsRest, () => `import accepts ${g.accept.join(", ")} (rest rejected: ${g.importRejectsRest}), the model ${b.peer.accept.map((p) => p.cidr).join(", ")}`);
      expect("bgp announce", sameSet(new Set(g.announce), new Set(b.peer.announce.map((p) => p.cidr))) && g.exportRejectsRest, () => `export announces ${g.announce.join(", ")} (rest rejected: ${g.exportRejectsRest}), the model ${b.peer.announce.map((p) => p.cidr).join(", ")}`);
      expect("bgp two ends", b.peer.announce.every((p) => b.host.accept.some((q) => q.cidr === p.cidr)), () => "the gateway does not accept what the SRX announces");
      expect("bgp preference", (b.peer.accept.length === 0 || g.localPref === b.localPref) && (b.peer.announce.length === 0 || g.med === b.med) && g.prepend.length === b.prepend && g.prepend.every((a) => a === b.peer.as), () => `local-pref ${g.localPref}, metric ${g.med}, prepend ${g.prepend.join(" ")}; the model ${b.preference}: ${b.localPref}, ${b.med}, ${b.prepend}×${b.peer.as}`);
    }
  } else if (f.bgp) out.push(`bgp neighbor: a BGP neighbour ${f.bgp.neighbor} on tunnel ${t.name}, which runs no BGP`);
  return out;
}

function srxTunnels(model: SiteModel): { t: TunnelModel; device: PeerModel }[] {
  return model.tunnels.filter((t) => t.peer.platform === "juniper-srx").map((t) => ({ t, device: model.peers.find((p) => p.name === t.peer.node)! }));
}

it("finds the sites with Juniper SRX peers", () => {
  expect(siteFiles).toContain("test/fixtures/sites/juniper-srx.yaml");
});

describe.each(siteFiles)("parse-back %s", (file) => {
  const model = compile(file);
  const tunnels = srxTunnels(model);

  it.each(tunnels.map(({ t, device }) => [t.name, t, device] as const))("%s: the SRX's set commands agree with the model and the gateway", (_, t, device) => {
    expect(disagreements(t, renderDevice(model, device))).toEqual([]);
  });

  it("no secret value, only placeholders, follows pre-shared-key", () => {
    for (const { device } of tunnels) {
      const text = renderDevice(model, device);
      const keys = [...text.matchAll(/pre-shared-key \S+ (.*)$/gm)].map((m) => m[1]);
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(k).toMatch(/^"@@sitewire-secret:(env|file):[A-Za-z0-9_./+-]+@@"$/);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// A broken template is caught
// ---------------------------------------------------------------------------------------------------------

const templateText = readFileSync(join(PACKAGE_ROOT, "templates", "juniper-srx", `${JUNOS_TEMPLATE}.hbs`), "utf8");

function brokenRenderer(from: string, to: string): TemplateRenderer {
  const altered = templateText.split(from).join(to);
  if (altered === templateText) throw new Error(`the template has no ${JSON.stringify(from)}: the mutation would prove nothing`);
  const compiled = Handlebars.create().compile(altered, { strict: true, noEscape: true });
  return (name, data) => {
    expect(name).toBe(JUNOS_TEMPLATE);
    return normalise(compiled(data));
  };
}

const SITE = "test/fixtures/sites/juniper-srx.yaml";

/** `refused`: the reader itself refuses the broken text (its ReadError is the finding, fact "read"). */
const MUTATIONS: readonly { tunnel: string; fact: string; why: string; from: string; to: string; refused?: boolean }[] = [
  { tunnel: "v2", fact: "inside address", why: "the gateway's inside address on the st0 unit", from: "family inet address {{inside}}", to: "family inet address {{monitorTarget}}/30" },
  { tunnel: "v2", fact: "IKE proposals", why: "IKE encryption hard-coded", from: "ike proposal {{name}} encryption-algorithm {{encryption}}", to: "ike proposal {{name}} encryption-algorithm aes-128-cbc" },
  { tunnel: "a", fact: "IKE proposals", why: "an authentication algorithm next to GCM", from: "{{#if integrity}}\nset security ike proposal {{name}} authentication-algorithm {{integrity}}\n{{/if}}", to: "set security ike proposal {{name}} authentication-algorithm sha-256" },
  { tunnel: "v2", fact: "ESP proposals", why: "ESP authentication dropped", from: "set security ipsec proposal {{name}} authentication-algorithm {{integrity}}\n", to: "" },
  { tunnel: "v1", fact: "PFS", why: "PFS left out", from: "set security ipsec policy {{ipsecPolicy}} perfect-forward-secrecy keys {{pfs}}\n", to: "" },
  { tunnel: "v1", fact: "IKEv1 mode", why: "IKEv1 without main mode", from: "set security ike policy {{ikePolicy}} mode main\n", to: "" },
  { tunnel: "v1", fact: "IKE version", why: "version hard-coded to IKEv2", from: "version {{gateway.version}}", to: "version v2-only" },
  { tunnel: "v2", fact: "IKE lifetime", why: "the ESP lifetime on the IKE proposal", from: "lifetime-seconds {{../ikeLifetime}}", to: "lifetime-seconds {{../espLifetime}}" },
  { tunnel: "v2", fact: "pre-shared key", why: "a literal key instead of the placeholder", from: "ascii-text {{psk}}", to: 'ascii-text "juniper123"' },
  { tunnel: "v2", fact: "gateway address", why: "the gateway's address typed from the wrong end", from: "address {{gateway.address}}", to: "address {{gateway.localAddress}}" },
  { tunnel: "v2", fact: "router identity", why: "the SRX identifies as the gateway", from: "local-identity {{gateway.localIdentity}}", to: "local-identity {{gateway.remoteIdentity}}" },
  { tunnel: "v2", fact: "mtu", why: "no mtu on the st0 unit", from: "set interfaces st0 unit {{unit}} family inet mtu {{mtu}}\n", to: "" },
  { tunnel: "v2", fact: "vpn-monitor", why: "the monitor probes the SRX's own address", from: "destination-ip {{monitorTarget}}", to: "destination-ip {{gateway.localAddress}}" },
  { tunnel: "v2", fact: "routes", why: "static routes left out", from: "set routing-options static route {{../prefix}} qualified-next-hop {{interface}} metric {{metric}}\n", to: "" },
  { tunnel: "v2", fact: "flows to the gateway (IPv4)", why: "the policy into the tunnel matches the wrong direction", from: "match destination-address {{this}}", to: "match destination-address sitewire-10.91.0.0/16" },
  { tunnel: "a", fact: "bgp timers", why: "the hold time typed as the keepalive", from: "hold-time {{holdTime}}", to: "hold-time 10" },
  { tunnel: "a", fact: "bgp remote-as", why: "peer-as typed as the SRX's own AS", from: "peer-as {{peerAs}}", to: "peer-as {{../bgp.as}}" },
  { tunnel: "a", fact: "bgp bfd", why: "BFD left out", from: "set protocols bgp group {{name}} neighbor {{neighbor}} bfd-liveness-detection minimum-interval {{bfd.minimumInterval}}\nset protocols bgp group {{name}} neighbor {{neighbor}} bfd-liveness-detection multiplier {{bfd.multiplier}}\n", to: "" },
  { tunnel: "v2", fact: "read", why: "a description written unquoted: its words become statements", from: "set interfaces st0 unit {{unit}} description {{description}}", to: "set interfaces st0 unit {{unit}} description sitewire {{name}} to {{host}}", refused: true },
  { tunnel: "b", fact: "bgp preference", why: "no AS-path prepend on the secondary", from: "set policy-options policy-statement {{exportPolicy}} term announce then as-path-prepend {{prepend}}\n", to: "" },
  { tunnel: "b", fact: "bgp accept", why: "the import list built from the SRX's own announcements", from: "{{#each accept}}", to: "{{#each announce}}" },
  { tunnel: "a", fact: "bgp announce", why: "export policy without its final reject", from: "set policy-options policy-statement {{exportPolicy}} then reject\n", to: "" },
];

describe("the parse-back check catches a broken Junos template", () => {
  const model = compile(SITE);
  it.each(MUTATIONS.map((m) => [`${m.fact} (${m.why})`, m] as const))("%s", (_, m) => {
    const t = model.tunnels.find((x) => x.name === m.tunnel)!;
    const device = model.peers.find((p) => p.name === t.peer.node)!;
    const good = renderDevice(model, device);
    expect(disagreements(t, good)).toEqual([]);
    const broken = renderDevice(model, device, brokenRenderer(m.from, m.to));
    expect(broken).not.toBe(good);
    if (m.refused) {
      expect(() => readJunosSet(broken)).toThrow(ReadError);
      return;
    }
    const found = disagreements(t, broken);
    expect(found.map((d) => d.split(":")[0]), found.join("\n")).toContain(m.fact);
  });
});
