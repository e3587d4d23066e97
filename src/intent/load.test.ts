import { describe, it, expect } from "vitest";
import { loadSource } from "./load.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";

const FILE = "sites/test.yaml";

function load(text: string) {
  return loadSource(FILE, text);
}

/** code@line:column of every diagnostic, in the order reported. */
function where(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code}@${d.range?.start.line}:${d.range?.start.column}`);
}

const BILLION_LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
  "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
  "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
  "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
  "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]",
  "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]",
  "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]",
  "",
].join("\n");

describe("loadSource", () => {
  it("loads a plain mapping and keeps the document for locating", () => {
    const result = load("site: bjs\nnetworks:\n  vpc: 172.16.0.0/16\n");
    expect(result.diagnostics).toEqual([]);
    expect(result.data).toEqual({ site: "bjs", networks: { vpc: "172.16.0.0/16" } });
    expect(result.source?.path).toBe(FILE);
    expect(result.source?.doc.contents).not.toBeNull();
  });

  it("strips a UTF-8 BOM and counts columns after it", () => {
    const result = load("\uFEFFsite: bjs\nsite: x\n");
    expect(where(result.diagnostics)).toEqual(["SW004@2:1"]);
    expect(load("\uFEFFsite: bjs\n").data).toEqual({ site: "bjs" });
  });

  it("accepts CRLF line ends", () => {
    const result = load("site: bjs\r\nnetworks:\r\n  vpc: 172.16.0.0/16\r\n");
    expect(result.diagnostics).toEqual([]);
    expect(result.data).toEqual({ site: "bjs", networks: { vpc: "172.16.0.0/16" } });
  });

  it("SW002: refuses a file over 1 MiB before parsing, without a range", () => {
    const text = `site: big\nfiller: "${"x".repeat(2 * 1024 * 1024)}"\n`;
    const result = load(text);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["SW002"]);
    expect(result.diagnostics[0]?.range).toBeUndefined();
    expect(result.source).toBeUndefined();
  });

  it("SW003: a tab used for indentation", () => {
    const result = load("site: a\nhosts:\n\tfront: {}\n");
    expect(where(result.diagnostics)).toEqual(["SW003@3:1"]);
    expect(result.diagnostics[0]?.message).toBe("tab used for indentation");
    expect(result.diagnostics[0]?.hint).toMatch(/spaces/);
  });

  it("SW003: an unterminated quote is reported where it opens", () => {
    const result = load('site: a\ndescription: "half\nhosts: {}\n');
    expect(where(result.diagnostics)).toEqual(["SW003@2:14"]);
    expect(result.diagnostics[0]?.message).toBe("unterminated double-quoted string");
  });

  it("SW003: several syntax errors, each at its own line and column", () => {
    const result = load("a: [1, 2\nb: {x: 1\nc: 'x\n");
    expect(where(result.diagnostics)).toEqual(["SW003@1:4", "SW003@2:4", "SW003@3:4"]);
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      "'[' is not closed with ']'",
      "'{' is not closed with '}'",
      "unterminated single-quoted string",
    ]);
    expect(result.data).toBeUndefined();
  });

  it("SW003: a nested mapping on the key's line", () => {
    const result = load("site: a\nkind: ipip: x\n");
    expect(where(result.diagnostics)).toEqual(["SW003@2:7"]);
  });

  it("SW003: an alias without an anchor", () => {
    const result = load("site: a\nhosts: *missing\n");
    expect(where(result.diagnostics)).toEqual(["SW003@2:8"]);
    expect(result.diagnostics[0]?.message).toBe("alias '*missing' has no anchor");
  });

  it("SW004: a duplicate key at the second occurrence, naming the first line", () => {
    const result = load("site: a\nhosts:\n  front: {}\n  back: {}\n  front: {}\n");
    expect(where(result.diagnostics)).toEqual(["SW004@5:3"]);
    expect(result.diagnostics[0]?.message).toBe("duplicate key 'front' (first defined on line 3)");
  });

  it("SW004: keys that become equal strings (1 and '1') are duplicates too", () => {
    const result = load("a:\n  1: x\n  '1': y\n");
    expect(where(result.diagnostics)).toEqual(["SW004@3:3"]);
  });

  it("SW004: duplicates inside a flow mapping", () => {
    expect(where(load("site: a\nx: {k: 1, k: 2}\n").diagnostics)).toEqual(["SW004@2:11"]);
  });

  it("SW005: an empty file and a file of comments", () => {
    expect(where(load("").diagnostics)).toEqual(["SW005@1:1"]);
    expect(where(load("# nothing here\n# yet\n").diagnostics)).toEqual(["SW005@1:1"]);
    expect(where(load("---\n").diagnostics)).toEqual(["SW005@1:1"]);
  });

  it("SW006: the top level is not a mapping", () => {
    expect(where(load("- a\n- b\n").diagnostics)).toEqual(["SW006@1:1"]);
    expect(where(load("# comment\njust text\n").diagnostics)).toEqual(["SW006@2:1"]);
    expect(load("- a\n").diagnostics[0]?.message).toBe("the top level is a list; it must be a mapping of keys");
  });

  it("SW007: the billion-laughs document is refused within milliseconds", () => {
    const started = performance.now();
    const result = load(BILLION_LAUGHS);
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(200);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["SW007"]);
    // Values added by aliases: b 9×10, c 9×91, d 9×820 (8289 so far); e's first alias (7381 more) crosses 10 000.
    expect(where(result.diagnostics)).toEqual(["SW007@5:8"]);
    expect(result.data).toBeUndefined();
  });

  it("SW007: a recursive alias", () => {
    expect(where(load("a: &x [1, *x]\n").diagnostics)).toEqual(["SW007@1:11"]);
  });

  it("accepts a few ordinary aliases", () => {
    const result = load("defaults: &d { os: rhel }\nhosts:\n  a: *d\n  b: *d\n");
    expect(result.diagnostics).toEqual([]);
    expect(result.data).toEqual({ defaults: { os: "rhel" }, hosts: { a: { os: "rhel" }, b: { os: "rhel" } } });
  });

  it("SW008: more than one document, at the second one", () => {
    const result = load("site: a\n---\nsite: b\n---\nsite: c\n");
    expect(where(result.diagnostics)).toEqual(["SW008@2:1"]);
    expect(result.diagnostics[0]?.message).toBe("the file holds 3 YAML documents; a site file holds exactly one");
    expect(load("---\nsite: a\n").diagnostics).toEqual([]);
  });

  it("SW009: 70 levels of block nesting, at the 65th level", () => {
    const text = Array.from({ length: 70 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " x\n";
    expect(where(load(text).diagnostics)).toEqual(["SW009@65:65"]);
  });

  it("accepts 64 levels", () => {
    const text = Array.from({ length: 64 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n") + " x\n";
    expect(load(text).diagnostics).toEqual([]);
  });

  it("SW009: brackets nested deeper than yaml's stack are refused before parsing, at the 65th bracket", () => {
    const started = performance.now();
    const result = load(`site: a\nx: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`);
    expect(performance.now() - started).toBeLessThan(200);
    expect(where(result.diagnostics)).toEqual(["SW009@2:68"]);
    expect(result.source).toBeUndefined();
  });

  it("SW009: brackets inside quotes and comments do not count", () => {
    const quoted = `a: ["${"[".repeat(100)}", '${"{".repeat(100)}'] # ${"[".repeat(100)}\n`;
    expect(load(quoted).diagnostics).toEqual([]);
  });

  it("SW009: compact sequences and absurd indentation are refused before parsing", () => {
    expect(where(load(`${"- ".repeat(5000)}x\n`).diagnostics)).toEqual(["SW009@1:1"]);
    expect(where(load(`a:\n${" ".repeat(200)}b: 1\n`).diagnostics)).toEqual(["SW009@2:1"]);
  });

  it("SW009: aliases that nest too deep once expanded", () => {
    const deep = (n: number) => `${"[".repeat(n)}1${"]".repeat(n)}`;
    const result = load(`a: &a ${deep(40)}\nb: [${"[".repeat(30)}*a${"]".repeat(30)}]\n`);
    expect(where(result.diagnostics)).toEqual(["SW009@2:35"]);
  });

  it("SW010: custom tags, at the tag", () => {
    const result = load("site: a\ndata: !!binary aGk=\nother: !local x\nfine: !!str 10\n");
    expect(where(result.diagnostics)).toEqual(["SW010@2:7", "SW010@3:8"]);
    expect(result.diagnostics.map((d) => d.message)).toEqual(["unsupported YAML tag '!!binary'", "unsupported YAML tag '!local'"]);
  });

  it("SW010: collection keys, alias keys and empty keys; number keys are fine", () => {
    const result = load("? [a, b]\n: 1\nx: &k y\n*k : 2\n: 3\n10: ten\n");
    expect(where(result.diagnostics)).toEqual(["SW010@1:3", "SW010@4:1", "SW010@5:1"]);
    expect(load("hosts:\n  10: x\n").data).toEqual({ hosts: { "10": "x" } });
  });

  it("reports independent problems of one file together", () => {
    const result = load("site: a\nsite: b\nx: !foo 1\nhosts:\n  h: {a: 1, a: 2}\n");
    expect(where(result.diagnostics)).toEqual(["SW004@2:1", "SW004@5:13", "SW010@3:4"]);
  });

  it("marks diagnostics on lines holding a psk as redacted", () => {
    const result = load('tunnels:\n  vpn1:\n    psk: "hunter2\n');
    expect(result.diagnostics[0]?.redact).toBe(true);
    const dup = load("tunnels:\n  vpn1:\n    psk: hunter2\n    psk: hunter3\n");
    expect(where(dup.diagnostics)).toEqual(["SW004@4:5"]);
    expect(dup.diagnostics[0]?.redact).toBe(true);
    expect(load("a: 1\na: 2\n").diagnostics[0]?.redact).toBeUndefined();
    const asKeys = load("tunnels:\n  vpn1:\n    psk: {hunter2, hunter2}\n");
    expect(where(asKeys.diagnostics)).toEqual(["SW004@3:20"]);
    expect(asKeys.diagnostics[0]?.message).toBe("duplicate key (first defined on line 3)");
  });

  it("keeps __proto__ as an ordinary key", () => {
    const result = load("__proto__: { polluted: true }\n");
    expect(result.diagnostics).toEqual([]);
    expect(Object.hasOwn(result.data as object, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
