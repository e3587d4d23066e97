/**
 * The generated Ansible playbook, for real, against the machine itself (`ansible_connection=local`) with every
 * host's tree installed under its own temporary root (`sitewire_root`) and live actions off
 * (`sitewire_activate=false`), so nothing outside the temporary directory changes. The playbook runs
 * `sitewire secrets` through the built CLI (`npm test` builds first), as it would on a control node.
 *
 * Per example site: `--syntax-check` passes; `--check --diff` succeeds, reports changes and writes nothing;
 * the first real run installs exactly the manifest's files for each host (secret-bearing ones materialised,
 * 0600, values never printed) and the record of them; the second run changes nothing and notifies no handler;
 * a hand edit on a host is put back and notifies only its handler; a missing secret stops the host and names
 * the reference. Then, on a site with a tunnel removed: what the intent no longer has is removed, nothing else.
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

/** Runs a site's generated playbook against local folders (one per inventory host under `root`), never activating. */
function runPlaybook(o: { siteDir: string; root: string; repoDir: string; args: readonly string[]; env: Readonly<Record<string, string>> }): Run {
  const r = spawnSync(
    "ansible-playbook",
    [
      "-i",
      join(o.siteDir, "ansible", "inventory.yml"),
      join(o.siteDir, "ansible", "playbook.yml"),
      "-e",
      JSON.stringify({
        ansible_connection: "local",
        ansible_python_interpreter: "/usr/bin/python3",
        ansible_become: false,
        sitewire_root: `${o.root}/{{ inventory_hostname }}`,
        sitewire_activate: false,
        sitewire_command: [process.execPath, cli],
        sitewire_repo: o.repoDir,
      }),
      ...o.args,
    ],
    {
      cwd: o.repoDir,
      encoding: "utf8",
      timeout: 300_000,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: o.repoDir,
        ANSIBLE_NOCOLOR: "1",
        ANSIBLE_LOCAL_TEMP: join(o.repoDir, "ansible-tmp"),
        ANSIBLE_REMOTE_TEMP: join(o.repoDir, "ansible-tmp"),
        ANSIBLE_PYTHON_INTERPRETER: "/usr/bin/python3",
        ...o.env,
      },
    },
  );
  const output = `${r.stdout}${r.stderr}`;
  return { status: r.status, output, recap: recapOf(output) };
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

    const playbook = (args: readonly string[], env: Readonly<Record<string, string>> = SECRETS): Run =>
      runPlaybook({ siteDir: siteDir(), root, repoDir: work, args, env });

    function expectNoSecretIn(output: string): void {
      for (const value of Object.values(SECRETS)) expect(output).not.toContain(value);
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
        // ... and the record of them, which the next run reads to remove what the manifest no longer lists.
        expect(filesUnder(join(root, host))).toEqual([...entries.map((e) => e.path.slice(prefix.length)), "var/lib/sitewire/files.json"].sort());
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

    // Upgrading from sitewire's whole-table iptables file: the playbook removes it from the OS family's
    // persistence path when its header says sitewire wrote it, and leaves anyone else's file there alone.
    if (site === "partner-vpn")
      it("removes an iptables file an earlier sitewire wrote at the persistence path, and only that", () => {
        const old = join(root, "vpn-front", "etc", "sysconfig", "iptables");
        const foreign = join(root, "node-lan", "etc", "iptables", "rules.v4");
        const oldText = [
          "# Generated by sitewire from sites/partner-vpn.yaml: do not edit here.",
          "# Change the site file and run `sitewire compile`.",
          "# IPv4 rules of vpn-front (SSL VPN front machine), in iptables-restore format.",
          "*filter",
          ":INPUT ACCEPT [0:0]",
          ":FORWARD DROP [0:0]",
          ":OUTPUT ACCEPT [0:0]",
          "COMMIT",
          "",
        ].join("\n");
        const foreignText = "# Generated by iptables-save v1.8.9 on Mon Jan  1 00:00:00 2024\n*filter\n:INPUT DROP [0:0]\nCOMMIT\n";
        mkdirSync(dirname(old), { recursive: true });
        mkdirSync(dirname(foreign), { recursive: true });
        writeFileSync(old, oldText);
        writeFileSync(foreign, foreignText);

        const check = playbook(["--check"]);
        expect(check.status, check.output).toBe(0);
        expect(existsSync(old)).toBe(true);

        const r = playbook([]);
        expect(r.status, r.output).toBe(0);
        expect(existsSync(old)).toBe(false);
        expect(readFileSync(foreign, "utf8")).toBe(foreignText);
        expect(r.recap.get("vpn-front")?.changed).toBe(1);
        expect(r.recap.get("node-lan")?.changed).toBe(0);
        rmSync(foreign);
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

/**
 * Removal reaches the host: site v1 (two gateways, one tunnel each) is applied, then v2 without tunnel tun-b,
 * whose gateway gw-b is then left with no files at all. Every file v1 installed there goes, files sitewire did
 * not install (foreign ones, one at a path sitewire could use, one an edited record names) stay, and a second
 * run changes nothing.
 */
describe.skipIf(missing("ansible-playbook"))("the playbook removes what the intent no longer has", () => {
  const site = "ikev2-cisco";
  const dir = join(work, "removal");
  const root = join(dir, "roots");
  const env: Readonly<Record<string, string>> = { TUN_A_PSK: "sw-test-Value-a-1d2c3b", TUN_B_PSK: "sw-test-Value-b-5e6f7a" };
  const v1 = readFileSync(join(repo, "test", "fixtures", "sites", `${site}.yaml`), "utf8");
  const v2 = v1.replace(/^ {2}tun-b:\n(?: {4}.*\n)+/m, "");
  const record = (host: string) => join(root, host, "var", "lib", "sitewire", "files.json");
  const recorded = (host: string) => JSON.parse(readFileSync(record(host), "utf8")) as { comment: string; site: string; files: string[] };
  const pathsOf = (host: string) => manifestPaths(dir, site, host);
  const compile = (text: string) => compileSite(dir, site, text);

  const playbook = (args: readonly string[]): Run => runPlaybook({ siteDir: join(dir, "out", site), root, repoDir: dir, args, env });

  it("v2 without tun-b: gw-b's files go, foreign files stay, a second run changes nothing", () => {
    expect(v2).not.toContain("tun-b");
    compile(v1);
    const gwB = pathsOf("gw-b");
    expect(gwB).toEqual(expect.arrayContaining(["etc/strongswan/swanctl/conf.d/sitewire.conf", "usr/local/sbin/sitewire-tunnels", "etc/systemd/system/sitewire-tunnels.service"]));
    const first = playbook([]);
    expect(first.status, first.output).toBe(0);
    for (const host of ["gw-a", "gw-b"]) {
      expect(filesUnder(join(root, host))).toEqual([...pathsOf(host), "var/lib/sitewire/files.json"].sort());
      expect(recorded(host)).toMatchObject({ site, files: pathsOf(host) });
    }

    // Files sitewire did not install: beside its own, at a path it could use but never did here, and one
    // that an edited record names although sitewire never writes there.
    const foreign: Record<string, string> = {
      "etc/strongswan/swanctl/conf.d/other.conf": "connections { }\n",
      "usr/local/sbin/other-tool": "#!/bin/sh\n",
      "etc/sitewire/failover.conf": "# someone's own\n",
      "etc/passwd": "root:x:0:0::/root:/bin/sh\n",
    };
    for (const [path, text] of Object.entries(foreign)) {
      mkdirSync(dirname(join(root, "gw-b", path)), { recursive: true });
      writeFileSync(join(root, "gw-b", path), text);
    }
    // (as Ansible's to_json writes it: Python's json.dumps separators)
    const edited = recorded("gw-b") as { comment: string; site: string; files: string[] };
    const files = [...edited.files, "etc/passwd"].map((f) => JSON.stringify(f)).join(", ");
    writeFileSync(record("gw-b"), `{"comment": ${JSON.stringify(edited.comment)}, "site": "${edited.site}", "files": [${files}]}`);
    const gwA = Object.fromEntries(pathsOf("gw-a").map((p) => [p, readFileSync(join(root, "gw-a", p), "utf8")]));

    compile(v2);
    expect(pathsOf("gw-b")).toEqual([]);
    const check = playbook(["--check", "--diff"]);
    expect(check.status, check.output).toBe(0);
    expect(check.recap.get("gw-b")?.changed).toBeGreaterThan(0);
    for (const p of gwB) expect(existsSync(join(root, "gw-b", p)), `--check removed ${p}`).toBe(true);

    const second = playbook(["--diff"]);
    expect(second.status, second.output).toBe(0);
    expect(second.recap.get("gw-b")).toMatchObject({ failed: 0 });
    expect(second.recap.get("gw-b")!.changed).toBeGreaterThan(0);
    expect(filesUnder(join(root, "gw-b"))).toEqual([...Object.keys(foreign), "var/lib/sitewire/files.json"].sort());
    for (const [path, text] of Object.entries(foreign)) expect(readFileSync(join(root, "gw-b", path), "utf8"), path).toBe(text);
    expect(recorded("gw-b")).toMatchObject({ site, files: [] });
    // gw-a keeps exactly its files, unchanged.
    expect(filesUnder(join(root, "gw-a"))).toEqual([...Object.keys(gwA), "var/lib/sitewire/files.json"].sort());
    for (const [path, text] of Object.entries(gwA)) expect(readFileSync(join(root, "gw-a", path), "utf8"), path).toBe(text);
    for (const value of Object.values(env)) expect(second.output).not.toContain(value);

    const third = playbook(["--diff"]);
    expect(third.status, third.output).toBe(0);
    for (const host of ["gw-a", "gw-b"]) expect(third.recap.get(host), host).toMatchObject({ changed: 0, failed: 0 });
  });

  it.each([
    ["another site's record", '{"comment": "", "site": "other-site", "files": ["etc/swanctl/conf.d/sitewire.conf"]}', "records files of site other-site"],
    ["a record it does not write", '{"comment": "", "site": "ikev2-cisco", "files": ["../../etc/passwd"]}\n', "is not a record this playbook writes"],
  ])("%s stops the host instead of removing anything", (_label, text, message) => {
    compile(v1);
    writeFileSync(record("gw-a"), text);
    const r = playbook([]);
    expect(r.status).not.toBe(0);
    expect(r.recap.get("gw-a")?.failed).toBe(1);
    expect(r.output).toContain(message);
    expect(existsSync(join(root, "gw-a", "etc/swanctl/conf.d/sitewire.conf"))).toBe(true);
    expect(readFileSync(record("gw-a"), "utf8")).toBe(text);
  });
});

/**
 * The nftables backend through the playbook (test/fixtures/sites/nft-gateway.yaml): the hosts on nftables get
 * their table's file and unit, a hand edit of the file notifies only `load nftables`, and switching a host's
 * backend to iptables removes the nftables files (the stale unit is stopped first when activating) and installs
 * the iptables ones.
 */
describe.skipIf(missing("ansible-playbook"))("the playbook with the nftables backend", () => {
  const site = "nft-gateway";
  const dir = join(work, "nftables");
  const root = join(dir, "roots");
  const env: Readonly<Record<string, string>> = { SW_NFT_HUB_PSK: "sw-test-Value-nft-7a1b2c" };
  const v1 = readFileSync(join(repo, "test", "fixtures", "sites", `${site}.yaml`), "utf8");
  const pathsOf = (host: string) => manifestPaths(dir, site, host);
  const compile = (text: string) => compileSite(dir, site, text);
  const handlers = (output: string) => [...new Set([...output.matchAll(/RUNNING HANDLER \[([^\]]+)\]/g)].map((m) => m[1]))];

  const playbook = (args: readonly string[]): Run => runPlaybook({ siteDir: join(dir, "out", site), root, repoDir: dir, args, env });

  it("installs each host's table and unit, puts back an edited file with `load nftables` only, and follows a backend switch", () => {
    compile(v1);
    expect(pathsOf("gw")).toEqual(expect.arrayContaining(["etc/sitewire/firewall.nft", "etc/systemd/system/sitewire-nftables.service"]));
    expect(pathsOf("legacy")).toEqual(expect.arrayContaining(["etc/sitewire/iptables.rules", "etc/systemd/system/sitewire-firewall.service"]));
    expect(playbook(["--syntax-check"]).status).toBe(0);
    const first = playbook(["--diff"]);
    expect(first.status, first.output).toBe(0);
    for (const host of ["gw", "front", "legacy"]) expect(filesUnder(join(root, host))).toEqual([...pathsOf(host), "var/lib/sitewire/files.json"].sort());
    expect(handlers(first.output)).toEqual(expect.arrayContaining(["load nftables", "load iptables"]));

    const installed = join(root, "gw", "etc/sitewire/firewall.nft");
    const before = readFileSync(installed, "utf8");
    writeFileSync(installed, `${before}# edited by hand\n`);
    const again = playbook(["--diff"]);
    expect(again.status, again.output).toBe(0);
    expect(again.recap.get("gw")?.changed).toBe(1);
    expect(readFileSync(installed, "utf8")).toBe(before);
    expect(handlers(again.output)).toEqual(["load nftables"]);

    compile(v1.replace("    device: { kind: vti }\n", "    device: { kind: vti }\n    firewall: { backend: iptables, forwardDefault: drop }\n").replace("    firewall: { forwardDefault: drop }\n", ""));
    expect(pathsOf("gw")).toEqual(expect.arrayContaining(["etc/sitewire/iptables.rules", "usr/local/sbin/sitewire-firewall"]));
    expect(pathsOf("gw")).not.toContain("etc/sitewire/firewall.nft");
    const switched = playbook(["--diff"]);
    expect(switched.status, switched.output).toBe(0);
    expect(filesUnder(join(root, "gw"))).toEqual([...pathsOf("gw"), "var/lib/sitewire/files.json"].sort());
    expect(handlers(switched.output)).toEqual(["load iptables"]);
    for (const value of Object.values(env)) expect(`${first.output}${again.output}${switched.output}`).not.toContain(value);
  });
});

/** Compile `text` as site `site` in `dir` (sites/<site>.yaml → out/<site>/) with the built CLI. */
function compileSite(dir: string, site: string, text: string): void {
  mkdirSync(join(dir, "sites"), { recursive: true });
  writeFileSync(join(dir, "sites", `${site}.yaml`), text);
  const r = spawnSync(process.execPath, [cli, "compile"], { cwd: dir, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
}

/** The host paths manifest.json in `dir`/out/`site` lists for `host`, sorted. */
function manifestPaths(dir: string, site: string, host: string): string[] {
  const manifest = JSON.parse(readFileSync(join(dir, "out", site, "manifest.json"), "utf8")) as Manifest;
  return manifest.artifacts
    .filter((a) => a.host === host)
    .map((a) => a.path.slice(`hosts/${host}/`.length))
    .sort();
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}
