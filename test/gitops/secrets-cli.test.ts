/** `sitewire secrets` as the playbook calls it on the control node: values in, 0600 files out, never printed. */
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Repo, sitewire } from "./repo.js";

const VALUE = "edge-Test-Secret-91c2";

describe("sitewire secrets", () => {
  const repo = new Repo();
  const dest = mkdtempSync(join(tmpdir(), "sw-dest-"));
  beforeAll(async () => {
    repo.fixture("edge.0-base.yaml", "sites/edge.yaml");
    expect((await sitewire(repo.dir, ["compile"])).code).toBe(0);
  });
  afterAll(() => {
    repo.remove();
    rmSync(dest, { recursive: true, force: true });
  });

  it("writes the host's secret-bearing files with the value, mode 0600, and prints only paths and names", async () => {
    const r = await sitewire(repo.dir, ["secrets", "--site", "edge", "--host", "gw-a", "--dest", dest], { EDGE_VPN1_PSK: VALUE });
    expect(r.code, r.stderr).toBe(0);
    const file = join(dest, "etc/swanctl/conf.d/sitewire.conf");
    expect(readFileSync(file, "utf8")).toContain(`secret = "${VALUE}"`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(r.stdout + r.stderr).not.toContain(VALUE);
    expect(r.stdout).toContain("env:EDGE_VPN1_PSK");
  });

  it("fails naming the reference when the value is missing, and refuses a destination inside the repository", async () => {
    const missing = await sitewire(repo.dir, ["secrets", "--site", "edge", "--host", "gw-a", "--dest", dest]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("env:EDGE_VPN1_PSK");
    const inside = await sitewire(repo.dir, ["secrets", "--site", "edge", "--host", "gw-a", "--dest", "tmp-secrets"], { EDGE_VPN1_PSK: VALUE });
    expect(inside.code).toBe(1);
    expect(inside.stderr).toMatch(/refusing --dest/);
  });
});
