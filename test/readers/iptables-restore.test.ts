/** iptables-restore files (and iptables-save output) must be read as iptables-restore reads them. */
import { describe, expect, it } from "vitest";
import { iptablesStructure, iptablesTables, readIptablesRestore } from "./iptables-restore.js";

const RULES = `# Generated
*filter
:FORWARD DROP [0:0]
:SITEWIRE-FWD - [0:0]
-A FORWARD -m comment --comment sitewire -j SITEWIRE-FWD
-A SITEWIRE-FWD -s 10.0.0.0/8 -m comment --comment "a \\"quoted\\" comment" -j ACCEPT
COMMIT
*nat
:POSTROUTING ACCEPT
-A POSTROUTING -o tun0 -j MASQUERADE
COMMIT
`;

describe("iptables-restore", () => {
  it("reads tables, chains with policies and rules with their words as iptables splits them", () => {
    const [filter, nat] = readIptablesRestore(RULES);
    expect(filter!.chains.map((c) => [c.name, c.policy])).toEqual([
      ["FORWARD", "DROP"],
      ["SITEWIRE-FWD", "-"],
    ]);
    expect(filter!.rules[1]!.words).toEqual(["-A", "SITEWIRE-FWD", "-s", "10.0.0.0/8", "-m", "comment", "--comment", 'a "quoted" comment', "-j", "ACCEPT"]);
    expect(nat!.rules.map((r) => r.line)).toEqual([10]);
    const tables = iptablesTables(RULES);
    expect(tables.get("filter")!.policies.get("SITEWIRE-FWD")).toBe("-");
    expect(tables.get("nat")!.rules).toEqual(["-A POSTROUTING -o tun0 -j MASQUERADE"]);
  });

  it.each([
    ["a rule outside a table", "-A FORWARD -j ACCEPT\n", /outside a table/],
    ["a table opened before COMMIT", "*filter\n*nat\nCOMMIT\n", /before COMMIT/],
    ["a table never committed", "*filter\n-A FORWARD -j ACCEPT\n", /never committed/],
    ["an unterminated quote", '*filter\n-A FORWARD -m comment --comment "x -j ACCEPT\nCOMMIT\n', /unterminated quote/],
    ["a line that is no iptables command", "*filter\nFORWARD -j ACCEPT\nCOMMIT\n", /not an iptables command/],
    ["a malformed chain line", "*filter\n:FORWARD\nCOMMIT\n", /not a chain line/],
  ])("refuses %s", (_what, text, error) => {
    expect(() => readIptablesRestore(text)).toThrow(error);
    expect(iptablesStructure(text).problems.join()).toMatch(error);
  });

  it("a quoted comment keeps its words together; a rule injected before COMMIT is a new statement", () => {
    const base = iptablesStructure(RULES);
    expect(base.problems).toEqual([]);
    const injected = iptablesStructure(RULES.replace("COMMIT\n*nat", "-A FORWARD -j ACCEPT\nCOMMIT\n*nat"));
    expect(injected.shape.length).toBe(base.shape.length + 1);
    expect(injected.shape).toContain("rule -A -j");
  });
});
