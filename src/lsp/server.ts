/**
 * `sitewire lsp`: a Language Server Protocol server over stdio (vscode-languageserver). For every open site file
 * it publishes every sitewire diagnostic as the user types (./analysis.ts, in this process, debounced: one
 * analysis per pause, a newer edit makes an older analysis's results stale and they are dropped), and answers
 * hover, go-to-definition, find-references, completion of names and quick fixes from the file's own text.
 *
 * stdout carries the protocol only: console output of any module goes to stderr.
 */
import { relative, isAbsolute, basename } from "node:path";
import { fileURLToPath } from "node:url";
import { format } from "node:util";
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeResult,
  type Location,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { sortDiagnostics } from "../diagnostics/diagnostic.js";
import type { SiteModel } from "../model/types.js";
import { analyseText, toLspDiagnostic, type FixData } from "./analysis.js";
import { DeliveryRunner } from "./delivery.js";
import { locateOffset, parseText, type ParsedText } from "./document.js";
import { indexNames, nameAt, nameHover, namesOf, referencesTo, type NameIndex, type Span } from "./names.js";
import { keyHover, referenceKinds, referenceKindsOfKey } from "./schema.js";

/** Quiet time after the last edit before the file is analysed again. */
export const DEBOUNCE_MS = 100;

interface Options {
  readonly version: string;
  readonly cwd: string;
}

interface FileState {
  timer?: NodeJS.Timeout;
  /** The last error-free model (for hovers on tunnels: their ends' inside addresses). */
  model?: SiteModel;
  parsed?: { version: number; parsed: ParsedText; names: NameIndex };
  published?: string;
}

export function startServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, options: Options): Connection {
  // Nothing but the protocol may reach stdout.
  for (const method of ["log", "info", "debug", "warn"] as const) console[method] = (...args: unknown[]) => void process.stderr.write(format(...args) + "\n");

  // Streams rather than message readers: the library then also ends the process when the client closes stdin.
  const connection = createConnection(input, output);
  const documents = new TextDocuments(TextDocument);
  const files = new Map<string, FileState>();
  const delivery = new DeliveryRunner((text) => connection.console.error(text));
  let root = options.cwd;
  let strict = false;

  const state = (uri: string) => {
    let s = files.get(uri);
    if (!s) files.set(uri, (s = {}));
    return s;
  };

  connection.onInitialize((params): InitializeResult => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    if (folder?.startsWith("file:")) root = fileURLToPath(folder);
    strict = (params.initializationOptions as { strict?: unknown } | undefined)?.strict === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        completionProvider: { triggerCharacters: [" ", "[", ","] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: "sitewire", version: options.version },
    };
  });

  /** The path diagnostics and rules see: relative to the workspace (site-name checks the file name). */
  const fileOf = (uri: string) => {
    if (!uri.startsWith("file:")) return basename(decodeURIComponent(uri.replace(/^[a-z]+:/, ""))) || "untitled.yaml";
    const path = fileURLToPath(uri);
    const rel = relative(root, path);
    return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
  };

  const publish = (doc: TextDocument, diagnostics: LspDiagnostic[]) => {
    const s = state(doc.uri);
    const key = JSON.stringify(diagnostics);
    s.published = key;
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };

  const analyse = async (uri: string, version: number) => {
    const doc = documents.get(uri);
    if (!doc || doc.version !== version) return; // a newer edit is on its way
    const text = doc.getText();
    const bom = text.startsWith("\uFEFF");
    const file = fileOf(uri);
    const s = state(uri);
    try {
      const first = analyseText(file, text, strict);
      if (documents.get(uri)?.version !== version) return;
      const shown = sortDiagnostics(first.analysis.diagnostics);
      publish(doc, shown.map((d) => toLspDiagnostic(d, bom)));
      if (!first.analysis.model) return;
      s.model = first.analysis.model;
      // The emit and walk run in a worker thread: requests and the next edit are answered meanwhile.
      const outcome = await delivery.run(uri, file, text, strict);
      if ("stale" in outcome || documents.get(uri)?.version !== version) return;
      if ("error" in outcome) throw new Error(outcome.error);
      if (outcome.diagnostics.length === 0) return;
      publish(doc, sortDiagnostics([...shown, ...outcome.diagnostics]).map((d) => toLspDiagnostic(d, bom)));
    } catch (err) {
      // A compiler bug must not take the editor's server down; the CLI reports the same as an internal error.
      connection.console.error(`sitewire: internal error while checking ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  documents.onDidChangeContent(({ document }) => {
    const s = state(document.uri);
    // Whatever is still being worked out for the old text is stale now.
    delivery.cancel(document.uri);
    const first = s.published === undefined && s.timer === undefined;
    if (s.timer) clearTimeout(s.timer);
    const version = document.version;
    s.timer = setTimeout(() => {
      s.timer = undefined;
      void analyse(document.uri, version);
    }, first ? 0 : DEBOUNCE_MS);
  });

  documents.onDidClose(({ document }) => {
    const s = files.get(document.uri);
    if (s?.timer) clearTimeout(s.timer);
    delivery.cancel(document.uri);
    files.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  /** The lenient parse and name index of the document's current text (cached per version). */
  const view = (uri: string) => {
    const doc = documents.get(uri);
    if (!doc) return undefined;
    const s = state(uri);
    if (s.parsed?.version !== doc.version) {
      const parsed = parseText(doc.getText());
      s.parsed = { version: doc.version, parsed, names: indexNames(parsed) };
    }
    return { doc, ...s.parsed, model: s.model };
  };

  const rangeOf = (doc: TextDocument, span: Span) => ({ start: doc.positionAt(span.start), end: doc.positionAt(span.end) });

  connection.onHover(({ textDocument, position }) => {
    const v = view(textDocument.uri);
    if (!v) return null;
    const offset = v.doc.offsetAt(position);
    const named = nameAt(v.names, offset);
    if (named) {
      // On a definition's key, the key's own description is less useful than what the name stands for.
      return { contents: { kind: "markdown", value: nameHover(named, v.parsed.data, v.model) }, range: rangeOf(v.doc, spanAt(v.names, offset) ?? named) };
    }
    const at = locateOffset(v.parsed, offset);
    if (!at || at.role !== "key" || !at.scalar) return null;
    const value = keyHover(at.path);
    return value ? { contents: { kind: "markdown", value }, range: rangeOf(v.doc, at.scalar) } : null;
  });

  connection.onDefinition(({ textDocument, position }): Location | null => {
    const v = view(textDocument.uri);
    const named = v && nameAt(v.names, v.doc.offsetAt(position));
    return v && named ? { uri: textDocument.uri, range: rangeOf(v.doc, named) } : null;
  });

  connection.onReferences(({ textDocument, position, context }): Location[] => {
    const v = view(textDocument.uri);
    const named = v && nameAt(v.names, v.doc.offsetAt(position));
    if (!v || !named) return [];
    const spans: Span[] = [...(context.includeDeclaration ? [named] : []), ...referencesTo(v.names, named)];
    return spans.map((s) => ({ uri: textDocument.uri, range: rangeOf(v.doc, s) }));
  });

  connection.onCompletion(({ textDocument, position }): CompletionItem[] => {
    const v = view(textDocument.uri);
    if (!v) return [];
    const at = locateOffset(v.parsed, v.doc.offsetAt(position));
    if (!at) return [];
    const kinds = at.role === "key" ? (at.path.length > 2 ? referenceKindsOfKey(at.path) : []) : referenceKinds(at.path);
    return namesOf(v.names, kinds).map((d) => ({
      label: d.name,
      kind: d.kind === "network" ? CompletionItemKind.Constant : CompletionItemKind.Reference,
      detail: d.kind,
      documentation: { kind: "markdown", value: nameHover(d, v.parsed.data, v.model) },
    }));
  });

  connection.onCodeAction(({ textDocument, context }): CodeAction[] =>
    context.diagnostics.flatMap((d) => {
      const fix = (d.data as FixData | undefined)?.fix;
      if (!fix || typeof fix.replacement !== "string") return [];
      return [
        {
          title: `Change to '${fix.replacement}'`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: true,
          edit: { changes: { [textDocument.uri]: [{ range: fix.range, newText: fix.replacement }] } },
        },
      ];
    }),
  );

  documents.listen(connection);
  connection.listen();
  return connection;
}

/** The exact span under the cursor (a reference's own text rather than the definition's). */
function spanAt(index: NameIndex, offset: number): Span | undefined {
  const on = (s: Span) => s.start <= offset && offset <= s.end;
  return [...index.definitions.values()].find(on) ?? index.references.find(on);
}
