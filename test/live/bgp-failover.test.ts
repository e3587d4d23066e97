/**
 * Issue 13, live: BGP over two redundant route-based IPsec tunnels really fails over, within the hold time.
 *
 * test/fixtures/sites/bgp-pair.yaml: a Debian gateway `gw` and a strongSwan far end `far`, both with
 * routing.bgp, joined by tunnels a (primary) and b (secondary, to the far end's second outside address),
 * hold time 9s, keepalive 3s. In network namespaces:
 *
 *   gw   runs what sitewire emits for it: its swanctl.conf (+ charon drop-in), its sitewire-tunnels script
 *        (with test/harness/ip-shim: the vti devices become veths) and its /etc/frr/frr.conf (zebra + bgpd);
 *   far  runs the strongSwan files sitewire emits for the far end and an frr.conf this test renders from the
 *        same model (sitewire emits no FRR for a peer: on a real far end that is the Cisco/cloud config).
 *
 * What this kernel cannot do, and the stand-in (verify.md "What this kernel cannot do"): no ESP, no vti.
 * ESP runs in userspace (kernel-libipsec); each tunnel end's vti device is a NOARP veth whose other end sits
 * in an "engine" namespace running one charon for that tunnel (test/harness/vti-standin.ts): a packet routed
 * into tunnel a's device can only leave through tunnel a's CHILD SA and is dropped when that SA is gone. The
 * engine gives back the TTL its forwarding takes, so eBGP's single-hop packets pass as over a vti device.
 * Nothing is mocked: IKE, ESP, BGP, the kernel's routing and the pings are real.
 *
 * Asserted: both sessions Established on both ends; the far network installed by bgpd via the primary
 * tunnel's device (`ip route get`); pings between the LAN addresses go through tunnel a (its CHILD SA counts
 * them). Tunnel a's IKE SA is then deleted: within the hold time (+ a small margin) the route moves to
 * tunnel b and traffic passes there; a brought back: the route returns. Filters as SW163 predicts them: the
 * far end also announces a network outside what the gateway accepts (SW163 flags that intent; the gateway's
 * emitted prefix list drops it) and a smaller network within an accepted one (the gateway must do what SW163
 * says of that intent, whichever way: the rule and the emitted prefix lists must agree on `le`).
 * Finally the far end
 * runs the AS an intent SW160 refuses (the same AS as the gateway: iBGP over a tunnel): the gateway's emitted
 * config does not establish, its bgpd logs the NOTIFICATION it sends (Bad Peer AS), and the far end's
 * `show bgp neighbor` carries the reason.
 *
 * The fixture gives the secondary tunnel the lower inside network, so BGP's last tie-breakers (oldest eBGP
 * path, lowest neighbour address) favour it: the primary wins, and wins back after the outage, only by the
 * preference sitewire emits (with the local-preference/MED/prepend lines taken out, this test fails).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileSource } from "../../src/compile/pipeline.js";
import type { BgpSide, TunnelModel } from "../../src/model/types.js";
import { PACKAGE_ROOT } from "../../src/render/templates.js";
import { connView } from "../../src/targets/strongswan/conn.js";
import { HOST_PATHS, hostFile } from "../../src/targets/host-paths.js";
import { withPair, type Charon } from "../harness/charon.js";
import { Frr } from "../harness/frr.js";
import { Netns } from "../harness/netns.js";
import { missing } from "../harness/tools.js";
import { daemonFiles, onlyTunnel, owned } from "../harness/tunnel-ends.js";
import { standInPath, type StandInPath } from "../harness/vti-standin.js";
import { compileSite, peerEnd, siteText, type CompiledSite } from "./tunnel-case.js";

const FIXTURE = "test/fixtures/sites/bgp-pair.yaml";
/** Slack on top of the hold time for a failover: bgpd's timer granularity, zebra, and this test's polling. */
const MARGIN_MS = 3000;
/** The LAN stand-ins: a device per end (a veth kept in the namespace) with the first address of its network. */
const LAN_DEVICE = "lan0";

const work = mkdtempSync(join(tmpdir(), "sw-bgp-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// --------------------------------------------------------------------------------------------------------
// The far end's frr.conf, rendered from the model (the peer side of each tunnel's BGP session).
// --------------------------------------------------------------------------------------------------------

/**
 * The far end's FRR 8.4 configuration (`side` "peer"; the gateway's is the one sitewire emits) for `tunnels`:
 * per tunnel a neighbour with the model's timers, prefix lists of what it announces and accepts, and
 * route-maps for the preference (local-preference on routes learned, MED and AS-path prepend on
 * announcements). eBGP in FRR 8.4 requires a policy (`bgp ebgp-requires-policy`): the route-maps are that one.
 * Nothing the model does not say (no connect timer): the far end behaves as FRR's defaults make it.
 * (FRR docs, docs.frrouting.org/en/latest/bgp.html: `neighbor PEER timers KEEPALIVE HOLDTIME`,
 * `set as-path prepend AS-PATH`, `set metric`; docs.frrouting.org/en/latest/routemap.html: `set local-preference`.)
 */
function frrConfFor(hostname: string, side: "host" | "peer", tunnels: readonly TunnelModel[], asOverride?: number): string {
  const sessions = tunnels.flatMap((t) => (t.bgp ? [{ tunnel: t, bgp: t.bgp, own: t.bgp[side] }] : []));
  const first = sessions[0]?.own;
  if (!first) throw new Error(`no BGP session on the ${side} side`);
  if (sessions.some((s) => s.bgp.bfd)) throw new Error("bfd: true is not rendered for the far end here (bfdd is not started)");
  const as = asOverride ?? first.as;
  const tag = (t: TunnelModel) => `SW-${t.name.toUpperCase()}`;
  const prefixList = (name: string, prefixes: BgpSide["announce"]) => prefixes.map((p, i) => `ip prefix-list ${name} seq ${(i + 1) * 5} permit ${p.cidr}`);
  const announced = [...new Map(sessions.flatMap((s) => s.own.announce.map((p) => [p.cidr, p] as const))).values()];
  return [
    "frr defaults traditional",
    `hostname ${hostname}`,
    "!",
    ...sessions.flatMap(({ tunnel, bgp, own }) => [
      ...prefixList(`${tag(tunnel)}-IN`, own.accept),
      ...prefixList(`${tag(tunnel)}-OUT`, own.announce),
      `route-map ${tag(tunnel)}-IN permit 10`,
      ` match ip address prefix-list ${tag(tunnel)}-IN`,
      ` set local-preference ${bgp.localPref}`,
      "exit",
      `route-map ${tag(tunnel)}-OUT permit 10`,
      ` match ip address prefix-list ${tag(tunnel)}-OUT`,
      ` set metric ${bgp.med}`,
      ...(bgp.prepend > 0 ? [` set as-path prepend ${Array<number>(bgp.prepend).fill(as).join(" ")}`] : []),
      "exit",
      "!",
    ]),
    `router bgp ${as}`,
    ` bgp router-id ${first.routerId}`,
    // As the gateway's emitted config: announce the networks named, whatever the routing table holds.
    " no bgp network import-check",
    ...sessions.flatMap(({ bgp, own }) => [
      ` neighbor ${own.neighbor} remote-as ${own.remoteAs}`,
      ` neighbor ${own.neighbor} timers ${bgp.keepalive.seconds} ${bgp.holdTime.seconds}`,
    ]),
    " address-family ipv4 unicast",
    ...announced.map((p) => `  network ${p.cidr}`),
    ...sessions.flatMap(({ tunnel, own }) => [`  neighbor ${own.neighbor} route-map ${tag(tunnel)}-IN in`, `  neighbor ${own.neighbor} route-map ${tag(tunnel)}-OUT out`]),
    " exit-address-family",
    "exit",
    "",
  ].join("\n");
}

// --------------------------------------------------------------------------------------------------------
// The two machines
// --------------------------------------------------------------------------------------------------------

/** The first usable address of a network, with the network's length. */
function firstAddress(cidr: string): string {
  const [network, length] = cidr.split("/");
  const octets = network!.split(".").map(Number);
  octets[3]! += 1;
  return `${octets.join(".")}/${length}`;
}

/** A device that stays up with nothing behind it: this kernel has no dummy devices, so a veth pair kept in `ns`. */
function stubLink(ns: Netns, device: string, addresses: readonly string[]): void {
  const other = `o${device}`.slice(0, 15);
  ns.exec(["ip", "link", "add", device, "type", "veth", "peer", "name", other]);
  for (const address of addresses) ns.exec(["ip", "addr", "add", address, "dev", device]);
  ns.exec(["ip", "link", "set", other, "up"]);
  ns.exec(["ip", "link", "set", device, "up"]);
}

function lan(ns: Netns, networks: readonly { cidr: string }[]): void {
  stubLink(ns, LAN_DEVICE, networks.map((n) => firstAddress(n.cidr)));
}

/** Run gw's emitted sitewire-tunnels script (`up`) in `ns`, ip-shim first on PATH and a private /var/lib. */
function runTunnelScript(ns: Netns, content: string): void {
  const bin = join(work, "bin");
  mkdirSync(bin, { recursive: true });
  copyFileSync(join(PACKAGE_ROOT, "test", "harness", "ip-shim"), join(bin, "ip"));
  chmodSync(join(bin, "ip"), 0o755);
  const path = join(work, "sitewire-tunnels");
  writeFileSync(path, content, { mode: 0o755 });
  const varLib = mkdtempSync(join(work, "varlib-"));
  const state = mkdtempSync(join(work, "shim-"));
  const env = [`PATH=${bin}:/usr/sbin:/usr/bin:/sbin:/bin`, `SITEWIRE_SHIM_STATE=${state}`];
  execFileSync("ip", ["netns", "exec", ns.name, "sh", "-c", 'mount --bind "$0" /var/lib && exec "$@"', varLib, "env", ...env, path, "up"], { stdio: "pipe" });
}

interface RouteNow {
  readonly dev: string;
  readonly gateway?: string;
}

/** `ip -j route get TO` in `ns` (the kernel's own choice), or undefined when unreachable. */
function routeGet(ns: Netns, to: string): RouteNow | undefined {
  try {
    const [r] = JSON.parse(ns.exec(["ip", "-j", "route", "get", to])) as { dev: string; gateway?: string }[];
    return r ? { dev: r.dev, ...(r.gateway ? { gateway: r.gateway } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

/** The bgp route to `cidr` in the main table, if any (`ip route show proto bgp`). */
function bgpRoute(ns: Netns, cidr: string): string {
  return ns.exec(["ip", "route", "show", cidr, "proto", "bgp"]).trim();
}

/**
 * PINGS echoes from `from` to `to` (about a second); true when all came back. The tunnel's CHILD SA must then
 * count at least PINGS more packets each way: BGP adds at most a keepalive and its ACK per 3 s, so only an SA
 * the pings went through reaches that.
 */
const PINGS = 5;
function ping(ns: Netns, from: string, to: string): boolean {
  try {
    const out = ns.exec(["ping", "-n", "-q", "-c", String(PINGS), "-i", "0.2", "-W", "1", "-I", from, to]);
    return out.includes(` ${PINGS} received`);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined | false | Promise<T | undefined | false>, explain: () => string = () => ""): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms\n${explain()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const childOf = (t: TunnelModel) => connView(t, t.host).children[0]!.name;

/** Everything the steps share: the compiled site, the namespaces and the daemons running in them. */
interface Live {
  readonly site: CompiledSite;
  readonly a: TunnelModel;
  readonly b: TunnelModel;
  readonly gw: Netns;
  readonly far: Netns;
  readonly nearA: Charon;
  readonly nearB: Charon;
  readonly gwBgp: Frr;
  farBgp: Frr;
  /** First addresses of the LANs behind gw and far (ping sources and targets). */
  readonly gwLan: string;
  readonly farLan: string;
  /** The vti devices of a tunnel on gw (from the model) and on far (the test's). */
  vtiOf(t: TunnelModel): string;
  farVti(t: TunnelModel): string;
  /** Both daemons' logs and both route tables, for failure messages. */
  logs(): string;
}

/** `vtysh --dryrun -f` on a config: exit code and output. */
function dryrun(name: string, conf: string): { code: number; out: string } {
  const file = join(work, `${name}-frr.conf`);
  writeFileSync(file, conf);
  try {
    return { code: 0, out: execFileSync("vtysh", ["--dryrun", "-f", file], { encoding: "utf8", stdio: "pipe" }) };
  } catch (e) {
    const err = e as { status?: number; stdout?: string; stderr?: string };
    return { code: err.status ?? 1, out: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

describe.skipIf(missing("root", "/usr/lib/ipsec/charon", "swanctl", "/usr/lib/frr/zebra", "/usr/lib/frr/bgpd", "vtysh", "ping", "iptables-restore"))(
  "BGP over two IPsec tunnels (strongSwan + FRR bgpd), live",
  () => {
    const started = Date.now();
    const timings: Record<string, number> = {};
    const mark = (step: string) => (timings[step] = Date.now() - started);
    let live: Live;
    const namespaces: Netns[] = [];
    const paths: StandInPath[] = [];
    const frrs: Frr[] = [];
    /** The charon pairs run inside withPair (which stops them); `release` lets their callbacks return. */
    let release: () => void = () => undefined;
    let pairs: Promise<void> | undefined;

    beforeAll(async () => {
      const site = compileSite(FIXTURE, siteText(FIXTURE));
      const { model, artifacts } = site;
      const [a, b] = ["a", "b"].map((n) => model.tunnels.find((t) => t.name === n)!) as [TunnelModel, TunnelModel];
      expect(a.bgp?.preference).toBe("primary");
      expect(b.bgp?.preference).toBe("secondary");
      const gwHost = model.hosts.find((h) => h.name === "gw")!;
      const emitted = (path: string) => artifacts.find((x) => x.path === hostFile("gw", path));
      const script = emitted(HOST_PATHS[gwHost.os].tunnelScript);
      expect(script, "gw's emitted tunnel script").toBeDefined();
      const gwFrr = emitted(HOST_PATHS[gwHost.os].frrConf);
      expect(gwFrr, "gw's emitted /etc/frr/frr.conf").toBeDefined();
      const farFrrConf = frrConfFor("far", "peer", model.tunnels);
      // The gateway's emitted frr.conf is loaded as it is; both must pass FRR's own checker first.
      expect(dryrun("gw", gwFrr!.content), `vtysh --dryrun -f gw's frr.conf\n${gwFrr!.content}`).toEqual({ code: 0, out: expect.any(String) });
      expect(dryrun("far", farFrrConf), `vtysh --dryrun -f far's frr.conf\n${farFrrConf}`).toEqual({ code: 0, out: expect.any(String) });
      mark("compiled");

      const gw = new Netns("gw");
      namespaces.push(gw);
      const far = new Netns("far");
      namespaces.push(far);
      // gw: its outside interface as the model has it, the LAN, then its own tunnel script.
      stubLink(gw, gwHost.interface, [gwHost.address.cidr]);
      lan(gw, a.host.localNetworks);
      lan(far, a.peer.localNetworks);
      runTunnelScript(gw, script!.content);
      mark("tunnelScript");
      const vtiOf = (t: TunnelModel) => gwHost.vtis.find((d) => d.tunnel === t.name)!.device;
      const farVti = (t: TunnelModel) => `vti${t.number}`;
      for (const t of [a, b]) {
        paths.push(
          standInPath(t.name, { inner: gw, device: vtiOf(t), shimmed: true, outside: t.host.localAddress }, {
            inner: far,
            device: farVti(t),
            shimmed: false,
            insideCidr: t.peer.insideAddress!.cidr,
            outside: t.peer.localAddress,
          }),
        );
      }
      const [pa, pb] = paths as [StandInPath, StandInPath];
      mark("namespaces");

      // gw's charons load its emitted swanctl.conf (one tunnel each), far's the one sitewire emits for it.
      const gwFiles = (t: TunnelModel) => daemonFiles(onlyTunnel(owned(artifacts, "gw"), t), "swanctl");
      const farFiles = (t: TunnelModel) => peerEnd(site, t, "swanctl");
      expect(farFiles(a).origin).toBe("emitted");
      const finished = new Promise<void>((resolve) => (release = resolve));
      const charons = await new Promise<{ nearA: Charon; farA: Charon; nearB: Charon; farB: Charon }>((resolve, reject) => {
        pairs = withPair({ netns: pa.near.name, files: gwFiles(a) }, { netns: pa.far.name, files: farFiles(a).files }, (nearA, farA) =>
          withPair({ netns: pb.near.name, files: gwFiles(b) }, { netns: pb.far.name, files: farFiles(b).files }, async (nearB, farB) => {
            resolve({ nearA, farA, nearB, farB });
            await finished;
          }),
        ).catch((err: unknown) => reject(err));
      });
      mark("charons");
      const up = (c: Charon, t: TunnelModel) => c.waitFor((st) => st.established(t.name, childOf(t)), 8000);
      await Promise.all([up(charons.nearA, a), up(charons.farA, a), up(charons.nearB, b), up(charons.farB, b)]);
      mark("ipsec");
      pa.route();
      pb.route();

      const gwBgp = await Frr.start(gw.name, gwFrr!.content);
      frrs.push(gwBgp);
      const farBgp = await Frr.start(far.name, farFrrConf);
      frrs.push(farBgp);
      const gwLan = firstAddress(a.host.localNetworks[0]!.cidr).split("/")[0]!;
      const farLan = firstAddress(a.peer.localNetworks[0]!.cidr).split("/")[0]!;
      live = {
        site,
        a,
        b,
        gw,
        far,
        nearA: charons.nearA,
        nearB: charons.nearB,
        gwBgp,
        farBgp,
        gwLan,
        farLan,
        vtiOf,
        farVti,
        logs: () =>
          `${gwBgp.logs()}\n${live.farBgp.logs()}\n--- gw routes\n${gw.exec(["ip", "route"])}\n--- far routes\n${far.exec(["ip", "route"])}`,
      };
      mark("daemons");
    }, 90_000);

    afterAll(async () => {
      release();
      await pairs?.catch(() => undefined);
      for (const f of frrs.reverse()) await f.stop();
      for (const p of paths) p.cleanup();
      for (const ns of namespaces) ns.cleanup();
      mark("total");
      console.log(`bgp-failover timings (ms since the start): ${JSON.stringify(timings)}`);
    }, 30_000);

    /** Ping the far LAN from the gw LAN: all echoes answered, and counted by `tunnel`'s CHILD SA on gw. */
    async function pingsThrough(tunnel: TunnelModel, charon: Charon): Promise<void> {
      const before = (await charon.status()).packets(childOf(tunnel));
      expect(ping(live.gw, live.gwLan, live.farLan), `ping ${live.gwLan} → ${live.farLan}\n${live.logs()}`).toBe(true);
      const after = (await charon.status()).packets(childOf(tunnel));
      expect(after.out - before.out, `pings left through tunnel ${tunnel.name}'s CHILD SA`).toBeGreaterThanOrEqual(PINGS);
      expect(after.in - before.in, `replies came back through tunnel ${tunnel.name}'s CHILD SA`).toBeGreaterThanOrEqual(PINGS);
    }

    /** Both ends route each other's LAN through `tunnel` (its vti device on each end). */
    async function routedThrough(tunnel: TunnelModel, timeoutMs: number): Promise<number> {
      const { gw, far, a } = live;
      const moved = await until(`gw routes ${a.peer.localNetworks[0]!.cidr} via ${live.vtiOf(tunnel)}`, timeoutMs, () => routeGet(gw, live.farLan)?.dev === live.vtiOf(tunnel), live.logs);
      await until(`far routes ${a.host.localNetworks[0]!.cidr} via ${live.farVti(tunnel)}`, timeoutMs, () => routeGet(far, live.gwLan)?.dev === live.farVti(tunnel), live.logs);
      return moved.ms;
    }

    it("establishes both sessions on both ends, routes the far network via the primary tunnel, and passes traffic there", async () => {
      const { a, b, gwBgp, farBgp } = live;
      const established = async (frr: Frr, neighbors: string[]) => {
        const summary = await frr.bgpSummary();
        return neighbors.every((n) => summary.peers[n]?.state === "Established");
      };
      const gwNeighbors = [a, b].map((t) => t.bgp!.host.neighbor);
      const farNeighbors = [a, b].map((t) => t.bgp!.peer.neighbor);
      await until("both sessions Established on gw and far (show bgp summary json)", 30_000, async () => (await established(gwBgp, gwNeighbors)) && (await established(farBgp, farNeighbors)), live.logs);
      mark("established");
      await routedThrough(a, 10_000);
      expect(bgpRoute(live.gw, a.peer.localNetworks[0]!.cidr)).toContain(`via ${a.bgp!.host.neighbor} dev ${live.vtiOf(a)}`);
      await pingsThrough(a, live.nearA);
    }, 45_000);

    it("moves to the secondary tunnel within the hold time when the primary's IPsec SA goes away", async () => {
      const { a, b, nearA } = live;
      const down = await nearA.exec(["swanctl", "--terminate", "--ike", a.name, "--timeout", "3"]);
      expect(down.code, down.stdout + down.stderr).toBe(0);
      expect((await nearA.status()).established(a.name, childOf(a))).toBe(false);
      timings.failoverMs = await routedThrough(b, a.bgp!.holdTime.seconds * 1000 + MARGIN_MS);
      await pingsThrough(b, live.nearB);
      expect((await live.gwBgp.bgpSummary()).peers[a.bgp!.host.neighbor]?.state).not.toBe("Established");
    }, 30_000);

    it("returns to the primary tunnel when its SA is back", async () => {
      const { a, nearA } = live;
      await nearA.initiate(childOf(a));
      await nearA.waitFor((st) => st.established(a.name, childOf(a)), 8000);
      timings.returnMs = await routedThrough(a, 30_000);
      await pingsThrough(a, nearA);
    }, 45_000);

    it("filters announcements the way SW163 predicts", async () => {
      const { a, b, gw, gwBgp, farBgp } = live;
      // The far end starts announcing, over both sessions, a network outside what the gateway accepts and a
      // smaller network inside an accepted one. First what SW163 says of intents that announce them.
      const farCidr = a.peer.localNetworks[0]!.cidr;
      const outside = "10.70.0.0/24";
      const inside = `${farCidr.split(".").slice(0, 3).join(".")}.128/25`;
      const announcing = (extra: string) =>
        siteText(FIXTURE)
          .replace(/^networks:\n/m, `networks:\n  far-extra: ${extra}\n`)
          .replace(/(\n  a:\n[\s\S]*?)toPeer: \[far-lan\]/, `$1toPeer: [far-lan${extra === outside ? ", far-extra" : ""}]`)
          .replace(
            /bgp: \{ holdTime: 9s, keepalive: 3s, preference: primary \}/,
            "bgp: { holdTime: 9s, keepalive: 3s, preference: primary, announce: { peer: [far-lan, far-extra] }, accept: { host: [far-lan] } }",
          );
      const sw163 = (text: string) => compileSource(FIXTURE, text).diagnostics.filter((d) => d.code === "SW163").map((d) => d.message);
      /** SW163's verdict: does gw filter `cidr` when the far end announces it? */
      const predictedFiltered = (cidr: string) => sw163(announcing(cidr)).some((m) => m.includes(`does not accept ${cidr}`));
      expect(predictedFiltered(outside), `SW163 says gw filters ${outside}\n${sw163(announcing(outside)).join("\n")}`).toBe(true);
      const insideFiltered = predictedFiltered(inside);

      const updates = async () => Number((await gwBgp.neighbor(a.bgp!.host.neighbor) as { messageStats?: { updatesRecv?: number } }).messageStats?.updatesRecv ?? 0);
      const updatesBefore = await updates();
      const out = (t: TunnelModel) => `SW-${t.name.toUpperCase()}-OUT`;
      const more = await farBgp.vtysh([
        "configure terminal",
        ...[a, b].flatMap((t) => [`ip prefix-list ${out(t)} seq 100 permit ${outside}`, `ip prefix-list ${out(t)} seq 105 permit ${inside}`]),
        `router bgp ${a.bgp!.peer.as}`,
        "address-family ipv4 unicast",
        `network ${outside}`,
        `network ${inside}`,
      ]);
      expect(more.code, more.stdout + more.stderr).toBe(0);
      await until(`far advertises ${outside} and ${inside} to gw`, 10_000, async () => {
        const text = JSON.stringify(await farBgp.json(`show bgp ipv4 unicast neighbors ${a.bgp!.peer.neighbor} advertised-routes json`));
        return text.includes(outside) && text.includes(inside);
      }, live.logs);
      await until("gw received the far end's update", 10_000, async () => (await updates()) > updatesBefore, live.logs);
      const table = JSON.stringify(await gwBgp.json("show bgp ipv4 unicast json"));
      expect(table.includes(outside), `gw took ${outside}, which SW163 says it filters`).toBe(false);
      expect(gw.exec(["ip", "route", "show", outside]).trim()).toBe("");
      // A smaller network within an accepted one: whatever SW163 decides (an exact-prefix match or `le 32`),
      // the emitted prefix list must do the same.
      expect(
        table.includes(inside),
        insideFiltered
          ? `gw took ${inside}, which SW163 says it filters`
          : `gw filters ${inside}, which SW163 accepts (it lies within ${farCidr}); the emitted prefix list must match it too (le 32)`,
      ).toBe(!insideFiltered);
      expect(gw.exec(["ip", "route", "show", inside]).trim() === "", `gw's route table for ${inside}`).toBe(insideFiltered);
      mark("filters");
    }, 30_000);

    it("does not establish with a far end in the gateway's own AS and says why, as SW160 predicts", async () => {
      const { a, gw, gwBgp } = live;
      // SW160 refuses an intent with the far end in the gateway's AS (iBGP over a tunnel)…
      const ibgp = siteText(FIXTURE).replace(`bgp: { as: ${a.bgp!.peer.as} }`, `bgp: { as: ${a.bgp!.host.as} }`);
      expect(ibgp).not.toBe(siteText(FIXTURE));
      const sw160 = compileSource(FIXTURE, ibgp).diagnostics.filter((d) => d.code === "SW160");
      expect(sw160.map((d) => d.severity), "SW160 refuses the same AS on both ends").toContain("error");
      // …and such a far end against the gateway's emitted config: the gateway refuses its OPEN (its remote-as
      // is the model's far AS) and logs why; the far end's `show bgp neighbor` carries the NOTIFICATION.
      await live.farBgp.stop();
      live.farBgp = await Frr.start(live.far.name, frrConfFor("far", "peer", live.site.model.tunnels, a.bgp!.host.as));
      frrs.push(live.farBgp);
      const wrong = live.farBgp;
      const gwNeighbor = a.bgp!.host.neighbor;
      const refusedLine = new RegExp(`NOTIFICATION: sent to neighbor ${gwNeighbor.replace(/\./g, "\\.")} 2/2 \\(OPEN Message Error/Bad Peer AS\\)`);
      let farSays = "";
      await until(
        "the mismatched AS is refused, and both ends say why",
        15_000,
        async () => {
          farSays = JSON.stringify(await wrong.neighbor(a.bgp!.peer.neighbor));
          return /Bad Peer AS/.test(farSays) && refusedLine.test(gwBgp.logs());
        },
        () => `far: ${farSays}\n${gwBgp.logs()}`,
      );
      expect(farSays).toMatch(/"lastNotificationReason":"OPEN Message Error\/Bad Peer AS"/);
      expect((await gwBgp.bgpSummary()).peers[gwNeighbor]?.state).not.toBe("Established");
      expect((await wrong.bgpSummary()).peers[a.bgp!.peer.neighbor]?.state).not.toBe("Established");
      expect(routeGet(gw, live.farLan), "no route to the far network is left").toBeUndefined();
      mark("mismatch");
    }, 30_000);
  },
);
