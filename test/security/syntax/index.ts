/**
 * The structure of every artifact, by its manifest kind, read the way its consumer reads it: by the reader of
 * its syntax under test/readers/ (shell and YAML through the real programs, batched). A kind without a reader
 * here fails loudly, so a new target cannot slip past the injection checks.
 */
import type { Artifact } from "../../../src/targets/target.js";
import { LINE_READERS, SHELL_KINDS, YAML_KINDS } from "../../readers/by-kind.js";
import { withFiles } from "../../readers/programs.js";
import type { Structure } from "../../readers/reader.js";
import { bashParse, shellcheck, shellStructure } from "../../readers/shell.js";
import { pyYamlLoad, yamlStructure } from "../../readers/yaml.js";

export type { Structure } from "../../readers/reader.js";

/** Kinds with a reader: the corpus test asserts every artifact kind the targets emit is among them. */
export const READABLE_KINDS: ReadonlySet<string> = new Set([...Object.keys(LINE_READERS), ...SHELL_KINDS, ...YAML_KINDS]);

/** The structure of each artifact, by index. Distinct contents are read once. */
export async function structuresOf(artifacts: readonly Pick<Artifact, "kind" | "content" | "path">[]): Promise<Structure[]> {
  const unique = new Map<string, { kind: string; path: string; content: string }>();
  const keyOf = (a: Pick<Artifact, "kind" | "content" | "path">) => `${readerKind(a)}\u0000${a.content}`;
  for (const a of artifacts) if (!unique.has(keyOf(a))) unique.set(keyOf(a), { kind: readerKind(a), path: a.path, content: a.content });

  const results = new Map<string, Structure>();
  const shell: string[] = [];
  const yaml: string[] = [];
  for (const [key, a] of unique) {
    const line = LINE_READERS[a.kind];
    if (line) results.set(key, withCharacterChecks(a.content, line(a.content)));
    else if (SHELL_KINDS.has(a.kind)) shell.push(key);
    else if (YAML_KINDS.has(a.kind)) yaml.push(key);
    else throw new Error(`no reader for artifact kind ${a.kind} (${a.path}): add one under test/readers/ and list it here`);
  }
  await Promise.all([readShell(shell, unique, results), readYaml(yaml, unique, results)]);
  return artifacts.map((a) => results.get(keyOf(a))!);
}

/** Ansible inventories may be INI; everything else is read by its kind. */
function readerKind(a: Pick<Artifact, "kind" | "path">): string {
  return a.kind === "ansible-inventory" && !/\.ya?ml$/.test(a.path) ? "ini" : a.kind;
}

/**
 * bash reads every script; shellcheck (slow) reads one script per distinct parse: scripts that bash parses to the
 * same commands differ only in comments, where nothing shellcheck looks at can come from an intent.
 */
async function readShell(keys: string[], unique: Map<string, { content: string }>, results: Map<string, Structure>): Promise<void> {
  const contents = keys.map((k) => unique.get(k)!.content);
  await withFiles(contents, ".sh", async (paths) => {
    const parsed = await bashParse(paths);
    const representative = new Map<string, string>();
    parsed.forEach((p, i) => representative.has(p.canonical) || representative.set(p.canonical, paths[i]!));
    const checked = await shellcheck([...representative.values()]);
    keys.forEach((key, i) => {
      const structure = shellStructure(parsed[i]!, checked.get(representative.get(parsed[i]!.canonical)!) ?? []);
      results.set(key, withCharacterChecks(contents[i]!, structure));
    });
  });
}

async function readYaml(keys: string[], unique: Map<string, { content: string }>, results: Map<string, Structure>): Promise<void> {
  const contents = keys.map((k) => unique.get(k)!.content);
  await withFiles(contents, ".yaml", async (paths) => {
    const loaded = await pyYamlLoad(paths);
    keys.forEach((key, i) => results.set(key, withCharacterChecks(contents[i]!, yamlStructure(contents[i]!, loaded[i]!))));
  });
}

/**
 * Characters no artifact may hold, whatever its syntax: control characters other than LF and tab, and the
 * characters some readers take for a line break (CR; NEL, U+2028 and U+2029 for YAML 1.1 readers, Go's yaml.v3
 * and Python's str.splitlines). A description carrying one could end a comment for one of those readers.
 */
const UNSAFE_CHARACTER = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

function withCharacterChecks(content: string, structure: Structure): Structure {
  const m = UNSAFE_CHARACTER.exec(content);
  if (!m) return structure;
  const where = content.slice(0, m.index).split("\n").length;
  const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
  return { ...structure, problems: [...structure.problems, `U+${code} on line ${where}`] };
}
