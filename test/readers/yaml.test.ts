/** YAML artifacts are read by the yaml library (strict) and by PyYAML, and both must agree. */
import { describe, expect, it } from "vitest";
import { missing } from "../harness/tools.js";
import { withFiles } from "./programs.js";
import { pyYamlLoad, readYaml, yamlStructure } from "./yaml.js";

describe("yaml", () => {
  it("reads every document", () => {
    expect(readYaml("a: 1\n---\nb: [x]\n")).toEqual([{ a: 1 }, { b: ["x"] }]);
  });

  it.each([
    ["a duplicate key", "a: 1\na: 2\n", /DUPLICATE_KEY|unique/i],
    ["a key YAML 1.1 reads as a bool", "yes: 1\n", /reads as boolean/],
    ["a syntax error", "a: [1\n", /yaml/],
  ])("refuses %s", (_what, text, error) => {
    expect(() => readYaml(text)).toThrow(error);
  });

  it.skipIf(missing("python3"))("PyYAML must read the same data: a NEL ending a comment is seen", async () => {
    const texts = ["a: 1\n", "# x\u0085b: 2\na: 1\n"];
    const py = await withFiles(texts, ".yaml", pyYamlLoad);
    expect(yamlStructure(texts[0]!, py[0]!).problems).toEqual([]);
    expect(yamlStructure(texts[1]!, py[1]!).problems.join()).toMatch(/PyYAML reads other data/);
  });
});
