import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sortDiagnostics } from "../diagnostics/diagnostic.js";
import { compileSource } from "./pipeline.js";

const file = "test/fixtures/invalid/mixed/bjs-hybrid.yaml";
const text = readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");

describe("error recovery: shape and meaning mistakes reported in one run", () => {
  const { diagnostics, artifacts } = compileSource(file, text);
  const found = diagnostics.map((d) => `${d.range?.start.line}:${d.range?.start.column} ${d.code}`);

  it("reports every independent mistake at its own line:col", () => {
    expect(found).toEqual(
      expect.arrayContaining([
        "23:9 SW015", // os: centos
        "69:5 SW011", // lefsubnet
        "87:5 SW017", // literal psk
      ]),
    );
  });

  it("still runs the meaning checks on what the schema accepted", () => {
    // vpn1 survives recovery (only its unknown key is dropped) but its host was dropped (os), so the
    // tunnel's meaning checks are a cascade and stay quiet; the routes' unknown name is still reported.
    expect(found.every((f) => !f.endsWith("SW118"))).toBe(true);
    expect(artifacts).toEqual([]);
  });

  it("never echoes the literal secret", () => {
    expect(JSON.stringify(diagnostics)).not.toContain("hunter2");
  });
});

describe("error recovery with the host intact", () => {
  const fixed = text.replace("os: centos", "os: rhel");
  const found = sortDiagnostics(compileSource(file, fixed).diagnostics).map((d) => `${d.range?.start.line}:${d.range?.start.column} ${d.severity} ${d.code}`);

  it("reports shape errors and every meaning error of the surviving entries", () => {
    expect(found).toEqual([
      "64:36 warning SW112", // weak IKE proposal
      "67:13 error SW101", // inside not aligned
      "67:13 error SW104", // inside not /30
      "69:5 error SW011", // lefsubnet
      "71:10 error SW108", // MTU out of range
      "71:10 error SW208", // IOS MSS range
      "76:24 error SW102", // unknown network on-prem2
      "87:5 error SW017", // literal secret
    ]);
  });
});
