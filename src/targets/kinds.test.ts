/**
 * The neutral ground between the summary and the Ansible target: handler groups derived from the declarations,
 * the path exceptions both honour, and the two targets reading only this, never each other.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileKinds } from "../compile/kinds.js";
import { HOST_PATHS } from "./host-paths.js";
import { declared, FIREWALL_FILES, HANDLER_GROUPS, handlerGroups, hostFileHandler, kindTable, TUNNEL_FILES } from "./kinds.js";
import { TARGETS } from "./registry.js";

describe("artifact kinds", () => {
  it("handler groups hold each kind whose declaration names them, in registry then declaration order", () => {
    const groups = handlerGroups(kindTable([
      { name: "a", kinds: { "b-conf": { text: "b", handler: "units", mode: 0o644 }, "a-conf": { text: "a", handler: "units", mode: 0o644 } } },
      { name: "b", kinds: { "c-conf": { text: "c", handler: "frr", mode: 0o640 }, "d-conf": { text: "d", handler: "none", mode: 0o644 }, "a-conf": { text: "a", handler: "units", mode: 0o644 } } },
    ]));
    expect(groups).toEqual({ strongswan: [], sysctl: [], iptables: [], nftables: [], units: ["b-conf", "a-conf"], frr: ["c-conf"], frrDaemons: [] });
    expect(Object.keys(groups)).toEqual(Object.keys(HANDLER_GROUPS));
  });

  it("the registered targets' groups are the playbook's lists (the goldens pin the text)", () => {
    const groups = handlerGroups(compileKinds(TARGETS));
    expect(groups.strongswan).toEqual(["strongswan-ipsec-conf", "strongswan-secrets", "swanctl-conf", "strongswan-conf"]);
    expect(groups.units).toEqual(["shell", "systemd-unit", "failover-config"]);
    expect(groups.nftables).toEqual(["nft"]);
    expect(Object.values(groups).every((g) => g.length > 0)).toBe(true);
  });

  it("firewall and tunnel files are applied by their unit's reload, whatever their kind", () => {
    const script = declared(compileKinds(TARGETS), "shell");
    expect(hostFileHandler(HOST_PATHS.debian.firewallScript, script)).toBe("iptables");
    expect(hostFileHandler(HOST_PATHS.debian.tunnelScript, script)).toBe("sysctl");
    expect(hostFileHandler(HOST_PATHS.debian.failoverScript, script)).toBe("units");
    expect(FIREWALL_FILES).toContain(HOST_PATHS.rhel.firewallUnit);
    const unit = declared(compileKinds(TARGETS), "systemd-unit");
    expect(hostFileHandler(HOST_PATHS.rhel.nftUnit, unit)).toBe("nftables");
    expect(hostFileHandler(HOST_PATHS.debian.nftRules, declared(compileKinds(TARGETS), "nft"))).toBe("nftables");
    expect(hostFileHandler(HOST_PATHS.debian.tunnelUnit, unit)).toBe("sysctl");
    expect(TUNNEL_FILES).toContain(HOST_PATHS.rhel.tunnelUnit);
    expect(() => declared(compileKinds(TARGETS), "no-such-kind")).toThrow(/declared by no target/);
  });

  it("the summary and the Ansible target do not import each other", () => {
    const imports = (folder: string) =>
      readdirSync(new URL(`./${folder}/`, import.meta.url))
        .filter((f) => f.endsWith(".ts"))
        .flatMap((f) => [...readFileSync(new URL(`./${folder}/${f}`, import.meta.url), "utf8").matchAll(/\bfrom\s+"([^"]+)"/g)].map((m) => `${f}: ${m[1]}`));
    expect(imports("summary").filter((i) => /\/ansible\//.test(i))).toEqual([]);
    expect(imports("ansible").filter((i) => /\/summary\//.test(i))).toEqual([]);
    // the check sees imports at all
    expect(imports("summary").some((i) => i.endsWith("../kinds.js"))).toBe(true);
    expect(imports("ansible").some((i) => i.endsWith("../kinds.js"))).toBe(true);
  });
});
