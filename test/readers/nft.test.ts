/** nftables files must be read as nft reads them (and, where nft is here, nft agrees on what it refuses). */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { missing } from "../harness/tools.js";
import { nftChainRules, nftStructure, readNft } from "./nft.js";

const FILE = `# head
table inet t
delete table inet t
table inet t {
\tchain c {
\t\ttype filter hook forward priority filter; policy accept;
\t\tip saddr 10.0.0.0/8 tcp dport { 80, 443 } accept comment "flow a # b; c"
\t}
}
`;

describe("nft", () => {
  it("reads statements, blocks, sets and strings as nft splits them", () => {
    const read = readNft(FILE);
    expect(read.map((s) => [s.type, s.path.join(" / "), s.words.join(" "), s.line])).toEqual([
      ["statement", "", "table inet t", 2],
      ["statement", "", "delete table inet t", 3],
      ["open", "", "table inet t", 4],
      ["open", "table inet t", "chain c", 5],
      ["statement", "table inet t / chain c", "type filter hook forward priority filter", 6],
      ["statement", "table inet t / chain c", "policy accept", 6],
      ["statement", "table inet t / chain c", 'ip saddr 10.0.0.0/8 tcp dport { 80, 443 } accept comment "flow a # b; c"', 7],
      ["close", "table inet t / chain c", "}", 8],
      ["close", "table inet t", "}", 9],
    ]);
    expect(nftChainRules(FILE, "table inet t", "c")).toEqual(['ip saddr 10.0.0.0/8 tcp dport { 80, 443 } accept comment "flow a # b; c"']);
  });

  it("refuses an unterminated string, a stray }, an unclosed block or set", () => {
    for (const bad of ['table inet t {\n chain c {\n  accept comment "x\n }\n}\n', "}\n", "table inet t {\n", "table inet t {\n chain c {\n  tcp dport { 80,\n 443 } accept\n }\n}\n"])
      expect(nftStructure(bad).problems).toHaveLength(1);
  });

  it("shape: values left out; a statement after `;` or a new line is one more entry", () => {
    const base = nftStructure(FILE);
    const renamed = nftStructure(FILE.replace('"flow a # b; c"', '"flow other"').replace("10.0.0.0/8", "192.168.0.0/16"));
    expect(renamed.shape).toEqual(base.shape);
    expect(renamed.full).not.toEqual(base.full);
    const injected = nftStructure(FILE.replace('accept comment "flow a # b; c"', 'accept comment "x"; flush ruleset'));
    expect(injected.shape).not.toEqual(base.shape);
  });

  describe.skipIf(missing("nft"))("nft agrees", () => {
    it("on what this reader reads and refuses (nft -c -f)", () => {
      const dir = mkdtempSync(join(tmpdir(), "sw-nft-reader-"));
      try {
        const check = (text: string) => {
          writeFileSync(join(dir, "f.nft"), text);
          return spawnSync("nft", ["-c", "-f", join(dir, "f.nft")], { encoding: "utf8" }).status;
        };
        expect(check(FILE)).toBe(0);
        expect(check('table inet t {\n chain c {\n  accept comment "x\n }\n}\n')).not.toBe(0);
        expect(check("table inet t {\n")).not.toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
