/** The README's Limits table lists every limit of src/intent/limits.ts with its value (like the codes test). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fmt, LIMITS } from "../../src/intent/limits.js";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("README limits", () => {
  it.each(Object.values(LIMITS).map((l) => [l.name, l] as const))("lists %s with its value", (name, limit) => {
    expect(readme).toContain(`| ${name} | ${fmt(limit.value)} |`);
  });
});
