/**
 * Adding a far-side platform is one folder plus one registry line (src/targets/platforms.ts). This test holds
 * every registered platform to the whole contract, and holds the rest of the code to knowing nothing about any
 * one platform: it fails when a platform is registered without capability data, a renderer, templates with a
 * cited source, goldens, an example site, a reader or a README row and section; when its name appears in src/
 * outside its own folder; and when a rule imports target code.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { DEVICE_INTERFACE_PATTERN } from "../../src/intent/patterns.js";
import { PACKAGE_ROOT } from "../../src/render/templates.js";
import { DEVICES } from "../../src/targets/devices.js";
import { PLATFORM_DECLARATIONS } from "../../src/targets/platforms.js";
import { TARGETS } from "../../src/targets/registry.js";
import { platformTable } from "./table.js";

const root = (...p: string[]) => join(PACKAGE_ROOT, ...p);
const read = (...p: string[]) => readFileSync(root(...p), "utf8");
const filesUnder = (dir: string): string[] =>
  readdirSync(root(dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(PACKAGE_ROOT, join(e.parentPath, e.name)));
const readme = read("README.md");

describe.each(PLATFORM_DECLARATIONS.map((p) => [p.name, p] as const))("platform %s", (name, p) => {
  it("is a folder under src/targets with platform.ts and index.ts, whose device is the declaration", () => {
    expect(existsSync(root("src/targets", p.folder, "platform.ts"))).toBe(true);
    expect(existsSync(root("src/targets", p.folder, "index.ts"))).toBe(true);
    expect(DEVICES.find((d) => d.platform.name === name)?.platform).toBe(p);
    expect(TARGETS.filter((t) => t.name === p.folder)).toHaveLength(1);
  });

  it("declares its capabilities and sources", () => {
    const c = p.capabilities;
    expect(p.sources.length).toBeGreaterThan(0);
    expect(c.ike.versions.length).toBeGreaterThan(0);
    expect(c.tunnelKinds.length).toBeGreaterThan(0);
    for (const version of c.ike.versions) {
      const place = version === 1 ? "ikev1" : "ikev2";
      expect([...c.crypto.encryption.values()].filter((s) => s[place]).length, `IKEv${version} encryption`).toBeGreaterThan(0);
      expect([...c.crypto.integrity.values()].filter((s) => s[place]).length, `IKEv${version} integrity`).toBeGreaterThan(0);
    }
    expect([...c.crypto.encryption.values()].filter((s) => s.esp).length).toBeGreaterThan(0);
    expect(c.crypto.dh.size).toBeGreaterThan(0);
    for (const r of [c.ike.lifetime.ikev1, c.ike.lifetime.ikev2, c.esp.lifetime, c.dpd.delay, c.monitor.interval, c.interfaces.number]) expect(r.min).toBeLessThanOrEqual(r.max);
    // BGP timers come with BGP; an outside interface's default and examples are of the platform's form and of the
    // schema's (which keeps every name one word in every syntax).
    if (c.routing.bgp) expect(c.routing.bgpTimers, "routing.bgpTimers").toBeDefined();
    if (c.outsideInterface !== "not-used") {
      const own = new RegExp(c.outsideInterface.pattern);
      const names = [...c.outsideInterface.examples, ...(c.outsideInterface.default === "required" ? [] : [c.outsideInterface.default])];
      expect(names.length).toBeGreaterThan(0);
      for (const n of names) expect(own.test(n) && new RegExp(DEVICE_INTERFACE_PATTERN).test(n), n).toBe(true);
      for (const bad of ["", "eth0 x", 'a"b', "a;b", "a#b", "a\nb"]) expect(own.test(bad), JSON.stringify(bad)).toBe(false);
    }
    // Keys are strongSwan algorithm identities ("ENCR_AES_CBC/256"), so every spelling of one algorithm translates alike.
    for (const key of [...c.crypto.encryption.keys(), ...c.crypto.integrity.keys(), ...c.crypto.dh.keys()]) expect(key).toMatch(/^[A-Z0-9_]+\/\d+$/);
  });

  it("has templates whose header cites the syntax source", () => {
    const templates = readdirSync(root("templates", p.folder)).filter((f) => f.endsWith(".hbs"));
    expect(templates.length).toBeGreaterThan(0);
    for (const t of templates) expect(read("templates", p.folder, t).slice(0, 2000), t).toMatch(/https?:\/\/|[Ss]ources?:/);
  });

  it("has goldens from a fixture, and an example site in sites/", () => {
    const goldens = filesUnder("test/golden").filter((f) => /\/devices\/[^/]+\//.test(f) && f.endsWith(`/${p.artifact.file}`));
    expect(goldens.length, `no test/golden/<site>/devices/<peer>/${p.artifact.file}`).toBeGreaterThan(0);
    const examples = readdirSync(root("sites")).filter((f) => new RegExp(`^\\s+platform: ${name}\\s*$`, "m").test(read("sites", f)));
    expect(examples.length, `no example site in sites/ has a ${name} peer`).toBeGreaterThan(0);
  });

  it("has a reader for its syntax", () => {
    expect(existsSync(root("test/readers", `${p.syntax}.ts`)), `test/readers/${p.syntax}.ts`).toBe(true);
  });

  it("has a README section", () => {
    expect(readme).toContain(`### ${p.title} devices (\`devices/<peer>/${p.artifact.file}\`)`);
  });

  it("is known nowhere in src/ outside its folder and the registry", () => {
    const outside = filesUnder("src")
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.startsWith(`src/targets/${p.folder}/`) && f !== "src/targets/platforms.ts")
      .filter((f) => read(f).includes(`"${name}"`));
    expect(outside).toEqual([]);
  });
});

describe("the platform contract", () => {
  it("the README's platform table is the registry's data (regenerate: UPDATE_README_PLATFORMS=1)", () => {
    const [start, end] = ["<!-- platform-table:start -->\n", "<!-- platform-table:end -->"];
    const [before, rest = ""] = readme.split(start);
    const after = rest.slice(rest.indexOf(end));
    expect(rest.includes(end), "README lacks the platform-table markers under 'Far-side platforms'").toBe(true);
    if (process.env.UPDATE_README_PLATFORMS) writeFileSync(root("README.md"), `${before}${start}${platformTable()}\n${after}`);
    else expect(readme).toContain(`${start}${platformTable()}\n${end}`);
  });

  it("rules never import target code: they read the declarations from RuleContext.platforms", () => {
    const offenders = filesUnder("src/rules")
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .filter((f) => /^\s*import\b[^;]*from\s+"[^"]*\/targets\//m.test(read(f)));
    expect(offenders).toEqual([]);
  });

  it("the registry lists each platform once, by a unique name, folder, syntax and artifact", () => {
    for (const key of ["name", "folder", "syntax"] as const) expect(new Set(PLATFORM_DECLARATIONS.map((p) => p[key])).size).toBe(PLATFORM_DECLARATIONS.length);
    expect(new Set(PLATFORM_DECLARATIONS.map((p) => p.artifact.file)).size).toBe(PLATFORM_DECLARATIONS.length);
    expect(new Set(PLATFORM_DECLARATIONS.map((p) => p.artifact.kind)).size).toBe(PLATFORM_DECLARATIONS.length);
  });
});
