/**
 * Inputs built to exhaust a parser or a checker: alias bombs, deep nesting, files over the size limit and just
 * under it, huge maps and lines. Each must end in diagnostics (or, for the large valid site, in output) within
 * the fuzz test's time bound.
 */
import { MAX_FILE_BYTES } from "../../../src/intent/load.js";

export interface Bomb {
  readonly name: string;
  readonly text: string;
}

function billionLaughs(levels: number, width: number): string {
  const lines = ["site: bomb", `l0: &l0 [${Array(width).fill('"lol"').join(", ")}]`];
  for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(", ")}]`);
  return lines.join("\n") + "\n";
}

function blockNesting(depth: number): string {
  let text = "site: bomb\nnetworks:\n";
  for (let i = 0; i < depth; i++) text += `${"  ".repeat(i + 1)}k${i}:\n`;
  return text;
}

/** A large but well-formed site: many networks and routes, for checks that compare every pair. */
function manyNetworks(count: number): string {
  const lines = ["site: bomb", "networks:"];
  for (let i = 0; i < count; i++) lines.push(`  n${i}: 10.${(i >> 8) & 255}.${i & 255}.0/24`);
  lines.push("hosts:", "  gw:", "    os: debian", "    address: 192.168.0.1/24", "    routes:", `      - to: [${Array.from({ length: Math.min(count, 2000) }, (_, i) => `n${i}`).join(", ")}]`, "        via: 192.168.0.254");
  return lines.join("\n") + "\n";
}

export const BOMBS: readonly Bomb[] = [
  { name: "billion laughs (9^9 through aliases)", text: billionLaughs(9, 9) },
  { name: "alias fan-out (5000 aliases of one anchor)", text: `site: bomb\na: &a {x: 1}\nb: [${Array(5000).fill("*a").join(", ")}]\n` },
  { name: "flow nesting 100000 deep", text: `site: bomb\nnetworks: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n` },
  { name: "flow maps 50000 deep", text: `site: bomb\nnetworks: ${"{a: ".repeat(50_000)}1${"}".repeat(50_000)}\n` },
  { name: "block nesting 3000 deep", text: blockNesting(3000) },
  { name: "sequence nesting 20000 deep", text: `site: bomb\nnetworks:\n${Array.from({ length: 20_000 }, (_, i) => `${" ".repeat(i)}- `).join("\n")}x\n` },
  { name: "2 MiB of comments", text: `site: bomb\n${"# padding padding padding padding padding padding padding padding\n".repeat(33_000)}` },
  { name: "6 MiB single scalar", text: `site: bomb\ndescription: ${"x".repeat(6 * 1024 * 1024)}\n` },
  { name: "just under the size limit, one long line", text: `site: bomb\ndescription: "${"y".repeat(MAX_FILE_BYTES - 100)}"\n` },
  { name: "50000 keys", text: `site: bomb\nnetworks:\n${Array.from({ length: 50_000 }, (_, i) => `  k${i}: 10.0.0.0/8`).join("\n")}\n` },
  { name: "20000 duplicate keys", text: `site: bomb\nnetworks:\n${"  a: 10.0.0.0/8\n".repeat(20_000)}` },
  { name: "4000 networks and a route to 2000 of them", text: manyNetworks(4000) },
  { name: "huge numbers", text: "site: bomb\ntunnels:\n  t:\n    key: 1e400\n    mtu: 99999999999999999999999999999999\n    table: -0x7fffffffffffffff\n" },
  { name: "NUL bytes", text: "site: bomb\0\ndescription: \0\0\0\n" },
  { name: "invalid UTF-16 surrogates", text: "site: bomb\ndescription: \ud800\udfff\udc00\n" },
];
