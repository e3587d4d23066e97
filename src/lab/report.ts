/**
 * The lab's verdicts: per flow pass/fail, each probe with what the destination saw, and for every failure
 * the path `sitewire explain` follows for it (src/explain), so the failing hop can be read next to the
 * measurement. Where explain's prediction and the measurement disagree, the report says so: one of the two
 * is wrong.
 */
import { explain, formatText, type Explanation, type PathExplanation } from "../explain/index.js";
import type { ExplainInput } from "../explain/engine.js";
import type { TunnelState } from "./build.js";
import type { ProbePlan } from "./plan.js";
import { probeText, type ProbeResult } from "./probes.js";

export interface FlowVerdict {
  readonly flow: string;
  readonly ok: boolean;
  readonly probes: readonly (ProbeResult & { readonly predicted?: PathExplanation; readonly explainError?: string })[];
}

/** explain's path for a probe (or why there is none). */
function predicted(input: ExplainInput, p: ProbePlan, cache: Map<string, Explanation | Error>): { path?: PathExplanation; error?: string } {
  const key = JSON.stringify(p.explain.query);
  if (!cache.has(key)) {
    try {
      cache.set(key, explain(input, p.explain.query));
    } catch (err) {
      cache.set(key, err instanceof Error ? err : new Error(String(err)));
    }
  }
  const e = cache.get(key)!;
  if (e instanceof Error) return { error: e.message };
  const path = typeof p.explain.path === "number" ? e.paths[p.explain.path] : e.paths.find((x) => x.from === p.explain.path);
  return path ? { path } : { error: "explain gives no path for this probe" };
}

export function verdicts(input: ExplainInput, results: readonly ProbeResult[]): FlowVerdict[] {
  const cache = new Map<string, Explanation | Error>();
  const flows = [...new Set(results.map((r) => r.probe.flow))];
  return flows.map((flow) => {
    const probes = results
      .filter((r) => r.probe.flow === flow)
      .map((r) => {
        const x = predicted(input, r.probe, cache);
        return { ...r, ...(x.path ? { predicted: x.path } : {}), ...(x.error ? { explainError: x.error } : {}) };
      });
    return { flow, ok: probes.every((p) => p.ok), probes };
  });
}

export function formatReport(site: string, flows: readonly FlowVerdict[], tunnels: readonly TunnelState[]): string {
  const out: string[] = [];
  const probes = flows.flatMap((f) => f.probes);
  out.push(`lab ${site}: ${flows.filter((f) => f.ok).length} of ${flows.length} flows pass (${probes.filter((p) => p.ok).length} of ${probes.length} probes)`);
  const down = tunnels.filter((t) => !t.up);
  if (down.length > 0) out.push(`tunnels down: ${down.map((t) => `${t.name} (${t.why ?? "?"})`).join("; ")}`);
  for (const f of flows) {
    out.push("", `${f.ok ? "PASS" : "FAIL"}  flow ${f.flow}`);
    for (const p of f.probes) {
      const what = probeText(p.probe).replace(/^flow [^:]+: /, "");
      const how = p.skipped ? `not sent: ${p.skipped}` : p.ok ? `answered; the destination saw ${p.seenAs}` : p.error;
      out.push(`  ${p.ok ? "pass" : "fail"}  ${what}: ${how}`);
      const predictedOk = p.predicted?.verdict.delivered;
      if (p.predicted && predictedOk !== p.ok && !p.skipped) {
        out.push(`        explain predicts ${predictedOk ? "delivered" : "dropped"}, the lab measured ${p.ok ? "delivered" : "no answer"}: one of them is wrong (please report it)`);
      }
      if (!p.ok) {
        if (p.predicted) {
          const e: Explanation = { site, question: what, paths: [p.predicted], verdict: p.predicted.verdict };
          const text = formatText(e).split("\n").slice(2, -3);
          out.push(`        explain ${p.predicted.verdict.delivered ? "predicts delivered" : "predicts the drop"}:`, ...text.map((l) => `        ${l}`));
        } else if (p.explainError) {
          out.push(`        explain cannot answer: ${p.explainError}`);
        }
      }
    }
  }
  return out.join("\n") + "\n";
}

export function reportJson(site: string, flows: readonly FlowVerdict[], tunnels: readonly TunnelState[]): Record<string, unknown> {
  return {
    command: "lab",
    ok: flows.every((f) => f.ok),
    site,
    tunnels,
    flows: flows.map((f) => ({
      flow: f.flow,
      ok: f.ok,
      probes: f.probes.map((p) => ({
        kind: p.probe.kind,
        from: p.probe.from.label,
        to: p.probe.to.name,
        address: p.probe.to.address,
        protocol: p.probe.protocol,
        port: p.probe.port,
        ok: p.ok,
        ...(p.seenAs ? { seenAs: p.seenAs } : {}),
        ...(p.error ? { error: p.error } : {}),
        ...(p.skipped ? { skipped: p.skipped } : {}),
        ...(p.predicted ? { explain: p.predicted.verdict } : p.explainError ? { explainError: p.explainError } : {}),
      })),
    })),
  };
}
