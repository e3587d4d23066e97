/** The site README must be read as a Markdown renderer builds it. */
import { describe, expect, it } from "vitest";
import { markdownStructure, readMarkdown } from "./markdown.js";

describe("markdown", () => {
  it("reads headings, table rows, items, paragraphs and fences", () => {
    const blocks = readMarkdown("# Site\n\ntext `a<b`\n\n| a | b \\| c |\n| --- | --- |\n- item\n```mermaid\ngraph LR\n```\n");
    expect(blocks.map((b) => b.kind)).toEqual(["heading", "paragraph", "row", "row", "item", "fence"]);
    expect(blocks[2]).toMatchObject({ cells: ["a", "b \\| c"] });
    expect(blocks[5]).toMatchObject({ info: "mermaid", lines: ["graph LR"] });
  });

  it.each([
    ["raw HTML", "a <script>x</script>\n", /raw HTML/],
    ["a fence never closed", "```\ncode\n", /never closed/],
  ])("refuses %s", (_what, text, error) => {
    expect(() => readMarkdown(text)).toThrow(error);
    expect(markdownStructure(text).problems.join()).toMatch(error);
  });

  it("a paragraph is text; a heading or a row is structure", () => {
    expect(markdownStructure("one\ntwo\n").full).toEqual([]);
    expect(markdownStructure("one\n## Injected\n").shape).toEqual(["heading 2"]);
  });
});
