import type { SiteIntent } from "../intent/schema.js";
import type { IntentPath } from "../intent/source.js";
import { parsePort } from "../model/values.js";
import { defineRule } from "./rule.js";

/**
 * Port strings are checked as written: the schema guarantees their syntax (tcp/8080, tcp/30000-32767,
 * https/443), not their range. They are read from the intent because the model drops egress entries whose
 * destination did not resolve, which would shift the positions.
 */
function portStrings(intent: SiteIntent): { text: string; path: IntentPath }[] {
  const out: { text: string; path: IntentPath }[] = [];
  const add = (list: readonly string[] | undefined, base: IntentPath) => (list ?? []).forEach((text, i) => out.push({ text, path: [...base, i] }));
  for (const [name, f] of Object.entries(intent.flows ?? {})) add(f.ports, ["flows", name, "ports"]);
  intent.cluster?.egress?.forEach((e, i) => e.allow.forEach((a, j) => add(a.ports, ["cluster", "egress", i, "allow", j, "ports"])));
  intent.cluster?.mesh?.osmEdge?.egress.forEach((e, i) => add(e.ports, ["cluster", "mesh", "osmEdge", "egress", i, "ports"]));
  return out;
}

export const portRanges = defineRule({
  code: "SW111",
  name: "port-ranges",
  description: "Every port of flows, egress allowlists and osm-edge policies is within 1..65535, and a range ends at or after its start.",
  severity: "error",
  messages: {
    outOfRange: "port {{port}} in '{{text}}' is outside 1..65535",
    reversed: "port range '{{text}}' ends before it starts",
  },
  check({ intent }, report) {
    for (const { text, path } of portStrings(intent)) {
      const { from, to } = parsePort(text);
      const bad = [from, to].find((p) => p < 1 || p > 65535);
      if (bad !== undefined) report("outOfRange", path, { port: bad, text });
      else if (to < from) report("reversed", path, { text }, { hint: `write ${text.split("/")[0]}/${to}-${from}` });
    }
  },
});
