/**
 * Every iptables and ip6tables rules file sitewire emits for the example and fixture sites loads FOR REAL into a
 * throwaway network namespace with `iptables-restore --noflush` / `ip6tables-restore --noflush` (as the loader
 * runs them), with the nft and the legacy backend of each, after passing `--test` (what the loader runs first),
 * and iptables-save / ip6tables-save then shows exactly the file's rules in sitewire's chains: the rules are
 * written the way the save programs print them, so nothing is lost, reordered or rewritten by the kernel; and
 * the built-in chains keep the policy they had (the file never names them). Besides the compiled sites, the
 * files the iptables target emits from the resolved model of sites/dual-stack.yaml with every host on the
 * iptables backend (NAT66, IPv6 forward accepts and mss6 clamps), which holds even while other targets cannot
 * compile that site yet. test/real/firewall-ownership.test.ts loads them with the emitted loader beside other
 * programs' rules.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileSource } from "../../src/compile/pipeline.js";
import { iptablesTarget } from "../../src/targets/iptables/index.js";
import { OWNED_CHAINS } from "../../src/targets/iptables/rules.js";
import { fixtureSite } from "../helpers/source.js";
import { BACKENDS, IPTABLES_TOOLS, loadAndSave, ruleCount, tool, type Family } from "../harness/iptables.js";
import { withNetns } from "../harness/netns.js";
import { iptablesTables } from "../readers/iptables-restore.js";
import { missing } from "../harness/tools.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const siteFiles = ["sites", "test/fixtures/sites"].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => `${dir}/${f}`),
);

const FAMILY_OF_KIND: Readonly<Record<string, Family>> = { "iptables-restore": 4, "ip6tables-restore": 6 };

// A site that does not compile has no artifacts here; test/golden.test.ts reports it.
const compiled = siteFiles.flatMap((file) => {
  const result = compileSource(file, readFileSync(join(root, file), "utf8"));
  return result.artifacts.filter((a) => a.kind in FAMILY_OF_KIND).map((a) => ({ name: `${result.site}/${a.path}`, content: a.content, family: FAMILY_OF_KIND[a.kind]! }));
});
// sites/dual-stack.yaml, every host on iptables, emitted from its resolved model by the iptables target alone.
const dualStack = fixtureSite("sites/dual-stack.yaml").fixtureWith((i) => {
  for (const h of Object.values(i.hosts) as Record<string, any>[]) h.firewall = { ...h.firewall, backend: "iptables" };
});
const fromModel = iptablesTarget
  .emit(dualStack)
  .filter((a) => a.kind in FAMILY_OF_KIND)
  .map((a) => ({ name: `dual-stack (model, iptables backend)/${a.path}`, content: a.content, family: FAMILY_OF_KIND[a.kind]! }));
const files = [...compiled, ...fromModel];

describe("example sites emit iptables rules files", () => {
  it("for the gateways of both seeds, at sitewire's own path", () => {
    expect(files.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        "bjs-hybrid/hosts/strongswan-1/etc/sitewire/iptables.rules",
        "bjs-hybrid/hosts/strongswan-2/etc/sitewire/iptables.rules",
        "partner-vpn/hosts/vpn-front/etc/sitewire/iptables.rules",
      ]),
    );
  });

  it("an ip6tables file for the IPv6 hosts: the nat66-front fixture and dual-stack's edge", () => {
    expect(files.filter((f) => f.family === 6).map((f) => f.name)).toEqual(
      expect.arrayContaining(["nat66-front/hosts/front/etc/sitewire/ip6tables.rules", "dual-stack (model, iptables backend)/hosts/edge/etc/sitewire/ip6tables.rules"]),
    );
    // NAT66, IPv6 accepts and the mss6 clamp reach the files.
    const edge6 = fromModel.find((f) => f.family === 6 && f.name.includes("/edge/"))!.content;
    expect(edge6).toContain('-A SITEWIRE-POSTROUTING -s 2001:db8:70::10/128 -o xfrm70 -m comment --comment "flow nodes-to-dc" -j MASQUERADE');
    expect(edge6).toContain("-j TCPMSS --set-mss 1340");
    expect(fromModel.find((f) => f.family === 4 && f.name.includes("/edge/"))!.content).toContain("-j TCPMSS --set-mss 1360");
  });

  it.each(files.map((f) => [f.name, f] as const))("%s declares sitewire's chains only, each with policy '-'", (_name, file) => {
    const tables = iptablesTables(file.content);
    expect([...tables.keys()].sort()).toEqual(["filter", "mangle", "nat"]);
    for (const c of OWNED_CHAINS) expect([...tables.get(c.table)!.policies]).toEqual([[c.chain, "-"]]);
    for (const [table, content] of tables) for (const rule of content.rules) expect(OWNED_CHAINS.some((c) => c.table === table && rule.startsWith(`-A ${c.chain} `)), rule).toBe(true);
  });
});

describe.skipIf(missing(...IPTABLES_TOOLS, "root"))("iptables rules files load for real", () => {
  describe.each(files.map((f) => [f.name, f] as const))("%s", (_name, file) => {
    it.each(BACKENDS)("%s: passes --test, loads with --noflush, and the save program shows exactly its rules; built-in policies stay ACCEPT", async (backend) => {
      const test = await withNetns(["ipt"], (ns) => spawnSync("ip", ["netns", "exec", ns.name, `${tool(file.family)}-${backend}-restore`, "--test", "--noflush"], { input: file.content, encoding: "utf8" }));
      expect(test.status, test.stderr).toBe(0);
      const saved = await loadAndSave(file.content, backend, { noflush: true, family: file.family });
      const want = iptablesTables(file.content);
      const got = iptablesTables(saved);
      for (const [table, content] of want) {
        expect(got.get(table)?.rules, `*${table}`).toEqual(content.rules);
        for (const [chain, policy] of content.policies) expect(got.get(table)?.policies.get(chain), `*${table} ${chain}`).toBe(policy);
        for (const [chain, policy] of got.get(table)?.policies ?? []) if (!content.policies.has(chain)) expect(policy, `*${table} ${chain}`).toBe("ACCEPT");
      }
      expect(ruleCount(saved)).toBe(ruleCount(file.content));
      expect(ruleCount(saved)).toBeGreaterThan(0);
    });
  });

  // The harness itself must be able to fail: the kernel refuses what --test lets through.
  it.each(BACKENDS.flatMap((b) => [4, 6].map((f) => [b, f as Family] as const)))("%s, IPv%s: MASQUERADE outside the nat table is refused", async (backend, family) => {
    const bad = "*filter\n:SITEWIRE-FORWARD - [0:0]\n-A SITEWIRE-FORWARD -o tun0 -j MASQUERADE\nCOMMIT\n";
    await expect(loadAndSave(bad, backend, { noflush: true, family })).rejects.toThrow(/refused/);
  });

  // And each family's program refuses the other family's addresses, so a file of the wrong family cannot pass.
  it.each(BACKENDS)("%s: ip6tables-restore refuses an IPv4 prefix, iptables-restore an IPv6 one", async (backend) => {
    const rule = (cidr: string) => `*nat\n:SITEWIRE-POSTROUTING - [0:0]\n-A SITEWIRE-POSTROUTING -s ${cidr} -o tun0 -j MASQUERADE\nCOMMIT\n`;
    await expect(loadAndSave(rule("10.0.0.0/8"), backend, { noflush: true, family: 6 })).rejects.toThrow(/refused/);
    await expect(loadAndSave(rule("2001:db8::/32"), backend, { noflush: true, family: 4 })).rejects.toThrow(/refused/);
  });

  // Why both backends: on this machine's kernel the nft backend (xtables compatibility) takes this rule.
  it("legacy: a TCPMSS rule without the SYN match is refused", async () => {
    const bad = "*mangle\n:FORWARD ACCEPT [0:0]\n-A FORWARD -o tun0 -p tcp -j TCPMSS --clamp-mss-to-pmtu\nCOMMIT\n";
    await expect(loadAndSave(bad, "legacy")).rejects.toThrow(/refused/);
  });
});
