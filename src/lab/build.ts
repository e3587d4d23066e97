/**
 * Carrying out a lab plan (./plan.ts) on this machine: namespaces and wiring, then each host's emitted
 * artifacts in the order a host applies them at boot (sysctl drop-in, tunnel script `up`, firewall loader,
 * strongSwan), the tunnel engines and far sides, the cluster's effects on the nodes, and the listeners the
 * probes talk to. Every step says what it did through `progress`; a failing step throws with the command's
 * own output. Removal is ./state.ts's job (the namespaces take everything with them).
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AGENT } from "./agent.js";
import { LabCharon } from "./charon.js";
import { LabFrr } from "./frr.js";
import { IP_SHIM } from "./ip-shim.js";
import type { CharonPlan, Cmd, EnginePlan, HostPlan, LabPlan, TunnelPlan } from "./plan.js";
import type { LabKeys } from "./strongswan.js";
import { LabCommandError, runAsync, sleep, startDaemon } from "./system.js";

export type ProgressKind = "lab" | "hosts" | "host" | "link" | "tunnel" | "cluster" | "probe" | "note";
export type Progress = (kind: ProgressKind, text: string) => void;

/** Thrown when the run is being stopped (a signal): no further step starts. */
export class Stopped extends Error {
  override readonly name = "Stopped";
}

export interface TunnelState {
  readonly name: string;
  readonly up: boolean;
  /** Why not (the first failure line of either end's log), when known. */
  readonly why?: string;
}

const SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** How long tunnels may take to come up (IKE with retransmit_tries 2 gives up in about 6 s). */
const NEGOTIATION_MS = 9000;
/** How long BGP sessions may take to come up and exchange routes (connect timer 5 s, emitted and rendered). */
const BGP_MS = 20_000;

export class LabBuild {
  private readonly charons = new Map<string, LabCharon>();
  private readonly frrs: LabFrr[] = [];
  readonly tunnelStates: TunnelState[] = [];

  constructor(
    private readonly plan: LabPlan,
    private readonly dir: string,
    private readonly keys: LabKeys,
    private readonly progress: Progress,
    private readonly stopping: () => boolean,
  ) {}

  private step(): void {
    if (this.stopping()) throw new Stopped("stopped");
  }

  /** Run one command (the event loop stays free, so a signal is handled between any two commands). */
  private async run(cmd: Cmd): Promise<string> {
    this.step();
    const r = await runAsync(cmd, 60_000);
    if (r.code !== 0) throw new LabCommandError(cmd, `${r.stderr}${r.stdout}`);
    this.step();
    return r.stdout;
  }

  async build(): Promise<void> {
    const { plan } = this;
    mkdirSync(join(this.dir, "bin"), { recursive: true, mode: 0o700 });
    writeFileSync(join(this.dir, "bin", "ip"), IP_SHIM, { mode: 0o755 });
    chmodSync(join(this.dir, "bin", "ip"), 0o755);
    writeFileSync(join(this.dir, "agent.mjs"), AGENT, { mode: 0o644 });

    for (const ns of plan.namespaces) await this.run({ argv: ["ip", "netns", "add", ns.name] });
    await this.wire(plan.namespaces.map((ns) => ({ ns: ns.name, argv: ["ip", "link", "set", "lo", "up"] })));
    this.progress("hosts", plan.namespaces.filter((n) => n.role === "host").map((n) => `${n.what.replace(/^host /, "")} (${n.name})`).join(", "));
    await this.wire(plan.wiring);

    for (const name of plan.hostOrder) await this.host(plan.hosts.find((h) => h.name === name)!);
    for (const t of plan.tunnels) await this.engines(t);
    await this.tunnels();
    await this.bgp();
    await this.cluster();
    await this.listeners();
  }

  /**
   * The wiring, with runs of `ip` commands for one namespace sent through one `ip -n NS -batch -` and runs of
   * `sysctl -qw` through one sysctl call (hundreds of commands: one process each would take seconds).
   */
  private async wire(cmds: readonly Cmd[]): Promise<void> {
    const ipOf = (c: Cmd): { ns: string; six: boolean; args: readonly string[] } | undefined => {
      // A batch line is split on blanks and reads quotes and '#': only plain words go into one. `ip -6 …` is
      // batched with other `ip -6` lines of its namespace (`-6` is an option of the whole batch, not of a line).
      if (c.input !== undefined || c.argv[0] !== "ip" || c.argv.some((a) => !/^[A-Za-z0-9_.:/@=+-]+$/.test(a))) return undefined;
      if (c.ns !== undefined) return c.argv[1] === "-6" ? { ns: c.ns, six: true, args: c.argv.slice(2) } : { ns: c.ns, six: false, args: c.argv.slice(1) };
      return c.argv[1] === "-n" && c.argv[2] !== undefined && c.argv[3] !== "-6" ? { ns: c.argv[2], six: false, args: c.argv.slice(3) } : undefined;
    };
    const sysctlOf = (c: Cmd) => (c.ns !== undefined && c.input === undefined && c.argv[0] === "sysctl" && c.argv[1] === "-qw" && c.argv.length === 3 ? c.argv[2]! : undefined);
    for (let i = 0; i < cmds.length; ) {
      const first = cmds[i]!;
      const ip = ipOf(first);
      const sysctl = sysctlOf(first);
      let j = i + 1;
      if (ip) {
        while (j < cmds.length && ipOf(cmds[j]!)?.ns === ip.ns && ipOf(cmds[j]!)?.six === ip.six) j++;
        const batch = cmds.slice(i, j);
        const lines = batch.map((c) => ipOf(c)!.args.join(" "));
        try {
          await this.run({ argv: ["ip", "-n", ip.ns, ...(ip.six ? ["-6"] : []), "-batch", "-"], input: lines.join("\n") + "\n" });
        } catch (err) {
          const line = /Command failed -:(\d+)/.exec(err instanceof Error ? err.message : "")?.[1];
          const failed = line ? batch[Number(line) - 1] : undefined;
          throw new Error(`${failed ? `in ${ip.ns}: ip ${ipOf(failed)!.args.join(" ")}` : `in ${ip.ns}: ip -batch`} failed: ${err instanceof Error ? err.message.replace(/^.*? failed: /s, "") : String(err)}`);
        }
      } else if (sysctl) {
        while (j < cmds.length && sysctlOf(cmds[j]!) !== undefined && cmds[j]!.ns === first.ns) j++;
        await this.run({ ns: first.ns!, argv: ["sysctl", "-qw", ...cmds.slice(i, j).map((c) => sysctlOf(c)!)] });
      } else {
        await this.run(first);
      }
      i = j;
    }
  }

  // ---- hosts --------------------------------------------------------------------------------------------

  private async host(h: HostPlan): Promise<void> {
    const did: string[] = [];
    const root = join(this.dir, "hosts", h.name);
    mkdirSync(root, { recursive: true, mode: 0o700 });
    if (h.sysctl !== undefined) {
      writeFileSync(join(root, "90-sitewire.conf"), h.sysctl);
      await this.run({ ns: h.ns, argv: ["sysctl", "-q", "-p", join(root, "90-sitewire.conf")] });
      did.push("sysctl drop-in applied");
    }
    if (h.script !== undefined) {
      const script = join(root, "sitewire-tunnels");
      writeFileSync(script, h.script, { mode: 0o755 });
      const varLib = join(root, "var-lib");
      mkdirSync(varLib, { recursive: true });
      const links = Object.entries(h.createsLinks).map(([dev, ns]) => `${dev}=${ns}`).join(" ");
      const env = [`PATH=${join(this.dir, "bin")}:/usr/sbin:/usr/bin:/sbin:/bin`, `SITEWIRE_SHIM_STATE=${join(this.dir, "shim")}`, `SITEWIRE_SHIM_LINKS=${links}`];
      // The script keeps its state in /var/lib/sitewire: a private /var/lib for this call only.
      await this.run({ ns: h.ns, argv: ["sh", "-c", 'mount --bind "$0" /var/lib && exec "$@"', varLib, "env", "-i", ...env, "bash", script, "up"] });
      did.push("tunnel script up");
      for (const [dev, ns] of Object.entries(h.createsLinks)) {
        const other = this.plan.namespaces.find((n) => n.name === ns)?.what.replace(/^host /, "") ?? ns;
        this.progress("link", `${dev}: ${h.name} ⇄ ${other} (ipip, a veth pair in the lab)`);
      }
    }
    if (h.firewall) {
      const etc = join(root, "etc-sitewire");
      mkdirSync(etc, { recursive: true });
      writeFileSync(join(etc, "iptables.rules"), h.firewall.rules);
      // The loader, pointed at the lab's copy of the rules: its one `readonly RULES=` line, nothing else.
      const line = `readonly RULES=${h.firewall.rulesPath}\n`;
      const parts = h.firewall.script.split(line);
      if (parts.length !== 2) throw new Error(`${h.name}: the firewall loader does not set RULES=${h.firewall.rulesPath} exactly once`);
      const loader = join(root, "sitewire-firewall");
      let text = parts.join(`readonly RULES=${join(etc, "iptables.rules")}\n`);
      // A dual-stack host: the same for the IPv6 file (`readonly RULES6=`), loaded with ip6tables-restore.
      if (h.firewall.rules6) {
        writeFileSync(join(etc, "ip6tables.rules"), h.firewall.rules6.rules);
        const line6 = `readonly RULES6=${h.firewall.rules6.path}\n`;
        const parts6 = text.split(line6);
        if (parts6.length !== 2) throw new Error(`${h.name}: the firewall loader does not set RULES6=${h.firewall.rules6.path} exactly once`);
        text = parts6.join(`readonly RULES6=${join(etc, "ip6tables.rules")}\n`);
      }
      writeFileSync(loader, text, { mode: 0o755 });
      await this.run({ ns: h.ns, argv: ["env", "-i", `PATH=${SYSTEMD_PATH}`, loader, "load"] });
      did.push("firewall loaded");
    }
    if (h.nft) {
      // What the host's sitewire-nftables.service runs (ExecStart=): one `nft -f`, replacing sitewire's table.
      const etc = join(root, "etc-sitewire");
      mkdirSync(etc, { recursive: true });
      writeFileSync(join(etc, "firewall.nft"), h.nft.rules);
      await this.run({ ns: h.ns, argv: ["env", "-i", `PATH=${SYSTEMD_PATH}`, "nft", "-f", join(etc, "firewall.nft")] });
      did.push("nftables table loaded");
    }
    if (h.charon) did.push("strongSwan (policy-based tunnels)");
    for (const n of h.notRun) did.push(`not run: ${n}`);
    this.progress("host", `${h.name}: ${did.length > 0 ? did.join(", ") : "nothing sitewire emits for it"}`);
  }

  // ---- tunnels ------------------------------------------------------------------------------------------

  /** Wire an engine's inner device: the NOARP point-to-point link a vti device is (one MAC on both ends). */
  private async engines(t: TunnelPlan): Promise<void> {
    for (const e of [t.hostEngine, t.peerEngine]) {
      if (!e) continue;
      const inner = e.inner;
      if (inner.shimmed) {
        const other = `s${inner.device.slice(0, 14)}`;
        await this.run({ argv: ["ip", "-n", inner.ns, "link", "set", other, "netns", e.ns] });
        await this.run({ ns: e.ns, argv: ["ip", "link", "set", other, "name", "s-end"] });
      }
      await this.run({ ns: inner.ns, argv: ["ip", "link", "set", inner.device, "arp", "off"] });
      const mac = /link\/ether (\S+)/.exec(await this.run({ ns: inner.ns, argv: ["ip", "link", "show", "dev", inner.device] }))?.[1];
      if (!mac) throw new Error(`no MAC address on ${inner.device} in ${inner.ns}`);
      await this.run({ ns: e.ns, argv: ["ip", "link", "set", "s-end", "address", mac, "arp", "off", "up"] });
      await this.run({ ns: e.ns, argv: ["sysctl", "-qw", "net.ipv4.conf.s-end.rp_filter=0"] });
      // Into the tunnel from the inner side; out of it back to the inner side; local delivery after both, so
      // that a packet for the engine's own (IKE) address that came through the tunnel still goes inside. The
      // same for IPv6 (`ip -6 rule`: its own list), whichever families the tunnel carries.
      for (const ip of [["ip"], ["ip", "-6"]])
        for (const argv of [
          [...ip, "rule", "add", "priority", "10", "iif", "s-end", "lookup", "100"],
          [...ip, "rule", "add", "priority", "20", "iif", "ipsec0", "lookup", "200"],
          [...ip, "rule", "add", "priority", "100", "lookup", "local"],
          [...ip, "rule", "del", "priority", "0"],
          [...ip, "route", "add", "default", "dev", "s-end", "table", "200"],
        ])
          await this.run({ ns: e.ns, argv });
      // An engine forwards, a vti device does not: give back the hop's TTL (iptables-extensions(8), TTL), and
      // IPv6's hop limit (HL --hl-inc).
      await this.run({ ns: e.ns, argv: ["iptables-restore", "--noflush"], input: "*mangle\n-A PREROUTING -i s-end -j TTL --ttl-inc 1\n-A PREROUTING -i ipsec0 -j TTL --ttl-inc 1\nCOMMIT\n" });
      await this.run({ ns: e.ns, argv: ["ip6tables-restore", "--noflush"], input: "*mangle\n-A PREROUTING -i s-end -j HL --hl-inc 1\n-A PREROUTING -i ipsec0 -j HL --hl-inc 1\nCOMMIT\n" });
    }
  }

  private async startCharon(c: CharonPlan, label: string): Promise<LabCharon> {
    this.step();
    const dir = join(this.dir, "charon", label);
    const charon = await LabCharon.start(c.ns, dir, this.keys.materialise(c.files));
    this.charons.set(label, charon);
    const problems = await charon.load();
    if (problems.length > 0) throw new Error(`${c.what} did not load its files: ${problems.join("; ")}`);
    return charon;
  }

  /** Start every daemon (far ends first), route the engines into their TUN devices, initiate, and wait. */
  private async tunnels(): Promise<void> {
    const { plan } = this;
    if (plan.tunnels.length === 0) return;
    const started = Date.now();
    await Promise.all(plan.tunnels.map((t) => this.startCharon(t.peerEngine.charon, `${t.name}-peer`)));
    const hostDaemons = [
      ...plan.tunnels.flatMap((t) => (t.hostEngine ? [this.startCharon(t.hostEngine.charon, `${t.name}-host`)] : [])),
      ...plan.hosts.flatMap((h) => (h.charon ? [this.startCharon(h.charon, `${h.name}-policy`)] : [])),
    ];
    await Promise.all(hostDaemons);
    for (const t of plan.tunnels) for (const e of [t.hostEngine, t.peerEngine]) if (e) await this.routeEngine(e, t);
    for (const t of plan.tunnels) for (const child of t.initiate) this.hostCharon(t).initiate(child, NEGOTIATION_MS / 1000);
    // Wait for every tunnel (all at once), each until up, failed for a logged reason, or out of time.
    await Promise.all(
      plan.tunnels.map(async (t) => {
        const near = this.hostCharon(t);
        const far = this.charons.get(`${t.name}-peer`)!;
        const deadline = Date.now() + NEGOTIATION_MS;
        let up = false;
        while (!this.stopping() && Date.now() < deadline) {
          if ((await near.established(t.hostSas)) && (await far.established(t.peerEngine.charon.sas))) {
            up = true;
            break;
          }
          if (near.failure() || far.failure()) break;
          await sleep(150);
        }
        const why = up ? undefined : (near.failure() ?? far.failure() ?? `not up within ${NEGOTIATION_MS / 1000} s`);
        this.tunnelStates.push({ name: t.name, up, ...(why ? { why } : {}) });
        const ends = `${t.host} ⇄ ${t.peer} (${t.kind === "ipsec-vti" ? "route-based" : "policy-based"}, far end: ${t.peerEngine.charon.files.origin === "emitted" ? "emitted strongSwan files" : "strongSwan stand-in"})`;
        this.progress("tunnel", `${t.name}: ${ends}: ${up ? `IKE SA ESTABLISHED, CHILD SA INSTALLED (${((Date.now() - started) / 1000).toFixed(1)} s)` : `DOWN: ${why}`}`);
      }),
    );
    this.step();
  }

  /**
   * FRRouting where BGP runs over tunnels, once the tunnels are up (so the first connect succeeds): wait until
   * every session is Established and has received what the model has it learn, or out of time.
   */
  private async bgp(): Promise<void> {
    const { plan } = this;
    if (plan.frr.length === 0) return;
    const started = Date.now();
    const daemons = await Promise.all(
      plan.frr.map(async (f) => {
        this.step();
        const d = await LabFrr.start(f.ns, join(this.dir, "frr", f.node), f.conf);
        this.frrs.push(d);
        return { plan: f, d };
      }),
    );
    const pending = new Map(daemons.flatMap(({ plan: f, d }) => f.neighbors.map((n) => [`${f.node} ${n.address}`, { f, n, d }] as const)));
    const deadline = Date.now() + BGP_MS;
    const seen = new Map<string, { state: string; pfxRcd?: number }>();
    while (pending.size > 0 && Date.now() < deadline) {
      this.step();
      for (const { plan: f, d } of daemons) {
        const sessions = await d.sessions();
        for (const n of f.neighbors) {
          const s = sessions[n.address];
          if (s) seen.set(`${f.node} ${n.address}`, s);
          if (s?.state === "Established" && (!n.receives || (s.pfxRcd ?? 0) > 0)) pending.delete(`${f.node} ${n.address}`);
        }
      }
      if (pending.size > 0) await sleep(250);
    }
    for (const t of plan.tunnels.filter((x) => x.bgp)) {
      const ends = daemons.flatMap(({ plan: f }) => f.neighbors.filter((n) => n.tunnel === t.name).map((n) => ({ f, n, s: seen.get(`${f.node} ${n.address}`) })));
      const text = ends.map(({ f, n, s }) => `${f.node} (${f.origin} frr.conf): ${s ? `${s.state}${s.state === "Established" ? `, ${s.pfxRcd ?? 0} prefixes received` : ""}` : "no session"}${pending.has(`${f.node} ${n.address}`) ? " (not all the model expects)" : ""}`);
      this.progress("tunnel", `${t.name}: BGP ${text.join("; ")} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
  }

  private hostCharon(t: TunnelPlan): LabCharon {
    return this.charons.get(t.hostEngine ? `${t.name}-host` : `${t.host}-policy`)!;
  }

  /** Once charon made its TUN device: the inner side's traffic goes into it. */
  private async routeEngine(e: EnginePlan, t: TunnelPlan): Promise<void> {
    const charon = this.charons.get(`${t.name}-${e.side}`)!;
    let tun: string | undefined;
    for (let i = 0; i < 50 && !(tun = await charon.tunDevice()); i++) await sleep(100);
    if (!tun) throw new Error(`no kernel-libipsec TUN device in ${e.ns} (is libcharon-extra-plugins installed?)`);
    for (const ip of [["ip"], ["ip", "-6"]]) {
      if (tun !== "ipsec0") {
        await this.run({ ns: e.ns, argv: [...ip, "rule", "del", "priority", "20"] });
        await this.run({ ns: e.ns, argv: [...ip, "rule", "add", "priority", "20", "iif", tun, "lookup", "200"] });
      }
      await this.run({ ns: e.ns, argv: [...ip, "route", "add", "default", "dev", tun, "table", "100"] });
    }
    await this.run({ ns: e.ns, argv: ["sysctl", "-qw", `net.ipv4.conf.${tun}.rp_filter=0`] });
  }

  // ---- cluster ------------------------------------------------------------------------------------------

  private async cluster(): Promise<void> {
    const { plan } = this;
    if (plan.pods.length === 0) return;
    const nodes = [...new Set(plan.pods.map((p) => p.node))];
    for (const node of nodes) {
      const ns = plan.pods.find((p) => p.node === node)!.nodeNs;
      if (plan.masqAgent) await this.run({ ns, argv: ["iptables-restore", "--noflush"], input: plan.masqAgent });
      if (plan.masqAgent6) await this.run({ ns, argv: ["ip6tables-restore", "--noflush"], input: plan.masqAgent6 });
      this.progress(
        "cluster",
        `${node}: ${plan.masqAgent ? `ip-masq-agent chain loaded (cluster/review/ip-masq-agent.rules${plan.masqAgent6 ? ", and its IPv6 chain: ip-masq-agent6.rules" : ""})` : "no ip-masq-agent configuration: pods keep their addresses"}`,
      );
    }
    for (const pod of plan.pods) {
      if (pod.filter) await this.run({ ns: pod.nodeNs, argv: ["iptables-restore", "--noflush"], input: pod.filter });
      if (pod.filter6) await this.run({ ns: pod.nodeNs, argv: ["ip6tables-restore", "--noflush"], input: pod.filter6 });
      this.progress("cluster", `pod ${pod.selector} on ${pod.node} (${pod.address}${pod.address6 ? `, ${pod.address6}` : ""}, ${pod.ns}): egress ${pod.policies.length > 0 ? `filtered by ${pod.policies.join(", ")}` : "not isolated (no egress NetworkPolicy selects it)"}`);
    }
  }

  // ---- listeners ----------------------------------------------------------------------------------------

  private async listeners(): Promise<void> {
    const byNs = new Map<string, { address: string; protocol: string; port: number }[]>();
    for (const l of this.plan.listeners) byNs.set(l.ns, [...(byNs.get(l.ns) ?? []), { address: l.address, protocol: l.protocol, port: l.port }]);
    const logs: [string, string][] = [];
    for (const [ns, specs] of byNs) {
      this.step();
      const log = join(this.dir, `listener-${ns}.log`);
      startDaemon({ ns, argv: [process.execPath, join(this.dir, "agent.mjs"), "serve", JSON.stringify(specs)] }, log);
      logs.push([ns, log]);
    }
    for (const [ns, log] of logs) {
      const deadline = Date.now() + 5000;
      for (;;) {
        const text = readFileSync(log, "utf8");
        if (text.includes("ready")) break;
        if (/^error /m.test(text) || Date.now() > deadline) throw new Error(`the probe listener in ${ns} did not start: ${text.trim() || "no output"}`);
        this.step();
        await sleep(50);
      }
    }
  }

  /** Status text of the daemons, for a failure report. */
  daemonLogs(): string {
    return [...[...this.charons.entries()].map(([label, c]) => `--- charon ${label} (${c.ns})\n${c.log().split("\n").slice(-15).join("\n")}`), ...this.frrs.map((f) => f.logs())].join("\n");
  }
}
