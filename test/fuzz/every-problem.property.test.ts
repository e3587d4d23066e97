/**
 * Every problem in one run, as a property: N independent mistakes written into an example site at N distinct
 * places give at least N diagnostics, one at each place. The mistakes come from a catalogue that mixes shape
 * errors (a malformed CIDR, port or duration, an unknown key, a control character) with meaning errors (a CIDR
 * with host bits set, an unknown name, a port above 65535), several of them often in one list: the shape
 * check's recovery must remove only the bad item, so the meaning checks still judge the rest of the list, and
 * must keep positions right after the removed item.
 *
 * Every mutation is recoverable by construction (inserted list items, optional keys, unknown keys): none
 * removes a required value whose loss would legitimately hide its entry's other problems.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type YAMLMap, type YAMLSeq } from "yaml";
import { analyseSource } from "../../src/compile/analyse.js";
import type { Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { siteFile } from "../helpers/source.js";

const SEED = 20_250_612;
const RUNS = Number(process.env.SITEWIRE_PROPERTY_RUNS ?? 300);
const MAX_MUTATIONS = 8;

type Path = readonly (string | number)[];

/** A mistake: where it can go, and the unique text it writes (found again by that text after printing). */
interface Kind {
  readonly name: string;
  /** Paths (in the site as loaded) the mistake can be written at; `*` is any key, `#` any index. */
  readonly targets: readonly Path[];
  readonly how: "insert" | "replace" | "key";
  readonly value: (k: number) => string;
}

const PREFIX_LISTS: Path[] = [
  ["flows", "*", "from"],
  ["flows", "*", "to"],
  ["tunnels", "*", "routes", "toPeer"],
  ["tunnels", "*", "routes", "toHost"],
  ["cluster", "masquerade", "nonMasqueradeCIDRs"],
  ["cluster", "isolation", "allowFrom"],
];
const PORT_LISTS: Path[] = [["cluster", "egress", "#", "allow", "#", "ports"]];
const DURATIONS: Path[] = [
  ["tunnels", "*", "ike", "lifetime"],
  ["tunnels", "*", "esp", "lifetime"],
  ["tunnels", "*", "dpd", "delay"],
  ["tunnels", "*", "monitor", "interval"],
  ["failover", "*", "interval"],
  ["cluster", "masquerade", "resyncInterval"],
];
const DESCRIPTIONS: Path[] = [["hosts", "*", "description"], ["peers", "*", "description"], ["tunnels", "*", "description"], ["links", "*", "description"], ["flows", "*", "description"]];
const ENTITIES: Path[] = [["hosts", "*"], ["peers", "*"], ["tunnels", "*"], ["links", "*"], ["flows", "*"], ["failover", "*"], ["cluster", "masquerade"], ["cluster", "isolation"], ["cluster", "egress", "#"]];

const CATALOGUE: readonly Kind[] = [
  { name: "malformed CIDR", targets: PREFIX_LISTS, how: "insert", value: (k) => `10.${k}.0.0/33` },
  { name: "address out of range", targets: PREFIX_LISTS, how: "insert", value: (k) => `10.${k}.0.256` },
  { name: "CIDR with host bits set", targets: PREFIX_LISTS, how: "insert", value: (k) => `10.${k}.0.1/16` },
  { name: "unknown network name", targets: PREFIX_LISTS, how: "insert", value: (k) => `no-such-net-${k}` },
  { name: "malformed port", targets: PORT_LISTS, how: "insert", value: (k) => `tcp/http${k}` },
  { name: "port above 65535", targets: PORT_LISTS, how: "insert", value: (k) => `tcp/${70_000 + k}` },
  { name: "malformed duration", targets: DURATIONS, how: "replace", value: (k) => `${k + 1} minutes` },
  { name: "control character in a description", targets: DESCRIPTIONS, how: "replace", value: (k) => `bell\u0007 ${k}` },
  { name: "unknown key", targets: ENTITIES, how: "key", value: (k) => `colour${k}` },
];

/** Concrete places: a kind and a path that exists in the site (for replace: whose value exists). */
interface Place {
  readonly kind: Kind;
  readonly path: Path;
}

function placesIn(doc: Document): Place[] {
  const data = doc.toJS() as unknown;
  const out: Place[] = [];
  for (const kind of CATALOGUE) for (const pattern of kind.targets) for (const path of expand(data, pattern, [])) out.push({ kind, path });
  return out;
}

function expand(node: unknown, pattern: Path, at: Path): Path[] {
  if (pattern.length === 0) return node === undefined ? [] : [at];
  const [head, ...rest] = pattern;
  if (head === "*" && node && typeof node === "object" && !Array.isArray(node)) return Object.entries(node).flatMap(([k, v]) => expand(v, rest, [...at, k]));
  if (head === "#" && Array.isArray(node)) return node.flatMap((v, i) => expand(v, rest, [...at, i]));
  if (typeof head === "string" && node && typeof node === "object" && !Array.isArray(node) && Object.hasOwn(node, head)) return expand((node as Record<string, unknown>)[head], rest, [...at, head]);
  return [];
}

/** Write the mistakes into the document; list inserts go at the position the generator chose. */
function mutate(text: string, chosen: readonly { place: Place; position: number }[]): { text: string; tokens: { token: string; kind: string; isKey: boolean }[] } {
  const doc = parseDocument(text);
  const tokens = chosen.map(({ place, position }, k) => {
    const value = place.kind.value(k);
    const node = doc.getIn(place.path, true);
    if (place.kind.how === "insert" && isSeq(node)) (node as YAMLSeq).items.splice(position % (node.items.length + 1), 0, doc.createNode(value));
    else if (place.kind.how === "key" && isMap(node)) (node as YAMLMap).set(value, "red");
    else doc.setIn(place.path, value);
    return { token: value, kind: place.kind.name, isKey: place.kind.how === "key" };
  });
  return { text: doc.toString({ lineWidth: 0 }), tokens };
}

/** 1-based line:col of the scalar (key or value) whose text is `token`. */
function positionOf(text: string, token: string, isKey: boolean): string {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  let found: string | undefined;
  visit(doc, {
    Pair(_, pair) {
      const node = isKey ? pair.key : pair.value;
      if (isScalar(node) && node.value === token && node.range) found ??= at(lines, node.range[0]);
    },
    Scalar(_, node) {
      if (!isKey && node.value === token && node.range) found ??= at(lines, node.range[0]);
    },
  });
  if (!found) throw new Error(`token ${JSON.stringify(token)} not found in the mutated text`);
  return found;
}

function at(lines: LineCounter, offset: number): string {
  const { line, col } = lines.linePos(offset);
  return `${line}:${col}`;
}

const started = (d: Diagnostic) => `${d.range?.start.line}:${d.range?.start.column}`;

describe.each(["partner-vpn", "bjs-hybrid"])("every problem in one run: %s", (site) => {
  const { path, text } = siteFile(site);
  const places = placesIn(parseDocument(text));

  it("the unmodified site has no diagnostics (so every diagnostic below comes from a mutation)", () => {
    expect(analyseSource(path, text).diagnostics).toEqual([]);
    expect(new Set(places.map((p) => p.kind.name)).size).toBeGreaterThanOrEqual(6);
  });

  it(`N independent mistakes at distinct places give at least N diagnostics, one at each place (${RUNS} runs)`, () => {
    // The same list may be chosen several times (several bad items in one list); a replaced or renamed value
    // only once, so that every mistake has a place of its own.
    const slot = fc.record({ place: fc.constantFrom(...places), position: fc.nat(20) });
    const sets = fc
      .array(slot, { minLength: 1, maxLength: MAX_MUTATIONS })
      .filter((xs) => xs.every((x, i) => x.place.kind.how === "insert" || xs.findIndex((y) => y.place.kind.how !== "insert" && y.place.path.join("/") === x.place.path.join("/")) === i));
    fc.assert(
      fc.property(sets, (chosen) => {
        const mutated = mutate(text, chosen);
        const diagnostics = analyseSource(path, mutated.text).diagnostics;
        const positions = new Set(diagnostics.map(started));
        const missing = mutated.tokens.filter((t) => !positions.has(positionOf(mutated.text, t.token, t.isKey)));
        expect(missing.map((t) => `${t.kind} (${t.token}) at ${positionOf(mutated.text, t.token, t.isKey)}`), `\n${mutated.text}\n${diagnostics.map((d) => `${started(d)} ${d.code} ${d.message}`).join("\n")}`).toEqual([]);
        expect(diagnostics.length).toBeGreaterThanOrEqual(mutated.tokens.length);
        // No diagnostic twice (same code, place and message).
        const keys = diagnostics.map((d) => `${d.code} ${started(d)} ${d.message}`);
        expect(keys.length).toBe(new Set(keys).size);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
