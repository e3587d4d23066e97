/**
 * One live tunnel case, shared by the files of test/live: which files each end loads (the host's emitted
 * files, the far side sitewire emits for a strongSwan peer, or a strongSwan stand-in rendered from the model
 * for a Cisco peer), the namespaces they run in (test/harness/topology.ts), and the two outcomes a case can
 * assert: the tunnel comes up and carries pings, or it stays down with a given log marker.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { compileSource } from "../../src/compile/pipeline.js";
import type { HostModel, SiteModel, TunnelModel } from "../../src/model/types.js";
import { PACKAGE_ROOT } from "../../src/render/templates.js";
import { connView } from "../../src/targets/strongswan/conn.js";
import { renderStrongswanEnd } from "../../src/targets/strongswan/render.js";
import type { Artifact } from "../../src/targets/target.js";
import { Charon, FAILURE_MARKERS, firstLogLine, withPair, type CharonFiles, type SaStatus } from "../harness/charon.js";
import { ping, probesOf, routeIntoTunnel, tunnelTopology, type Topology } from "../harness/topology.js";
import { daemonFiles, formatsIn, fromRender, onlyTunnel, owned, type DaemonFormat } from "../harness/tunnel-ends.js";

/** How long a tunnel may take to come up, or to fail (retransmit_tries 2, timeout 1.0: IKE gives up in ~6 s). */
const NEGOTIATION_MS = 6000;
/** Upper bound of one case: two daemons started, negotiated, pinged and stopped. */
export const CASE_TIMEOUT_MS = 12_000;

/** Every example and fixture site file. */
export const SITE_FILES = [
  ...readdirSync(join(PACKAGE_ROOT, "sites")).map((f) => `sites/${f}`),
  ...readdirSync(join(PACKAGE_ROOT, "test/fixtures/sites")).map((f) => `test/fixtures/sites/${f}`),
]
  .filter((f) => f.endsWith(".yaml"))
  .sort();

export function siteText(file: string): string {
  return readFileSync(join(PACKAGE_ROOT, file), "utf8");
}

export interface CompiledSite {
  readonly file: string;
  readonly model: SiteModel;
  readonly artifacts: readonly Artifact[];
}

/** Compile a site through the real pipeline; it must have no errors. */
export function compileSite(file: string, text = siteText(file)): CompiledSite {
  const result = compileSource(file, text);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0 || !result.model) throw new Error(`${file} does not compile: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return { file, model: result.model, artifacts: result.artifacts };
}

function hostOf(model: SiteModel, tunnel: TunnelModel): HostModel {
  const host = model.hosts.find((h) => h.name === tunnel.host.node);
  if (!host) throw new Error(`tunnel ${tunnel.name}: no host ${tunnel.host.node}`);
  return host;
}

/** Files for one end and where they come from, for the report. */
export interface EndFiles {
  readonly files: CharonFiles;
  readonly origin: string;
}

/**
 * The host's end in `format`: its emitted files (cut to this tunnel), or, when the host asks for the other
 * format only, the same renderer applied to the host end.
 */
export function hostEnd(site: CompiledSite, tunnel: TunnelModel, format: DaemonFormat): EndFiles {
  const emitted = owned(site.artifacts, tunnel.host.node);
  if (formatsIn(emitted).includes(format)) return { files: daemonFiles(onlyTunnel(emitted, tunnel), format), origin: "emitted" };
  return { files: daemonFiles(fromRender(renderStrongswanEnd(tunnel, tunnel.host, format)), format), origin: "rendered" };
}

/** The peer's end in `format`: what sitewire emits for a strongSwan peer, a stand-in rendered from the model otherwise. */
export function peerEnd(site: CompiledSite, tunnel: TunnelModel, format: DaemonFormat): EndFiles {
  const emitted = owned(site.artifacts, tunnel.peer.node);
  if (tunnel.peer.platform === "strongswan" && formatsIn(emitted).includes(format))
    return { files: daemonFiles(onlyTunnel(emitted, tunnel), format), origin: "emitted" };
  return { files: daemonFiles(fromRender(renderStrongswanEnd(tunnel, tunnel.peer, format)), format), origin: "stand-in" };
}

/** The conns a daemon negotiates for `tunnel`: [IKE SA name, CHILD SA name] pairs in its format. */
function saNames(tunnel: TunnelModel, mode: Charon["mode"]): [string, string][] {
  return connView(tunnel, tunnel.host).children.map((c) => [mode === "vici" ? tunnel.name : c.name, c.name]);
}

/**
 * Every CHILD SA of `tunnel` installed under an established IKE SA. With ipsec.conf, the conns of one tunnel
 * (IKEv1: one per selector pair or per family) may share one IKE SA, which `ipsec statusall` names after the conn
 * that created it: any of the tunnel's conn names will do there.
 */
function allUp(tunnel: TunnelModel, charon: Charon): (s: SaStatus) => boolean {
  const names = saNames(tunnel, charon.mode);
  return (s) => names.every(([ike, child]) => s.established(ike, child) || (charon.mode === "stroke" && names.some(([other]) => s.established(other, child))));
}

/** The host initiates by hand where nothing else would: on traffic only (trap); `start` and the peer's start need nothing. */
async function initiateIfTrapped(tunnel: TunnelModel, near: Charon): Promise<void> {
  if (tunnel.startAction !== "trap") return;
  for (const [, child] of saNames(tunnel, near.mode)) await near.initiate(child, NEGOTIATION_MS / 1000);
}

/**
 * Namespaces for `tunnel`, removed after `fn` whatever happens. The outer path is built on the host's address of
 * the tunnel's outer family (hosts.<h>.address6 for a tunnel with IPv6 outer addresses).
 */
async function inTopology<T>(site: CompiledSite, tunnel: TunnelModel, fn: (topology: Topology) => Promise<T>): Promise<T> {
  const host = hostOf(site.model, tunnel);
  const outer = host.addresses.find((a) => a.family === tunnel.outerFamily && a.address === tunnel.host.localAddress) ?? host.addresses.find((a) => a.family === tunnel.outerFamily);
  if (!outer) throw new Error(`tunnel ${tunnel.name}: host ${host.name} has no IPv${tunnel.outerFamily} address`);
  const topology = tunnelTopology(tunnel, outer);
  try {
    return await fn(topology);
  } finally {
    topology.cleanup();
  }
}

export interface UpResult {
  readonly layout: string;
  readonly probes: number;
  readonly ms: number;
}

/**
 * Bring `tunnel` up between `host` and `peer` files: IKE SA ESTABLISHED and every CHILD SA INSTALLED on both
 * ends, then every probe pinged through it, and the host's CHILD SAs must have counted the ESP packets;
 * then `afterwards`, with both daemons still running.
 */
export async function bringUp(
  site: CompiledSite,
  tunnel: TunnelModel,
  host: CharonFiles,
  peer: CharonFiles,
  afterwards?: (near: Charon, far: Charon) => Promise<void>,
): Promise<UpResult> {
  const started = Date.now();
  return inTopology(site, tunnel, (topology) =>
    withPair({ netns: topology.host.name, files: host }, { netns: topology.peer.name, files: peer }, async (near, far) => {
      await initiateIfTrapped(tunnel, near);
      await near.waitFor(allUp(tunnel, near), NEGOTIATION_MS, FAILURE_MARKERS);
      await far.waitFor(allUp(tunnel, far), NEGOTIATION_MS, FAILURE_MARKERS);
      routeIntoTunnel(topology.host, tunnel, tunnel.host);
      routeIntoTunnel(topology.peer, tunnel, tunnel.peer);
      const probes = probesOf(tunnel);
      expect(probes.length, `tunnel ${tunnel.name} has something to ping`).toBeGreaterThan(0);
      for (const probe of probes) ping(topology.host, probe);
      const status = await near.status();
      const counted = saNames(tunnel, near.mode).map(([, child]) => status.packets(child));
      const total = counted.reduce((a, b) => ({ in: a.in + b.in, out: a.out + b.out }), { in: 0, out: 0 });
      expect(total.out, `ESP packets out of ${tunnel.host.node}\n${status.text}`).toBeGreaterThanOrEqual(probes.length);
      expect(total.in, `ESP packets into ${tunnel.host.node}\n${status.text}`).toBeGreaterThanOrEqual(probes.length);
      await afterwards?.(near, far);
      return { layout: topology.layout, probes: probes.length, ms: Date.now() - started };
    }),
  );
}

/** What each end logs when a negotiation fails for a given reason. */
export interface FailureMarkers {
  readonly host: RegExp;
  readonly peer: RegExp;
}

export interface DownResult {
  /** The log lines that matched, without time and thread. */
  readonly host: string;
  readonly peer: string;
  readonly ms: number;
}

/**
 * Start both ends and expect the negotiation to fail: each end logs its marker within the negotiation time,
 * and no CHILD SA is installed on either end.
 */
export async function staysDown(site: CompiledSite, tunnel: TunnelModel, host: CharonFiles, peer: CharonFiles, markers: FailureMarkers): Promise<DownResult> {
  const started = Date.now();
  return inTopology(site, tunnel, (topology) =>
    withPair({ netns: topology.host.name, files: host }, { netns: topology.peer.name, files: peer }, async (near, far) => {
      await initiateIfTrapped(tunnel, near);
      const logged = await expectLogged(near, far, markers);
      for (const end of [near, far]) expect((await end.status()).anyChildInstalled(), `a CHILD SA is installed in ${end.netns}\n${logsOf(near, far)}`).toBe(false);
      return { ...logged, ms: Date.now() - started };
    }),
  );
}

/** Wait until the host (near) and the peer (far) have each logged their marker; the matching messages. */
export async function expectLogged(near: Charon, far: Charon, markers: FailureMarkers): Promise<{ host: string; peer: string }> {
  const [host, peer] = await Promise.all([firstLogLine([near], markers.host, NEGOTIATION_MS), firstLogLine([far], markers.peer, NEGOTIATION_MS)]);
  expect(host, `expected ${markers.host} in the host's log\n${logsOf(near, far)}`).toBeDefined();
  expect(peer, `expected ${markers.peer} in the peer's log\n${logsOf(near, far)}`).toBeDefined();
  return { host: logMessage(host!), peer: logMessage(peer!) };
}

function logsOf(near: Charon, far: Charon): string {
  return `--- ${near.netns} (host)\n${near.log()}\n--- ${far.netns} (peer)\n${far.log()}`;
}

/** "ns: 13:24:18 02[IKE] received …" → "received …". */
function logMessage(line: string): string {
  return line.replace(/^\S+: \S+ \d+\[\w+\] (<[^>]*> )?/, "");
}

/** Rows for the summary printed after a file's cases. */
export class Summary {
  private readonly rows: string[][] = [];
  private readonly started = Date.now();

  constructor(
    private readonly title: string,
    private readonly header: readonly string[],
  ) {}

  add(...row: readonly (string | number)[]): void {
    this.rows.push(row.map(String));
  }

  print(): void {
    const table = [this.header.map(String), ...this.rows];
    const widths = this.header.map((_, i) => Math.max(...table.map((r) => (r[i] ?? "").length)));
    const lines = table.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    console.log(`\n${this.title}: ${this.rows.length} cases in ${seconds} s\n${lines.join("\n")}\n`);
  }
}

/** "ipsec-conf" → "ipsec.conf", for reports. */
export function fileName(format: DaemonFormat): string {
  return format === "swanctl" ? "swanctl.conf" : "ipsec.conf";
}
