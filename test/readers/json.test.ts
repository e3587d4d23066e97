/** JSON artifacts: manifest.json and Terraform JSON. */
import { describe, expect, it } from "vitest";
import { manifestStructure, readJson, terraformStructure } from "./json.js";

describe("JSON", () => {
  it("refuses what JSON.parse refuses, at its line", () => {
    expect(() => readJson('{\n  "a": 1,\n}\n')).toThrow(/line 3/);
    expect(manifestStructure("{").problems).toHaveLength(1);
  });

  it("manifest.json: hashes stay out of full, every other leaf is in it", () => {
    const s = manifestStructure('{"artifacts":[{"path":"a","sha256":"00"}]}');
    expect(s.full).toEqual(['["artifacts",0,"path"]="a"', "artifacts.[].sha256"]);
  });

  it("Terraform JSON: names are left out of the shape, interpolations kept, comments skipped, template directives refused", () => {
    const s = terraformStructure('{"resource":{"aws_vpn_connection":{"x":{"tags":{"Name":"${var.a}"},"//":"c"}}}}');
    expect(s.shape).toEqual(["resource.aws_vpn_connection.*.tags.Name", "resource.aws_vpn_connection.*.tags.Name interpolation ${var.*}"]);
    expect(terraformStructure('{"a":"%{ if true }x%{ endif }"}').problems.join()).toMatch(/template directive/);
  });
});
