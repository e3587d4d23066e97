/**
 * Every manifest the cluster target emits for every example and fixture site passes all three validator
 * layers, and the folder is what Argo CD expects: a kustomization listing exactly the manifests.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { clusterOutput, CLUSTER_SITE_FILES } from "./sites.js";
import { checkTypes, validateManifest } from "./validate.js";

const outputs = CLUSTER_SITE_FILES.map(clusterOutput);

it("covers the example site and the cluster fixtures", () => {
  expect(CLUSTER_SITE_FILES).toEqual(
    expect.arrayContaining(["sites/partner-vpn.yaml", ...["seed001-masq", "seed003-egress", "cluster-edge-cases"].map((s) => `test/fixtures/sites/${s}.yaml`)]),
  );
});

describe.each(outputs)("cluster artifacts of $file", ({ artifacts, manifests }) => {
  it.each(manifests.map((m) => [m.path, m.object] as const))("%s is valid", async (_path, object) => {
    expect(await validateManifest(object)).toEqual([]);
  });

  it("lists every manifest, and only manifests, in kustomization.yaml", () => {
    const k = artifacts.find((a) => a.path === "cluster/kustomization.yaml");
    if (manifests.length === 0) return expect(k).toBeUndefined();
    expect(k?.kind).toBe("kustomization");
    const doc = parse(k!.content) as { apiVersion: string; kind: string; resources: string[] };
    expect(Object.keys(doc)).toEqual(["apiVersion", "kind", "resources"]);
    expect(doc.resources).toEqual(manifests.map((m) => m.path.replace("cluster/", "")).sort());
    expect(doc.resources.some((r) => r.startsWith("review/"))).toBe(false);
  });

  it("puts one object per file, at cluster/[<namespace>/]<kind>-<name>.yaml", () => {
    for (const { path, object } of manifests) {
      const ns = object.metadata.namespace;
      expect(path).toBe(`cluster/${ns ? `${ns}/` : ""}${object.kind.toLowerCase()}-${object.metadata.name}.yaml`);
    }
  });

  it("reads the same under YAML 1.1 and 1.2 (no 'on'/'yes'/'0777' surprises), without anchors", () => {
    for (const a of artifacts.filter((x) => x.path.endsWith(".yaml"))) {
      expect(parse(a.content, { version: "1.1" }), a.path).toEqual(parse(a.content, { version: "1.2" }));
      expect(a.content, a.path).not.toMatch(/[&*][a-z0-9]+\s*$/m);
    }
  });
});

it("type-checks every built-in object against kubernetes-types (unknown and missing fields)", () => {
  const all = outputs.flatMap((o) => o.manifests.map((m) => ({ label: `${o.site}/${m.path}`, object: m.object })));
  expect(all.length).toBeGreaterThan(10);
  expect(checkTypes(all)).toEqual([]);
});
