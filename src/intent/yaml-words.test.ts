import { describe, expect, it } from "vitest";
import { sourceOf } from "../../test/helpers/source.js";
import { checkShape } from "./shape.js";

/** Names land unquoted in YAML files read by YAML 1.1 tools (Ansible inventories): yes/no/on/off are refused. */
describe("YAML 1.1 boolean words as names", () => {
  it.each(["no", "yes", "on", "off", "y"])("refuses a host named %s with a hint", (name) => {
    const { source, intent } = sourceOf(`site: test\nhosts:\n  ${name}: { os: debian, address: 10.0.0.1/24 }\n`);
    const d = checkShape(source, intent).diagnostics;
    expect(d.map((x) => [x.code, x.range?.start.line, x.range?.start.column])).toEqual([["SW014", 3, 3]]);
    expect(d[0]?.hint).toContain("YAML 1.1");
  });

  it("still accepts names that merely start with such a word", () => {
    const { source, intent } = sourceOf("site: test\nhosts:\n  node-1: { os: debian, address: 10.0.0.1/24 }\n  one: { os: debian, address: 10.0.0.2/24 }\n");
    expect(checkShape(source, intent).diagnostics).toEqual([]);
  });

  it("refuses C1 controls (NEL) and secret placeholders in free text", () => {
    for (const text of ["a\u0085b", "see @@sitewire-secret:env:X@@"]) {
      const { source, intent } = sourceOf(`site: test\ndescription: ${JSON.stringify(text)}\n`);
      expect(checkShape(source, intent).diagnostics.map((x) => x.code)).toEqual(["SW014"]);
    }
  });
});
