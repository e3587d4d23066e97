/**
 * `sitewire lab`: build a compiled site on this machine and measure every flow (see ./plan.ts for the
 * layout). The run, in order: the plan (pure), the machine's fitness (root, programs), the leftovers of an
 * earlier run of the same site removed (./state.ts), the state file written, the lab built (./build.ts),
 * the probes sent (./probes.ts), the verdicts printed with explain's path of every failure (./report.ts),
 * and everything removed again, also on SIGINT, SIGTERM or SIGHUP, unless `keep`.
 *
 * Exit codes: 0 every flow passes, 1 some flow fails (or the lab could not be built from the artifacts),
 * 2 usage or environment (not root, missing programs, another lab of the site running, interrupted).
 */
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { SourceFile } from "../intent/source.js";
import type { SiteModel } from "../model/types.js";
import type { Artifact } from "../targets/target.js";
import { LabBuild, Stopped, type Progress, type ProgressKind } from "./build.js";
import { environmentProblems } from "./environment.js";
import { LAB_RUN_DIR } from "./names.js";
import { LabPlanError, planLab, type LabPlan } from "./plan.js";
import { sendProbes, type ProbeResult } from "./probes.js";
import { formatReport, reportJson, verdicts } from "./report.js";
import { readState, removeLab, runningElsewhere, writeState } from "./state.js";
import { LabKeys } from "./strongswan.js";
import { createProgress, progressEnabled } from "../cli/progress.js";

export { planLab, LabPlanError, type LabPlan } from "./plan.js";

export const LAB_EXIT = { pass: 0, fail: 1, environment: 2 } as const;

export interface LabOptions {
  readonly flow?: string;
  readonly keep: boolean;
  readonly format: "text" | "json";
  /** Only remove what an earlier run of this site left (kept or interrupted), then exit. */
  readonly clean?: boolean;
  /** Where state files and working folders go (tests); default /run/sitewire-lab. */
  readonly runDir?: string;
}

export interface LabIo {
  readonly stdout: { write(text: string): unknown };
  /** A terminal (isTTY) gets a status line with the phase, the probes done and the time (src/cli/progress.ts). */
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface CompiledSite {
  readonly model: SiteModel;
  readonly artifacts: readonly Artifact[];
  readonly source?: SourceFile;
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export async function runLab(site: CompiledSite, options: LabOptions, io: LabIo): Promise<number> {
  const root = options.runDir ?? LAB_RUN_DIR;
  const status = createProgress(io.stderr, { enabled: progressEnabled(io.stderr, options.format, io.env ?? {}), refreshMs: 500 });
  const say: Progress = (kind: ProgressKind, text: string) => {
    if (kind === "probe") status.tick();
    status.print(`  ${kind.padEnd(7)}  ${text}`);
  };

  let plan: LabPlan;
  try {
    plan = planLab(site.model, site.artifacts, options.flow !== undefined ? { flow: options.flow } : {});
  } catch (err) {
    if (!(err instanceof LabPlanError)) throw err;
    io.stderr.write(`sitewire lab: ${err.message}\n`);
    return LAB_EXIT.environment;
  }

  const problems = environmentProblems(plan);
  if (problems.length > 0) {
    io.stderr.write(problems.map((p) => `sitewire lab: ${p}\n`).join(""));
    return LAB_EXIT.environment;
  }

  const earlier = readState(plan.prefix, root);
  if (earlier && runningElsewhere(earlier)) {
    io.stderr.write(`sitewire lab: a lab of site ${plan.site} is running (pid ${earlier.pid}); wait for it, or stop it (it cleans up after itself)\n`);
    return LAB_EXIT.environment;
  }
  const removed = await removeLab(plan.prefix, root);
  if (removed.namespaces > 0 || earlier) {
    io.stderr.write(`sitewire lab: removed what an earlier run of ${plan.site} left${earlier?.kept ? " (kept with --keep)" : ""}: ${removed.namespaces} namespaces, ${removed.processes} processes\n`);
  }
  if (options.clean) return LAB_EXIT.pass;

  // Traversable, not listable: FRRouting's daemons run as user frr and need their own folder below; the
  // folders with secrets (charon/) are root's alone.
  const dir = join(root, plan.prefix);
  mkdirSync(dir, { recursive: true, mode: 0o711 });
  chmodSync(root, 0o711);
  chmodSync(dir, 0o711);
  writeState({ version: 1, site: plan.site, prefix: plan.prefix, pid: process.pid, dir, namespaces: plan.namespaces.map((n) => n.name), kept: false }, root);

  // Stopping: a signal sets the flag (every step checks it), removes the lab and exits 2; the run's own path
  // ends the same way. The removal runs once, whoever gets there first.
  let stopping: NodeJS.Signals | undefined;
  let removal: Promise<unknown> | undefined;
  const remove = () => (removal ??= removeLab(plan.prefix, root));
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) return;
    stopping = sig;
    io.stderr.write(`\nsitewire lab: ${sig}: removing the lab\n`);
    void remove().then(
      () => {
        io.stderr.write(`sitewire lab: interrupted (${sig}); everything the lab made is removed\n`);
        process.exit(LAB_EXIT.environment);
      },
      (err: unknown) => {
        io.stderr.write(`sitewire lab: interrupted (${sig}); removing the lab failed: ${err instanceof Error ? err.message : String(err)}; run 'sitewire lab --clean ${plan.site}' to retry\n`);
        process.exit(LAB_EXIT.environment);
      },
    );
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  const detach = () => {
    for (const s of SIGNALS) process.off(s, onSignal);
  };

  const started = Date.now();
  io.stderr.write(`sitewire lab ${plan.site}: ${plan.namespaces.length} namespaces (prefix ${plan.prefix}), ${plan.tunnels.length} tunnels, ${plan.probes.length} probes; state in ${join(root, `${plan.prefix}.json`)}\n`);
  for (const n of plan.notes) say("note", n);
  const build = new LabBuild(plan, dir, new LabKeys(), say, () => stopping !== undefined);
  let results: ProbeResult[] = [];
  let failed: string | undefined;
  try {
    status.phase("building the lab");
    await build.build();
    status.phase("probing", plan.probes.length, "probe");
    results = await sendProbes(plan.probes, dir, say, () => stopping !== undefined);
    status.done();
  } catch (err) {
    status.done();
    if (err instanceof Stopped || stopping) {
      await remove().catch(() => undefined);
      await new Promise(() => undefined); // the signal handler exits
    }
    failed = err instanceof Error ? err.message : String(err);
  }
  if (stopping) {
    await remove().catch(() => undefined);
    await new Promise(() => undefined);
  }

  let code: number;
  if (failed !== undefined) {
    io.stderr.write(`sitewire lab: the lab of ${plan.site} could not be built: ${failed}\n${build.daemonLogs()}\n`);
    if (options.format === "json") io.stdout.write(JSON.stringify({ command: "lab", ok: false, site: plan.site, error: failed, tunnels: build.tunnelStates }, null, 2) + "\n");
    code = LAB_EXIT.fail;
  } else {
    const flows = verdicts({ model: site.model, artifacts: site.artifacts, ...(site.source ? { source: site.source } : {}) }, results);
    io.stdout.write(options.format === "json" ? JSON.stringify(reportJson(plan.site, flows, build.tunnelStates), null, 2) + "\n" : formatReport(plan.site, flows, build.tunnelStates));
    // A tunnel that does not come up fails the run even when no flow crosses it.
    const down = build.tunnelStates.filter((t) => !t.up);
    code = flows.every((f) => f.ok) && down.length === 0 ? LAB_EXIT.pass : LAB_EXIT.fail;
    if (flows.length === 0) io.stderr.write(`sitewire lab: site ${plan.site} declares no flows: only its tunnels were measured\n`);
  }

  if (options.keep) {
    writeState({ version: 1, site: plan.site, prefix: plan.prefix, pid: process.pid, dir, namespaces: plan.namespaces.map((n) => n.name), kept: true }, root);
    detach();
    io.stderr.write(`sitewire lab: the lab stays up (--keep). Enter a namespace with 'ip netns exec NAME bash':\n`);
    for (const n of plan.namespaces) io.stderr.write(`  ${n.name.padEnd(15)}  ${n.what}\n`);
    io.stderr.write(`Remove it with 'sitewire lab --clean SITE-FILE' (the next run of this site removes it too).\n`);
    return code;
  }
  say("lab", "removing the lab");
  await remove();
  detach();
  io.stderr.write(`sitewire lab ${plan.site}: done in ${((Date.now() - started) / 1000).toFixed(1)} s; everything the lab made is removed\n`);
  return code;
}
