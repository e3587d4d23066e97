/**
 * The generated Ansible playbook, for real, against the machine itself (`ansible_connection=local`) with every
 * host's tree installed under its own temporary root (`sitewire_root`) and live actions off
 * (`sitewire_activate=false`), so nothing outside the temporary directory changes. The playbook runs
 * `sitewire secrets` through the built CLI (`npm test` builds first), as it would on a control node.
 *
 * Per example site: `--syntax-check` passes; `--check --diff` succeeds, reports changes and writes nothing;
 * the first real run installs exactly the manifest's files for each host (secret-bearing ones materialised,
 * 0600, values never printed); the second run changes nothing and notifies no handler; a hand edit on a host
 * is put back and notifies only its handler; a missing secret stops the host and names the reference.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Manifest } from "../../src/compile/manifest.js";
import { missing } from "../harness/tools.js";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const cli = join(repo, "dist", "src", "cli", "main.js");

// Printable values the strongSwan syntaxes accept; none may ever appear in Ansible's output.
const SECRETS: Readonly<Record<string, string>> = {
  BJS_VPN1_PSK: "sw-test-Value-one-4f1c9a",
  BJS_VPN2_PSK: "sw-test-Value-two-8b2e7d",
};

interface Recap {
  readonly ok: number;
  readonly changed: number;
  readonly failed: number;
}

interface Run {
  readonly status: number | null;
  readonly output: string;
  readonly recap: ReadonlyMap<string, Recap>;
}

// An Ansible run takes 2-20 s depending on the machine's load; a test makes up to two.
vi.setConfig({ testTimeout: 300_000 });

const work = mkdtempSync(join(tmpdir(), "sw-ansible-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function recapOf(output: string): Map<string, Recap> {
  const recap = new Map<string, Recap>();
  for (const m of output.matchAll(/^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)/gm)) {
    recap.set(m[1]!, { ok: Number(m[2]), changed: Number(m[3]), failed: Number(m[4]) });
  }
  return recap;
}

describe.skipIf(missing("ansible-playbook"))("the generated Ansible playbook", () => {
  beforeAll(() => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run 'npm run build' first (npm test does)`);
    cpSync(join(repo, "sites"), join(work, "sites"), { recursive: true });
    const compiled = spawnSync(process.execPath, [cli, "compile"], { cwd: work, encoding: "utf8" });
    expect(compiled.status, compiled.stderr).toBe(0);
  });

  describe.each(["bjs-hybrid", "partner-vpn"])("%s", (site) => {
    const siteDir = () => join(work, "out", site);
    const manifest = (): Manifest => JSON.parse(readFileSync(join(siteDir(), "manifest.json"), "utf8")) as Manifest;
    const root = join(work, "roots", site);
    const hostsOf = () => [...new Set(manifest().artifacts.flatMap((a) => (a.host ? [a.host] : [])))].sort();

    function playbook(args: readonly string[], env: Readonly<Record<string, string>> = SECRETS): Run {
      const r = spawnSync(
        "ansible-playbook",
        [
          "-i",
          join(siteDir(), "ansible", "inventory.yml"),
          join(siteDir(), "ansible", "playbook.yml"),
          "-e",
          JSON.stringify({
            ansible_connection: "local",
            ansible_python_interpreter: "/usr/bin/python3",
            ansible_become: false,
            sitewire_root: `${root}/{{ inventory_hostname }}`,
            sitewire_activate: false,
            sitewire_command: [process.execPath, cli],
            sitewire_repo: work,
          }),
          ...args,
        ],
        {
          cwd: work,
          encoding: "utf8",
          timeout: 300_000,
          env: {
            PATH: process.env.PATH ?? "/usr/bin:/bin",
            HOME: work,
            ANSIBLE_NOCOLOR: "1",
            ANSIBLE_LOCAL_TEMP: join(work, "ansible-tmp"),
            ANSIBLE_REMOTE_TEMP: join(work, "ansible-tmp"),
            ANSIBLE_PYTHON_INTERPRETER: "/usr/bin/python3",
            ...env,
          },
        },
      );
      const output = `${r.stdout}${r.stderr}`;
      return { status: r.status, output, recap: recapOf(output) };
    }

    function expectNoSecretIn(output: string): void {
      for (const value of Object.values(SECRETS)) expect(output).not.toContain(value);
    }

    function filesUnder(dir: string): string[] {
      if (!existsSync(dir)) return [];
      return readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
        .sort();
    }

    it("passes ansible-playbook --syntax-check", () => {
      const r = playbook(["--syntax-check"]);
      expect(r.status, r.output).toBe(0);
    });

    it("--check --diff succeeds, would change every host, and writes nothing", () => {
      const r = playbook(["--check", "--diff"]);
      expect(r.status, r.output).toBe(0);
      expect([...r.recap.keys()].sort()).toEqual(hostsOf());
      for (const [host, recap] of r.recap) {
        expect(recap.failed, host).toBe(0);
        expect(recap.changed, host).toBeGreaterThan(0);
      }
      expect(r.output).toContain("+++ after");
      expectNoSecretIn(r.output);
      expect(filesUnder(root)).toEqual([]);
    });

    it("the first run installs exactly each host's files; the second changes nothing", () => {
      const first = playbook(["--diff"]);
      expect(first.status, first.output).toBe(0);
      for (const host of hostsOf()) expect(first.recap.get(host)?.changed, host).toBeGreaterThan(0);
      expectNoSecretIn(first.output);

      for (const host of hostsOf()) {
        const entries = manifest().artifacts.filter((a) => a.host === host);
        const prefix = `hosts/${host}/`;
        expect(filesUnder(join(root, host))).toEqual(entries.map((e) => e.path.slice(prefix.length)).sort());
        for (const e of entries) {
          const installed = join(root, host, e.path.slice(prefix.length));
          const committed = readFileSync(join(siteDir(), e.path), "utf8");
          const secretBearing = committed.includes("@@sitewire-secret:");
          const expected = committed.replace(/@@sitewire-secret:env:([A-Za-z0-9_]+)@@/g, (_m, name: string) => SECRETS[name] ?? "MISSING");
          expect(readFileSync(installed, "utf8"), e.path).toBe(expected);
          expect((statSync(installed).mode & 0o777).toString(8), e.path).toBe(secretBearing ? "600" : e.mode.slice(1));
        }
      }

      const second = playbook(["--diff"]);
      expect(second.status, second.output).toBe(0);
      for (const host of hostsOf()) expect(second.recap.get(host), host).toMatchObject({ changed: 0, failed: 0 });
      expect(second.output).not.toContain("RUNNING HANDLER");
      expectNoSecretIn(second.output);
    });

    it("puts back a file edited on the host and notifies only that file's handler", () => {
      const entry = manifest().artifacts.find((a) => a.kind === "iptables-restore" || a.kind === "strongswan-ipsec-conf")!;
      const host = entry.host!;
      const installed = join(root, host, entry.path.slice(`hosts/${host}/`.length));
      const before = readFileSync(installed, "utf8");
      writeFileSync(installed, before + "# edited by hand\n");

      const r = playbook(["--diff"]);
      expect(r.status, r.output).toBe(0);
      expect(r.recap.get(host)?.changed).toBe(1);
      for (const other of hostsOf().filter((h) => h !== host)) expect(r.recap.get(other)?.changed, other).toBe(0);
      expect(readFileSync(installed, "utf8")).toBe(before);
      const handler = entry.kind === "iptables-restore" ? "load iptables" : "reload strongSwan";
      expect(r.output).toContain(`RUNNING HANDLER [${handler}]`);
      // The default callback may print a handler's banner once per host: compare the set of names.
      expect([...new Set([...r.output.matchAll(/RUNNING HANDLER \[([^\]]+)\]/g)].map((m) => m[1]))]).toEqual(
        handler === "reload strongSwan" ? ["reload strongSwan", "reload strongSwan connections and secrets"] : [handler],
      );
    });

    // bjs-hybrid is the example site with secrets (partner-vpn has none).
    if (site === "bjs-hybrid")
      it("stops a host whose secret is not set, naming the reference, and leaves no staging directory", () => {
        const tmp = join(work, "tmp-missing");
        mkdirSync(tmp, { recursive: true });
        const r = playbook(["--check"], { BJS_VPN1_PSK: SECRETS.BJS_VPN1_PSK!, TMPDIR: tmp });
        expect(r.status).not.toBe(0);
        expect(r.recap.get("strongswan-2")?.failed).toBe(1);
        expect(r.recap.get("strongswan-1")?.failed).toBe(0);
        expect(r.output).toContain("env:BJS_VPN2_PSK");
        expectNoSecretIn(r.output);
        expect(readdirSync(tmp)).toEqual([]);
      });
  });
});
