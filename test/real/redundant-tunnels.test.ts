/**
 * SW165 (src/rules/redundant-tunnels.ts) for real: the host routing the rule refuses is built by the generated
 * tunnel script in a throwaway network namespace (test/harness/ip-shim turns vti devices into veth pairs;
 * ip rules, tables and routes are the kernel's own), and the kernel's own route lookup shows what the rule's
 * message says: with two static tunnels to one far network the tunnel whose ip rule has the lower priority
 * gets every packet, with no SA on either (the decision does not depend on the tunnels' state); and a static
 * tunnel's table beats the main table, where bgpd installs the routes of a BGP tunnel.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { resolveSite } from "../../src/model/resolve.js";
import type { SiteModel } from "../../src/model/types.js";
import { redundantTunnels } from "../../src/rules/redundant-tunnels.js";
import { HOST_PATHS, hostFile } from "../../src/targets/host-paths.js";
import { linuxTarget } from "../../src/targets/linux/index.js";
import { bgpSite, bgpTunnel } from "../fixtures/rules/bgp-sites.js";
import { check } from "../fixtures/rules/rule-tester.js";
import { Netns } from "../harness/netns.js";
import { missing } from "../harness/tools.js";
import { sourceOf } from "../helpers/source.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const work = mkdtempSync(join(tmpdir(), "sw-redundant-"));
const shim = join(work, "bin");
mkdirSync(shim, { recursive: true });
copyFileSync(join(root, "test", "harness", "ip-shim"), join(shim, "ip"));
chmodSync(join(shim, "ip"), 0o755);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const staticOnly = (text: string) => text.replace(/\n {4}bgp: \{\}/, "");
const second = (bgp: boolean) => {
  const t = bgpTunnel("t2", { key: 2, more: "    overrides: { far: { address: 203.0.113.11 } }" });
  return bgp ? t : staticOnly(t);
};
const STATIC_PAIR = bgpSite([staticOnly(bgpTunnel("t1")), second(false)].join("\n"));
const BGP_AND_STATIC = bgpSite([bgpTunnel("t1"), second(false)].join("\n"));

function modelOf(text: string): SiteModel {
  const { source, intent } = sourceOf(text);
  const { model, diagnostics } = resolveSite(source, intent, "0".repeat(64));
  expect(diagnostics).toEqual([]);
  return model;
}

/** Build host gw's tunnel script in a fresh namespace; returns the namespace and a route lookup. */
function hostUp(model: SiteModel): { ns: Netns; deviceOf: (tunnel: string) => string; routeGet: (address: string) => string } {
  const host = model.hosts.find((h) => h.name === "gw")!;
  const script = linuxTarget.emit(model).find((a) => a.path === hostFile("gw", HOST_PATHS[host.os].tunnelScript))!.content;
  const file = join(work, `gw-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(file, script, { mode: 0o755 });
  const ns = new Netns("red");
  ns.exec(["ip", "link", "add", host.interface, "type", "veth", "peer", "name", `o${host.interface}`]);
  ns.exec(["ip", "addr", "add", host.address.cidr, "dev", host.interface]);
  ns.exec(["ip", "link", "set", host.interface, "up"]);
  ns.exec(["ip", "link", "set", `o${host.interface}`, "up"]);
  const varLib = mkdtempSync(join(work, "varlib-"));
  const state = mkdtempSync(join(work, "shim-"));
  const env = [`PATH=${shim}:/usr/sbin:/usr/bin:/sbin:/bin`, `SITEWIRE_SHIM_STATE=${state}`];
  const r = spawnSync("ip", ["netns", "exec", ns.name, "sh", "-c", 'mount --bind "$0" /var/lib && exec "$@"', varLib, "env", ...env, "bash", file, "up"], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return {
    ns,
    deviceOf: (tunnel) => host.vtis.find((v) => v.tunnel === tunnel)!.device,
    routeGet: (address) => ns.exec(["ip", "route", "get", address]),
  };
}

describe.skipIf(missing("ip"))("redundant tunnels on one host, built for real", () => {
  it("two static tunnels to one far network: the lower ip rule priority takes every packet (SW165 says so)", () => {
    expect(check([redundantTunnels], STATIC_PAIR).diagnostics.map((d) => d.code)).toEqual(["SW165"]);
    const model = modelOf(STATIC_PAIR);
    const { ns, deviceOf, routeGet } = hostUp(model);
    try {
      // Both tables hold the far network; no SA exists for either tunnel, and still t1 (priority 1) is chosen.
      expect(ns.exec(["ip", "route", "show", "table", "2"])).toMatch(new RegExp(`^10\\.60\\.0\\.0/16 .*dev ${deviceOf("t2")} `, "m"));
      expect(routeGet("10.60.1.1")).toContain(`dev ${deviceOf("t1")}`);
      // Taking t1's table rule away is what it would take for t2 to carry anything.
      ns.exec(["ip", "rule", "del", "priority", "1"]);
      expect(routeGet("10.60.1.1")).toContain(`dev ${deviceOf("t2")}`);
    } finally {
      ns.cleanup();
    }
  });

  it("a static tunnel beside a BGP tunnel: its table wins over the BGP route in main", () => {
    expect(check([redundantTunnels], BGP_AND_STATIC).diagnostics.map((d) => d.code)).toEqual(["SW165"]);
    const model = modelOf(BGP_AND_STATIC);
    const t1 = model.tunnels.find((t) => t.name === "t1")!;
    const { ns, deviceOf, routeGet } = hostUp(model);
    try {
      // What bgpd would install for t1 (FRR: main table, proto bgp, via the neighbour).
      ns.exec(["ip", "route", "add", "10.60.0.0/16", "via", t1.bgp!.host.neighbor, "dev", deviceOf("t1"), "proto", "bgp"]);
      expect(routeGet("10.60.1.1")).toContain(`dev ${deviceOf("t2")}`);
    } finally {
      ns.cleanup();
    }
  });

  it("two BGP tunnels: no table or rule of their own, the main table (BGP's best path) decides", () => {
    const both = bgpSite([bgpTunnel("t1"), second(true)].join("\n"));
    expect(check([redundantTunnels], both).diagnostics).toEqual([]);
    const model = modelOf(both);
    const { ns, deviceOf, routeGet } = hostUp(model);
    try {
      expect(ns.exec(["ip", "rule", "show"]).split("\n").filter((l) => /lookup (1|2)\b/.test(l))).toEqual([]);
      const t2 = model.tunnels.find((t) => t.name === "t2")!;
      ns.exec(["ip", "route", "add", "10.60.0.0/16", "via", t2.bgp!.host.neighbor, "dev", deviceOf("t2"), "proto", "bgp"]);
      expect(routeGet("10.60.1.1")).toContain(`dev ${deviceOf("t2")}`);
    } finally {
      ns.cleanup();
    }
  });
});
