/**
 * The resolver's name and alignment diagnostics carry a machine-readable fix (Diagnostic.fix) where the hint
 * names one replacement: the language server offers it as a quick fix. Applying the fix to the text must make
 * the diagnostic go away.
 */
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { siteFile, sourceOf } from "../../test/helpers/source.js";
import { resolveSite } from "./resolve.js";

const base = siteFile("bjs-hybrid").text;

function resolveText(text: string): Diagnostic[] {
  const { source, intent } = sourceOf(text, "sites/bjs-hybrid.yaml");
  return resolveSite(source, intent, "0".repeat(64)).diagnostics;
}

/** The text with `fix` applied (1-based line/column ranges, as diagnostics carry them). */
function apply(text: string, d: Diagnostic): string {
  const lines = text.split("\n");
  const offset = (p: { line: number; column: number }) => lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
  const fix = d.fix!;
  return text.slice(0, offset(fix.range.start)) + fix.replacement + text.slice(offset(fix.range.end));
}

describe("resolver fixes", () => {
  it.each([
    ["a misspelt network in a route list (SW102)", "      toPeer: [onprem]\n", "      toPeer: [onprm]\n", "SW102", "onprem"],
    ["a misspelt host as a tunnel end (SW102)", "between: [strongswan-1, dc-router-1]", "between: [strongswan-l, dc-router-1]", "SW102", "strongswan-1"],
    ["a misspelt peer as a tunnel end (SW102)", "between: [strongswan-2, dc-router-2]", "between: [strongswan-2, dc-ruoter-2]", "SW102", "dc-router-2"],
    ["a network with host bits set (SW101)", "onprem: 10.10.0.0/16", "onprem: 10.10.3.7/16", "SW101", "10.10.0.0/16"],
    ["an IPv6 network with host bits set (SW101)", "networks:\n", "networks:\n  lab6: 2001:DB8:10::7/48\n", "SW101", "2001:db8:10::/48"],
    ["an IPv6 literal with host bits set, by its canonical network (SW101)", "      toPeer: [onprem]\n", "      toPeer: [onprem, \"2001:db8:10:0:1::/64\"]\n", "SW101", "2001:db8:10::/64"],
  ])("%s", (_, from, to, code, replacement) => {
    const text = base.replace(from, to);
    expect(text).not.toBe(base);
    const found = resolveText(text).filter((d) => d.code === code);
    expect(found).toHaveLength(1);
    const d = found[0]!;
    expect(d.fix).toEqual({ range: d.range, replacement });
    expect(resolveText(apply(text, d)).filter((x) => x.code === code)).toEqual([]);
  });

  it("gives no fix when no name is close", () => {
    const d = resolveText(base.replace("      toPeer: [onprem]\n", "      toPeer: [zzzzzzzz]\n")).find((x) => x.code === "SW102");
    expect(d?.hint).toMatch(/^known names:/);
    expect(d?.fix).toBeUndefined();
  });
});
