/**
 * The rule list as a whole: every rule is findable (file, test, unique code+name, description), every
 * meaning code is reported by someone, the example sites are clean, and a site with many independent
 * mistakes gets every one of them reported in one run, each at its place.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CODES } from "../diagnostics/codes.js";
import { DUAL_STACK } from "../../test/fixtures/rules/ipv6-sites.js";
import { check, shown } from "../../test/fixtures/rules/rule-tester.js";
import { COMPAT_RULES } from "./compat/index.js";
import { RULES } from "./index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const files = readdirSync(here, { recursive: true, encoding: "utf8" }).map((f) => f.split("\\").join("/"));
const MEANING_RULES = RULES.filter((r) => !COMPAT_RULES.includes(r));

describe("the rule list", () => {
  const sources = files.filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  const definedIn = (name: string) => sources.filter((f) => readFileSync(join(here, f), "utf8").includes(`name: "${name}"`));

  it.each(RULES.map((r) => [r.name, r] as const))("%s has a kebab-case name, a description, messages and a test beside its file", (name, rule) => {
    expect(name).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(rule.description.length).toBeGreaterThan(20);
    expect(Object.keys(rule.messages).length).toBeGreaterThan(0);
    const source = definedIn(name);
    expect(source).toHaveLength(1);
    expect(files).toContain(source[0]!.replace(/\.ts$/, ".test.ts"));
  });

  it.each(MEANING_RULES.map((r) => r.name))("%s lives in src/rules/%s.ts (rule.ts: the name is also the file name)", (name) => {
    expect(definedIn(name)).toEqual([`${name}.ts`]);
  });

  it("has no two rules with the same code and name, or the same name", () => {
    expect(new Set(RULES.map((r) => `${r.code} ${r.name}`)).size).toBe(RULES.length);
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
  });

  it("keeps meaning rules in SW1xx and two-end rules in SW2xx", () => {
    expect(MEANING_RULES.filter((r) => !r.code.startsWith("SW1")).map((r) => r.name)).toEqual([]);
    expect(COMPAT_RULES.filter((r) => !r.code.startsWith("SW2")).map((r) => r.name)).toEqual([]);
  });

  it("reports every meaning code, from a rule, the resolver or the expansion limits of the shape stage", () => {
    const codesIn = (dir: string) =>
      readdirSync(join(root, "src", dir))
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
        .flatMap((f) => [...readFileSync(join(root, "src", dir, f), "utf8").matchAll(/"(SW1\d\d)"/g)].map((m) => m[1]!));
    const reported = new Set([...codesIn("model"), ...codesIn("intent"), ...MEANING_RULES.map((r) => r.code)]);
    expect(Object.keys(CODES).filter((c) => c.startsWith("SW1") && !reported.has(c))).toEqual([]);
  });
});

describe("the example sites", () => {
  const sites = readdirSync(join(root, "sites")).filter((f) => f.endsWith(".yaml"));
  it("exist", () => expect(sites.length).toBeGreaterThan(0));
  it.each(sites)("%s: no meaning diagnostics, not even warnings under --strict", (file) => {
    const path = `sites/${file}`;
    const result = check(MEANING_RULES, readFileSync(join(root, path), "utf8"), { path, strict: true });
    expect(result.resolver).toEqual([]);
    expect(result.diagnostics.map((d) => shown(d, result.text))).toEqual([]);
  });
  it.each(sites)("%s: no diagnostics from the whole rule list (two-end checks included)", (file) => {
    const path = `sites/${file}`;
    const result = check(RULES, readFileSync(join(root, path), "utf8"), { path });
    expect(result.diagnostics.map((d) => shown(d, result.text))).toEqual([]);
  });
});

describe("the dual-stack rule fixture (test/fixtures/rules/ipv6-sites.ts)", () => {
  it("gets no diagnostics from the resolver or any rule, not even warnings under --strict", () => {
    const result = check(RULES, DUAL_STACK, { strict: true });
    expect(result.resolver).toEqual([]);
    expect(result.diagnostics.map((d) => shown(d, result.text))).toEqual([]);
  });
});

describe("a site with many independent mistakes", () => {
  const path = "test/fixtures/rules/many-mistakes.yaml";
  const result = check(RULES, readFileSync(join(root, path), "utf8"), { path });
  const token = (text: string) => (/^[^\s:,{}[\]]*/.exec(text) ?? [""])[0];

  it("resolves without diagnostics", () => expect(result.resolver).toEqual([]));

  it("gets every mistake reported in one run, each at its line and column", () => {
    // Two-end checks (SW2xx) have their own tests; some of them also see these mistakes.
    const meaning = result.diagnostics.filter((d) => d.code.startsWith("SW1"));
    expect(
      meaning.map((d) => {
        const s = shown(d, result.text);
        return [s.code, s.severity, s.at, token(s.token)];
      }),
    ).toEqual([
      ["SW100", "error", "3:7", "many-mistake"],
      ["SW101", "error", "32:24", "192.168.50.255/24"],
      ["SW164", "error", "39:27", "7224"],
      ["SW103", "error", "44:3", "node-lan"],
      ["SW166", "error", "46:22", "aws-vpn"],
      ["SW112", "warning", "54:24", "aes128-sha1-modp1024"],
      ["SW104", "error", "56:13", "169.254.100.0/24"],
      ["SW108", "error", "59:10", "1436"],
      ["SW120", "error", "63:49", "aggressive"],
      ["SW125", "warning", "65:18", "sites/vpn-b.psk"],
      ["SW114", "error", "71:48", "aes265-sha256-modp3072"],
      ["SW122", "error", "78:33", "10s"],
      ["SW109", "error", "79:32", "vpc"],
      ["SW123", "warning", "82:36", "aes256-aes128-sha256-modp3072"],
      ["SW113", "warning", "82:80", "true"],
      ["SW123", "error", "83:24", "aes256gcm16-sha256"],
      ["SW106", "error", "86:10", "300"],
      ["SW119", "error", "87:13", "tunnel1"],
      ["SW107", "error", "89:19", "30"],
      ["SW161", "error", "99:22", "9s"],
      ["SW166", "error", "103:50", "2h"],
      ["SW163", "error", "108:31", "onprem"],
      ["SW160", "error", "118:5", "bgp"],
      ["SW165", "error", "126:24", "backup"],
      ["SW162", "error", "135:5", "bgp"],
      ["SW105", "error", "141:13", "169.254.200.0/31"],
      ["SW120", "warning", "146:23", "10.99.0.0/16"],
      ["SW118", "error", "152:22", "gw-b"],
      ["SW120", "error", "155:21", "true"],
      ["SW110", "error", "159:44", "10.0.0.0/8"],
      ["SW142", "warning", "161:18", "payments"],
      ["SW111", "error", "163:38", "tcp/8080-80"],
      ["SW103", "error", "164:18", "payments"],
      ["SW142", "warning", "164:18", "payments"],
      ["SW124", "error", "166:39", "10.0.0.0/8"],
      ["SW120", "error", "169:76", "interface"],
      ["SW121", "error", "170:9", ""], // the entry itself, a flow mapping
    ]);
  });

  it("marks every reported line with a comment naming its code, and reports every marked code", () => {
    const lines = result.text.split("\n");
    const marked = lines.flatMap((line, i) => [...(line.split("#")[1] ?? "").matchAll(/SW1\d\d/g)].map((m) => `${i + 1} ${m[0]}`));
    const reported = result.diagnostics.filter((d) => d.code.startsWith("SW1")).map((d) => `${d.range?.start.line} ${d.code}`);
    expect(new Set(reported)).toEqual(new Set(marked));
  });
});
