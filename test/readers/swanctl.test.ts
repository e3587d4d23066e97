/** swanctl.conf and strongswan.conf must be read as libstrongswan's settings parser reads them. */
import { describe, expect, it } from "vitest";
import { readSettings, settingsRecord, settingsStructure, swanctlConnectionNames, swanctlConnections, swanctlSettings } from "./swanctl.js";

const TEXT = `connections {
  t {   # comment
    version = 1
    proposals = aes256-sha256-modp3072
    local {
      id = 1.1.1.1
    }
    children {
      t {
        esp_proposals = aes256-sha256-modp3072
      }
    }
  }
  u {
    remote_addrs = 2.2.2.2
  }
}
secrets {
  ike-t {
    id-1 = 1.1.1.1
    secret = "@@sitewire-secret:env:X@@"
  }
}
`;

describe("swanctl.conf / strongswan.conf", () => {
  it("reads nested sections and values, with the lines each connection spans", () => {
    const s = swanctlSettings(TEXT);
    expect(s).toMatchObject({ connections: { t: { version: "1", local: { id: "1.1.1.1" }, children: { t: { esp_proposals: "aes256-sha256-modp3072" } } } }, secrets: { "ike-t": { secret: "@@sitewire-secret:env:X@@" } } });
    expect(swanctlConnections(TEXT).map((c) => [c.name, c.line, c.end])).toEqual([
      ["t", 2, 13],
      ["u", 14, 16],
    ]);
    expect(swanctlConnectionNames(TEXT)).toEqual(["t", "u"]);
  });

  it("reads what libstrongswan reads: a section on one line, a value ended by '}', words joined, sections merged", () => {
    expect(settingsRecord(readSettings("a { b = c }\n"))).toEqual({ a: { b: "c" } });
    expect(settingsRecord(readSettings("a {\n  b = x } c = y\n"))).toEqual({ a: { b: "x" }, c: "y" });
    expect(settingsRecord(readSettings('a = one  "two  three" # c\n'))).toEqual({ a: "one two  three" });
    expect(settingsRecord(readSettings("s {\n  a = 1\n}\ns {\n  a = 2\n  b = 3\n}\n"))).toEqual({ s: { a: "2", b: "3" } });
    expect(readSettings("include /etc/x/*.conf\na {\n  include b.conf\n}\n").entries.map((e) => e.kind)).toEqual(["include", "section"]);
  });

  it.each([
    ["a '}' closing nothing", "}\n", /without an open section/],
    ["a section never closed", "a {\n", /never closed/],
    ["a name without '{' or '='", "a\n{\n}\n", /neither '\{' nor '='/],
    ["a quoted name", '"a" = b\n', /quoted string where a name belongs/],
    ["a quoted value left open", 'a = "x\n', /does not end on its line/],
  ])("refuses %s", (_what, text, error) => {
    expect(() => readSettings(text)).toThrow(error);
    expect(settingsStructure(text).problems.join()).toMatch(error);
  });

  it("reads an XFRM interface's child keys (if_id_in / if_id_out) where mark_in / mark_out sit", () => {
    const text = "connections {\n  t {\n    children {\n      t {\n        if_id_in = 20\n        if_id_out = 20\n        policies = yes\n      }\n    }\n  }\n}\n";
    expect(swanctlSettings(text)).toEqual({ connections: { t: { children: { t: { if_id_in: "20", if_id_out: "20", policies: "yes" } } } } });
    expect(settingsStructure(text).problems).toEqual([]);
  });

  it("a '}' smuggled into a value closes the section: the structure shows it", () => {
    const base = settingsStructure("connections {\n  t {\n    remote_addrs = 2.2.2.2\n  }\n}\n");
    const injected = settingsStructure("connections {\n  t {\n    remote_addrs = 2.2.2.2 } evil { x = y\n  }\n}\n");
    expect(base.problems).toEqual([]);
    expect(injected.problems).toEqual([]);
    expect(injected.shape).not.toEqual(base.shape);
    expect(injected.full).toContain("open connections.evil");
  });
});
