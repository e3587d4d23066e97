/**
 * A throwaway strongSwan daemon in a network namespace, for loading generated files into the real charon and
 * for live two-end tests.
 *
 * Each call runs as `ip netns exec NS sh -c 'mount --bind …; exec cmd'`: `ip netns exec` gives every call its
 * own mount namespace, and the binds put this instance's ipsec.conf, ipsec.secrets, strongswan.conf,
 * swanctl/ and run/ (pid files, vici socket, log) over the system paths, so two daemons can run side by side
 * (charon's pid file path is compiled in). Nothing is written outside a private temp directory; `stop()`
 * ends only the processes this instance started (by their pid) and removes the directory.
 *
 *   const charon = await Charon.start(ns.name, { swanctlConf });   // or { ipsecConf, ipsecSecrets }
 *   const report = await charon.load();        // every conn loaded, no config warnings?
 *   await charon.initiate("vpn1");
 *   await charon.waitFor((s) => s.established("vpn1"), 8000);
 *   await charon.stop();                       // always, in finally (or use Charon.run)
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReadError } from "../readers/reader.js";
import { ipsecConnNames } from "../readers/strongswan-conf.js";
import { swanctlConnectionNames } from "../readers/swanctl.js";

export interface CharonFiles {
  /** Legacy format: the daemon is started by `ipsec start --nofork` (starter), which loads ipsec.conf. */
  readonly ipsecConf?: string;
  readonly ipsecSecrets?: string;
  /** swanctl.conf drop-in (placed as swanctl/conf.d/sitewire.conf): charon runs alone, `load()` uses swanctl. */
  readonly swanctlConf?: string;
  /** strongswan.conf drop-ins (such as the charon drop-in sitewire emits), included after the defaults. */
  readonly strongswanDropIns?: readonly string[];
}

export interface CharonOptions {
  /** Userspace ESP (kernel-libipsec; TUN device, always UDP-encapsulated): needed where the kernel lacks ESP. */
  readonly libipsec?: boolean;
  /** How long to wait for the daemon and for conns to load (ms). */
  readonly startTimeoutMs?: number;
}

export interface LoadReport {
  readonly mode: "stroke" | "vici";
  /** conn / connection names declared in the files. */
  readonly expected: readonly string[];
  /** Those the daemon reports as loaded. */
  readonly loaded: readonly string[];
  /** Config warnings and errors (starter output, swanctl output, charon's [CFG] log lines). */
  readonly warnings: readonly string[];
  /** Everything the loader printed, for failure messages. */
  readonly output: string;
}

export interface SaStatus {
  readonly text: string;
  /** IKE SA `name` ESTABLISHED and its CHILD SA `child` (by default of the same name) INSTALLED. */
  established(name: string, child?: string): boolean;
  /** Some CHILD SA at all is INSTALLED. */
  anyChildInstalled(): boolean;
  /** ESP packets counted on the installed CHILD SAs named `child`, in and out. */
  packets(child: string): { readonly in: number; readonly out: number };
}

/** Log markers of a negotiation that cannot succeed (verify.md: PSK, proposal, selector mismatches). */
export const FAILURE_MARKERS = /no shared key|AUTHENTICATION_FAILED|NO_PROPOSAL_CHOSEN|TS_UNACCEPTABLE|decryption failed|no proposal found|giving up|no matching peer config|peer config .* not found/;

/** One end of a live pair: the namespace its daemon runs in and the files it loads. */
export interface PairEnd {
  readonly netns: string;
  readonly files: CharonFiles;
}

/**
 * Two daemons, one per end of a tunnel: the far end started and loaded first (so the near end's first packet
 * is answered), each required to load without a config warning; `fn` runs with both (near, far), and both
 * are stopped whatever happens.
 */
export async function withPair<T>(near: PairEnd, far: PairEnd, fn: (near: Charon, far: Charon) => Promise<T>): Promise<T> {
  const started: Charon[] = [];
  const start = async (end: PairEnd) => {
    const charon = await Charon.start(end.netns, end.files);
    started.push(charon);
    await loadCleanly(charon);
    return charon;
  };
  try {
    const farCharon = await start(far);
    return await fn(await start(near), farCharon);
  } finally {
    await Promise.all(started.map((charon) => charon.stop()));
  }
}

async function loadCleanly(charon: Charon): Promise<void> {
  const report = await charon.load();
  const missingConns = report.expected.filter((c) => !report.loaded.includes(c));
  if (report.warnings.length > 0 || missingConns.length > 0)
    throw new Error(`charon in ${charon.netns} did not load cleanly: ${[...report.warnings, ...missingConns.map((c) => `${c} not loaded`)].join("; ")}\n${report.output}`);
}

/** The first log line of any of `charons` that matches `pattern`, waiting up to `timeoutMs`; undefined if none. */
export async function firstLogLine(charons: readonly Charon[], pattern: RegExp, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const charon of charons) {
      const line = charon.log().split("\n").find((l) => pattern.test(l));
      if (line !== undefined) return `${charon.netns}: ${line}`;
    }
    if (Date.now() > deadline) return undefined;
    await sleep(100);
  }
}

const SWANCTL_DIRS = ["conf.d", "x509", "x509ca", "x509ocsp", "x509aa", "x509ac", "x509crl", "pubkey", "private", "rsa", "ecdsa", "bliss", "pkcs8", "pkcs12"];
const BOUND = ["ipsec.conf", "ipsec.secrets", "strongswan.conf", "swanctl"];
/** Bind this instance's files over the system paths, then exec the command ("$0" is the instance dir). */
const BIND_AND_EXEC = `d=$0; for f in ${BOUND.join(" ")}; do mount --bind "$d/$f" "/etc/$f" || exit 99; done; mount --bind "$d/run" /run && exec "$@"`;
/** Starter output lines that are not warnings. */
const STARTER_NOISE = /^(Starting strongSwan .*|charon \(\d+\) started after \d+ ms|'[^']+' routed|)$/;
const CFG_PROBLEM = /\[CFG\].*(not recognized|skipped|invalid|failed|unknown|error|ignored)/i;
const SWANCTL_PROBLEM = /syntax error|invalid|failed|unknown|discarded|ignor|missing/i;

export class Charon {
  readonly mode: "stroke" | "vici";
  private readonly daemon: ChildProcess;
  private readonly exited: Promise<void>;
  private daemonOutput = "";
  private stopped = false;

  private constructor(
    readonly netns: string,
    readonly dir: string,
    private readonly files: CharonFiles,
  ) {
    this.mode = files.swanctlConf !== undefined ? "vici" : "stroke";
    const argv = this.mode === "vici" ? ["/usr/lib/ipsec/charon"] : ["ipsec", "start", "--nofork"];
    this.daemon = spawn("ip", ["netns", "exec", netns, "sh", "-c", BIND_AND_EXEC, dir, ...argv], { stdio: ["ignore", "pipe", "pipe"] });
    const collect = (chunk: Buffer) => (this.daemonOutput += chunk.toString("utf8"));
    this.daemon.stdout?.on("data", collect);
    this.daemon.stderr?.on("data", collect);
    this.exited = new Promise((resolve) => {
      this.daemon.once("exit", () => resolve());
      this.daemon.once("error", () => resolve());
    });
  }

  /** Lay out a private config tree and start the daemon in `netns`; resolves once it answers. */
  static async start(netns: string, files: CharonFiles, options: CharonOptions = {}): Promise<Charon> {
    if (files.swanctlConf !== undefined && (files.ipsecConf !== undefined || files.ipsecSecrets !== undefined))
      throw new Error("Charon.start: one format per daemon (swanctlConf, or ipsecConf + ipsecSecrets)");
    const dir = mkdtempSync(join(tmpdir(), "sw-charon-"));
    writeTree(dir, files, options);
    const charon = new Charon(netns, dir, files);
    try {
      await charon.untilReady(options.startTimeoutMs ?? 5000);
      return charon;
    } catch (err) {
      await charon.stop();
      throw err;
    }
  }

  /** Start, run `fn`, and always stop. */
  static async run<T>(netns: string, files: CharonFiles, fn: (charon: Charon) => Promise<T>, options: CharonOptions = {}): Promise<T> {
    const charon = await Charon.start(netns, files, options);
    try {
      return await fn(charon);
    } finally {
      await charon.stop();
    }
  }

  /** Run a command in this instance's namespace and view of the files. Never throws; returns exit code. */
  exec(argv: readonly string[], timeoutMs = 10_000): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile("ip", ["netns", "exec", this.netns, "sh", "-c", BIND_AND_EXEC, this.dir, ...argv], { encoding: "utf8", timeout: timeoutMs }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  /**
   * Have the daemon load its files and report what it made of them. vici: `swanctl --load-all` (which
   * exits 0 even on a syntax error, so its output is checked). stroke: starter loads ipsec.conf by itself;
   * this waits until every conn is listed or the time is up.
   */
  async load(timeoutMs = 3000): Promise<LoadReport> {
    if (this.mode === "vici") {
      const unreadable: string[] = [];
      const expected = namesOr(() => swanctlConnectionNames(this.files.swanctlConf ?? ""), unreadable);
      const result = await this.exec(["swanctl", "--load-all", "--noprompt"]);
      const output = result.stdout + result.stderr;
      const list = await this.exec(["swanctl", "--list-conns"]);
      const loaded = [...list.stdout.matchAll(/^([^\s:]+): IKEv/gm)].map((m) => m[1]!);
      const warnings = [
        ...(result.code !== 0 ? [`swanctl --load-all exited ${result.code}`] : []),
        ...output.split("\n").filter((l) => SWANCTL_PROBLEM.test(l) && !/^no (authorities|pools) found/.test(l)),
        ...this.log().split("\n").filter((l) => CFG_PROBLEM.test(l)),
        ...unreadable,
      ];
      return { mode: this.mode, expected, loaded, warnings, output };
    }
    const unreadable: string[] = [];
    const expected = namesOr(() => ipsecConnNames(this.files.ipsecConf ?? ""), unreadable);
    let loaded: string[] = [];
    await this.poll(async () => {
      loaded = strokeConnNames((await this.exec(["ipsec", "statusall"])).stdout);
      return expected.every((c) => loaded.includes(c)) || this.hasExited();
    }, timeoutMs).catch(() => undefined);
    await sleep(200); // starter prints its parse warnings before it adds conns; give charon's log a moment too
    const warnings = [
      ...this.daemonOutput.split("\n").filter((l) => !STARTER_NOISE.test(l.trim())),
      ...this.log().split("\n").filter((l) => CFG_PROBLEM.test(l)),
      ...unreadable,
    ];
    return { mode: this.mode, expected, loaded, warnings, output: this.daemonOutput };
  }

  /** Start negotiating `name` in the background (the daemon keeps going after the command returns). */
  async initiate(name: string, timeoutSeconds = 8): Promise<void> {
    const argv =
      this.mode === "vici"
        ? ["swanctl", "--initiate", "--child", name, "--timeout", String(timeoutSeconds)]
        : ["timeout", String(timeoutSeconds), "ipsec", "up", name];
    void this.exec(argv, (timeoutSeconds + 2) * 1000);
  }

  async status(): Promise<SaStatus> {
    const text = this.mode === "vici" ? (await this.exec(["swanctl", "--list-sas"])).stdout : (await this.exec(["ipsec", "statusall"])).stdout;
    return this.mode === "vici" ? viciStatus(text) : strokeStatus(text);
  }

  /** Poll the SA status until `done` holds; throws with the status and the log on timeout. */
  async waitFor(done: (status: SaStatus) => boolean, timeoutMs: number, giveUpOn: RegExp | undefined = undefined): Promise<SaStatus> {
    let last: SaStatus | undefined;
    const ok = await this.poll(async () => {
      last = await this.status();
      return done(last) || (giveUpOn !== undefined && giveUpOn.test(this.log()));
    }, timeoutMs).then(
      () => true,
      () => false,
    );
    if (ok && last && done(last)) return last;
    throw new Error(`charon in ${this.netns}: condition not met within ${timeoutMs} ms\n--- status\n${last?.text ?? ""}\n--- log\n${this.log()}`);
  }

  /** charon's log (filelog /run/charon.log of this instance). */
  log(): string {
    const path = join(this.dir, "run", "charon.log");
    return existsSync(path) ? readFileSync(path, "utf8") : "";
  }

  /** What the daemon (starter or charon) printed. */
  output(): string {
    return this.daemonOutput;
  }

  /** Stop the daemon this instance started and remove its files. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const pids = ["starter.charon.pid", "charon.pid"].map((f) => readPid(join(this.dir, "run", f))).filter((p): p is number => p !== undefined);
    if (this.daemon.pid !== undefined) pids.unshift(this.daemon.pid);
    for (const pid of pids) signal(pid, "SIGTERM");
    const gone = await Promise.race([this.exited.then(() => true), sleep(3000).then(() => false)]);
    if (!gone) for (const pid of pids) signal(pid, "SIGKILL");
    await Promise.race([this.exited, sleep(1000)]);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private hasExited(): boolean {
    return this.daemon.exitCode !== null || this.daemon.signalCode !== null;
  }

  private async untilReady(timeoutMs: number): Promise<void> {
    const probe = this.mode === "vici" ? ["swanctl", "--stats"] : ["ipsec", "statusall"];
    await this.poll(async () => {
      if (this.hasExited()) throw new Error(`strongSwan exited in ${this.netns}:\n${this.daemonOutput}\n${this.log()}`);
      return (await this.exec(probe)).code === 0;
    }, timeoutMs).catch((err: Error) => {
      throw new Error(`strongSwan did not start in ${this.netns}: ${err.message}\n${this.daemonOutput}`);
    });
  }

  private async poll(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await check()) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
      await sleep(100);
    }
  }
}

function writeTree(dir: string, files: CharonFiles, options: CharonOptions): void {
  mkdirSync(join(dir, "run"));
  for (const sub of SWANCTL_DIRS) mkdirSync(join(dir, "swanctl", sub), { recursive: true });
  writeFileSync(join(dir, "swanctl", "swanctl.conf"), "include conf.d/*.conf\n");
  if (files.swanctlConf !== undefined) writeFileSync(join(dir, "swanctl", "conf.d", "sitewire.conf"), files.swanctlConf, { mode: 0o600 });
  writeFileSync(join(dir, "ipsec.conf"), files.ipsecConf ?? "");
  writeFileSync(join(dir, "ipsec.secrets"), files.ipsecSecrets ?? "", { mode: 0o600 });
  const dropIns = files.strongswanDropIns ?? [];
  mkdirSync(join(dir, "strongswan.d"));
  dropIns.forEach((text, i) => writeFileSync(join(dir, "strongswan.d", `${String(i).padStart(2, "0")}.conf`), text));
  writeFileSync(join(dir, "strongswan.conf"), strongswanConf(options.libipsec ?? true, dropIns.length > 0 ? join(dir, "strongswan.d") : undefined));
}

/** Low retransmission settings (a failing IKEv1 case otherwise blocks for minutes), a file log with cfg=2. */
function strongswanConf(libipsec: boolean, dropInDir: string | undefined): string {
  return `charon {
  retransmit_tries = 2
  retransmit_timeout = 1.0
  filelog {
    log {
      path = /run/charon.log
      time_format = %T
      default = 1
      cfg = 2
      ike = 2
      flush_line = yes
    }
  }
  plugins {
    include /etc/strongswan.d/charon/*.conf
    kernel-libipsec {
      load = ${libipsec ? "yes" : "no"}
    }
  }
}
include /etc/strongswan.d/*.conf
${dropInDir !== undefined ? `include ${dropInDir}/*.conf\n` : ""}`;
}

/**
 * The connection names test/readers reads from a file the daemon loads, or none and the reader's complaint
 * (a test may load a broken file on purpose: the daemon's own report is what it checks).
 */
function namesOr(read: () => string[], complaints: string[]): string[] {
  try {
    return read();
  } catch (err) {
    if (!(err instanceof ReadError)) throw err;
    complaints.push(`test/readers: ${err.message}`);
    return [];
  }
}

/** conn names in the Connections: part of `ipsec statusall`. */
function strokeConnNames(statusall: string): string[] {
  const section = statusall.split(/^Connections:$/m)[1]?.split(/^(?:Shunted Connections|Routed Connections|Security Associations)/m)[0] ?? "";
  return [...new Set([...section.matchAll(/^\s+([^\s:]+):\s{2}/gm)].map((m) => m[1]!))];
}

/** `ipsec statusall`: `name[1]: ESTABLISHED …`, `child{1}:  INSTALLED, …`, `child{1}:  …, 336 bytes_i (4 pkts, …), 336 bytes_o (4 pkts, …)`. */
function strokeStatus(text: string): SaStatus {
  const sas = text.split(/^Security Associations/m)[1] ?? "";
  return {
    text,
    established: (name, child = name) =>
      new RegExp(`^\\s+${escape(name)}\\[\\d+\\]: ESTABLISHED`, "m").test(sas) && new RegExp(`^\\s+${escape(child)}\\{\\d+\\}:\\s+INSTALLED`, "m").test(sas),
    anyChildInstalled: () => /^\s+\S+\{\d+\}:\s+INSTALLED/m.test(sas),
    packets: (child) => {
      const counted = new RegExp(`^\\s+${escape(child)}\\{\\d+\\}:.* bytes_i(?: \\((\\d+) pkts?[^)]*\\))?, \\d+ bytes_o(?: \\((\\d+) pkts?)?`, "gm");
      return sum([...sas.matchAll(counted)].map((m) => ({ in: Number(m[1] ?? 0), out: Number(m[2] ?? 0) })));
    },
  };
}

/** `swanctl --list-sas`: `name: #1, ESTABLISHED, …`, then `  child: #1, reqid 1, INSTALLED, …` and its `in`/`out` lines. */
function viciStatus(text: string): SaStatus {
  const blocks = text.split(/^(?=\S)/m);
  return {
    text,
    established: (name, child = name) =>
      blocks.some((b) => new RegExp(`^${escape(name)}: #\\d+, ESTABLISHED`).test(b) && new RegExp(`^\\s+${escape(child)}: #\\d+, reqid \\d+, INSTALLED`, "m").test(b)),
    anyChildInstalled: () => /^\s+\S+: #\d+, reqid \d+, INSTALLED/m.test(text),
    packets: (child) => {
      const counts: { in: number; out: number }[] = [];
      let current: string | undefined;
      for (const line of text.split("\n")) {
        const head = /^\s+(\S+): #\d+, reqid \d+, INSTALLED/.exec(line);
        if (head) current = head[1];
        const count = /^\s+(in|out)\s+[0-9a-f]+.*,\s+(\d+) packets/.exec(line);
        if (count && current === child) counts.push(count[1] === "in" ? { in: Number(count[2]), out: 0 } : { in: 0, out: Number(count[2]) });
      }
      return sum(counts);
    },
  };
}

function sum(counts: readonly { in: number; out: number }[]): { in: number; out: number } {
  return counts.reduce((a, b) => ({ in: a.in + b.in, out: a.out + b.out }), { in: 0, out: 0 });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function readPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, "utf8").trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
