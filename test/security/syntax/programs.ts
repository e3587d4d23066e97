/**
 * Running the real readers over many files at once (one process per reader, not one per file): bash and
 * shellcheck for shell, python3's PyYAML (the YAML 1.1 reader Ansible uses, and like Go's yaml.v3 it ends a
 * line at NEL, U+2028 and U+2029) for YAML.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const BIG = { maxBuffer: 512 * 1024 * 1024 };

/** Write `contents` to files in a fresh temp directory, call `use` with their paths, then delete them. */
export async function withFiles<T>(contents: readonly string[], ext: string, use: (paths: string[]) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), "sw-security-"));
  try {
    const paths = contents.map((_, i) => join(dir, `${i}${ext}`));
    await Promise.all(paths.map((p, i) => writeFile(p, contents[i]!)));
    return await use(paths);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface BashResult {
  /** `bash -n` accepted the file. */
  readonly syntaxOk: boolean;
  /** `bash -n` complaints. */
  readonly errors: string;
  /** `bash --pretty-print`: the file parsed and printed back as bash sees it, comments dropped (bash ≥ 5.2). */
  readonly canonical: string;
}

const RS = "\u001e";

/** `bash -n` and `bash --pretty-print` on each file. Parses only: nothing in the files is executed. */
export async function bashParse(paths: readonly string[]): Promise<BashResult[]> {
  if (paths.length === 0) return [];
  const loop = `for f; do printf '${RS}%s${RS}' "$f"; if bash -n "$f" 2>&1; then printf 'OK${RS}'; else printf 'BAD${RS}'; fi; bash --pretty-print "$f" 2>&1; done`;
  const { stdout } = await run("bash", ["-c", loop, "bash", ...paths], BIG);
  const parts = stdout.split(RS);
  return paths.map((_, i) => {
    const errors = parts[1 + 3 * i + 1] ?? "";
    const status = errors.endsWith("OK") ? "OK" : "BAD";
    const canonical = parts[1 + 3 * i + 2] ?? "";
    return { syntaxOk: status === "OK", errors: errors.replace(/(OK|BAD)$/, ""), canonical };
  });
}

export interface ShellcheckComment {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: number;
  readonly level: string;
  readonly message: string;
}

/** `shellcheck -f json1 -s bash` over all files at once; comments grouped by file. */
export async function shellcheck(paths: readonly string[]): Promise<Map<string, ShellcheckComment[]>> {
  const byFile = new Map<string, ShellcheckComment[]>(paths.map((p) => [p, []]));
  if (paths.length === 0) return byFile;
  let stdout: string;
  try {
    ({ stdout } = await run("shellcheck", ["-f", "json1", "-s", "bash", ...paths], BIG));
  } catch (err) {
    // Exit 1 means "found something"; the JSON is on stdout all the same.
    const e = err as { code?: number; stdout?: string };
    if (e.code !== 1 || e.stdout === undefined) throw err;
    stdout = e.stdout;
  }
  for (const c of (JSON.parse(stdout) as { comments: ShellcheckComment[] }).comments) byFile.get(c.file)?.push(c);
  return byFile;
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

/** Every file loaded with PyYAML's safe_load_all. */
export async function pyYamlLoad(paths: readonly string[]): Promise<PyYamlResult[]> {
  if (paths.length === 0) return [];
  const { stdout } = await run("python3", ["-c", PYYAML, ...paths], BIG);
  return JSON.parse(stdout) as PyYamlResult[];
}
