/**
 * YAML artifacts (Kubernetes manifests, kustomization, Ansible files), read twice: by the `yaml` library
 * (YAML 1.1 as the cluster target writes it) and by PyYAML. Both must see the same documents, keys and values
 * (a disagreement means a reader can be made to see something the other does not, e.g. a NEL ending a
 * comment), and string values that are themselves YAML (the ip-masq-agent `config`) are read too.
 */
import { isScalar, parseAllDocuments, visit } from "yaml";
import { walk, type DataPath } from "./documents.js";
import type { PyYamlResult } from "./programs.js";
import { StructureBuilder, type Structure } from "./structure.js";

export function yamlStructure(content: string, py: PyYamlResult): Structure {
  const out = new StructureBuilder();
  const docs = readAll(content, out, "");
  docs.forEach((doc, i) => addLeaves(out, doc, [i]));
  if ("error" in py) out.problem(`PyYAML cannot read it: ${py.error}`);
  else if (sortedJson(py.docs) !== sortedJson(docs))
    out.problem(`PyYAML reads other data than the yaml library: ${sortedJson(py.docs).slice(0, 300)} vs ${sortedJson(docs).slice(0, 300)}`);
  return out.build();
}

function readAll(content: string, out: StructureBuilder, where: string): unknown[] {
  const parsed = parseAllDocuments(content, { version: "1.1", strict: true, uniqueKeys: true });
  if (!Array.isArray(parsed)) return [];
  for (const doc of parsed) {
    for (const e of [...doc.errors, ...doc.warnings]) out.problem(`yaml${where}: ${e.code} ${e.message}`);
    // sitewire writes only string keys; a key a YAML 1.1 reader (PyYAML, Ansible) takes for a bool, a number or
    // null is a name that changed meaning on the way.
    visit(doc, {
      Pair(_key, pair) {
        if (isScalar(pair.key) && typeof pair.key.value !== "string")
          out.problem(`yaml${where}: key ${JSON.stringify(String(pair.key.source ?? pair.key.value))} reads as ${pair.key.value === null ? "null" : typeof pair.key.value}`);
      },
    });
  }
  return parsed.map((d) => d.toJS() as unknown);
}

function addLeaves(out: StructureBuilder, data: unknown, prefix: DataPath): void {
  walk(data, prefix, (path, value) => {
    out.add(`${JSON.stringify(path)}=${JSON.stringify(value)}`, `${path.length} ${Array.isArray(value) ? "list" : typeof value}`);
    if (typeof value === "string" && value.includes("\n")) {
      const inner = readAll(value, out, ` inside ${JSON.stringify(path)}`);
      if (inner.length === 1 && inner[0] !== null && typeof inner[0] === "object") addLeaves(out, inner[0], [...path, "<yaml>"]);
    }
  });
}

/** JSON with object keys sorted at every level (Python's json.dump(sort_keys=True) for comparison). */
export function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
