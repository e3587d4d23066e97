/** The README's provider table is the data of src/model/cloud-providers.ts, rendered (no hand-kept copy). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { providerTable } from "./provider-table.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README cloud provider table", () => {
  it("is exactly what the provider data renders to (regenerate: UPDATE_README_PROVIDERS=1)", () => {
    const table = providerTable();
    expect(table.split("\n").length).toBeGreaterThan(15);
    expect(readme, "README lacks the current provider table: paste the output of providerTable() under 'Cloud VPN and BGP'").toContain(table);
  });
});
