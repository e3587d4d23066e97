/**
 * The generated failover monitor, run for real: shellcheck, then the bash script itself on strongswan-1 of
 * bjs-hybrid with fakes first in PATH. The fake `ping` answers from a per-tick schedule, the fake `aws`, hook
 * and `logger` append their argv to files; SITEWIRE_FAILOVER_TEST=1 with SLEEP=0 and a tick limit makes a
 * run take milliseconds. Nothing leaves this machine: the real aws CLI is never on PATH.
 *
 * Schedules are one word per tick: P/p partner answers or not, T/t own tunnel answers or not.
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, closeSync, existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { resolveSite } from "../../src/model/resolve.js";
import { failoverTarget } from "../../src/targets/failover/index.js";
import { run as runPolicy, type Decision } from "../../src/targets/failover/policy.js";
import { HOST_PATHS, hostFile } from "../../src/targets/host-paths.js";
import { missing } from "../harness/tools.js";
import { siteFile, sourceOf } from "../helpers/source.js";

const HOST = "strongswan-1";
const PATHS = HOST_PATHS.rhel;
const workdir = mkdtempSync(join(tmpdir(), "sitewire-failover-"));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

let sandboxes = 0;

/** The artifacts of strongswan-1 for bjs-hybrid, with the failover pair's settings edited in the YAML. */
function artifactsFor(edit: (yaml: string) => string = (y) => y): { script: string; config: string; unit: string } {
  const { path, text } = siteFile("bjs-hybrid");
  const { source, intent } = sourceOf(edit(text), path);
  const { model, diagnostics } = resolveSite(source, intent, "0".repeat(64));
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const content = (p: string) => failoverTarget.emit(model).find((a) => a.path === hostFile(HOST, p))!.content;
  return { script: content(PATHS.failoverScript), config: content(PATHS.failoverConf), unit: content(PATHS.failoverUnit) };
}

const withThresholds = (failures: number, recoveries: number) => (y: string) =>
  y.replace("failures: 3", `failures: ${failures}`).replace("recoveries: 3", `recoveries: ${recoveries}`);
const withHook = (hook: string) => (y: string) => y.replace("action: aws", `action: command\n    command: ${hook}`);

interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Calls of the fake aws and hook, in order. */
  actions: string[];
  probes: string[];
  logger: string[];
  /** `tick decision tables` of every decision line on stdout. */
  decisions: string[];
}

/** A private directory with fake ping/aws/logger/hook and a schedule; runs the real script against them. */
class Sandbox {
  readonly dir: string;
  readonly bin: string;
  readonly hook: string;

  constructor() {
    this.dir = join(workdir, `run${sandboxes++}`);
    this.bin = join(this.dir, "bin");
    this.hook = join(this.bin, "route-hook");
    mkdirSync(this.bin, { recursive: true });
    const d = this.dir;
    this.tool("ping", `for last; do :; done\nn=0\n[ -f "${d}/count.$last" ] && read -r n < "${d}/count.$last"\necho $((n + 1)) > "${d}/count.$last"\necho "ping $*" >> "${d}/probes.log"\n[ -e "${d}/up.$last.$n" ]`);
    this.tool("aws", `echo "aws $*" >> "${d}/actions.log"\nif [ "$2" = describe-instances ]; then\n  n=0\n  [ -f "${d}/count.describe" ] && read -r n < "${d}/count.describe"\n  echo $((n + 1)) > "${d}/count.describe"\n  if [ -f "${d}/state.$n" ]; then cat "${d}/state.$n"; else echo stopped; fi\nfi`);
    this.tool("route-hook", `n=0\n[ -f "${d}/actions.log" ] && n=$(grep -c . "${d}/actions.log")\necho "hook $*" >> "${d}/actions.log"\nif [ -e "${d}/hook-fails.$n" ]; then echo "boom: no route"; exit 1; fi`);
    this.tool("logger", `echo "logger $*" >> "${d}/logger.log"`);
  }

  private tool(name: string, body: string): void {
    const path = join(this.bin, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
  }

  install(files: { script: string; config: string }): { script: string; config: string } {
    const script = join(this.dir, "sitewire-failover");
    const config = join(this.dir, "failover.conf");
    writeFileSync(script, files.script, { mode: 0o755 });
    writeFileSync(config, files.config);
    return { script, config };
  }

  /** Answers of the fake ping: tick i of the schedule decides the i-th probe of each address. */
  schedule(words: readonly string[], partner = "172.16.2.126", tunnel = "169.254.100.1"): void {
    words.forEach((w, i) => {
      if (w.includes("P")) writeFileSync(join(this.dir, `up.${partner}.${i}`), "");
      if (w.includes("T")) writeFileSync(join(this.dir, `up.${tunnel}.${i}`), "");
    });
  }

  /** What describe-instances reports on its n-th call (default: stopped). */
  instanceStates(states: readonly string[]): void {
    states.forEach((s, i) => writeFileSync(join(this.dir, `state.${i}`), `${s}\n`));
  }

  failHookCall(n: number): void {
    writeFileSync(join(this.dir, `hook-fails.${n}`), "");
  }

  env(ticks: number): NodeJS.ProcessEnv {
    return { PATH: `${this.bin}:/usr/bin:/bin`, SITEWIRE_FAILOVER_TEST: "1", SITEWIRE_FAILOVER_TICKS: String(ticks), SITEWIRE_FAILOVER_SLEEP: "0" };
  }

  run(files: { script: string; config: string }, ticks: number, args: string[] = ["run"], env: NodeJS.ProcessEnv = this.env(ticks)): RunResult {
    const { script, config } = this.install(files);
    const r = spawnSync(script, ["--config", config, ...args], { encoding: "utf8", env, timeout: 10_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, ...this.logs(r.stdout) };
  }

  logs(stdout: string): Pick<RunResult, "actions" | "probes" | "logger" | "decisions"> {
    const lines = (f: string) => (existsSync(join(this.dir, f)) ? readFileSync(join(this.dir, f), "utf8").split("\n").filter(Boolean) : []);
    const decisions = [...stdout.matchAll(/tick=(\d+) decision=(\S+)(?: tables=(\S+))?/g)].map((m) => [m[1], m[2], m[3]].filter(Boolean).join(" "));
    return { actions: lines("actions.log"), probes: lines("probes.log"), logger: lines("logger.log"), decisions };
  }
}

const words = (text: string) => text.trim().split(/\s+/);
/** "PT*3 pT" → ["PT","PT","PT","pT"] */
const plan = (text: string) => words(text).flatMap((w) => {
  const [word, times = "1"] = w.split("*");
  return Array<string>(Number(times)).fill(word!);
});

// The calls strongswan-1 makes in bjs-hybrid (aws action, region cn-north-1).
const OWN = "rtb-468f5222";
const THEIRS = "rtb-4b8f522f";
const SELF_ENI = "eni-23fbd87a";
const PARTNER_ENI = "eni-2d75e606";
const PARTNER_ID = "i-0430fe110cdec5835";
const route = (table: string, eni: string) =>
  `aws ec2 replace-route --route-table-id ${table} --destination-cidr-block 10.10.0.0/16 --network-interface-id ${eni} --region cn-north-1`;
const AWS = {
  claimOwn: route(OWN, SELF_ENI),
  releaseOwn: route(OWN, PARTNER_ENI),
  takeTheirs: route(THEIRS, SELF_ENI),
  releaseTheirs: route(THEIRS, PARTNER_ENI),
  stop: `aws ec2 stop-instances --instance-ids ${PARTNER_ID} --region cn-north-1`,
  describe: `aws ec2 describe-instances --instance-ids ${PARTNER_ID} --query Reservations[0].Instances[0].State.Name --output text --region cn-north-1`,
  start: `aws ec2 start-instances --instance-ids ${PARTNER_ID} --region cn-north-1`,
};

describe.skipIf(missing("bash", "shellcheck"))("failover monitor: the generated script, run for real", () => {
  const aws = artifactsFor();

  it("is shellcheck-clean and parses with bash -n; its config is clean bash too", () => {
    const sandbox = new Sandbox();
    const { script, config } = sandbox.install(aws);
    const check = spawnSync("shellcheck", ["-f", "gcc", script], { encoding: "utf8" });
    expect(check.stdout + check.stderr).toBe("");
    expect(check.status).toBe(0);
    expect(spawnSync("bash", ["-n", script]).status).toBe(0);
    // The config only assigns variables the script reads: SC2034 (unused) is expected there.
    const conf = spawnSync("shellcheck", ["-f", "gcc", "-s", "bash", "-e", "SC2034", config], { encoding: "utf8" });
    expect(conf.stdout + conf.stderr).toBe("");
  });

  it("steady state: claims its own tables once at start, then does nothing", () => {
    const s = new Sandbox();
    s.schedule(plan("PT*6"));
    const r = s.run(aws, 6);
    expect(r.status, r.stderr).toBe(0);
    expect(r.actions).toEqual([AWS.claimOwn]);
    expect(r.decisions).toEqual(["1 takeover own"]);
  });

  it("probes the partner and, through the vti, the far inside address of its own tunnel, once each per tick", () => {
    const s = new Sandbox();
    s.schedule(plan("PT*2"));
    const r = s.run(aws, 2);
    expect(r.probes).toEqual([
      "ping -c 1 -W 1 -n 172.16.2.126",
      "ping -c 1 -W 1 -n -I tunnel1 169.254.100.1",
      "ping -c 1 -W 1 -n 172.16.2.126",
      "ping -c 1 -W 1 -n -I tunnel1 169.254.100.1",
    ]);
  });

  it("own tunnel flaps with fewer than `failures` failures in a row: no action", () => {
    const s = new Sandbox();
    s.schedule(plan("PT Pt*2 PT Pt*2 PT Pt PT"));
    const r = s.run(aws, 9);
    expect(r.actions).toEqual([AWS.claimOwn]);
  });

  it("own tunnel down: hands its tables to the partner after 3 failures, takes them back after 3 successes", () => {
    const s = new Sandbox();
    s.schedule(plan("PT Pt*3 PT*2 PT PT"));
    const r = s.run(aws, 8);
    expect(r.actions).toEqual([AWS.claimOwn, AWS.releaseOwn, AWS.claimOwn]);
    expect(r.decisions).toEqual(["1 takeover own", "4 release own", "7 takeover own"]);
    expect(r.stdout).toMatch(/tick=4 event=own-down was=up own=down\(ok=0,fail=3\) partner=up\(ok=4,fail=0\)/);
  });

  it("partner down: takes over its tables, stops it and starts it again once EC2 reports it stopped, once per outage", () => {
    const s = new Sandbox();
    s.schedule(plan("PT pT*8"));
    s.instanceStates(["stopping", "stopping", "stopped"]);
    const r = s.run(aws, 9);
    expect(r.actions).toEqual([AWS.claimOwn, AWS.takeTheirs, AWS.stop, AWS.describe, AWS.describe, AWS.describe, AWS.start]);
    expect(r.decisions).toEqual(["1 takeover own", "4 takeover partner", "4 stop-partner", "7 start-partner"]);
  });

  it("both down: moves nothing, restarts nothing, says so once as an error", () => {
    const s = new Sandbox();
    s.schedule(plan("PT pt*6"));
    const r = s.run(aws, 7);
    expect(r.actions).toEqual([AWS.claimOwn]);
    expect(r.decisions).toEqual(["1 takeover own", "4 both-down"]);
    expect(r.stdout).toMatch(/^err: tick=4 decision=both-down .*routes stay as they are, nothing is restarted/m);
  });

  it("partner down, then its own tunnel fails too: keeps the partner's tables, does not restart again", () => {
    const s = new Sandbox();
    s.schedule(plan("PT pT*3 pT pt*4"));
    const r = s.run(aws, 9);
    expect(r.actions).toEqual([AWS.claimOwn, AWS.takeTheirs, AWS.stop, AWS.describe, AWS.start]);
    expect(r.decisions).toEqual(["1 takeover own", "4 takeover partner", "4 stop-partner", "5 start-partner", "8 both-down"]);
  });

  it("partner recovers: claims its own tables again, leaves the partner's for it, and hands them over if its own tunnel fails", () => {
    const s = new Sandbox();
    s.schedule(plan("PT pT*4 PT*3 PT Pt*3"));
    const r = s.run(aws, 12);
    expect(r.actions).toEqual([
      AWS.claimOwn,
      AWS.takeTheirs,
      AWS.stop,
      AWS.describe,
      AWS.start,
      AWS.claimOwn, // tick 8: partner back after 3 successes; it may have taken ours while it could not see us
      AWS.releaseOwn, // tick 12: own tunnel down
      AWS.releaseTheirs,
    ]);
    expect(r.decisions).toEqual(["1 takeover own", "4 takeover partner", "4 stop-partner", "5 start-partner", "8 takeover own", "12 release own", "12 release partner"]);
  });

  it("a second outage of the partner restarts it again", () => {
    const s = new Sandbox();
    s.schedule(plan("PT pT*4 PT*3 pT*3"));
    const r = s.run(aws, 11);
    expect(r.actions.filter((a) => a === AWS.stop)).toHaveLength(2);
    expect(r.decisions.slice(-2)).toEqual(["11 takeover partner", "11 stop-partner"]);
  });

  it("at boot with the tunnel not up yet: claims nothing until it answers, hands over only after `failures`", () => {
    const s = new Sandbox();
    s.schedule(plan("Pt*2 PT PT"));
    const r = s.run(aws, 4);
    expect(r.decisions).toEqual(["3 takeover own"]);
  });

  describe("command hook", () => {
    it("calls COMMAND takeover|release TABLE DESTINATION TARGET and never restarts the partner", () => {
      const s = new Sandbox();
      const hooked = artifactsFor(withHook(s.hook));
      s.schedule(plan("PT Pt*3 PT*3 pT*3"));
      const r = s.run(hooked, 10);
      expect(r.status, r.stderr).toBe(0);
      expect(r.actions).toEqual([
        `hook takeover ${OWN} 10.10.0.0/16 ${SELF_ENI}`,
        `hook release ${OWN} 10.10.0.0/16 ${PARTNER_ENI}`,
        `hook takeover ${OWN} 10.10.0.0/16 ${SELF_ENI}`,
        `hook takeover ${THEIRS} 10.10.0.0/16 ${SELF_ENI}`,
      ]);
    });

    it("a failed move is logged with the hook's output and retried on the next tick", () => {
      const s = new Sandbox();
      s.failHookCall(0);
      s.schedule(plan("PT*3"));
      const r = s.run(artifactsFor(withHook(s.hook)), 3);
      expect(r.actions).toEqual([`hook takeover ${OWN} 10.10.0.0/16 ${SELF_ENI}`, `hook takeover ${OWN} 10.10.0.0/16 ${SELF_ENI}`]);
      expect(r.stdout).toMatch(/^err: tick=1 error=move-failed verb=takeover table=rtb-468f5222 .*output="boom: no route" retry=next-tick$/m);
      expect(r.decisions).toEqual(["1 takeover own", "2 takeover own"]);
    });
  });

  describe("logging", () => {
    it("logs every decision on stdout and through logger -t sitewire-failover off journald", () => {
      const s = new Sandbox();
      s.schedule(plan("PT Pt*3"));
      const r = s.run(aws, 4);
      const release = r.logger.find((l) => l.includes("decision=release"));
      expect(release).toMatch(
        /^logger -t sitewire-failover -p daemon\.notice -- tick=4 decision=release tables=own ids=rtb-468f5222 target=eni-2d75e606 was=self reason="own tunnel vpn1 down, partner strongswan-2 up" own=down\(ok=0,fail=3\) partner=up\(ok=4,fail=0\)$/,
      );
      expect(r.stdout).toContain(`notice: ${release!.replace(/^logger .* -- /, "")}`);
      expect(r.logger[0]).toMatch(/^logger -t sitewire-failover -p daemon\.info -- tick=0 start pair=zones self=strongswan-1 partner=strongswan-2 /);
    });

    it("on journald (JOURNAL_STREAM is its stdout) prints <level> prefixes and does not call logger twice", () => {
      const s = new Sandbox();
      s.schedule(plan("PT Pt*3"));
      const { script, config } = s.install(aws);
      const out = join(s.dir, "stdout");
      const fd = openSync(out, "w");
      const { dev, ino } = fstatSync(fd);
      const r = spawnSync(script, ["--config", config], { env: { ...s.env(4), JOURNAL_STREAM: `${dev}:${ino}` }, stdio: ["ignore", fd, "pipe"] });
      closeSync(fd);
      expect(r.status).toBe(0);
      const text = readFileSync(out, "utf8");
      expect(text).toMatch(/^<6>tick=0 start /m);
      expect(text).toMatch(/^<4>tick=4 event=own-down /m);
      expect(text).toMatch(/^<5>tick=4 decision=release tables=own /m);
      expect(s.logs("").logger).toEqual([]);
    });
  });

  describe("modes and guards", () => {
    it("status probes once, prints what it sees and exits 1 when a probe fails", () => {
      const s = new Sandbox();
      s.schedule(["Pt"]);
      const r = s.run(aws, 1, ["status"]);
      expect(r.status).toBe(1);
      expect(r.actions).toEqual([]);
      expect(r.stdout).toContain("partner 172.16.2.126 (i-0430fe110cdec5835): up\n");
      expect(r.stdout).toContain("tunnel vpn1, far inside address 169.254.100.1 via tunnel1: down\n");
      expect(r.stdout).toContain("own route tables: rtb-468f5222 (target eni-23fbd87a)\n");
      const ok = new Sandbox();
      ok.schedule(["PT"]);
      expect(ok.run(aws, 1, ["status"]).status).toBe(0);
    });

    it("refuses a config it cannot use, before touching anything", () => {
      const s = new Sandbox();
      const broken = { ...aws, config: aws.config.replace("FAILURES=3", "FAILURES=0") };
      const r = s.run(broken, 1);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/^err: tick=0 fatal: FAILURES must be a positive integer/m);
      expect(r.probes).toEqual([]);
      const hookless = s.run({ ...aws, config: aws.config.replace("ACTION=aws", "ACTION=command") }, 1);
      expect(hookless.stdout).toMatch(/fatal: ACTION=command but COMMAND '' is not an executable absolute path/);
      expect(s.run(aws, 1, ["--bogus"]).status).toBe(2);
    });

    it("ignores the tick limit and sleep override unless SITEWIRE_FAILOVER_TEST=1", async () => {
      const s = new Sandbox();
      const { script, config } = s.install(aws);
      const env = { ...s.env(1), SITEWIRE_FAILOVER_TEST: "" };
      // Its own process group, so that the sleep it waits in goes with it.
      const child = spawn(script, ["--config", config], { env, stdio: "ignore", detached: true });
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      await new Promise((r) => setTimeout(r, 400));
      const running = child.exitCode === null; // still sleeping INTERVAL=5 after tick 1
      process.kill(-child.pid!, "SIGTERM");
      await exited;
      expect(running).toBe(true);
      expect(s.logs("").probes).toHaveLength(2);
    });
  });

  describe("agrees with the specification in src/targets/failover/policy.ts on random probe schedules", () => {
    const configs = new Map<string, { script: string; config: string }>();
    const forThresholds = (f: number, r: number) => {
      const key = `${f}/${r}`;
      if (!configs.has(key)) configs.set(key, artifactsFor(withThresholds(f, r)));
      return configs.get(key)!;
    };
    const describeDecision = (tick: number, d: Decision) => [String(tick), d.do, "tables" in d ? d.tables : undefined].filter(Boolean).join(" ");

    it("same decisions on the same ticks", () => {
      const tickWord = fc.constantFrom("PT", "PT", "PT", "Pt", "pT", "pt");
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.array(tickWord, { minLength: 6, maxLength: 16 }), (failures, recoveries, schedule) => {
          const s = new Sandbox();
          s.schedule(schedule);
          const r = s.run(forThresholds(failures, recoveries), schedule.length);
          const expected = runPolicy(
            schedule.map((w) => ({ partnerUp: w.includes("P"), tunnelUp: w.includes("T"), partnerStopped: true })),
            { failures, recoveries, restartPartner: true },
          ).flatMap((ds, i) => ds.map((d) => describeDecision(i + 1, d)));
          expect(r.status, r.stderr).toBe(0);
          expect(r.decisions).toEqual(expected);
        }),
        { numRuns: 15, seed: 4004 },
      );
    });
  });
});

describe.skipIf(missing("systemd-analyze"))("failover monitor: the systemd unit", () => {
  it("passes systemd-analyze verify without a warning", () => {
    const s = new Sandbox();
    const { script } = s.install(artifactsFor());
    const unit = join(s.dir, "sitewire-failover.service");
    writeFileSync(unit, artifactsFor().unit.replace(`ExecStart=/${PATHS.failoverScript}`, `ExecStart=${script}`));
    const r = spawnSync("systemd-analyze", ["verify", unit], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
