/**
 * The site README as a GitHub-flavoured Markdown renderer builds it, line by line: a heading, a table row
 * with N cells (cells split at unescaped `|`), a list item, a paragraph line, a fenced block (each fenced
 * line is a statement of its own language, e.g. mermaid). Refused: raw HTML (an unescaped `<` outside code
 * spans, which could hide what follows; sitewire writes none) and a fence never closed.
 */
import { linesOf, ReadError, structureOf, type Structure } from "./reader.js";

export type MarkdownBlock =
  | { readonly kind: "heading"; readonly level: number; readonly text: string; readonly line: number }
  | { readonly kind: "row"; readonly cells: readonly string[]; readonly line: number }
  | { readonly kind: "item"; readonly text: string; readonly line: number }
  | { readonly kind: "paragraph"; readonly text: string; readonly line: number }
  | { readonly kind: "fence"; readonly info: string; readonly lines: readonly string[]; readonly line: number };

const SYNTAX = "markdown";

export function readMarkdown(text: string): MarkdownBlock[] {
  const out: MarkdownBlock[] = [];
  let fence: { marker: string; info: string; lines: string[]; line: number } | undefined;
  linesOf(text).forEach((line, index) => {
    const lineNo = index + 1;
    if (fence) {
      if (line.startsWith(fence.marker)) {
        out.push({ kind: "fence", info: fence.info, lines: fence.lines, line: fence.line });
        fence = undefined;
      } else fence.lines.push(line);
      return;
    }
    const open = /^(```|~~~)(\S*)/.exec(line);
    if (open) {
      fence = { marker: open[1]!, info: open[2]!, lines: [], line: lineNo };
      return;
    }
    if (/(^|[^\\])</.test(line.replace(/(`+)[^`]*?\1/g, ""))) throw new ReadError(SYNTAX, lineNo, `raw HTML in ${JSON.stringify(line)}`);
    if (!line.trim()) return;
    const heading = /^(#{1,6})\s(.*)$/.exec(line);
    if (heading) out.push({ kind: "heading", level: heading[1]!.length, text: heading[2]!, line: lineNo });
    else if (line.startsWith("|")) out.push({ kind: "row", cells: line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim()), line: lineNo });
    else if (/^[-*] /.test(line)) out.push({ kind: "item", text: line.slice(2), line: lineNo });
    else out.push({ kind: "paragraph", text: line, line: lineNo });
  });
  if (fence) throw new ReadError(SYNTAX, fence.line, "a fence is never closed");
  return out;
}

/**
 * Headings, rows (by cell count), items, and every fenced line; paragraphs are text, not structure (a
 * description is a paragraph of its own). Full and shape are the same: what kind of block each line makes.
 */
export function markdownStructure(content: string): Structure {
  return structureOf(content, readMarkdown, (blocks, out) => {
    for (const b of blocks) {
      if (b.kind === "heading") out.add(`heading ${b.level}`, `heading ${b.level}`);
      else if (b.kind === "row") out.add(`row ${b.cells.length}`, `row ${b.cells.length}`);
      else if (b.kind === "item") out.add("item", "item");
      else if (b.kind === "fence") {
        out.add(`fence ${b.info}`, `fence ${b.info}`);
        for (const l of b.lines) out.add(l, "fenced");
        out.add("fence end", "fence end");
      }
    }
  });
}
