/**
 * The front end never throws, whatever the input: every problem is a diagnostic with a known code, the file
 * name it was given and a range inside the text. And no literal psk ever reaches printed output.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { stringify } from "yaml";
import { CODES } from "../../src/diagnostics/codes.js";
import { hasErrors, type Diagnostic } from "../../src/diagnostics/diagnostic.js";
import { formatGithub, formatJson, formatText } from "../../src/diagnostics/format.js";
import { loadSource } from "../../src/intent/load.js";
import { checkShape } from "../../src/intent/shape.js";

const FILE = "sites/fuzz.yaml";
const RUNS = { seed: 20240611, numRuns: 500 } as const;

/** Load, then shape-check what loaded cleanly: the front end as the pipeline runs it. */
function frontEnd(text: string): Diagnostic[] {
  const loaded = loadSource(FILE, text);
  if (!loaded.source || loaded.data === undefined || hasErrors(loaded.diagnostics)) return loaded.diagnostics;
  return [...loaded.diagnostics, ...checkShape(loaded.source, loaded.data).diagnostics];
}

function expectWellFormed(diagnostics: readonly Diagnostic[], text: string): void {
  const lines = (text.startsWith("\uFEFF") ? text.slice(1) : text).split("\n");
  for (const d of diagnostics) {
    expect(Object.hasOwn(CODES, d.code)).toBe(true);
    expect(d.file).toBe(FILE);
    expect(d.message.length).toBeGreaterThan(0);
    if (!d.range) continue;
    const { start, end } = d.range;
    for (const p of [start, end]) {
      expect(p.line).toBeGreaterThanOrEqual(1);
      expect(p.line).toBeLessThanOrEqual(lines.length);
      expect(p.column).toBeGreaterThanOrEqual(1);
      expect(p.column).toBeLessThanOrEqual((lines[p.line - 1]?.length ?? 0) + 1);
    }
    expect(end.line > start.line || (end.line === start.line && end.column >= start.column)).toBe(true);
  }
}

const YAML_TOKENS = [
  "a", "b", "site", "tunnels", "psk", "hosts", "vpn1", ":", ": ", " ", "  ", "\n", "\r\n", "\t", "- ", "? ",
  "[", "]", "{", "}", ",", "&a ", "*a", "*b", "!!binary ", "!foo ", "!!str ", '"', "'", "\\", "# c", "---\n",
  "...\n", "|\n", ">-\n", "<<: ", "~", "null", "1", "-1", "0x1F", ".inf", "10.0.0.0/8", "\uFEFF", "%YAML 1.2\n",
  "\u0000", "\u001b[31m", "\u2028", "é", "🙂",
];

const yamlSoup = fc.array(fc.constantFrom(...YAML_TOKENS), { maxLength: 60 }).map((tokens) => tokens.join(""));

const SCHEMA_KEYS = [
  "site", "description", "networks", "hosts", "peers", "tunnels", "links", "flows", "failover", "cluster", "os",
  "address", "platform", "between", "kind", "ike", "esp", "psk", "env", "file", "version", "proposals", "lifetime",
  "inside", "key", "mtu", "routes", "toPeer", "toHost", "overrides", "masquerade", "nonMasqueradeCIDRs",
  "resyncInterval", "egress", "namespace", "pods", "allow", "to", "ports", "__proto__", "constructor",
];

const LEAF_VALUES = ["rhel", "debian", "cisco-ios", "10.0.0.0/8", "10.0.0.1", "aes128-sha1-modp1024", "60s", "vpn1", "tcp/80", "agent-defaults", "VPN1_PSK"];

const leaf = fc.oneof(
  fc.constantFrom(...LEAF_VALUES),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

/** Values shaped like a site: schema keys at every level, so the shape checker sees deep, nearly-valid data. */
const siteLike = fc.letrec((tie) => ({
  node: fc.oneof(
    { maxDepth: 5 },
    leaf,
    fc.array(tie("node"), { maxLength: 3 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...SCHEMA_KEYS), fc.string({ maxLength: 6 })), tie("node"), { maxKeys: 4 }),
  ),
  site: fc.dictionary(fc.constantFrom(...SCHEMA_KEYS), tie("node"), { maxKeys: 6 }),
})).site;

function dump(value: unknown): string {
  return stringify(value) ?? "";
}

describe("front end fuzzing", () => {
  it("never throws on arbitrary text, and reports well-formed diagnostics", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200, unit: "binary" }), yamlSoup), (text) => {
        expectWellFormed(frontEnd(text), text);
      }),
      RUNS,
    );
  });

  it("never throws on arbitrary data dumped as YAML", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything({ maxDepth: 4 }), fc.object({ maxDepth: 4 }), siteLike), (value) => {
        const text = dump(value);
        expectWellFormed(frontEnd(text), text);
      }),
      RUNS,
    );
  });

  it("never prints a literal psk, whatever else is wrong", () => {
    const secret = fc.stringMatching(/^[0-9a-f]{8,16}$/).map((hex) => `S3CR3T${hex}`);
    const pasted = fc.tuple(secret, fc.constantFrom("scalar", "key", "env")).map(([value, as]) =>
      as === "scalar" ? value : as === "key" ? { [value]: null } : { env: value },
    );
    const tunnel = fc.tuple(siteLike, pasted, fc.boolean()).map(([extra, psk, asOverride]) => {
      const base = { ...extra, between: ["gw", "dc"] };
      return asOverride ? { ...base, psk: { env: "X" }, overrides: { dc: { psk } } } : { ...base, psk };
    });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom("vpn1", "vpn-2", "Bad_Name"), tunnel, { minKeys: 1, maxKeys: 2 }), (tunnels) => {
        const text = dump({ site: "fuzz", tunnels });
        const diagnostics = frontEnd(text);
        expect(diagnostics.length).toBeGreaterThan(0);
        const sources = new Map([[FILE, text]]);
        for (const out of [formatText(diagnostics, sources, { color: false }), formatJson(diagnostics), formatGithub(diagnostics)])
          expect(out).not.toContain("S3CR3T");
      }),
      { ...RUNS, numRuns: 300 },
    );
  });
});
