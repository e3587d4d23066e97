/**
 * Artifact kinds are declared by the target that emits them: the pipeline refuses an artifact whose kind its
 * target did not declare or whose mode is not the declared one, and every artifact of every site in the
 * repository is of a kind its own target declares, with that mode and a README text.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TARGETS } from "../targets/registry.js";
import type { Artifact, KindDeclarations, Target } from "../targets/target.js";
import { ARTIFACT_KINDS, compileKinds, MANIFEST_DECLARER } from "./kinds.js";
import { compileSource, emitAll } from "./pipeline.js";

const root = new URL("../../", import.meta.url);
const siteFiles = ["sites", "test/fixtures/sites"].flatMap((dir) =>
  readdirSync(new URL(dir, root))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => `${dir}/${f}`),
);
const compiled = siteFiles.map((file) => compileSource(file, readFileSync(new URL(file, root), "utf8"))).filter((r) => r.model);
const model = compiled.find((r) => r.site === "bjs-hybrid")!.model!;

const CONF = { text: "a test file", handler: "none", mode: 0o644 } as const;

function target(name: string, kinds: KindDeclarations, ...artifacts: Partial<Artifact>[]): Target {
  return { name, description: name, kinds, emit: () => artifacts.map((a) => ({ path: `${name}.txt`, content: "x\n", mode: 0o644, kind: "test-conf", ...a })) };
}

describe("the pipeline refuses artifacts their target did not declare", () => {
  it("accepts a declared kind with its declared mode", () => {
    expect(emitAll(model, [target("t", { "test-conf": CONF }, {})]).map((a) => [a.path, a.kind, a.target])).toEqual([["t.txt", "test-conf", "t"]]);
  });

  it("refuses a kind the target does not declare", () => {
    expect(() => emitAll(model, [target("t", { "test-conf": CONF }, { kind: "other-conf" })])).toThrow(/internal: t emitted t\.txt of kind "other-conf", which it does not declare/);
    // not even one an object has by inheritance
    expect(() => emitAll(model, [target("t", { "test-conf": CONF }, { kind: "constructor" })])).toThrow(/which it does not declare/);
  });

  it("refuses a kind only another target declares", () => {
    const a = target("a", { "a-conf": CONF });
    const b = target("b", { "test-conf": CONF }, { kind: "a-conf" });
    expect(() => emitAll(model, [a, b])).toThrow(/internal: b emitted b\.txt of kind "a-conf", which it does not declare/);
  });

  it("refuses a mode other than the declared one, and a late target's too", () => {
    expect(() => emitAll(model, [target("t", { "test-conf": CONF }, { mode: 0o600 })])).toThrow(/internal: t emitted t\.txt with mode 0600, but declares kind test-conf with mode 0644/);
    const late = { ...target("l", { "test-conf": { ...CONF, mode: 0o755 } }, {}), late: true };
    expect(() => emitAll(model, [late])).toThrow(/internal: l emitted l\.txt with mode 0644, but declares kind test-conf with mode 0755/);
  });

  it("refuses two targets declaring one kind differently, and malformed declarations", () => {
    const twice = [target("a", { "test-conf": CONF }), target("b", { "test-conf": { ...CONF, mode: 0o600 } })];
    expect(() => emitAll(model, twice)).toThrow(/internal: a and b declare kind test-conf differently/);
    expect(() => compileKinds([target("a", { "test-conf": CONF }), target("b", { "test-conf": { ...CONF, text: "other" } })])).toThrow(/differently/);
    // alike is fine: one entry
    expect([...compileKinds([target("a", { "test-conf": CONF }), target("b", { "test-conf": { ...CONF } })]).keys()]).toEqual(["test-conf", "manifest"]);
    const bad: [string, KindDeclarations, RegExp][] = [
      ["text with a line break", { "test-conf": { ...CONF, text: "one\n| two |" } }, /has no one-line text/],
      ["empty text", { "test-conf": { ...CONF, text: "" } }, /has no one-line text/],
      ["unknown handler", { "test-conf": { ...CONF, handler: "reboot" as "none" } }, /names no handler group \(reboot\)/],
      ["mode beyond 0777", { "test-conf": { ...CONF, mode: 0o4755 } }, /has no file mode/],
      ["kind name", { "Test Conf": CONF }, /is not a kind name/],
      ["appliedBy with a line break", { "test-conf": { ...CONF, appliedBy: "x\ny" } }, /appliedBy that is not one line/],
    ];
    for (const [what, kinds, message] of bad) expect(() => compileKinds([target("t", kinds)]), what).toThrow(message);
  });

  it("the manifest is declared by the pipeline, with the mode it is written with", () => {
    const manifest = compiled[0]!.artifacts.at(-1)!;
    expect([manifest.path, manifest.kind, manifest.target]).toEqual(["manifest.json", "manifest", MANIFEST_DECLARER.name]);
    expect(manifest.mode).toBe(MANIFEST_DECLARER.kinds.manifest.mode);
  });
});

describe("every kind is declared by its target", () => {
  it.each(compiled.map((r) => [r.site!, r] as const))("%s: every artifact's kind is its own target's declaration, with that mode", (_site, r) => {
    expect(r.artifacts.length).toBeGreaterThan(1);
    for (const a of r.artifacts) {
      const declarer = a.target === MANIFEST_DECLARER.name ? MANIFEST_DECLARER : TARGETS.find((t) => t.name === a.target);
      expect(declarer, `${a.path}: target ${a.target}`).toBeDefined();
      const kinds: KindDeclarations = declarer!.kinds;
      expect(Object.hasOwn(kinds, a.kind), `${a.path}: ${a.target} declares ${a.kind}`).toBe(true);
      expect(a.mode.toString(8), `${a.path} mode`).toBe(kinds[a.kind]!.mode.toString(8));
    }
  });

  it("every registered target declares what it emits, each kind with a README text; ARTIFACT_KINDS is their union", () => {
    const declared = new Set<string>();
    for (const t of [...TARGETS, MANIFEST_DECLARER]) {
      expect(Object.keys(t.kinds).length, `${t.name} declares no kind`).toBeGreaterThan(0);
      for (const [kind, d] of Object.entries(t.kinds)) {
        expect(d.text, `${t.name} ${kind}`).toMatch(/^\S.*\S$/);
        expect(d.text, `${t.name} ${kind}`).not.toMatch(/[\n\r|]/);
        declared.add(kind);
      }
    }
    expect([...ARTIFACT_KINDS].sort()).toEqual([...declared].sort());
    expect(new Set(ARTIFACT_KINDS).size).toBe(ARTIFACT_KINDS.length);
  });

  it("no declared kind is dead: the repository's sites emit every one", () => {
    const emitted = new Set(compiled.flatMap((r) => r.artifacts.map((a) => a.kind)));
    expect(ARTIFACT_KINDS.filter((k) => !emitted.has(k))).toEqual([]);
  });

  it("an off-host kind says what applies it (the README's applied-by column)", () => {
    const hostKinds = new Set(compiled.flatMap((r) => r.artifacts.filter((a) => a.host).map((a) => a.kind)));
    const shownOffHost = compiled.flatMap((r) => r.artifacts.filter((a) => !a.host && !a.device && (a.path.startsWith("cluster/") || a.path.startsWith("cloud/"))));
    const kinds = compileKinds(TARGETS);
    for (const a of shownOffHost) expect(kinds.get(a.kind)!.appliedBy, a.path).toMatch(/\S/);
    for (const k of hostKinds) expect(kinds.get(k)!.appliedBy, k).toBeUndefined();
  });
});
