/** The site README lists the weak crypto a tunnel accepts with `allowWeak`, with the reason, and nothing otherwise. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSource } from "../../compile/pipeline.js";

const FILE = "sites/bjs-hybrid.yaml";
const BJS = readFileSync(new URL(`../../../${FILE}`, import.meta.url), "utf8");

function section(text: string): string[] {
  const r = compileSource(FILE, text);
  const md = r.artifacts.find((a) => a.path === "README.md")!.content.split("\n");
  const start = md.indexOf("## Accepted weak crypto");
  if (start < 0) return [];
  return md.slice(start, md.findIndex((l, i) => i > start + 1 && l === ""));
}

describe("site README: accepted weak crypto", () => {
  it("is absent when no tunnel accepts weak crypto", () => expect(section(BJS)).toEqual([]));

  it("lists the tunnel, its weak algorithms and the reason (escaped for Markdown)", () => {
    const weak = BJS.replace("    psk: { env: BJS_VPN1_PSK }\n", '    psk: { env: BJS_VPN1_PSK }\n    allowWeak: "router | firmware lacks SHA-2"\n').replace(
      "esp: { proposals: [aes256-sha256-modp3072], lifetime: 1h }",
      "esp: { proposals: [aes256-sha1-modp1536], lifetime: 1h }",
    );
    expect(section(weak)).toEqual([
      "## Accepted weak crypto",
      "",
      "| tunnel | between | weak algorithms | reason (allowWeak) |",
      "| --- | --- | --- | --- |",
      "| vpn1 | strongswan-1 ↔ dc-router-1 | sha1, modp1536 | router \\| firmware lacks SHA-2 |",
    ]);
  });
});
