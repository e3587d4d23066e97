/**
 * Sending the probes: for each, the agent (./agent.ts) runs in the source's namespace and does one TCP or UDP
 * exchange with the listener at the destination, bounded in tries and time. A few probes run at once.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Progress } from "./build.js";
import type { ProbePlan } from "./plan.js";
import { runAsync } from "./system.js";

export interface ProbeResult {
  readonly probe: ProbePlan;
  readonly ok: boolean;
  /** The source address the destination saw (after every NAT on the way). */
  readonly seenAs?: string;
  readonly error?: string;
  /** Why the probe was not sent (the lab cannot send it). */
  readonly skipped?: string;
  readonly ms: number;
}

/** One try's wait for an answer, and tries per probe (the first packet of a fresh path may be lost). */
const TIMEOUT_MS = { tcp: 2000, udp: 1000 } as const;
const TRIES = { tcp: 2, udp: 3 } as const;
const PARALLEL = 4;

export function probeText(p: ProbePlan): string {
  const service = `${p.protocol}/${p.port}${p.defaultPort ? " (the flow names no port)" : ""}`;
  return `${p.kind === "pod" ? "" : `flow ${p.flow}: `}${p.from.label} → ${p.to.name}${p.to.name === p.to.address ? "" : ` (${p.to.address})`} ${service}`;
}

export async function sendProbes(probes: readonly ProbePlan[], dir: string, progress: Progress, stopping: () => boolean): Promise<ProbeResult[]> {
  const results: ProbeResult[] = new Array(probes.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < probes.length && !stopping()) {
      const i = next++;
      const r = await sendOne(probes[i]!, dir);
      results[i] = r;
      done++;
      const how = r.skipped ? `not sent: ${r.skipped}` : r.ok ? `pass (answered; seen as ${r.seenAs}, ${r.ms} ms)` : `FAIL: ${r.error}`;
      progress("probe", `${done}/${probes.length} ${probeText(r.probe)}: ${how}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, probes.length) }, worker));
  return results.filter((r) => r !== undefined);
}

async function sendOne(p: ProbePlan, dir: string): Promise<ProbeResult> {
  const started = Date.now();
  if (p.protocol === "sctp") return { probe: p, ok: false, skipped: "the lab probes TCP and UDP only", ms: 0 };
  if (!p.from.ns) return { probe: p, ok: false, skipped: `the lab has no place for the source ${p.from.label} (no host, network behind a host, or far side holds it)`, ms: 0 };
  if (!p.to.place) return { probe: p, ok: false, error: `nothing in the site holds ${p.to.address}: no listener could be placed there`, ms: 0 };
  const spec = {
    protocol: p.protocol,
    address: p.to.address,
    port: p.port,
    ...(p.from.bind ? { bind: p.from.bind } : {}),
    token: randomBytes(8).toString("hex"),
    timeoutMs: TIMEOUT_MS[p.protocol],
    tries: TRIES[p.protocol],
  };
  const budget = TIMEOUT_MS[p.protocol] * TRIES[p.protocol] + 5000;
  const r = await runAsync({ ns: p.from.ns, argv: [process.execPath, join(dir, "agent.mjs"), "probe", JSON.stringify(spec)] }, budget);
  const line = r.stdout.trim().split("\n").pop() ?? "";
  try {
    const out = JSON.parse(line) as { ok: boolean; seenAs?: string; error?: string; ms?: number };
    return { probe: p, ok: out.ok, ...(out.seenAs ? { seenAs: out.seenAs } : {}), ...(out.error ? { error: out.error } : {}), ms: out.ms ?? Date.now() - started };
  } catch {
    return { probe: p, ok: false, error: `the probe did not run: ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join(" ") || `exit ${r.code}`}`, ms: Date.now() - started };
  }
}
