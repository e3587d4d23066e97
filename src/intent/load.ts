/**
 * Loading an intent file: text → one YAML document with source ranges → plain data.
 *
 * Every problem is a diagnostic, never an exception. Besides YAML syntax, the loader refuses what the YAML
 * library would accept but a site file must not contain: several documents, custom tags, collection keys,
 * duplicate keys, absurd nesting and alias bombs. Nesting that could overflow the parser is refused from the
 * text before parsing; everything else is checked on the node tree, before `toJS` expands anything.
 */
import {
  CST,
  Lexer,
  LineCounter,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
  type Alias,
  type Document,
  type Node,
  type Pair,
  type YAMLError,
} from "yaml";
import { escapeControlChars } from "../diagnostics/format.js";
import { hasErrors, type Diagnostic, type Range, type Severity } from "../diagnostics/diagnostic.js";
import type { DiagnosticCode } from "../diagnostics/codes.js";
import type { SourceFile } from "./source.js";

export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_DEPTH = 64;
/** Most values aliases may add to the document once expanded (a real site file needs a handful). */
export const MAX_ALIAS_EXPANSION = 10_000;
/** yaml's own guard in `toJS`, kept as a second line of defence. */
const MAX_ALIAS_COUNT = 100;
/**
 * Lines indented further than this are refused before parsing. Block nesting needs at most two levels per
 * column of indentation, so this (with flow depth capped at MAX_DEPTH) keeps yaml's recursive composer far
 * from the stack limit, where V8 may abort the process instead of throwing.
 */
export const MAX_INDENT = 128;

const PARSE_OPTIONS = {
  version: "1.2",
  schema: "core",
  strict: true,
  // yaml's own check compares every key with every earlier one (a 20 000-key map takes seconds);
  // checkKeys finds duplicates in linear time and names the first occurrence.
  uniqueKeys: false,
  prettyErrors: false,
  logLevel: "error",
} as const;

/** Tags of the YAML 1.2 core schema; anything else (!!binary, !!set, !foo) is refused. */
const CORE_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));

export interface LoadResult {
  readonly source?: SourceFile;
  readonly data?: unknown;
  readonly diagnostics: Diagnostic[];
}

type YamlNode = Node;
type ParsedDocument = Document.Parsed;

/** Positions in the loaded text (BOM stripped), plus the file name every diagnostic carries. */
interface Place {
  readonly file: string;
  readonly text: string;
  readonly lines: LineCounter;
  /** Lines that may hold a secret: diagnostics there are redacted and do not quote what they point at. */
  readonly showsSecret: (range: Range) => boolean;
}

export function loadSource(file: string, text: string): LoadResult {
  try {
    return load(file, text);
  } catch (error) {
    // The checks above are meant to make this unreachable; a parser bug must still not crash the compiler.
    const detail = error instanceof Error ? error.message : String(error);
    return { diagnostics: [{ code: "SW003", severity: "error", file, message: `the YAML parser failed: ${escapeControlChars(detail)}` }] };
  }
}

function load(file: string, text: string): LoadResult {
  const size = Buffer.byteLength(text, "utf8");
  if (size > MAX_FILE_BYTES) return { diagnostics: [tooLarge(file, size)] };

  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const tooDeep = nestingBeyondParserLimits(file, body);
  if (tooDeep) return { diagnostics: [tooDeep] };

  const docs = parseAllDocuments(body, PARSE_OPTIONS);
  const place: Place = { file, text: body, lines: lineCounterFor(body), showsSecret: secretLineDetector(body) };

  if ("empty" in docs) {
    const streamErrors = yamlErrorDiagnostics(place, docs.errors, undefined);
    return { diagnostics: streamErrors.length > 0 ? streamErrors : [emptyFile(place)] };
  }
  const [doc, ...extraDocs] = docs;
  if (!doc) return { diagnostics: [emptyFile(place)] };

  const source: SourceFile = { path: file, text: body, doc, lines: place.lines };
  const syntax = dedupe([
    ...docs.flatMap((d) => yamlErrorDiagnostics(place, [...d.errors, ...d.warnings], d)),
    ...extraDocuments(place, extraDocs),
  ]);
  const result = dedupe([...syntax, ...checkContents(place, doc, hasErrors(syntax))]);
  if (hasErrors(result)) return { source, diagnostics: result };

  const converted = toPlainData(place, doc);
  return { source, data: converted.data, diagnostics: [...result, ...converted.diagnostics] };
}

// ---------------------------------------------------------------------------------------------------------
// Whole-file problems
// ---------------------------------------------------------------------------------------------------------

function tooLarge(file: string, bytes: number): Diagnostic {
  const mib = (bytes / (1024 * 1024)).toFixed(1);
  return {
    code: "SW002",
    severity: "error",
    file,
    message: `file is ${mib} MiB; an intent file may be at most 1 MiB`,
    hint: "a site intent is normally a few kilobytes: is this the right file?",
  };
}

function emptyFile(place: Place): Diagnostic {
  return diagnostic(place, "SW005", span(place, 0, 0), "the file holds no YAML content", {
    hint: "start with `site: <name>` (see schema/site.schema.json)",
  });
}

const OVER_INDENTED_LINE = new RegExp(`^[ \\t?:-]{${MAX_INDENT + 1}}`, "m");

/** Refuses, from the text alone, nesting that could exhaust the stack of yaml's composer. */
function nestingBeyondParserLimits(file: string, text: string): Diagnostic | undefined {
  const indented = OVER_INDENTED_LINE.exec(text)?.index;
  const bracket = deepFlowBracket(text);
  const offset = Math.min(indented ?? Infinity, bracket ?? Infinity);
  if (offset === Infinity) return undefined;
  const what = offset === bracket ? `brackets nested deeper than ${MAX_DEPTH} levels` : `a line indented by more than ${MAX_INDENT} columns`;
  const place: Place = { file, text, lines: lineCounterFor(text), showsSecret: () => false };
  return diagnostic(place, "SW009", span(place, offset, offset + 1), `nesting too deep: ${what}`, {
    hint: "a site file needs fewer than ten levels; is an indentation or bracket off?",
  });
}

/** Offset of the first '[' or '{' nested deeper than MAX_DEPTH, as yaml's own lexer sees brackets. */
function deepFlowBracket(text: string): number | undefined {
  if (!hasMoreBracketsThan(text, MAX_DEPTH)) return undefined;
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type === "flow-seq-start" || type === "flow-map-start") {
      if (++depth > MAX_DEPTH) return offset;
    } else if (type === "flow-seq-end" || type === "flow-map-end") {
      depth = Math.max(depth - 1, 0);
    }
    // The lexer interleaves marker tokens that are not part of the source.
    if (token !== CST.DOCUMENT && token !== CST.FLOW_END && token !== CST.SCALAR) offset += token.length;
  }
  return undefined;
}

function hasMoreBracketsThan(text: string, limit: number): boolean {
  // A search, not a loop over every character: run once, such a loop has V8 compile it mid-run (on-stack
  // replacement), about 2 ms for a site file of 3 KB, in every `validate` (issue 18).
  const brackets = /[[{]/g;
  let count = 0;
  while (brackets.test(text)) if (++count > limit) return true;
  return false;
}

function extraDocuments(place: Place, extra: readonly ParsedDocument[]): Diagnostic[] {
  const [second] = extra;
  if (!second) return [];
  const count = extra.length + 1;
  return [
    diagnostic(place, "SW008", span(place, second.range[0], second.range[0]), `the file holds ${count} YAML documents; a site file holds exactly one`, {
      hint: "remove the '---' separator (one at the very top of the file is fine)",
    }),
  ];
}

// ---------------------------------------------------------------------------------------------------------
// YAML syntax errors reported by the parser
// ---------------------------------------------------------------------------------------------------------

interface Rewrite {
  readonly match: RegExp;
  readonly message?: (m: RegExpMatchArray) => string;
  readonly hint?: string;
}

/** yaml's messages describe its internals; these say what the user wrote wrong. First match wins. */
const REWRITES: readonly Rewrite[] = [
  { match: /^Tabs are not allowed as indentation/, message: () => "tab used for indentation", hint: "YAML indents with spaces only" },
  {
    match: /^Missing closing ("|')quote/,
    message: (m) => `unterminated ${m[1] === '"' ? "double" : "single"}-quoted string`,
    hint: "add the closing $1 quote",
  },
  {
    match: /^Nested mappings are not allowed in compact mappings/,
    message: () => "a mapping cannot start on the same line as its key",
    hint: "put the nested keys on their own indented lines, or quote the value if it contains ': '",
  },
  {
    match: /^Implicit keys need to be on a single line/,
    message: () => "a key must fit on one line",
    hint: "is a ':' missing at the end of the previous key, or a quote left open?",
  },
  {
    match: /^Implicit map keys need to be followed by map values/,
    message: () => "a key without ':' and a value",
    hint: "write `key: value`, or start the line with '- ' for a list item",
  },
  {
    match: /^All (mapping|sequence) items must start at the same column/,
    message: (m) => `${m[1] === "mapping" ? "keys of one mapping" : "items of one list"} must start at the same column`,
    hint: "check the indentation of this line against its siblings",
  },
  {
    match: /^Flow (sequence|map) in block collection must be sufficiently indented and end with a (.)/,
    message: (m) => `${m[1] === "map" ? "'{'" : "'['"} is not closed with '${m[2]}'`,
    hint: "close the bracket, or indent its continuation lines further than the key",
  },
  { match: /^Flow (sequence|map) must end with a (.)/, message: (m) => `${m[1] === "map" ? "'{'" : "'['"} is not closed with '${m[2]}'` },
  { match: /^Invalid escape sequence (.*)/, message: (m) => `invalid escape ${m[1]} in a double-quoted string`, hint: "use single quotes for text with backslashes" },
  { match: /^Plain value cannot start with (.*)/, message: (m) => `a plain value cannot start with ${m[1]}`, hint: "quote the value" },
  { match: /^The : indicator must be at most 1024 chars/, message: () => "a key longer than 1024 characters" },
  { match: /^Block collections are not allowed within flow collections/, message: () => "an indented block inside [...] or {...}" },
  { match: /^Maximum call stack size exceeded/, message: () => `nesting too deep (the limit is ${MAX_DEPTH} levels)` },
  {
    match: /^Unexpected block-seq-ind on same line with key/,
    message: () => "a list cannot start on the same line as its key",
    hint: "put the '- ' items on the following lines, indented",
  },
  {
    // yaml appends the token's source text, which could be anything (a secret too): never echo it.
    match: /^Unexpected ([a-z-]+)(?: token| at node end)/,
    message: (m) => `unexpected ${TOKEN_WORDS.get(m[1] ?? "") ?? "text"}`,
    hint: "check the indentation and punctuation just before it",
  },
  {
    match: /^tag:yaml\.org,2002:(\S+) used for (\w+) collection/,
    message: (m) => `tag '!!${m[1]}' used on a ${m[2] === "seq" ? "list" : "mapping"}`,
  },
];

/** yaml's lexical token types, in words. */
const TOKEN_WORDS: ReadonlyMap<string, string> = new Map([
  ["alias", "alias"],
  ["anchor", "anchor"],
  ["tag", "tag"],
  ["comment", "comment"],
  ["scalar", "value"],
  ["double-quoted-scalar", "quoted value"],
  ["single-quoted-scalar", "quoted value"],
  ["block-scalar", "block of text"],
  ["block-scalar-header", "'|' or '>'"],
  ["block-map", "mapping"],
  ["block-seq", "list"],
  ["seq-item-ind", "'-'"],
  ["block-seq-ind", "'-'"],
  ["explicit-key-ind", "'?'"],
  ["map-value-ind", "':'"],
  ["flow-map-start", "'{'"],
  ["flow-map-end", "'}'"],
  ["flow-seq-start", "'['"],
  ["flow-seq-end", "']'"],
  ["flow-error-end", "end of a bracket"],
  ["comma", "','"],
  ["doc-start", "'---'"],
  ["doc-end", "'...'"],
  ["directive-line", "directive"],
  ["directive", "directive"],
  ["byte-order-mark", "byte order mark"],
]);

const CODE_FOR_YAML_ERROR: Readonly<Record<string, DiagnosticCode>> = {
  RESOURCE_EXHAUSTION: "SW009",
};

/** yaml errors this loader reports itself, with better positions and messages. */
const REPORTED_BY_TREE_CHECKS = new Set(["DUPLICATE_KEY", "TAG_RESOLVE_FAILED"]);

function yamlErrorDiagnostics(place: Place, errors: readonly YAMLError[], doc: ParsedDocument | undefined): Diagnostic[] {
  return errors.filter((e) => !REPORTED_BY_TREE_CHECKS.has(e.code)).map((e) => yamlErrorDiagnostic(place, e, doc));
}

function yamlErrorDiagnostic(place: Place, error: YAMLError, doc: ParsedDocument | undefined): Diagnostic {
  const severity: Severity = error.name === "YAMLWarning" ? "warning" : "error";
  const [start, end] = errorOffsets(error, doc);
  const { message, hint } = rewriteYamlMessage(error.message);
  const code = CODE_FOR_YAML_ERROR[error.code] ?? "SW003";
  return diagnostic(place, code, span(place, start, end), message, { severity, hint });
}

function rewriteYamlMessage(raw: string): { message: string; hint?: string } {
  for (const rule of REWRITES) {
    const m = raw.match(rule.match);
    if (!m) continue;
    const message = rule.message ? rule.message(m) : lowerFirst(raw);
    const hint = rule.hint?.replace("$1", m[1] ?? "");
    return { message: escapeControlChars(message), ...(hint ? { hint } : {}) };
  }
  return { message: escapeControlChars(lowerFirst(raw.replace(/\.$/, ""))) };
}

/** Unclosed quotes and brackets are reported by yaml where the file or block ends; point at the opening. */
const OPENED_AT_START: readonly { readonly message: RegExp; readonly opens: (node: YamlNode) => boolean }[] = [
  { message: /closing .?quote/, opens: (n) => isScalar(n) && (n.type === "QUOTE_DOUBLE" || n.type === "QUOTE_SINGLE") },
  { message: /^Flow (sequence|map)/, opens: (n) => (isMap(n) || isSeq(n)) && n.flow === true },
];

function errorOffsets(error: YAMLError, doc: ParsedDocument | undefined): [number, number] {
  const [start, end] = error.pos;
  const rule = OPENED_AT_START.find((r) => r.message.test(error.message));
  const opening = doc && rule ? findNodeEndingAt(doc, start, rule.opens) : undefined;
  return opening === undefined ? [start, end] : [opening, opening + 1];
}

function findNodeEndingAt(doc: ParsedDocument, offset: number, accept: (node: YamlNode) => boolean): number | undefined {
  let found: number | undefined;
  forEachNode(doc.contents, (node) => {
    if (node.range && node.range[1] === offset && accept(node)) found = node.range[0];
  });
  return found;
}

// ---------------------------------------------------------------------------------------------------------
// Checks on the node tree (before anything is expanded)
// ---------------------------------------------------------------------------------------------------------

function checkContents(place: Place, doc: ParsedDocument, hasSyntaxErrors: boolean): Diagnostic[] {
  const root = doc.contents;
  if (root === null || isEmptyContents(root)) return hasSyntaxErrors ? [] : [emptyFile(place)];
  if (!isMap(root)) return hasSyntaxErrors ? [] : [rootNotMapping(place, root)];

  const tooDeep = findTooDeep(root, 1);
  if (tooDeep) return [nestingTooDeep(place, tooDeep)];
  return [...checkKeys(place, root), ...checkTags(place, root), ...checkAliases(place, doc, root)];
}

function isEmptyContents(root: YamlNode): boolean {
  return isScalar(root) && root.value === null && (!root.range || root.range[0] === root.range[1]);
}

function rootNotMapping(place: Place, root: YamlNode): Diagnostic {
  return diagnostic(place, "SW006", nodeSpan(place, root), `the top level is ${kindOf(root)}; it must be a mapping of keys`, {
    hint: "a site file starts with `site: <name>` followed by networks:, hosts:, tunnels:, …",
  });
}

function kindOf(node: YamlNode): string {
  if (isSeq(node)) return "a list";
  if (isAlias(node)) return "an alias";
  if (isScalar(node)) return node.value === null ? "null" : `a single ${typeof node.value} value`;
  return "not a mapping";
}

/** The first collection nested deeper than MAX_DEPTH, found without recursing past it. */
function findTooDeep(node: unknown, depth: number): YamlNode | undefined {
  if (!isMap(node) && !isSeq(node)) return undefined;
  if (depth > MAX_DEPTH) return node;
  for (const child of childrenOf(node)) {
    const found = findTooDeep(child, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function nestingTooDeep(place: Place, node: YamlNode): Diagnostic {
  return diagnostic(place, "SW009", nodeSpan(place, node), `nesting deeper than ${MAX_DEPTH} levels`, {
    hint: "a site file needs fewer than ten levels; is an indentation or bracket off?",
  });
}

function checkKeys(place: Place, root: YamlNode): Diagnostic[] {
  const out: Diagnostic[] = [];
  forEachNode(root, (node) => {
    if (!isMap(node)) return;
    const firstByKey = new Map<string, Pair>();
    for (const pair of node.items) {
      const problem = keyProblem(pair.key);
      if (problem) {
        out.push(diagnostic(place, "SW010", keySpan(place, pair, node), problem.message, { hint: problem.hint }));
        continue;
      }
      const key = keyText(pair.key);
      const first = firstByKey.get(key);
      if (first) out.push(duplicateKey(place, key, pair, first, node));
      else firstByKey.set(key, pair);
    }
  });
  return out;
}

function keyProblem(key: unknown): { message: string; hint: string } | undefined {
  if (isMap(key) || isSeq(key))
    return { message: "a key must be a plain name, not a list or mapping", hint: "remove the '?' complex key" };
  if (isAlias(key)) return { message: "an alias cannot be used as a key", hint: "write the key out" };
  if (key === null || (isScalar(key) && key.value === null))
    return { message: "empty key", hint: "every entry needs a name before ':'" };
  return undefined;
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : "";
}

function duplicateKey(place: Place, key: string, pair: Pair, first: Pair, map: YamlNode): Diagnostic {
  const firstLine = keySpan(place, first, map).start.line;
  const at = keySpan(place, pair, map);
  return diagnostic(place, "SW004", at, `duplicate key${echo(place, at, key)} (first defined on line ${firstLine})`, {
    hint: "YAML would silently keep only the last one: merge the two entries",
  });
}

function checkTags(place: Place, root: YamlNode): Diagnostic[] {
  const out: Diagnostic[] = [];
  forEachNode(root, (node) => {
    const tag = node.tag;
    if (tag === undefined || CORE_TAGS.has(tag)) return;
    const start = tagOffset(place.text, node);
    const at = span(place, start, start + shortTag(tag).length);
    out.push(
      diagnostic(place, "SW010", at, `unsupported YAML tag${echo(place, at, shortTag(tag))}`, {
        hint: "remove the tag: a site file holds plain strings, numbers, booleans, lists and mappings",
      }),
    );
  });
  return out;
}

function shortTag(tag: string): string {
  return tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice("tag:yaml.org,2002:".length)}` : tag;
}

/** Nodes' ranges start after their properties; the tag is the nearest '!' run before the node. */
function tagOffset(text: string, node: YamlNode): number {
  const start = node.range?.[0] ?? 0;
  let bang = text.lastIndexOf("!", start - 1);
  if (bang < 0) return start;
  while (bang > 0 && text[bang - 1] === "!") bang--;
  return bang;
}

/** What an anchored value becomes once every alias in it is expanded. */
interface Expansion {
  readonly size: number;
  readonly depth: number;
}

/**
 * Unresolved and recursive aliases, and alias bombs (too many values, or too deep, once expanded). Expansions
 * are memoised per anchored node, so the classic billion-laughs document is measured in a few hundred steps
 * without expanding anything.
 */
function checkAliases(place: Place, doc: ParsedDocument, root: YamlNode): Diagnostic[] {
  const out: Diagnostic[] = [];
  const targets = aliasTargets(doc);
  const measure = expansionMeter(targets);
  let expanded = 0;

  forEachNode(root, (node, ancestors) => {
    if (!isAlias(node) || expanded > MAX_ALIAS_EXPANSION) return;
    const target = targets.get(node);
    const at = nodeSpan(place, node);
    const name = echo(place, at, `*${node.source}`);
    if (!target) {
      out.push(diagnostic(place, "SW003", at, `alias${name} has no anchor`, { hint: "define the anchor (&name) on an earlier value" }));
      return;
    }
    if (ancestors.includes(target)) {
      out.push(diagnostic(place, "SW007", at, `alias${name} refers to a value that contains it`, { hint: "recursive structures cannot be expanded" }));
      return;
    }
    const expansion = measure(target);
    expanded += expansion.size;
    if (expanded > MAX_ALIAS_EXPANSION) {
      out.push(diagnostic(place, "SW007", at, `aliases expand to more than ${MAX_ALIAS_EXPANSION} values`, {
        hint: "this looks like an alias bomb; write the values out or use fewer aliases",
      }));
    } else if (ancestors.length + expansion.depth > MAX_DEPTH) {
      out.push(diagnostic(place, "SW009", at, `alias${name} nests deeper than ${MAX_DEPTH} levels once expanded`));
    }
  });
  return out;
}

/**
 * Every alias's target in one pass over the document (an alias refers to the latest anchor of that name
 * before it). yaml's Alias.resolve walks the document from the top for each alias: quadratic, and a
 * 100 KB file with thousands of aliases took seconds.
 */
function aliasTargets(doc: ParsedDocument): Map<Alias, YamlNode | undefined> {
  const anchors = new Map<string, YamlNode>();
  const targets = new Map<Alias, YamlNode | undefined>();
  visit(doc, (_key, node) => {
    if (isAlias(node)) targets.set(node, anchors.get(node.source));
    else if (node && typeof node === "object" && "anchor" in node && typeof node.anchor === "string" && node.anchor)
      anchors.set(node.anchor, node as YamlNode);
  });
  return targets;
}

function expansionMeter(targets: ReadonlyMap<Alias, YamlNode | undefined>): (node: unknown) => Expansion {
  const known = new Map<YamlNode, Expansion>();
  const inProgress = new Set<YamlNode>();
  const measure = (node: unknown): Expansion => {
    if (isAlias(node)) {
      const target = targets.get(node);
      // Unresolved and recursive aliases are reported where checkAliases visits them.
      return target && !inProgress.has(target) ? measure(target) : { size: 1, depth: 0 };
    }
    if (!isMap(node) && !isSeq(node)) return { size: 1, depth: 0 };
    const cached = known.get(node);
    if (cached) return cached;
    inProgress.add(node);
    let size = 1;
    let depth = 0;
    for (const child of childrenOf(node)) {
      const inner = measure(child);
      size = Math.min(size + inner.size, Number.MAX_SAFE_INTEGER);
      depth = Math.max(depth, inner.depth);
    }
    inProgress.delete(node);
    const result = { size, depth: depth + 1 };
    known.set(node, result);
    return result;
  };
  return measure;
}

// ---------------------------------------------------------------------------------------------------------
// Conversion to plain data
// ---------------------------------------------------------------------------------------------------------

function toPlainData(place: Place, doc: ParsedDocument): { data?: unknown; diagnostics: Diagnostic[] } {
  try {
    return { data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), diagnostics: [] };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const code: DiagnosticCode = /alias/i.test(detail) ? "SW007" : "SW003";
    const at = doc.contents ? nodeSpan(place, doc.contents) : span(place, 0, 0);
    return { diagnostics: [diagnostic(place, code, at, `cannot convert the document: ${escapeControlChars(lowerFirst(detail))}`)] };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------------------

const PSK_KEY = /(?:^|[\s{,"'])psk["']?\s*:/;
/** `psk:` or `psk: |` with the value on the following lines. */
const PSK_KEY_ALONE = /(?:^|[\s{,"'])psk["']?\s*:\s*(?:[|>][-+0-9]*)?\s*(?:#.*)?$/;

/**
 * For a text, a test of whether the lines a range covers may hold a secret (a `psk` key on them, or a bare
 * `psk:` just before), so printers must not echo them. A text heuristic, for where the YAML structure is
 * broken or one flow line holds several keys.
 */
export function secretLineDetector(text: string): (range: Range) => boolean {
  const lines = text.split("\n");
  return (range) => {
    const covered = lines.slice(range.start.line - 1, Math.max(range.end.line, range.start.line));
    const before = lines[range.start.line - 2];
    return covered.some((line) => PSK_KEY.test(line)) || (before !== undefined && PSK_KEY_ALONE.test(before));
  };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

function childrenOf(node: YamlNode): unknown[] {
  if (isMap(node)) return node.items.flatMap((p) => [p.key, p.value]);
  if (isSeq(node)) return node.items.flatMap((item) => (isPair(item) ? [item.key, item.value] : [item]));
  return [];
}

/**
 * Depth-first, document order, without following aliases. Stops one level below MAX_DEPTH, so it is safe on
 * trees that findTooDeep has not vetted yet.
 */
function forEachNode(node: unknown, visit: (node: YamlNode, ancestors: readonly YamlNode[]) => void, ancestors: YamlNode[] = []): void {
  if (!isYamlNode(node)) return;
  visit(node, ancestors);
  if ((!isMap(node) && !isSeq(node)) || ancestors.length > MAX_DEPTH) return;
  ancestors.push(node);
  for (const child of childrenOf(node)) forEachNode(child, visit, ancestors);
  ancestors.pop();
}

function isYamlNode(node: unknown): node is YamlNode {
  return isMap(node) || isSeq(node) || isScalar(node) || isAlias(node);
}

/**
 * Line starts taken from the text itself rather than recorded by the parser, which skips the start of a line
 * that follows a final line break; positions at the very end of a file would fall outside it.
 */
function lineCounterFor(text: string): LineCounter {
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines.addNewLine(i + 1);
  return lines;
}

function span(place: Place, start: number, end: number): Range {
  const clamp = (n: number) => Math.min(Math.max(n, 0), place.text.length);
  const from = position(place, clamp(start));
  const to = position(place, Math.max(clamp(start), clamp(end)));
  return { start: from, end: to };
}

function position(place: Place, offset: number): { line: number; column: number } {
  const p = place.lines.linePos(offset);
  return { line: p.line, column: p.col };
}

function nodeSpan(place: Place, node: YamlNode): Range {
  const range = node.range;
  return range ? span(place, range[0], range[1]) : span(place, 0, 0);
}

/** A key's range; an empty key has none, so point at the entry's value or the enclosing mapping. */
function keySpan(place: Place, pair: Pair, map: YamlNode): Range {
  for (const candidate of [pair.key, pair.value, map]) {
    if (isYamlNode(candidate) && candidate.range) return nodeSpan(place, candidate);
  }
  return span(place, 0, 0);
}

function diagnostic(
  place: Place,
  code: DiagnosticCode,
  range: Range,
  message: string,
  extra: { severity?: Severity; hint?: string | undefined } = {},
): Diagnostic {
  return {
    code,
    severity: extra.severity ?? "error",
    file: place.file,
    range,
    message,
    ...(extra.hint ? { hint: extra.hint } : {}),
    ...(place.showsSecret(range) ? { redact: true } : {}),
  };
}

/** One diagnostic per code and position: yaml repeats some errors once per enclosing collection. */
function dedupe(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  let deepReported = false;
  return diagnostics.filter((d) => {
    if (d.code === "SW009") {
      if (deepReported) return false;
      deepReported = true;
    }
    const key = `${d.code}:${d.range?.start.line}:${d.range?.start.column}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** ` 'text'` (truncated, escaped) for a message, or nothing when the range is on a line that may hold a secret. */
function echo(place: Place, range: Range, text: string): string {
  if (place.showsSecret(range)) return "";
  const shown = text.length > 60 ? `${text.slice(0, 59)}…` : text;
  return ` '${escapeControlChars(shown)}'`;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
