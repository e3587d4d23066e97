/**
 * Structural check of an emitted Terraform JSON file against ./resources.ts: top-level keys, variable and
 * output blocks, every resource type known, every argument documented, every required argument present,
 * nested blocks shaped as the provider documents them, and references only to declared variables and
 * resources. `terraform validate` would be the real checker, but terraform is not installable here (no
 * HashiCorp registry access); this is the closest stand-in, and its tests show it fails on each kind of
 * mistake.
 */
import { OUTPUT_ARGUMENTS, RESOURCE_SCHEMAS, TOP_LEVEL_KEYS, VARIABLE_ARGUMENTS } from "./resources.js";

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Problems found; empty when the document is well-formed. */
export function checkTerraformJson(text: string): string[] {
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return [`not JSON: ${(err as Error).message}`];
  }
  if (!isObject(doc)) return ["the document is not an object"];
  for (const key of Object.keys(doc)) if (!TOP_LEVEL_KEYS.includes(key)) problems.push(`unknown top-level key ${key}`);

  const variables = isObject(doc.variable) ? doc.variable : {};
  for (const [name, block] of Object.entries(variables)) {
    if (!isObject(block)) problems.push(`variable ${name} is not a block`);
    else for (const arg of Object.keys(block)) if (!VARIABLE_ARGUMENTS.includes(arg) && arg !== "//") problems.push(`variable ${name}: unknown argument ${arg}`);
  }
  const outputs = isObject(doc.output) ? doc.output : {};
  for (const [name, block] of Object.entries(outputs)) {
    if (!isObject(block) || !("value" in block)) problems.push(`output ${name} has no value`);
    else for (const arg of Object.keys(block)) if (!OUTPUT_ARGUMENTS.includes(arg) && arg !== "//") problems.push(`output ${name}: unknown argument ${arg}`);
  }

  const resources = isObject(doc.resource) ? doc.resource : {};
  const declared = new Set<string>(Object.keys(variables).map((v) => `var.${v}`));
  for (const [type, byName] of Object.entries(resources)) if (isObject(byName)) for (const name of Object.keys(byName)) declared.add(`${type}.${name}`);

  for (const [type, byName] of Object.entries(resources)) {
    const schema = RESOURCE_SCHEMAS[type];
    if (!schema) {
      problems.push(`unknown resource type ${type}`);
      continue;
    }
    if (!isObject(byName)) {
      problems.push(`resource ${type} is not an object of named blocks`);
      continue;
    }
    for (const [name, block] of Object.entries(byName)) {
      const where = `${type}.${name}`;
      if (!isObject(block)) {
        problems.push(`${where} is not a block`);
        continue;
      }
      for (const arg of Object.keys(block)) if (arg !== "//" && !schema.arguments.includes(arg)) problems.push(`${where}: unknown argument ${arg}`);
      for (const arg of schema.required) if (!(arg in block)) problems.push(`${where}: missing required argument ${arg}`);
      for (const [blockName, nested] of Object.entries(schema.blocks ?? {})) {
        if (!(blockName in block)) continue;
        const value = block[blockName];
        const items = Array.isArray(value) ? value : [value];
        if (Array.isArray(value) && !nested.repeated) problems.push(`${where}.${blockName}: a single block given as a list`);
        for (const item of items) {
          if (!isObject(item)) {
            problems.push(`${where}.${blockName}: not a block`);
            continue;
          }
          for (const arg of Object.keys(item)) if (arg !== "//" && !nested.arguments.includes(arg)) problems.push(`${where}.${blockName}: unknown argument ${arg}`);
          for (const arg of nested.required) if (!(arg in item)) problems.push(`${where}.${blockName}: missing required argument ${arg}`);
        }
      }
    }
  }

  // Every interpolation refers to something declared here.
  walkStrings(doc, (s, path) => {
    if (path.at(-1) === "//") return;
    for (const m of s.matchAll(/(?<!\$)\$\{([^}]*)\}/g)) {
      const target = m[1]!.split(".").slice(0, 2).join(".");
      if (!declared.has(target)) problems.push(`${path.join(".")}: reference to undeclared ${m[1]}`);
    }
    if (/(?<!%)%\{/.test(s)) problems.push(`${path.join(".")}: template directive`);
  });
  return problems;
}

function walkStrings(value: unknown, leaf: (s: string, path: string[]) => void, path: string[] = []): void {
  if (typeof value === "string") leaf(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, leaf, [...path, String(i)]));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) walkStrings(v, leaf, [...path, k]);
}
