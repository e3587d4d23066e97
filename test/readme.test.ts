/** The README is part of the product: it lists every diagnostic code and shows the two commands up front. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ARTIFACT_KINDS } from "../src/compile/kinds.js";
import { CODES } from "../src/diagnostics/codes.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README", () => {
  it.each(Object.keys(CODES))("documents %s", (code) => expect(readme).toMatch(new RegExp(`\\| ${code} \\|`)));

  it("lists every manifest kind the targets declare", () => {
    const listed = readme.slice(readme.indexOf("`manifest.json` kinds"), readme.indexOf("Tools find artifacts by kind"));
    for (const kind of ARTIFACT_KINDS) expect(listed, kind).toContain(`\`${kind}\``);
  });

  it("shows the nftables fixture's gw file as it is generated (comments left out)", () => {
    const start = readme.indexOf("**nftables rules: sitewire's own table.**");
    const open = readme.indexOf("```\n", start) + 4;
    const shown = readme.slice(open, readme.indexOf("\n```", open)).split("\n").filter((l) => l.trim() !== "");
    const golden = readFileSync(new URL("golden/nft-gateway/hosts/gw/etc/sitewire/firewall.nft", import.meta.url), "utf8");
    expect(shown).toEqual(golden.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#")));
  });

  it("shows the setup+compile command and the test command on its first screen", () => {
    const firstScreen = readme.split("\n").slice(0, 20).join("\n");
    expect(firstScreen).toContain("npm ci && npx sitewire compile");
    expect(firstScreen).toContain("npm test");
  });
});
