/**
 * What Argo CD does with out/<site>/cluster/: `kustomize build`. Run the real kubectl kustomize on the
 * emitted folder and check it yields exactly the emitted objects, unchanged (no review file leaks in, no
 * object is dropped or rewritten).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { missing } from "../harness/tools.js";
import { clusterOutput, CLUSTER_SITE_FILES } from "./sites.js";

const key = (o: { kind: string; metadata: { namespace?: string; name: string } }) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

describe.skipIf(missing("kubectl"))("kubectl kustomize on the emitted cluster folder", () => {
  const work = mkdtempSync(join(tmpdir(), "sitewire-kustomize-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(CLUSTER_SITE_FILES.map(clusterOutput).filter((o) => o.manifests.length > 0))("$file", ({ site, artifacts, manifests }) => {
    const root = join(work, site);
    for (const a of artifacts) {
      mkdirSync(dirname(join(root, a.path)), { recursive: true });
      writeFileSync(join(root, a.path), a.content);
    }
    const built = execFileSync("kubectl", ["kustomize", join(root, "cluster")], { encoding: "utf8" });
    const objects = parseAllDocuments(built).map((d) => d.toJS() as (typeof manifests)[number]["object"]);
    expect(objects.map(key).sort()).toEqual(manifests.map((m) => key(m.object)).sort());
    for (const m of manifests) expect(objects.find((o) => key(o) === key(m.object))).toEqual(m.object);
  });
});
