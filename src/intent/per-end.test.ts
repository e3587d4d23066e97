/** Per-end overrides come from one list (./per-end.ts): the schema derives them from the tunnel's, the resolver merges by it. */
import { describe, expect, it } from "vitest";
import { endSettings, PER_END } from "./per-end.js";
import { Tunnel, type TunnelIntent } from "./schema.js";

const tunnel = Tunnel as unknown as { properties: Record<string, { properties?: Record<string, unknown> }> };
const override = (Tunnel.properties.overrides as unknown as { additionalProperties: { properties: Record<string, { properties?: Record<string, unknown>; description?: string }> } })
  .additionalProperties;

describe("tunnels.<t>.overrides.<end>", () => {
  it("has exactly the listed tunnel settings, plus the end's own address", () => {
    expect(Object.keys(override.properties)).toEqual([...Object.keys(PER_END), "address"]);
    for (const [key, which] of Object.entries(PER_END)) {
      if (which === true) continue;
      expect(Object.keys(override.properties[key]!.properties!), key).toEqual([...which]);
      // Each listed key is the tunnel's own setting (the same JSON Schema apart from the description).
      const json = (s: unknown) => JSON.parse(JSON.stringify(s, (k, v: unknown) => (k === "description" ? undefined : v))) as unknown;
      for (const field of which) expect(json(override.properties[key]!.properties![field]), `${key}.${field}`).toEqual(json(tunnel.properties[key]!.properties![field]));
    }
  });

  it("says on every setting that the tunnel's value applies when the end sets none", () => {
    for (const key of Object.keys(PER_END)) expect(JSON.stringify(override.properties[key]), key).toMatch(/on this end only/i);
  });
});

describe("endSettings", () => {
  const t: TunnelIntent = {
    between: ["gw", "r1"],
    ike: { version: 2, proposals: ["aes256-sha256-modp3072"], lifetime: "8h", aggressive: false },
    esp: { proposals: ["aes256-sha256"] },
    psk: { env: "T1_PSK" },
    dpd: { delay: "10s", timeout: "30s" },
    mtu: 1436,
  };

  it("is the tunnel itself without an override", () => expect(endSettings(t, undefined)).toBe(t));

  it("merges a listed object key by key, and replaces a whole value (a secret reference is never merged)", () => {
    const e = endSettings(t, { ike: { version: 1 }, dpd: { delay: "3s" }, psk: { file: "/run/secrets/r1" }, mtu: 1400, address: "203.0.113.9" });
    expect(e.ike).toEqual({ version: 1, proposals: ["aes256-sha256-modp3072"], lifetime: "8h", aggressive: false });
    expect(e.dpd).toEqual({ delay: "3s", timeout: "30s" });
    expect(e.psk).toEqual({ file: "/run/secrets/r1" });
    expect(e.mtu).toBe(1400);
    expect(e.esp).toBe(t.esp);
    expect((e as Record<string, unknown>).address).toBeUndefined();
    expect(t.ike.version).toBe(2);
  });
});
