/**
 * Every iptables rules file sitewire emits for the example and fixture sites loads FOR REAL into a throwaway
 * network namespace with `iptables-restore --noflush` (as the loader runs it), with iptables-nft-restore and
 * with iptables-legacy-restore, and iptables-save then shows exactly the file's rules in sitewire's chains: the
 * rules are written the way iptables-save prints them, so nothing is lost, reordered or rewritten by the
 * kernel; and the built-in chains keep the policy they had (the file never names them).
 * test/real/firewall-ownership.test.ts loads them with the emitted loader beside other programs' rules.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileSource } from "../../src/compile/pipeline.js";
import { OWNED_CHAINS } from "../../src/targets/iptables/rules.js";
import { BACKENDS, IPTABLES_TOOLS, loadAndSave, ruleCount } from "../harness/iptables.js";
import { iptablesTables } from "../readers/iptables-restore.js";
import { missing } from "../harness/tools.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const siteFiles = ["sites", "test/fixtures/sites"].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => `${dir}/${f}`),
);

// A site that does not compile has no artifacts here; test/golden.test.ts reports it.
const files = siteFiles.flatMap((file) => {
  const result = compileSource(file, readFileSync(join(root, file), "utf8"));
  return result.artifacts.filter((a) => a.kind === "iptables-restore").map((a) => ({ name: `${result.site}/${a.path}`, content: a.content }));
});

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

  it.each(files.map((f) => [f.name, f] as const))("%s declares sitewire's chains only, each with policy '-'", (_name, file) => {
    const tables = iptablesTables(file.content);
    expect([...tables.keys()].sort()).toEqual(["filter", "mangle", "nat"]);
    for (const c of OWNED_CHAINS) expect([...tables.get(c.table)!.policies]).toEqual([[c.chain, "-"]]);
    for (const [table, content] of tables) for (const rule of content.rules) expect(OWNED_CHAINS.some((c) => c.table === table && rule.startsWith(`-A ${c.chain} `)), rule).toBe(true);
  });
});

describe.skipIf(missing(...IPTABLES_TOOLS, "root"))("iptables rules files load for real", () => {
  describe.each(files.map((f) => [f.name, f] as const))("%s", (_name, file) => {
    it.each(BACKENDS)("%s: loads with --noflush, and iptables-save shows exactly its rules; built-in policies stay ACCEPT", async (backend) => {
      const saved = await loadAndSave(file.content, backend, { noflush: true });
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
  it.each(BACKENDS)("%s: MASQUERADE outside the nat table is refused", async (backend) => {
    const bad = "*filter\n:SITEWIRE-FORWARD - [0:0]\n-A SITEWIRE-FORWARD -o tun0 -j MASQUERADE\nCOMMIT\n";
    await expect(loadAndSave(bad, backend, { noflush: true })).rejects.toThrow(/refused/);
  });

  // Why both backends: on this machine's kernel the nft backend (xtables compatibility) takes this rule.
  it("legacy: a TCPMSS rule without the SYN match is refused", async () => {
    const bad = "*mangle\n:FORWARD ACCEPT [0:0]\n-A FORWARD -o tun0 -p tcp -j TCPMSS --clamp-mss-to-pmtu\nCOMMIT\n";
    await expect(loadAndSave(bad, "legacy")).rejects.toThrow(/refused/);
  });
});
