import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sourceOf } from "../../test/helpers/source.js";
import { buildManifest } from "../compile/manifest.js";
import { emitAll } from "../compile/pipeline.js";
import { resolveSite } from "../model/resolve.js";
import { strongswanTarget } from "../targets/strongswan/index.js";
import { parseIpsecSecrets, parseSwanctl, sectionAt } from "../targets/strongswan/readback.js";
import { runSecretsCommand } from "./command.js";

const VALUES = { BJS_VPN1_PSK: "Vpn1-Key-Zq8!mN3#pR", BJS_VPN2_PSK: "Vpn2-Key-Hx4$wT7%kL" };

let work: string;
let out: string;

/** out/<site>/ as `sitewire compile` writes it (strongSwan files and the manifest). */
function writeOut(path = "sites/bjs-hybrid.yaml"): void {
  const { source, intent } = sourceOf(readFileSync(new URL(`../../${path}`, import.meta.url), "utf8"), path);
  const { model } = resolveSite(source, intent, "0".repeat(64));
  const artifacts = emitAll(model, [strongswanTarget]);
  for (const a of [...artifacts, buildManifest(model, artifacts)]) {
    const file = join(out, model.name, a.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, a.content, { mode: a.mode });
  }
}

async function run(dest: string, env: Record<string, string | undefined>, host = "strongswan-1", site = "bjs-hybrid") {
  let stdout = "";
  let stderr = "";
  const code = await runSecretsCommand(
    { site, host, outDir: "out", dest, env },
    { cwd: work, stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } },
  );
  return { code, stdout, stderr, printed: stdout + stderr };
}

function filesUnder(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)) : [];
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "sw-secrets-"));
  out = join(work, "out");
  writeOut();
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe("sitewire secrets", () => {
  it("writes the host's secret files with the real values, 0600 in 0700 directories, printing only paths and references", async () => {
    const dest = join(work, "stage");
    const r = await run(dest, VALUES);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const secrets = join(dest, "etc/strongswan/ipsec.secrets");
    const swanctl = join(dest, "etc/strongswan/swanctl/conf.d/sitewire.conf");
    expect(filesUnder(dest).sort()).toEqual([secrets, swanctl].sort());
    expect(parseIpsecSecrets(readFileSync(secrets, "utf8"))[0]!.secret).toBe(VALUES.BJS_VPN1_PSK);
    expect(sectionAt(parseSwanctl(readFileSync(swanctl, "utf8")), "secrets", "ike-vpn1").secret).toBe(VALUES.BJS_VPN1_PSK);
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    expect(statSync(swanctl).mode & 0o777).toBe(0o600);
    expect(statSync(join(dest, "etc/strongswan")).mode & 0o777).toBe(0o700);
    expect(r.stdout).toContain(`wrote ${secrets} (0600): env:BJS_VPN1_PSK`);
    for (const value of Object.values(VALUES)) expect(r.printed).not.toContain(value);
    // the committed tree still holds only the placeholder
    expect(readFileSync(join(out, "bjs-hybrid/hosts/strongswan-1/etc/strongswan/ipsec.secrets"), "utf8")).toContain("@@sitewire-secret:env:BJS_VPN1_PSK@@");
  });

  it("names a missing reference and writes nothing", async () => {
    const dest = join(work, "stage");
    const r = await run(dest, { BJS_VPN2_PSK: VALUES.BJS_VPN2_PSK });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("etc/strongswan/ipsec.secrets: env:BJS_VPN1_PSK: the environment variable is not set");
    expect(filesUnder(dest)).toEqual([]);
  });

  it("refuses a value holding a double quote without echoing it", async () => {
    const bad = 'abc"def-unique-7731';
    const r = await run(join(work, "stage"), { BJS_VPN1_PSK: bad });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/env:BJS_VPN1_PSK: the value contains a double quote/);
    expect(r.printed).not.toContain("unique-7731");
    expect(filesUnder(join(work, "stage"))).toEqual([]);
  });

  it("refuses a destination inside a git work tree", async () => {
    const repo = join(work, "repo");
    mkdirSync(join(repo, ".git"), { recursive: true });
    const r = await run(join(repo, "deploy", "stage"), VALUES);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`inside the git work tree ${repo}`);
    expect(filesUnder(join(repo, "deploy"))).toEqual([]);
  });

  it("refuses a destination inside the output directory", async () => {
    const r = await run(join(out, "bjs-hybrid", "hosts"), VALUES);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("inside the output directory");
    expect(readFileSync(join(out, "bjs-hybrid/hosts/strongswan-1/etc/strongswan/ipsec.secrets"), "utf8")).not.toContain(VALUES.BJS_VPN1_PSK);
  });

  it("refuses a committed file that differs from the manifest", async () => {
    writeFileSync(join(out, "bjs-hybrid/hosts/strongswan-1/etc/strongswan/ipsec.secrets"), '%any : PSK "@@sitewire-secret:env:BJS_VPN1_PSK@@"\n');
    const r = await run(join(work, "stage"), VALUES);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ipsec\.secrets differs from what sitewire wrote/);
  });

  it("names the hosts it knows when the host is not in the site", async () => {
    const r = await run(join(work, "stage"), VALUES, "strongswan-9");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("site bjs-hybrid has no host or device strongswan-9 (hosts: strongswan-1, strongswan-2; devices: none)");
  });

  it.skipIf(existsSync("/run/secrets/hq-branch-psk"))("also serves a strongSwan peer's files (devices/<peer>/) and names a missing file: reference", async () => {
    writeOut("test/fixtures/sites/sw-policy.yaml");
    const dest = join(work, "stage");
    const missingFile = await run(dest, {}, "gw-b", "sw-policy");
    expect(missingFile.code).toBe(1);
    expect(missingFile.stderr).toContain("file:/run/secrets/hq-branch-psk: the file does not exist or cannot be read");
    expect(filesUnder(dest)).toEqual([]);
  });

  it("replaces an earlier materialised file atomically", async () => {
    const dest = join(work, "stage");
    expect((await run(dest, VALUES)).code).toBe(0);
    expect((await run(dest, { ...VALUES, BJS_VPN1_PSK: "rotated-key-0042" })).code).toBe(0);
    expect(readFileSync(join(dest, "etc/strongswan/ipsec.secrets"), "utf8")).toContain('"rotated-key-0042"');
    expect(filesUnder(dest).some((f) => f.includes("sitewire-tmp"))).toBe(false);
  });
});
