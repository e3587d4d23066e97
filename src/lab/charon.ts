/**
 * A strongSwan daemon in one of the lab's namespaces, with its own files. charon's paths are compiled in
 * (/etc/strongswan.conf, /etc/swanctl, /etc/ipsec.conf, /run/charon.pid …), so each call runs as
 * `ip netns exec NS sh -c 'mount --bind …; exec …'`: `ip netns exec` gives every call its own mount
 * namespace, and the binds put this daemon's files (in the lab's folder) over the system paths for that call
 * only. Nothing is written outside the lab's folder. The daemon is ended with its namespace (./state.ts).
 * (The same technique as test/harness/charon.ts, which the real-program tests use.)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { labStrongswanConf, type DaemonFiles } from "./strongswan.js";
import { runAsync, sleep, startDaemon } from "./system.js";

const SWANCTL_DIRS = ["conf.d", "x509", "x509ca", "x509ocsp", "x509aa", "x509ac", "x509crl", "pubkey", "private", "rsa", "ecdsa", "bliss", "pkcs8", "pkcs12"];

/** Log markers of a negotiation that cannot succeed (PSK, proposal, selector or identity mismatch). */
export const FAILURE_MARKERS = /no shared key|AUTHENTICATION_FAILED|NO_PROPOSAL_CHOSEN|TS_UNACCEPTABLE|decryption failed|no proposal found|giving up|no matching peer config|peer config .* not found|MAC mismatched/;

export class LabCharon {
  private constructor(
    readonly ns: string,
    readonly dir: string,
    readonly mode: DaemonFiles["mode"],
    private readonly binds: readonly string[],
  ) {}

  /** Lay out the files (secrets already materialised) and start the daemon; resolves once it answers. */
  static async start(ns: string, dir: string, files: DaemonFiles, timeoutMs = 8000): Promise<LabCharon> {
    mkdirSync(join(dir, "run"), { recursive: true, mode: 0o700 });
    for (const sub of SWANCTL_DIRS) mkdirSync(join(dir, "swanctl", sub), { recursive: true });
    writeFileSync(join(dir, "swanctl", "swanctl.conf"), "include conf.d/*.conf\n");
    if (files.swanctlConf !== undefined) writeFileSync(join(dir, "swanctl", "conf.d", "sitewire.conf"), files.swanctlConf, { mode: 0o600 });
    writeFileSync(join(dir, "ipsec.conf"), files.ipsecConf ?? "");
    writeFileSync(join(dir, "ipsec.secrets"), files.ipsecSecrets ?? "", { mode: 0o600 });
    // The drop-ins live under the folder bound over /run, the one path of it the daemon sees as it is here.
    mkdirSync(join(dir, "run", "strongswan.d"), { recursive: true });
    files.dropIns.forEach((text, i) => writeFileSync(join(dir, "run", "strongswan.d", `${String(i).padStart(2, "0")}.conf`), text));
    writeFileSync(join(dir, "strongswan.conf"), labStrongswanConf(files.dropIns.length > 0 ? "/run/strongswan.d" : undefined));
    // Bind only what exists on this machine (strongswan-starter's /etc/ipsec.* only when it is installed).
    const binds = ["strongswan.conf", "swanctl", ...(files.mode === "stroke" ? ["ipsec.conf", "ipsec.secrets"] : [])].filter((f) => existsSync(`/etc/${f}`));
    const charon = new LabCharon(ns, dir, files.mode, binds);
    const argv = files.mode === "vici" ? ["/usr/lib/ipsec/charon"] : ["ipsec", "start", "--nofork"];
    startDaemon({ ns, argv: ["sh", "-c", charon.script(), dir, ...argv] }, join(dir, "daemon.log"));
    const probe = files.mode === "vici" ? ["swanctl", "--stats"] : ["ipsec", "statusall"];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await charon.exec(probe, 3000)).code === 0) return charon;
      if (Date.now() > deadline) throw new Error(`strongSwan did not start in ${ns}:\n${charon.output()}\n${charon.log()}`);
      await sleep(100);
    }
  }

  /** `sh -c` script: bind this daemon's files over the system paths, then exec the command ("$0": the folder). */
  private script(): string {
    return `d=$0; for f in ${this.binds.join(" ")}; do mount --bind "$d/$f" "/etc/$f" || exit 99; done; mount --bind "$d/run" /run && exec "$@"`;
  }

  /** Run a command in this daemon's namespace and view of the files. Never throws. */
  exec(argv: readonly string[], timeoutMs = 10_000): Promise<{ code: number; stdout: string; stderr: string }> {
    return runAsync({ ns: this.ns, argv: ["sh", "-c", this.script(), this.dir, ...argv] }, timeoutMs);
  }

  /** Load the connections (vici: swanctl --load-all; stroke: starter loads ipsec.conf itself). Returns problems. */
  async load(): Promise<string[]> {
    if (this.mode === "stroke") {
      await sleep(300);
      return [];
    }
    const r = await this.exec(["swanctl", "--load-all", "--noprompt"]);
    const problems = `${r.stdout}${r.stderr}`.split("\n").filter((l) => /syntax error|invalid|failed|unknown|discarded/i.test(l));
    return r.code !== 0 ? [`swanctl --load-all exited ${r.code}`, ...problems] : problems;
  }

  /** Start negotiating a CHILD SA in the background. */
  initiate(child: string, timeoutSeconds = 8): void {
    const argv = this.mode === "vici" ? ["swanctl", "--initiate", "--child", child, "--timeout", String(timeoutSeconds)] : ["timeout", String(timeoutSeconds), "ipsec", "up", child];
    void this.exec(argv, (timeoutSeconds + 2) * 1000);
  }

  /** Are these [IKE SA, CHILD SA] pairs ESTABLISHED and INSTALLED? */
  async established(sas: readonly (readonly [string, string])[]): Promise<boolean> {
    if (this.mode === "vici") {
      const text = (await this.exec(["swanctl", "--list-sas"])).stdout;
      const blocks = text.split(/^(?=\S)/m);
      return sas.every(([ike, child]) => blocks.some((b) => b.startsWith(`${ike}: #`) && /^[^\n]*ESTABLISHED/.test(b) && new RegExp(`^\\s+${escape(child)}: #\\d+, reqid \\d+, INSTALLED`, "m").test(b)));
    }
    const text = (await this.exec(["ipsec", "statusall"])).stdout;
    const part = text.split(/^Security Associations/m)[1] ?? "";
    return sas.every(([ike, child]) => new RegExp(`^\\s+${escape(ike)}\\[\\d+\\]: ESTABLISHED`, "m").test(part) && new RegExp(`^\\s+${escape(child)}\\{\\d+\\}:\\s+INSTALLED`, "m").test(part));
  }

  /** charon's log (filelog /run/charon.log of this daemon). */
  log(): string {
    const path = join(this.dir, "run", "charon.log");
    return existsSync(path) ? readFileSync(path, "utf8") : "";
  }

  output(): string {
    const path = join(this.dir, "daemon.log");
    return existsSync(path) ? readFileSync(path, "utf8") : "";
  }

  /** The first log line that says why a negotiation failed, without time and thread. */
  failure(): string | undefined {
    const line = this.log()
      .split("\n")
      .find((l) => FAILURE_MARKERS.test(l));
    return line?.replace(/^\S+ \d+\[\w+\] (<[^>]*> )?/, "");
  }

  /** The kernel-libipsec TUN device once charon made it. */
  async tunDevice(): Promise<string | undefined> {
    const r = await runAsync({ ns: this.ns, argv: ["ip", "-o", "link", "show", "type", "tun"] });
    return /^\d+: (ipsec\d+)[:@]/m.exec(r.stdout)?.[1];
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
