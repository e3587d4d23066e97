/** The plan names weak crypto a tunnel accepts (`allowWeak`, SW112 as a note) with its reason, like allowAll. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSource } from "../compile/pipeline.js";
import type { SiteModel } from "../model/types.js";
import { modelChanges } from "./index.js";

const FILE = "sites/bjs-hybrid.yaml";
const BJS = readFileSync(new URL(`../../${FILE}`, import.meta.url), "utf8");
const WEAK = (reason: string) => (t: string) =>
  t.replace("    psk: { env: BJS_VPN1_PSK }\n", `    psk: { env: BJS_VPN1_PSK }\n    allowWeak: "${reason}"\n`).replace("esp: { proposals: [aes256-sha256-modp3072], lifetime: 1h }", "esp: { proposals: [aes256-sha1-modp3072], lifetime: 1h }");

function model(text: string): SiteModel {
  const r = compileSource(FILE, text);
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  if (!r.model || errors.length) throw new Error(errors.map((d) => d.message).join("; "));
  return r.model;
}

const texts = (a: string, b: string) => modelChanges(model(a), model(b)).filter((c) => /allowWeak/.test(c.text)).map((c) => `${c.subject.name}: ${c.attention ? "!" : "~"} ${c.text}`);

describe("allowWeak in the plan", () => {
  it("compiles with a note (not an error, also under --strict) that carries the reason", () => {
    const r = compileSource(FILE, WEAK("router firmware lacks SHA-2 for ESP")(BJS), { strict: true });
    const sw112 = r.diagnostics.filter((d) => d.code === "SW112");
    expect(sw112.map((d) => [d.severity, d.message.endsWith("accepted on this tunnel (allowWeak): router firmware lacks SHA-2 for ESP")])).toEqual([["note", true]]);
  });

  it("accepting weak crypto deserves attention and names the reason; a changed reason is a change", () => {
    const weak = WEAK("router firmware lacks SHA-2 for ESP")(BJS);
    expect(texts(BJS.replace("aes256-sha256-modp3072], lifetime: 1h", "aes256-sha1-modp3072], lifetime: 1h"), weak)).toEqual([
      "strongswan-1: ! tunnel vpn1: weak crypto now accepted [allowWeak: router firmware lacks SHA-2 for ESP]",
    ]);
    expect(texts(weak, WEAK("until the 2026 router upgrade")(BJS))).toEqual([
      "strongswan-1: ~ tunnel vpn1: allowWeak reason: router firmware lacks SHA-2 for ESP → until the 2026 router upgrade",
    ]);
  });
});
