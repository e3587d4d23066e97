/**
 * YAML artifacts (Kubernetes manifests, kustomization, Ansible files), read twice: by the `yaml` library
 * (YAML 1.1 as the cluster target writes it, strict: every error and warning refused, and a key that a YAML
 * 1.1 reader takes for a bool, a number or null refused) and by PyYAML (the YAML 1.1 reader Ansible uses; like
 * Go's yaml.v3 it ends a line at NEL, U+2028 and U+2029). Both must see the same documents, keys and values (a
 * disagreement means a reader can be made to see something the other does not, e.g. a NEL ending a comment),
 * and string values that are themselves YAML (the ip-masq-agent `config`) are read too.
 */
import { isScalar, parseAllDocuments, visit } from "yaml";
import { walk, type DataPath } from "./json.js";
import { BIG, run } from "./programs.js";
import { ReadError, StructureBuilder, type Structure } from "./reader.js";

/** Every document of `text` as plain data. Throws on any error or warning of the yaml library, and on a key that is not a string. */
export function readYaml(text: string, where = ""): unknown[] {
  const parsed = parseAllDocuments(text, { version: "1.1", strict: true, uniqueKeys: true });
  if (!Array.isArray(parsed)) return [];
  for (const doc of parsed) {
    const first = [...doc.errors, ...doc.warnings][0];
    if (first) throw new ReadError(`yaml${where}`, first.linePos?.[0].line ?? 0, `${first.code} ${first.message}`);
    // sitewire writes only string keys; a key a YAML 1.1 reader (PyYAML, Ansible) takes for a bool, a number or
    // null is a name that changed meaning on the way.
    visit(doc, {
      Pair(_key, pair) {
        if (isScalar(pair.key) && typeof pair.key.value !== "string")
          throw new ReadError(`yaml${where}`, 0, `key ${JSON.stringify(String(pair.key.source ?? pair.key.value))} reads as ${pair.key.value === null ? "null" : typeof pair.key.value}`);
      },
    });
  }
  return parsed.map((d) => d.toJS() as unknown);
}

const PYYAML = `
import json, sys, yaml
def plain(x):
    # JSON keys are strings: a key YAML read as a bool or number is written the way JSON writes that value.
    if isinstance(x, dict):
        return {k if isinstance(k, str) else json.dumps(k, default=str): plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [plain(v) for v in x]
    return x
out = []
for path in sys.argv[1:]:
    try:
        with open(path, encoding="utf-8") as f:
            out.append({"docs": plain(list(yaml.safe_load_all(f)))})
    except Exception as e:
        out.append({"error": type(e).__name__ + ": " + str(e).replace("\\n", " ")})
json.dump(out, sys.stdout, sort_keys=True, default=str)
`;

export type PyYamlResult = { readonly docs: unknown[] } | { readonly error: string };

/** Every file loaded with PyYAML's safe_load_all (one python3 process for all). */
export async function pyYamlLoad(paths: readonly string[]): Promise<PyYamlResult[]> {
  if (paths.length === 0) return [];
  const { stdout } = await run("python3", ["-c", PYYAML, ...paths], BIG);
  return JSON.parse(stdout) as PyYamlResult[];
}

/** Every leaf with its path (full) and its depth and type (shape); PyYAML must read the same data. */
export function yamlStructure(content: string, py: PyYamlResult): Structure {
  const out = new StructureBuilder();
  let docs: unknown[];
  try {
    docs = readYaml(content);
  } catch (err) {
    if (!(err instanceof ReadError)) throw err;
    out.problem(err.message);
    return out.build();
  }
  docs.forEach((doc, i) => addLeaves(out, doc, [i]));
  if ("error" in py) out.problem(`PyYAML cannot read it: ${py.error}`);
  else if (sortedJson(py.docs) !== sortedJson(docs))
    out.problem(`PyYAML reads other data than the yaml library: ${sortedJson(py.docs).slice(0, 300)} vs ${sortedJson(docs).slice(0, 300)}`);
  return out.build();
}

function addLeaves(out: StructureBuilder, data: unknown, prefix: DataPath): void {
  walk(data, prefix, (path, value) => {
    out.add(`${JSON.stringify(path)}=${JSON.stringify(value)}`, `${path.length} ${Array.isArray(value) ? "list" : typeof value}`);
    if (typeof value === "string" && value.includes("\n")) {
      let inner: unknown[];
      try {
        inner = readYaml(value, ` inside ${JSON.stringify(path)}`);
      } catch (err) {
        if (!(err instanceof ReadError)) throw err;
        out.problem(err.message);
        return;
      }
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
