/** Unit files must be read as systemd reads them. */
import { describe, expect, it } from "vitest";
import { readUnit, unitStructure, unitValues } from "./systemd-unit.js";

describe("systemd unit", () => {
  it("reads sections, keys and continued lines; # and ; lines are comments, also inside a continuation", () => {
    const unit = readUnit("# c\n[Unit]\nDescription=x\n\n[Service]\nExecStart=/usr/local/sbin/a \\\n# skipped\n  --flag\n; c\nExecReload=/bin/b\n");
    expect(unit.sections.map((s) => s.name)).toEqual(["Unit", "Service"]);
    expect(unitValues(unit, "Service", "ExecStart")).toEqual(["/usr/local/sbin/a --flag"]);
    expect(unit.entries.map((e) => `${e.section}.${e.key}@${e.line}`)).toEqual(["Unit.Description@3", "Service.ExecStart@6", "Service.ExecReload@10"]);
  });

  it.each([
    ["a line that is neither section nor key", "[Service]\nExecStart /bin/a\n", /not a section or Key=Value/],
    ["a key before any section", "ExecStart=/bin/a\n", /before any section/],
    ["a file ending in a continuation", "[Service]\nExecStart=/bin/a \\", /continued line/],
  ])("refuses %s", (_what, text, error) => {
    expect(() => readUnit(text)).toThrow(error);
    expect(unitStructure(text).problems.join()).toMatch(error);
  });

  it("an injected key is a new statement", () => {
    expect(unitStructure("[Service]\nExecStart=/bin/a\nExecStartPre=/bin/evil\n").shape).toEqual(["section", "key ExecStart", "key ExecStartPre"]);
  });
});
