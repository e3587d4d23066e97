/**
 * Throwaway FRRouting daemons (zebra + bgpd) in a network namespace, for live routing tests.
 *
 * verify.md (FRRouting): per namespace, the daemons run directly with private paths so several instances
 * coexist: `-f DIR/frr.conf -i DIR/run/<daemon>.pid --vty_socket DIR/run -z DIR/run/zserv.api`, DIR owned by
 * user frr; vtysh talks to them with `--vty_socket DIR/run`. `-P 0` switches the TCP vty off. Nothing is
 * written outside a private temp directory; `stop()` ends only the daemons this instance started (by the pids
 * they wrote) and removes the directory.
 *
 *   const frr = await Frr.start(ns.name, frrConf);
 *   await frr.waitFor(async () => (await frr.bgpSummary()).peers["169.254.51.1"]?.state === "Established", 20_000);
 *   await frr.stop();
 */
import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const FRR_LIB = "/usr/lib/frr";
const DAEMONS = ["zebra", "bgpd"] as const;

/** `show bgp summary json` (FRR 8.4), the parts the tests read. */
export interface BgpSummary {
  readonly routerId?: string;
  readonly as?: number;
  readonly peers: Readonly<Record<string, { readonly state: string; readonly remoteAs: number; readonly pfxRcd?: number; readonly peerState?: string }>>;
}

function frrIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "frr"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "frr"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

export class Frr {
  private stopped = false;

  private constructor(
    readonly netns: string,
    readonly dir: string,
  ) {}

  /** Write `frrConf` to a private directory and start zebra, then bgpd, in `netns`; resolves once bgpd answers. */
  static async start(netns: string, frrConf: string, timeoutMs = 8000): Promise<Frr> {
    const dir = mkdtempSync(join(tmpdir(), "sw-frr-"));
    const { uid, gid } = frrIds();
    mkdirSync(join(dir, "run"));
    writeFileSync(join(dir, "frr.conf"), frrConf, { mode: 0o640 });
    for (const p of [dir, join(dir, "run"), join(dir, "frr.conf")]) chownSync(p, uid, gid);
    const frr = new Frr(netns, dir);
    try {
      for (const daemon of DAEMONS) {
        const argv = [
          join(FRR_LIB, daemon),
          "-d",
          "-N",
          netns,
          "-P",
          "0",
          "-f",
          join(dir, "frr.conf"),
          "-i",
          join(dir, "run", `${daemon}.pid`),
          "--vty_socket",
          join(dir, "run"),
          "-z",
          join(dir, "run", "zserv.api"),
          "--log",
          `file:${join(dir, "run", `${daemon}.log`)}`,
        ];
        await new Promise<void>((resolve, reject) =>
          execFile("ip", ["netns", "exec", netns, ...argv], { encoding: "utf8", timeout: timeoutMs }, (err, stdout, stderr) =>
            err ? reject(new Error(`${daemon} did not start in ${netns}: ${err.message}\n${stdout}${stderr}`)) : resolve(),
          ),
        );
        await frr.waitFor(async () => (await frr.vtysh(["show version"], daemon)).code === 0, timeoutMs, `${daemon} answers`);
      }
      return frr;
    } catch (err) {
      await frr.stop();
      throw err;
    }
  }

  /** Run vtysh commands (each a `-c`) against this instance; never throws. `daemon` limits them to one daemon. */
  vtysh(commands: readonly string[], daemon?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const argv = ["netns", "exec", this.netns, "vtysh", "--vty_socket", join(this.dir, "run"), ...(daemon ? ["-d", daemon] : []), ...commands.flatMap((c) => ["-c", c])];
    return new Promise((resolve) =>
      execFile("ip", argv, { encoding: "utf8", timeout: 10_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }),
      ),
    );
  }

  /** A vtysh `show … json` command, parsed. */
  async json<T>(command: string): Promise<T> {
    const r = await this.vtysh([command]);
    if (r.code !== 0) throw new Error(`vtysh '${command}' in ${this.netns} exited ${r.code}: ${r.stdout}${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  }

  /** `show bgp summary json`: the IPv4 unicast peers and their state. */
  async bgpSummary(): Promise<BgpSummary> {
    const all = await this.json<{ ipv4Unicast?: BgpSummary }>("show bgp summary json");
    return { ...all.ipv4Unicast, peers: all.ipv4Unicast?.peers ?? {} };
  }

  /** `show bgp neighbor ADDRESS json` for one neighbour (FRR keys it by the address). */
  async neighbor(address: string): Promise<Record<string, unknown>> {
    const all = await this.json<Record<string, Record<string, unknown>>>(`show bgp neighbor ${address} json`);
    return all[address] ?? {};
  }

  /** Poll `check` every 200 ms until it holds; throws naming `what` (and the daemons' logs) on timeout. */
  async waitFor(check: () => Promise<boolean>, timeoutMs: number, what = "condition"): Promise<number> {
    const started = Date.now();
    for (;;) {
      if (await check()) return Date.now() - started;
      if (Date.now() - started > timeoutMs) throw new Error(`FRR in ${this.netns}: ${what} not met within ${timeoutMs} ms\n${this.logs()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The daemons' log files. */
  logs(): string {
    const run = join(this.dir, "run");
    if (!existsSync(run)) return "";
    return readdirSync(run)
      .filter((f) => f.endsWith(".log"))
      .map((f) => `--- ${this.netns} ${f}\n${readFileSync(join(run, f), "utf8")}`)
      .join("\n");
  }

  /** Stop the daemons this instance started (SIGTERM, then SIGKILL) and remove its files. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const pids = DAEMONS.map((d) => readPid(join(this.dir, "run", `${d}.pid`))).filter((p): p is number => p !== undefined);
    for (const pid of pids.reverse()) signal(pid, "SIGTERM");
    for (let i = 0; i < 30 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    for (const pid of pids.filter(alive)) signal(pid, "SIGKILL");
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function readPid(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  const pid = Number(readFileSync(path, "utf8").trim());
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
