/**
 * The hostile corpus (./hostile-values.ts) placed into every free-text and name field of every example and
 * fixture site, through the whole pipeline and every registered target. Each input must be rejected with an
 * error at the value's position, or compile to artifacts whose structure, as each artifact's own reader sees
 * it (test/readers/, by kind in ./syntax/), is the clean baseline's: no extra line, key, section, rule or
 * command, no path outside out/<site>/, no new secret placeholder, no line-break-like character.
 *
 * Free-text fields of the example sites also get each value spliced raw into the YAML source, unquoted.
 */
import { afterAll, describe, expect, it } from "vitest";
import { compileSource } from "../../src/compile/pipeline.js";
import { hasErrors } from "../../src/diagnostics/diagnostic.js";
import { TARGETS } from "../../src/targets/registry.js";
import type { Artifact } from "../../src/targets/target.js";
import { missing } from "../harness/tools.js";
import { CORE_VALUES, HOSTILE_VALUES } from "./hostile-values.js";
import { fieldsOf, place, placeRaw, type Field, type Placement } from "./intent-fields.js";
import { securitySites, type SiteText } from "./sites.js";
import { READABLE_KINDS } from "./syntax/index.js";
import { describeObservation, Tally } from "./tally.js";
import { judgeAcceptance, judgeRejection, readArtifacts } from "./verdict.js";

const SITES = securitySites();
const tally = new Tally();
const kindsSeen = new Set<string>();
const targetsSeen = new Set<string>();

interface Accepted {
  readonly field: Field;
  readonly hostile: string;
  readonly mode: "quoted" | "raw";
  readonly artifacts: readonly Artifact[];
}

/** Maps whose keys are names the intent chooses: `tunnels.a1.key` and `tunnels.a2.key` are one schema node. */
const NAMED_MAPS = new Set(["networks", "hosts", "peers", "tunnels", "links", "flows", "failover", "interfaces", "overrides"]);

/** The schema node of a field: names under a named map replaced by `*` (a key field keeps its kind apart). */
function schemaNode(f: Field): string {
  return `${f.kind}:${f.path.map((seg, i) => (i > 0 && NAMED_MAPS.has(String(f.path[i - 1])) ? "*" : String(seg))).join(".")}`;
}

/**
 * Of the example sites, every schema node once (its first field: a second tunnel's `key` goes through the same
 * template lines as the first's); of the fixture sites (same schema nodes, other shapes of site) the free
 * text, which reaches other targets' output there, and the names.
 */
function fieldsToAttack(site: SiteText): Field[] {
  const seen = new Set<string>();
  return fieldsOf(site.text).filter((f) => {
    if (!(site.example || f.freeText || f.kind === "key")) return false;
    if (!site.example) return true;
    const node = schemaNode(f);
    if (seen.has(node)) return false;
    seen.add(node);
    return true;
  });
}

/** Spliced raw into YAML, this value means something else than quoted (an indicator, a break, an edge blank). */
function meansMoreRaw(value: string): boolean {
  return /[^A-Za-z0-9 ._/-]|^\s|\s$/.test(value);
}

function fieldName(f: Field): string {
  const path = f.path.map(String).join(".");
  return f.kind === "key" ? `${f.path.slice(0, -1).join(".")}.<key ${f.original}>` : path;
}

describe.skipIf(missing("bash", "shellcheck", "python3"))("hostile corpus over every field and every target", () => {
  afterAll(() => {
    const c = (o: Parameters<Tally["count"]>[0]) => tally.count(o);
    const injections = c("injection") + c("unsafe") + c("placeholder");
    console.log(
      `security corpus: ${tally.inputs} inputs (${HOSTILE_VALUES.length} hostile values, ${CORE_VALUES.length} of them in every field, ${SITES.length} sites, ` +
        `${TARGETS.length} targets, artifact kinds ${[...kindsSeen].sort().join(" ")}): ` +
        `${c("rejected")} rejected at their position, ${c("inert")} inert, ${injections} injections ` +
        `(${c("injection")} structural, ${c("unsafe")} unsafe characters, ${c("placeholder")} placeholders), ` +
        `${c("misplaced")} misplaced diagnostics, ${c("crash")} crashes, ${c("path-escape")} path escapes`,
    );
    for (const f of tally.findings.slice(0, 5)) console.log(`  e.g. ${describeObservation(f).slice(0, 400)}`);
  });

  it.each(SITES.map((s) => [s.file, s] as const))("%s", async (_name, site) => {
    const base = compileSource(site.file, site.text);
    expect(base.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const baseline = await readArtifacts(base.artifacts);
    for (const r of baseline) {
      kindsSeen.add(r.artifact.kind);
      targetsSeen.add(r.artifact.target ?? "");
      expect(READABLE_KINDS.has(r.artifact.kind), `no reader for ${r.artifact.kind}`).toBe(true);
      expect(r.structure.problems, `baseline ${r.artifact.path}`).toEqual([]);
    }

    const accepted: Accepted[] = [];
    const siteName = site.file.replace(/^sites\//, "");
    const observe = (field: Field, hostile: string, mode: "quoted" | "raw", placement: Placement) => {
      let result;
      try {
        result = compileSource(placement.file, placement.text);
      } catch (err) {
        tally.record({ site: siteName, field: fieldName(field), hostile, mode, outcome: "crash", detail: String(err).slice(0, 300) });
        return;
      }
      if (hasErrors(result.diagnostics)) {
        tally.record({ site: siteName, field: fieldName(field), hostile, mode, ...judgeRejection(placement, result.diagnostics) });
      } else {
        accepted.push({ field, hostile, mode, artifacts: result.artifacts });
      }
    };

    for (const field of fieldsToAttack(site)) {
      for (const h of field.freeText ? HOSTILE_VALUES : CORE_VALUES) {
        observe(field, h.name, "quoted", place(site.file, site.text, field, h.value));
        if (field.freeText && site.example && meansMoreRaw(h.value)) observe(field, h.name, "raw", placeRaw(site.file, site.text, field, h.value));
      }
    }

    const read = await readArtifacts(accepted.flatMap((a) => a.artifacts));
    let offset = 0;
    for (const a of accepted) {
      const variant = read.slice(offset, offset + a.artifacts.length);
      offset += a.artifacts.length;
      const verdict = judgeAcceptance(baseline, variant, a.field.freeText);
      tally.record({ site: siteName, field: fieldName(a.field), hostile: a.hostile, mode: a.mode, ...verdict });
    }

    const mine = tally.findings.filter((f) => f.site === siteName);
    expect(mine.map(describeObservation)).toEqual([]);
  }, 600_000);

  it("reached every registered target", () => {
    expect([...targetsSeen].sort()).toEqual(expect.arrayContaining(TARGETS.map((t) => t.name)));
  });
});
