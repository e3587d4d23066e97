/**
 * Shell scripts (and files the shell sources, /etc/frr/daemons), read by bash itself: `bash -n` for syntax
 * and `bash --pretty-print` (bash ≥ 5.2) for the commands as bash parsed them: comments dropped, continued
 * lines joined, one simple command per line. shellcheck reads them too. Parses only: nothing in a script is
 * executed.
 *
 * - bashParse()/shellcheck(): many files, one process each (the security checks).
 * - readShell(): one script, synchronously; throws a ReadError when bash refuses it. shellWords() splits one
 *   of its lines into words the way the shell quotes them, for parse-back facts.
 */
import { execFileSync } from "node:child_process";
import { BIG, run } from "./programs.js";
import { ReadError, StructureBuilder, type Structure } from "./reader.js";

export interface BashResult {
  /** `bash -n` accepted the file. */
  readonly syntaxOk: boolean;
  /** `bash -n` complaints. */
  readonly errors: string;
  /** `bash --pretty-print`: the file parsed and printed back as bash sees it, comments dropped (bash ≥ 5.2). */
  readonly canonical: string;
}

const RS = "\u001e";

/** `bash -n` and `bash --pretty-print` on each file. */
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

/**
 * The structure of one script from bash's parse and shellcheck's comments: every canonical line; shape: the
 * command word, or the variable a line assigns; shellcheck findings by code.
 */
export function shellStructure(parsed: BashResult, checked: readonly ShellcheckComment[]): Structure {
  const out = new StructureBuilder();
  if (!parsed.syntaxOk) out.problem(`bash -n: ${parsed.errors.trim()}`);
  for (const line of parsed.canonical.split("\n")) {
    const text = line.trimEnd();
    if (text.trim()) out.add(text, shellShape(text.trim()));
  }
  for (const c of checked) out.add(`shellcheck SC${c.code} ${c.line}:${c.column}`, `shellcheck SC${c.code}`);
  return out.build();
}

/** What a canonical bash line does, without its values: the command word, or the variable it assigns. */
function shellShape(line: string): string {
  const word = line.split(/\s+/)[0]!;
  const assignment = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\+?=/.exec(word);
  return assignment ? `assign ${assignment[1]}` : `command ${word}`;
}

const canonicalCache = new Map<string, string[]>();

/** One script as bash parses it: its canonical lines (comments gone, continuations joined). Throws when bash refuses it. */
export function readShell(text: string): string[] {
  const cached = canonicalCache.get(text);
  if (cached) return cached;
  try {
    execFileSync("bash", ["-n"], { input: text, stdio: ["pipe", "pipe", "pipe"] });
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? "");
    const line = Number(/line (\d+)/.exec(stderr)?.[1] ?? 0);
    throw new ReadError("bash", line, stderr.trim() || "bash -n refused the script");
  }
  // The script on stdin, not /dev/stdin: a child's stdin is a socket here, which /dev/stdin cannot open.
  const canonical = execFileSync("bash", ["--pretty-print"], { input: text, encoding: "utf8", maxBuffer: BIG.maxBuffer });
  const lines = canonical.split("\n").map((l) => l.trim()).filter(Boolean);
  canonicalCache.set(text, lines);
  return lines;
}

/**
 * The words of one canonical line as the shell splits them: blanks separate words outside quotes; single
 * quotes keep everything; double quotes and backslashes escape; `;`, `&`, `|`, `(`, `)` outside quotes are
 * words of their own. Expansions (`$x`, `$(…)`) stay as written. Throws on an unterminated quote.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const end = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === " " || c === "\t") end();
    else if (expansion(line, i)) {
      const j = expansion(line, i)!;
      word = (word ?? "") + line.slice(i, j + 1);
      i = j;
    } else if (";&|()".includes(c)) {
      end();
      words.push(c);
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new ReadError("bash", 0, `unterminated ' in ${JSON.stringify(line)}`);
      word = (word ?? "") + line.slice(i + 1, close);
      i = close;
    } else if (c === '"') {
      let j = i + 1;
      let text = "";
      for (; j < line.length && line[j] !== '"'; j++) {
        const k = expansion(line, j);
        if (k) {
          text += line.slice(j, k + 1);
          j = k;
        } else text += line[j] === "\\" && /["\\$`]/.test(line[j + 1] ?? "") ? line[++j] : line[j];
      }
      if (j >= line.length) throw new ReadError("bash", 0, `unterminated " in ${JSON.stringify(line)}`);
      word = (word ?? "") + text;
      i = j;
    } else if (c === "\\" && i + 1 < line.length) word = (word ?? "") + line[++i];
    else word = (word ?? "") + c;
  }
  end();
  return words;
}

/** At a `$(` or `${`: the index of its balancing bracket (the expansion is kept whole, as written). */
function expansion(line: string, i: number): number | undefined {
  if (line[i] !== "$" || (line[i + 1] !== "(" && line[i + 1] !== "{")) return undefined;
  const open = line[i + 1]!;
  const close = open === "(" ? ")" : "}";
  let depth = 0;
  for (let j = i + 1; j < line.length; j++) {
    if (line[j] === open) depth++;
    else if (line[j] === close && --depth === 0) return j;
  }
  throw new ReadError("bash", 0, `unterminated $${open} in ${JSON.stringify(line)}`);
}
