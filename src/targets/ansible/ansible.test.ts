/**
 * The Ansible target's inventory and playbook as data: parsed back as YAML and compared with the model and
 * with what the other targets emit. (test/real/ansible.test.ts runs the playbook for real.)
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compileKinds } from "../../compile/kinds.js";
import { compileSource } from "../../compile/pipeline.js";
import { HOST_PATHS } from "../host-paths.js";
import { handlerGroups } from "../kinds.js";
import { TARGETS } from "../registry.js";
import { ansibleTarget, FILES_RECORD, INVENTORY_PATH, inventoryGroup, KNOWN_HOST_PATHS, PLAYBOOK_PATH } from "./index.js";

const root = new URL("../../../", import.meta.url);
const siteFiles = ["sites", "test/fixtures/sites"].flatMap((dir) =>
  readdirSync(new URL(dir, root))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => `${dir}/${f}`),
);
const compiled = siteFiles.map((file) => compileSource(file, readFileSync(new URL(file, root), "utf8"))).filter((r) => r.model);
/** The playbook's kind lists, from the registered targets' declarations. */
const KIND_GROUPS = handlerGroups(compileKinds(TARGETS));

interface Inventory {
  all: { children: Record<string, { hosts: Record<string, Record<string, unknown>> }> };
}

describe("ansible target", () => {
  it("every host of the intent is in the site's group, at its address, with its OS family", () => {
    for (const r of compiled) {
      const model = r.model!;
      const inventoryFile = r.artifacts.find((a) => a.path === INVENTORY_PATH);
      if (model.hosts.length === 0) {
        expect(inventoryFile, model.name).toBeUndefined();
        continue;
      }
      const inventory = parse(inventoryFile!.content) as Inventory;
      expect(Object.keys(inventory.all.children)).toEqual([inventoryGroup(model.name)]);
      const hosts = inventory.all.children[inventoryGroup(model.name)]!.hosts;
      expect(Object.keys(hosts)).toEqual(model.hosts.map((h) => h.name));
      for (const h of model.hosts) {
        expect(hosts[h.name], h.name).toMatchObject({ ansible_host: h.address.address, sitewire_os: h.os, sitewire_os_family: h.os === "rhel" ? "RedHat" : "Debian" });
        if (h.tunnels.length === 0) expect(hosts[h.name]).not.toHaveProperty("sitewire_strongswan_daemon");
        else
          expect(hosts[h.name]).toMatchObject({
            sitewire_strongswan_daemon: h.strongswanFormat === "ipsec-conf" ? "stroke" : "swanctl",
            sitewire_strongswan_units: { stroke: HOST_PATHS[h.os].strongswanUnits[0], swanctl: HOST_PATHS[h.os].strongswanUnits[1] },
          });
      }
    }
  });

  it("the playbook can remove every file it installs: each host path of every site is a known path, the record is none", () => {
    const installed = new Set(compiled.flatMap((r) => r.artifacts.filter((a) => a.host).map((a) => a.path.replace(/^hosts\/[^/]+\//, ""))));
    // except /etc/frr/daemons: the frr package's own file, left in place when BGP leaves the intent
    expect([...installed].filter((p) => !KNOWN_HOST_PATHS.includes(p))).toEqual([HOST_PATHS.debian.frrDaemons]);
    expect(KNOWN_HOST_PATHS).toContain(HOST_PATHS.debian.frrConf);
    // the OS families' own iptables persistence files are never sitewire's to remove by the record
    for (const os of ["debian", "rhel"] as const) expect(KNOWN_HOST_PATHS).not.toContain(HOST_PATHS[os].legacyIptablesRules);
    expect(KNOWN_HOST_PATHS).not.toContain(FILES_RECORD);
    const playbook = parse(compiled[0]!.artifacts.find((a) => a.path === PLAYBOOK_PATH)!.content) as [{ vars: Record<string, unknown> }];
    expect(playbook[0].vars).toMatchObject({ sw_record: FILES_RECORD, sw_known_paths: KNOWN_HOST_PATHS });
  });

  it("the strongSwan units in host-paths are [stroke, swanctl] on every OS family", () => {
    // Debian: strongswan-starter runs ipsec.conf, strongswan (charon-systemd) swanctl; RHEL/EPEL: strongswan
    // runs ipsec.conf, strongswan-swanctl swanctl. The inventory relies on this order.
    expect(HOST_PATHS.debian.strongswanUnits).toEqual(["strongswan-starter.service", "strongswan.service"]);
    expect(HOST_PATHS.rhel.strongswanUnits).toEqual(["strongswan.service", "strongswan-swanctl.service"]);
  });

  it("every kind a host file can have is handled by the playbook, and the playbook's lists are these", () => {
    const grouped = new Set<string>(Object.values(KIND_GROUPS).flat());
    const hostKinds = new Set(compiled.flatMap((r) => r.artifacts.filter((a) => a.host).map((a) => a.kind)));
    expect([...hostKinds].filter((k) => !grouped.has(k))).toEqual([]);
    // each kind in one group only, the group its target declares
    expect(Object.values(KIND_GROUPS).flat()).toHaveLength(grouped.size);
    for (const target of TARGETS)
      for (const [kind, d] of Object.entries(target.kinds))
        if (d.handler === "none") expect(grouped.has(kind), `${target.name} ${kind}`).toBe(false);
        else expect(KIND_GROUPS[d.handler], `${target.name} ${kind}`).toContain(kind);

    const playbook = compiled.find((r) => r.site === "bjs-hybrid")!.artifacts.find((a) => a.path === PLAYBOOK_PATH)!.content;
    const [play] = parse(playbook) as [{ hosts: string; vars: Record<string, unknown> }];
    expect(play.hosts).toBe("sitewire_bjs_hybrid");
    expect(play.vars).toMatchObject({
      sw_site: "bjs-hybrid",
      sw_strongswan_kinds: KIND_GROUPS.strongswan,
      sw_sysctl_kinds: KIND_GROUPS.sysctl,
      sw_iptables_kinds: KIND_GROUPS.iptables,
      sw_unit_kinds: KIND_GROUPS.units,
      sw_units_before_strongswan: ["sitewire-tunnels.service"],
      sw_units_after_strongswan: ["sitewire-failover.service"],
    });
  });

  it("FRR: frr.conf reloads frr, daemons restarts it, both owned by frr, frr.conf checked by vtysh when installed into /", () => {
    const r = compiled.find((x) => x.site === "bgp-pair")!;
    expect(r.artifacts.filter((a) => a.host && a.kind.startsWith("frr-")).map((a) => a.kind).sort()).toEqual(["frr-conf", "frr-daemons"]);
    type Task = { name: string; notify?: string; loop?: string; "ansible.builtin.copy"?: Record<string, string>; "ansible.builtin.systemd"?: Record<string, string> };
    const [play] = parse(r.artifacts.find((a) => a.path === PLAYBOOK_PATH)!.content) as [{ vars: Record<string, unknown>; tasks: Task[]; handlers: Task[] }];
    expect(play.vars).toMatchObject({ sw_frr_kinds: KIND_GROUPS.frr, sw_frr_daemons_kinds: KIND_GROUPS.frrDaemons, sw_frr_unit: "frr.service", sw_frr_paths: [HOST_PATHS.debian.frrConf] });
    const task = (name: string) => play.tasks.find((t) => t.name === name)!;
    expect(task("Install FRRouting's configuration (frr.conf)")).toMatchObject({ notify: "reload frr" });
    expect(task("Install FRRouting's configuration (frr.conf)").loop).toContain("sw_frr_kinds");
    expect(task("Install FRRouting's daemons list")).toMatchObject({ notify: "restart frr" });
    const copy = task("Install FRRouting's configuration (frr.conf)")["ansible.builtin.copy"]!;
    expect(copy.owner).toContain("'frr' if");
    expect(copy.validate).toContain("vtysh --dryrun -f %s");
    expect(copy.mode).toBe("{{ item.mode }}");
    expect(task("Install other files").loop).toContain("sw_frr_kinds + sw_frr_daemons_kinds");
    const handlers = play.handlers.map((h) => h.name);
    expect(handlers.indexOf("restart frr")).toBeGreaterThan(handlers.indexOf("reload sitewire tunnels"));
    expect(handlers.indexOf("reload frr")).toBeGreaterThan(handlers.indexOf("restart frr"));
    expect(play.handlers.find((h) => h.name === "reload frr")!["ansible.builtin.systemd"]).toMatchObject({ name: "{{ sw_frr_unit }}", state: "reloaded" });
    expect(play.handlers.find((h) => h.name === "restart frr")!["ansible.builtin.systemd"]).toMatchObject({ name: "{{ sw_frr_unit }}", state: "restarted" });
  });

  it("secret values never reach Ansible's output: every task touching them is no_log, the copy shows no diff", () => {
    const r = compiled.find((x) => x.site === "bjs-hybrid")!;
    const [play] = parse(r.artifacts.find((a) => a.path === PLAYBOOK_PATH)!.content) as [{ tasks: { name: string; block?: { name: string; no_log?: boolean; diff?: boolean; delegate_to?: string }[] }[] }];
    const secrets = play.tasks.find((t) => t.name.startsWith("Secret-bearing files"))!.block!;
    expect(secrets.find((t) => t.name.includes("sitewire secrets"))).toMatchObject({ no_log: true, delegate_to: "localhost" });
    expect(secrets.find((t) => t.name.startsWith("Install the secret-bearing files"))).toMatchObject({ no_log: true, diff: false });
  });

  it("emits nothing for a site without hosts, and the same text for the same model", () => {
    const clusterOnly = compiled.find((r) => r.model!.hosts.length === 0)!;
    expect(ansibleTarget.emit(clusterOnly.model!)).toEqual([]);
    const bjs = compiled.find((r) => r.site === "bjs-hybrid")!.model!;
    const context = { emitted: [], kinds: compileKinds(TARGETS) };
    expect(ansibleTarget.emit(bjs, context)).toEqual(ansibleTarget.emit(bjs, context));
    // the kind lists come from the declarations only: without them the target refuses to guess
    expect(() => ansibleTarget.emit(bjs)).toThrow(/declared artifact kinds/);
  });

  it("a kind another target declares with a handler group lands in that group's list in the playbook", () => {
    const bjs = compiled.find((r) => r.site === "bjs-hybrid")!.model!;
    const extra = { name: "extra", description: "", kinds: { "extra-conf": { text: "extra", handler: "frr", mode: 0o644 } }, emit: () => [] } as const;
    const kinds = compileKinds([...TARGETS, extra]);
    const playbook = ansibleTarget.emit(bjs, { emitted: [], kinds }).find((a) => a.path === PLAYBOOK_PATH)!.content;
    const [play] = parse(playbook) as [{ vars: Record<string, unknown> }];
    expect(play.vars["sw_frr_kinds"]).toEqual(["frr-conf", "extra-conf"]);
    expect(play.vars["sw_unit_kinds"]).toEqual(KIND_GROUPS.units);
  });
});
