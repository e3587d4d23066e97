/**
 * Every golden artifact (test/golden/<site>/, listed with its kind in the site's manifest.json) is read by the
 * reader of its syntax without a complaint: the readers read what sitewire really writes, and a reader that
 * refused it would make parse-back and the injection checks fail for the wrong reason. Shell and YAML are
 * read by their programs in test/security; here by bash -n (via readShell) and the yaml library.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/render/package-root.js";
import { missing } from "../harness/tools.js";
import { LINE_READERS, SHELL_KINDS, YAML_KINDS } from "./by-kind.js";
import type { Structure } from "./reader.js";
import { readShell } from "./shell.js";
import { readYaml } from "./yaml.js";

const GOLDEN = join(PACKAGE_ROOT, "test", "golden");

/** Kind → what reads it here (problems, or a throw): our readers, bash -n for shell, the yaml library for YAML. */
const READ: Readonly<Record<string, (text: string) => Structure | unknown>> = {
  ...LINE_READERS,
  ...Object.fromEntries([...SHELL_KINDS].map((k) => [k, readShell])),
  ...Object.fromEntries([...YAML_KINDS].map((k) => [k, readYaml])),
};

// A folder without its manifest is a golden still being written (test/golden.test.ts judges those).
const artifacts = readdirSync(GOLDEN).filter((site) => existsSync(join(GOLDEN, site, "manifest.json"))).flatMap((site) => {
  const manifest = JSON.parse(readFileSync(join(GOLDEN, site, "manifest.json"), "utf8")) as { artifacts: { path: string; kind: string }[] };
  return [{ path: "manifest.json", kind: "manifest" }, ...manifest.artifacts].map((a) => ({ site, ...a }));
});

describe.skipIf(missing("bash"))("every golden artifact is read without a complaint", () => {
  it("has a reader for every kind the goldens hold", () => {
    expect(artifacts.length).toBeGreaterThan(50);
    expect([...new Set(artifacts.map((a) => a.kind))].filter((kind) => READ[kind] === undefined)).toEqual([]);
  });

  it.each(artifacts.filter((a) => READ[a.kind] !== undefined).map((a) => [`${a.site}/${a.path} (${a.kind})`, a] as const))("%s", (_name, a) => {
    const read = READ[a.kind]!(readFileSync(join(GOLDEN, a.site, a.path), "utf8"));
    if (read !== null && typeof read === "object" && "problems" in read) expect((read as Structure).problems).toEqual([]);
  });
});
