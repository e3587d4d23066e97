/**
 * The FRRouting files, checked by FRR itself (Debian `frr` 8.4, see .ci/run): every frr.conf sitewire emits for
 * every example site and fixture passes `vtysh --dryrun -f` (FRR's own parser: exit 0, or 2 with
 * `line N: % Unknown command`), and so does the far end's side rendered from the same model; the check is shown
 * to fail on a broken file; the emitted daemons file is the installed package's /etc/frr/daemons with only
 * bgpd= / bfdd= changed; the generated playbook installs both (owner frr when that user exists, the manifest's
 * mode) into a staging root, changes nothing on a second run, and notifies `reload frr` for a changed frr.conf
 * and `restart frr` for a changed daemons file (activation off: the handlers run and skip, nothing is started).
 * Without vtysh / ansible-playbook the tests are skipped loudly; under CI=true they fail (test/harness/tools.ts).
 * Running two bgpd over the tunnels is test/live/bgp-failover.test.ts.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileSource } from "../../src/compile/pipeline.js";
import { frrView, renderFrrConf } from "../../src/targets/frr/index.js";
import { missing } from "../harness/tools.js";

const root = new URL("../../", import.meta.url).pathname;
const SITE_FILES = [
  ...readdirSync(join(root, "sites")).map((f) => `sites/${f}`),
  ...readdirSync(join(root, "test/fixtures/sites")).map((f) => `test/fixtures/sites/${f}`),
]
  .filter((f) => f.endsWith(".yaml"))
  .sort();

const work = mkdtempSync(join(tmpdir(), "sw-frr-check-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let serial = 0;
/** `vtysh --dryrun -f FILE`: FRR parses the whole file without any daemon. */
function dryrun(text: string): { code: number | null; out: string } {
  const file = join(work, `frr-${serial++}.conf`);
  writeFileSync(file, text);
  const r = spawnSync("vtysh", ["--dryrun", "-f", file], { encoding: "utf8", timeout: 30_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function compile(path: string) {
  const result = compileSource(path, readFileSync(join(root, path), "utf8"));
  return { model: result.model, artifacts: result.artifacts };
}

const cases = SITE_FILES.flatMap((site) => {
  const { model, artifacts } = compile(site);
  const emitted = artifacts.filter((a) => a.kind === "frr-conf").map((a) => ({ site, what: a.path, text: a.content }));
  // The far end's side of the same sessions, per peer: what a strongSwan far end running FRR would load.
  const far = (model?.peers ?? []).flatMap((peer) => {
    const tunnels = (model?.tunnels ?? []).filter((t) => t.peer.node === peer.name && t.bgp);
    return tunnels.length === 0 ? [] : [{ site, what: `far end ${peer.name}`, text: renderFrrConf(frrView(site, peer.name, "peer", tunnels)) }];
  });
  return [...emitted, ...far];
});

describe.skipIf(missing("vtysh"))("frr.conf in FRR's own parser (vtysh --dryrun)", () => {
  it("some sites have BGP hosts (the check below is not vacuous)", () => {
    expect(cases.filter((c) => c.what.endsWith("etc/frr/frr.conf")).length).toBeGreaterThanOrEqual(2);
    expect(cases.map((c) => c.site)).toContain("test/fixtures/sites/bgp-pair.yaml");
  });

  it.each(cases.map((c) => [`${c.site}: ${c.what}`, c] as const))("%s passes", (_, c) => {
    const r = dryrun(c.text);
    expect(r, c.text).toEqual({ code: 0, out: "" });
  });

  it("fails a file FRR does not take: a misspelt command, an out-of-range timer or AS, a /33, a bad address", () => {
    const good = cases.find((c) => c.site.endsWith("bgp-pair.yaml"))!.text;
    expect(dryrun(good).code).toBe(0);
    for (const [from, to] of [
      [" set metric 100", " set metrik 100"],
      [" timers 3 9", " timers 3 70000"],
      ["remote-as 65020", "remote-as 0"],
      ["permit 10.60.0.0/24", "permit 10.60.0.0/33"],
      ["bgp router-id 198.51.100.10", "bgp router-id 198.51.100.300"],
    ] as const) {
      expect(good).toContain(from);
      const r = dryrun(good.replace(from, to));
      expect(r.code, to).toBe(2);
      expect(r.out).toMatch(/line \d+: % Unknown command/);
    }
  });
});

describe.skipIf(missing("vtysh") || !existsSync("/etc/frr/daemons"))("daemons is the frr package's file", () => {
  it("equals the installed /etc/frr/daemons except sitewire's header and the bgpd= / bfdd= lines", () => {
    // A fresh install's conffile (CI installs frr for this test); a machine whose file was edited would differ here.
    const body = (text: string) =>
      text
        .split("\n")
        .filter((l) => !/^(bgpd|bfdd)=/.test(l) && l.trim() !== "")
        .map((l) => l.replace(/\s+$/, ""));
    const installed = body(readFileSync("/etc/frr/daemons", "utf8"));
    const { artifacts } = compile("test/fixtures/sites/bgp-pair.yaml");
    const daemons = artifacts.find((a) => a.kind === "frr-daemons")!.content;
    const header = daemons.split("\n").findIndex((l) => !l.startsWith("#") || l === "# This file tells the frr package which daemons to start.");
    expect(body(daemons.split("\n").slice(header).join("\n"))).toEqual(installed);
    expect(daemons).toMatch(/^bgpd=yes$/m);
  });
});

describe.skipIf(missing("ansible-playbook", "vtysh"))("the playbook installs the FRR files and notifies the right handler", () => {
  const cli = join(root, "dist", "src", "cli", "main.js");
  const secrets = { SW_BGP_A_PSK: "sw-test-frr-a-4f1c9a", SW_BGP_B_PSK: "sw-test-frr-b-8b2e7d" };

  function playbook(repoDir: string, stage: string): { status: number | null; output: string } {
    const siteDir = join(repoDir, "out", "bgp-pair");
    const r = spawnSync(
      "ansible-playbook",
      [
        "-i",
        join(siteDir, "ansible", "inventory.yml"),
        join(siteDir, "ansible", "playbook.yml"),
        "-e",
        JSON.stringify({
          ansible_connection: "local",
          ansible_python_interpreter: "/usr/bin/python3",
          ansible_become: false,
          sitewire_root: `${stage}/{{ inventory_hostname }}`,
          sitewire_activate: false,
          sitewire_command: [process.execPath, cli],
          sitewire_repo: repoDir,
        }),
      ],
      {
        cwd: repoDir,
        encoding: "utf8",
        timeout: 300_000,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: repoDir, ANSIBLE_NOCOLOR: "1", ANSIBLE_LOCAL_TEMP: join(repoDir, "ansible-tmp"), ANSIBLE_REMOTE_TEMP: join(repoDir, "ansible-tmp"), ...secrets },
      },
    );
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  }

  it("installs; a changed frr.conf reloads frr, a changed daemons file restarts it, nothing else changes", () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run 'npm run build' first (npm test does)`);
    const repoDir = join(work, "ansible-repo");
    const stage = join(work, "ansible-root");
    mkdirSync(join(repoDir, "sites"), { recursive: true });
    copyFileSync(join(root, "test/fixtures/sites/bgp-pair.yaml"), join(repoDir, "sites", "bgp-pair.yaml"));
    const compiled = spawnSync(process.execPath, [cli, "compile"], { cwd: repoDir, encoding: "utf8" });
    expect(compiled.status, compiled.stderr).toBe(0);

    const first = playbook(repoDir, stage);
    expect(first.status, first.output).toBe(0);
    const conf = join(stage, "gw", "etc", "frr", "frr.conf");
    const daemons = join(stage, "gw", "etc", "frr", "daemons");
    expect(readFileSync(conf, "utf8")).toBe(readFileSync(join(repoDir, "out", "bgp-pair", "hosts", "gw", "etc", "frr", "frr.conf"), "utf8"));
    for (const file of [conf, daemons]) {
      const st = statSync(file);
      expect(st.mode & 0o777, file).toBe(0o640);
      const frr = spawnSync("id", ["-u", "frr"], { encoding: "utf8" });
      if (frr.status === 0) expect(st.uid, `${file} owned by frr`).toBe(Number(frr.stdout.trim()));
    }
    for (const value of Object.values(secrets)) expect(first.output).not.toContain(value);

    expect(first.output).toContain("RUNNING HANDLER [reload frr]");
    expect(first.output).toContain("RUNNING HANDLER [restart frr]");

    // (An Ansible run takes up to a minute on a loaded machine: the idempotence check rides on the edit runs,
    // where exactly the edited file changes.)
    appendFileSync(conf, "! edited by hand\n");
    const edited = playbook(repoDir, stage);
    expect(edited.status, edited.output).toBe(0);
    expect(edited.output).toMatch(/gw\s+:\s+ok=\d+\s+changed=1\s/);
    expect(edited.output).toContain("RUNNING HANDLER [reload frr]");
    expect(edited.output).not.toContain("RUNNING HANDLER [restart frr]");
    expect(readFileSync(conf, "utf8")).not.toContain("edited by hand");

    appendFileSync(daemons, "ospfd=yes\n");
    const restarted = playbook(repoDir, stage);
    expect(restarted.status, restarted.output).toBe(0);
    expect(restarted.output).toMatch(/gw\s+:\s+ok=\d+\s+changed=1\s/);
    expect(restarted.output).toContain("RUNNING HANDLER [restart frr]");
    expect(restarted.output).not.toContain("RUNNING HANDLER [reload frr]");
  }, 900_000);
});
