import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { labelSelector, manifestPath, objectMeta, toYaml } from "./k8s.js";

describe("toYaml", () => {
  it("quotes strings a YAML 1.1 reader would take for booleans, numbers or null", () => {
    const risky = ["on", "off", "yes", "no", "y", "n", "true", "null", "~", "0777", "1:20", "1e3", "0x1F", "1_000", "2001-01-01", ".5", ""];
    const text = toYaml(Object.fromEntries(risky.map((v, i) => [`k${i}`, v])));
    for (const v of risky) expect(text).toMatch(new RegExp(`: ["']${v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}["']$`, "m"));
  });

  it("leaves ordinary values plain: CIDRs, durations, names, label keys", () => {
    expect(toYaml({ cidrs: ["10.0.0.0/8"], resyncInterval: "60s", "app.kubernetes.io/managed-by": "sitewire" })).toBe(
      "cidrs:\n  - 10.0.0.0/8\nresyncInterval: 60s\napp.kubernetes.io/managed-by: sitewire\n",
    );
  });

  it("round-trips any string map identically under YAML 1.1 and 1.2", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean())), (value) => {
        const text = toYaml(value);
        expect(parse(text, { version: "1.1" })).toEqual(value);
        expect(parse(text, { version: "1.2" })).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it("never writes anchors or aliases, even for a shared object", () => {
    const shared = { podSelector: {} };
    const text = toYaml({ a: shared, b: shared, c: [shared, shared] });
    expect(text).not.toMatch(/[&*]a\d/);
    expect(parse(text)).toEqual({ a: shared, b: shared, c: [shared, shared] });
  });

  it("does not fold long lines", () => {
    const long = "x ".repeat(200).trim();
    expect(toYaml({ long }).split("\n")[0]!.length).toBeGreaterThan(400);
  });

  it("puts each comment line behind '#', and refuses a control character in a comment", () => {
    expect(toYaml({ a: 1 }, ["first", "second: not a key # really"])).toBe("# first\n# second: not a key # really\n\na: 1\n");
    expect(parse(toYaml({ a: 1 }, ["b: 2"]))).toEqual({ a: 1 });
    expect(() => toYaml({ a: 1 }, ["two\nlines"])).toThrow(/control character/);
  });
});

describe("metadata and paths", () => {
  it("labels every object as managed by sitewire, for its site", () => {
    expect(objectMeta("partner-vpn", "p", "ns")).toEqual({
      name: "p",
      namespace: "ns",
      labels: { "app.kubernetes.io/managed-by": "sitewire", "sitewire.dev/site": "partner-vpn" },
    });
    expect(objectMeta("s", "cluster-wide")).not.toHaveProperty("namespace");
  });

  it("places namespaced objects in a folder per namespace and cluster-scoped ones at the top", () => {
    const object = (kind: string, name: string, namespace?: string) => ({ apiVersion: "v1", kind, metadata: objectMeta("s", name, namespace) });
    expect(manifestPath(object("NetworkPolicy", "sitewire-default-deny-egress", "payments"))).toBe("cluster/payments/networkpolicy-sitewire-default-deny-egress.yaml");
    expect(manifestPath(object("CiliumEgressGatewayPolicy", "via-front"))).toBe("cluster/ciliumegressgatewaypolicy-via-front.yaml");
  });

  it("writes selectors with sorted keys, and {} for everything", () => {
    expect(Object.keys(labelSelector({ b: "2", a: "1" }).matchLabels!)).toEqual(["a", "b"]);
    expect(labelSelector(undefined)).toEqual({});
    expect(labelSelector({})).toEqual({});
  });
});
