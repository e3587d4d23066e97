/**
 * `sitewire lab`'s command line, in process (no lab is built here; test/live/lab.test.ts runs it for real):
 * --help, the exit code 2 of a bad command line, an unreadable or invalid site file refused before anything
 * is made.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../run.js";
import { parseLabArgs } from "./lab.js";

const dir = mkdtempSync(join(tmpdir(), "sw-lab-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function sitewire(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await run(argv, { cwd: dir, env: { NO_COLOR: "1" }, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

describe("sitewire lab, command line", () => {
  it("prints its help with --help and under help lab, and is listed in the top help", async () => {
    for (const argv of [["lab", "--help"], ["help", "lab"], ["lab", "-h"]]) {
      const r = await sitewire(...argv);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: sitewire lab SITE-FILE \[--flow NAME\] \[--keep\]/);
      expect(r.stdout).toContain("Exit codes: 0 every flow passes, 1 a flow fails");
    }
    expect((await sitewire("--help")).stdout).toContain("lab FILE [--flow NAME] [--keep]");
  });

  it("exits 2 on a bad command line, naming the problem", async () => {
    const cases: [string[], RegExp][] = [
      [["lab"], /lab needs one site file/],
      [["lab", "a.yaml", "b.yaml"], /lab takes one site file \(got 2\)/],
      [["lab", "a.yaml", "--format", "xml"], /--format must be one of text, json/],
      [["lab", "a.yaml", "--flow", " "], /--flow needs a flow name/],
      [["lab", "a.yaml", "--clean", "--keep"], /--clean only removes a lab/],
      [["lab", "a.yaml", "--bogus"], /Unknown option '--bogus'/],
    ];
    for (const [argv, message] of cases) {
      const r = await sitewire(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain("Run 'sitewire lab --help' for usage.");
    }
  });

  it("parses what it is given", () => {
    expect(parseLabArgs(["s.yaml"])).toEqual({ file: "s.yaml", keep: false, clean: false, format: "text", noColor: false });
    expect(parseLabArgs(["s.yaml", "--flow", "f", "--keep", "--format", "json"])).toEqual({ file: "s.yaml", flow: "f", keep: true, clean: false, format: "json", noColor: false });
    expect(parseLabArgs(["--help"])).toBeUndefined();
  });

  it("refuses a missing or invalid site file with exit 1 before building anything", async () => {
    const missing = await sitewire("lab", "nope.yaml");
    expect(missing.code).toBe(1);
    writeFileSync(join(dir, "bad.yaml"), "site: bad\nhosts: 3\n");
    const bad = await sitewire("lab", "bad.yaml");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("bad.yaml has errors: no lab to build");
    expect(bad.stderr).not.toContain("namespaces");
  });
});
