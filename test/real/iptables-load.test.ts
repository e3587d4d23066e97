/**
 * Every iptables-restore file sitewire emits for the example and fixture sites loads FOR REAL into a
 * throwaway network namespace, with iptables-nft-restore and with iptables-legacy-restore, and iptables-save
 * then shows exactly the file's rules and chain policies: the rules are written the way iptables-save prints
 * them, so nothing is lost, reordered or rewritten by the kernel.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileSource } from "../../src/compile/pipeline.js";
import { BACKENDS, IPTABLES_TOOLS, loadAndSave, parseTables, ruleCount } from "../harness/iptables.js";
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

describe("example sites emit iptables-restore files", () => {
  it("for the gateways of both seeds", () => {
    expect(files.map((f) => f.name)).toEqual(
      expect.arrayContaining([
        "bjs-hybrid/hosts/strongswan-1/etc/sysconfig/iptables",
        "bjs-hybrid/hosts/strongswan-2/etc/sysconfig/iptables",
        "partner-vpn/hosts/vpn-front/etc/sysconfig/iptables",
      ]),
    );
  });
});

describe.skipIf(missing(...IPTABLES_TOOLS, "root"))("iptables-restore files load for real", () => {
  describe.each(files.map((f) => [f.name, f] as const))("%s", (_name, file) => {
    it.each(BACKENDS)("%s: loads, and iptables-save shows exactly its rules and policies", async (backend) => {
      const saved = await loadAndSave(file.content, backend);
      const want = parseTables(file.content);
      const got = parseTables(saved);
      expect(want.size).toBeGreaterThan(0);
      for (const [table, content] of want) {
        expect(got.get(table)?.rules, `*${table}`).toEqual(content.rules);
        for (const [chain, policy] of content.policies) expect(got.get(table)?.policies.get(chain), `*${table} ${chain}`).toBe(policy);
      }
      expect(ruleCount(saved)).toBe(ruleCount(file.content));
      expect(ruleCount(saved)).toBeGreaterThan(0);
    });
  });

  // The harness itself must be able to fail: the kernel refuses what --test lets through.
  it.each(BACKENDS)("%s: MASQUERADE outside the nat table is refused", async (backend) => {
    const bad = "*filter\n:FORWARD DROP [0:0]\n-A FORWARD -o tun0 -j MASQUERADE\nCOMMIT\n";
    await expect(loadAndSave(bad, backend)).rejects.toThrow(/refused/);
  });

  // Why both backends: on this machine's kernel the nft backend (xtables compatibility) takes this rule.
  it("legacy: a TCPMSS rule without the SYN match is refused", async () => {
    const bad = "*mangle\n:FORWARD ACCEPT [0:0]\n-A FORWARD -o tun0 -p tcp -j TCPMSS --clamp-mss-to-pmtu\nCOMMIT\n";
    await expect(loadAndSave(bad, "legacy")).rejects.toThrow(/refused/);
  });
});
