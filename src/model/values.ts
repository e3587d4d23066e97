/** Small value parsers shared by the resolver: durations, ports, secret references. */
import type { SecretRefIntent } from "../intent/schema.js";
import type { Duration, PortRange, SecretModel } from "./types.js";

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** "8h" → { text: "8h", seconds: 28800 }. Syntax is guaranteed by the schema pattern. */
export function parseDuration(text: string): Duration {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!m) throw new Error(`internal: duration ${JSON.stringify(text)} passed the schema`);
  return { text, seconds: Number(m[1]) * (UNIT_SECONDS[m[2]!] ?? 1) };
}

/** "tcp/8080" or "tcp/30000-32767". Range validity (1..65535, from ≤ to) is a meaning rule, not checked here. */
export function parsePort(text: string): PortRange {
  const [protocol, range = ""] = text.split("/") as [PortRange["protocol"], string];
  const [from, to = from] = range.split("-").map(Number) as [number, number?];
  return { protocol, from, to: to ?? from };
}

export function formatPort(p: PortRange): string {
  return p.from === p.to ? `${p.protocol}/${p.from}` : `${p.protocol}/${p.from}-${p.to}`;
}

/** The placeholder committed output carries instead of a secret. `sitewire secrets` finds and replaces it. */
export const PLACEHOLDER_RE = /@@sitewire-secret:(env|file):([A-Za-z0-9_./+-]+)@@/g;

export function secretModel(ref: SecretRefIntent): SecretModel {
  const kind = ref.env !== undefined ? "env" : "file";
  const name = (ref.env ?? ref.file)!;
  return { kind, ref: name, placeholder: `@@sitewire-secret:${kind}:${name}@@` };
}
