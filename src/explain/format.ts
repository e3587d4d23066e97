/** Printing an explanation: text for people, JSON for tools, a Mermaid flowchart of the path. */
import { shown } from "./engine.js";
import type { Explanation, Hop, PathExplanation, Step } from "./types.js";

export function formatText(e: Explanation): string {
  const out: string[] = [`explain ${e.site}: ${e.question}`];
  e.paths.forEach((p, i) => {
    out.push("");
    out.push(`path ${e.paths.length > 1 ? `${i + 1}: ` : ""}${p.from} → ${p.to}${p.service ? ` ${p.service.text}` : ""}`);
    let direction = "";
    for (const hop of p.hops) {
      if (hop.direction !== direction) {
        direction = hop.direction;
        out.push(`  ${direction}`);
      }
      out.push(`    ${String(hop.n).padStart(2)}  ${hop.kind} ${hop.at}   [${shown(hop.packet.src)} → ${shown(hop.packet.dst)}]`);
      for (const s of hop.steps) out.push(...stepLines(s));
      if (hop.drop) out.push(`        ✗ ${hop.drop.reason}`);
    }
    out.push(`  verdict: ${verdictText(p)}`);
    if (!p.verdict.delivered) out.push(`  hint: ${p.verdict.hint}`);
  });
  out.push("");
  const v = e.verdict;
  out.push(v.delivered ? `verdict: delivered` : `verdict: dropped at hop ${v.hop}${v.path !== undefined ? ` of path ${v.path}` : ""}: ${v.reason}`);
  return out.join("\n") + "\n";
}

/** Intent text (a description) printed to a terminal: control characters shown escaped, never obeyed. */
function inert(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function stepLines(s: Step): string[] {
  const lines = [`        - ${inert(s.what)}`];
  const where = [s.artifact ? `${s.artifact.path}:${s.artifact.line}` : "", s.intent ? `${s.intent.file}:${s.intent.line}` : ""].filter((x) => x !== "");
  if (where.length > 0) lines.push(`          at ${where.join("  from ")}`);
  return lines;
}

function verdictText(p: PathExplanation): string {
  return p.verdict.delivered ? "delivered" : `dropped at hop ${p.verdict.hop}: ${p.verdict.reason}`;
}

/** The JSON document's explain part (beside "diagnostics"). */
export function toJson(e: Explanation): Record<string, unknown> {
  return { command: "explain", ok: e.verdict.delivered, site: e.site, question: e.question, verdict: e.verdict, paths: e.paths };
}

/** A Mermaid flowchart: one chain of hops per path, the dropping hop marked. https://mermaid.js.org/syntax/flowchart.html */
export function formatMermaid(e: Explanation): string {
  const out = ["flowchart LR"];
  e.paths.forEach((p, i) => {
    out.push(`  subgraph p${i + 1}["${label(`${p.from} → ${p.to}${p.service ? ` ${p.service.text}` : ""}: ${verdictText(p)}`)}"]`);
    out.push(`    direction LR`);
    const id = (h: Hop) => `p${i + 1}h${h.n}`;
    for (const h of p.hops) {
      const text = `${h.n} ${h.direction === "reply" ? "↩ " : ""}${h.kind} ${h.at}`;
      out.push(`    ${id(h)}${h.drop ? `{{"${label(`${text}: ✗ ${h.drop.reason}`)}"}}` : `["${label(text)}"]`}`);
    }
    for (let k = 1; k < p.hops.length; k++) {
      const a = p.hops[k - 1]!;
      const b = p.hops[k]!;
      out.push(`    ${id(a)} ${b.direction === "reply" ? "-.->" : "-->"} ${id(b)}`);
    }
    out.push("  end");
    const drop = p.hops.find((h) => h.drop);
    if (drop) out.push(`  style ${id(drop)} fill:#fdd,stroke:#c00`);
  });
  return out.join("\n") + "\n";
}

/** Text inside a quoted Mermaid label: no quotes, brackets or line breaks that would end it. */
function label(text: string): string {
  return text.replace(/["\n\r]/g, "'").replace(/[<>]/g, (c) => (c === "<" ? "‹" : "›"));
}
