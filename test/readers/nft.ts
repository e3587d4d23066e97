/**
 * nftables files (`nft -f`) read as nft's scanner and parser split them (nftables src/scanner.l, src/parser_bison.y;
 * checked against nft 1.0.6 here): `#` starts a comment that runs to the end of the line (outside a string); a
 * double-quoted string runs to the next double quote, with no escape; a statement ends at a line break or `;`;
 * `{` after `table <family> <name>` or `chain <name>` opens a block that `}` closes, any other `{ … }` is an
 * anonymous set inside the statement (`tcp dport { 80, 443 }`).
 *
 * Refused: an unterminated string, a line break inside a string (nft would join two lines into one value), a
 * `}` without its block, a block never closed, a set not closed on its line or holding anything but plain values.
 * Every other statement is kept as it is, so an injected one (`flush ruleset`, `include "…"`) shows.
 */
import { ReadError, structureOf, type Structure } from "./reader.js";

const SYNTAX = "nft";

export interface NftStatement {
  /** The words as nft sees them: a string keeps its quotes, an anonymous set is one word `{ a, b }`. */
  readonly words: readonly string[];
  /** The blocks it is in: ["table inet sitewire", "chain forward"]. */
  readonly path: readonly string[];
  /** "open": `table … {` / `chain … {`; "close": its `}`; "statement": anything else. */
  readonly type: "open" | "close" | "statement";
  readonly line: number;
}

/** Block headers: what nft takes a `{` after as a block, not a set. */
const BLOCK = /^(table|chain|set|map|flowtable|counter|quota|ct|limit|secmark|synproxy)$/;

export function readNft(text: string): NftStatement[] {
  const out: NftStatement[] = [];
  const path: string[] = [];
  let words: string[] = [];
  let wordLine = 1;
  let line = 1;
  let i = 0;
  const end = () => {
    if (words.length > 0) out.push({ words, path: [...path], type: "statement", line: wordLine });
    words = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === "\n") {
      end();
      line++;
      i++;
    } else if (c === ";") {
      end();
      i++;
    } else if (c === " " || c === "\t") {
      i++;
    } else if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) throw new ReadError(SYNTAX, line, "unterminated string");
      const value = text.slice(i, close + 1);
      if (value.includes("\n")) throw new ReadError(SYNTAX, line, "a line break inside a string");
      if (words.length === 0) wordLine = line;
      words.push(value);
      i = close + 1;
    } else if (c === "{") {
      if (words.length > 0 && BLOCK.test(words[0]!)) {
        const header = words.join(" ");
        out.push({ words, path: [...path], type: "open", line: wordLine });
        path.push(header);
        words = [];
        i++;
      } else {
        // An anonymous set: one word, up to its `}` on the same line.
        const close = text.indexOf("}", i);
        const nl = text.indexOf("\n", i);
        if (close < 0 || (nl >= 0 && nl < close)) throw new ReadError(SYNTAX, line, "a set never closed on its line");
        const items = text.slice(i + 1, close).split(",").map((s) => s.trim());
        if (items.some((s) => s === "" || /[\s"#;{]/.test(s))) throw new ReadError(SYNTAX, line, `not a set of plain values: ${JSON.stringify(text.slice(i, close + 1))}`);
        if (words.length === 0) wordLine = line;
        words.push(`{ ${items.join(", ")} }`);
        i = close + 1;
      }
    } else if (c === "}") {
      end();
      if (path.length === 0) throw new ReadError(SYNTAX, line, "a } without its block");
      out.push({ words: ["}"], path: [...path], type: "close", line });
      path.pop();
      i++;
    } else {
      let j = i;
      while (j < text.length && !/[\s;#"{}]/.test(text[j]!)) j++;
      if (words.length === 0) wordLine = line;
      words.push(text.slice(i, j));
      i = j;
    }
  }
  end();
  if (path.length > 0) throw new ReadError(SYNTAX, line, `${path.at(-1)} never closed`);
  return out;
}

/** A value nft takes as data (a number, an address, a prefix, a range, a string, a set), not a keyword. */
function isValue(word: string): boolean {
  return word.startsWith('"') || word.startsWith("{") || /^[0-9a-fA-F:.\/-]+$/.test(word) && /[0-9]/.test(word);
}

/**
 * Statements with every word and the block they are in. Shape: the block path's headers reduced to their first
 * word, and each statement's words with values (strings, numbers, addresses, sets) left out.
 */
export function nftStructure(content: string): Structure {
  return structureOf(content, readNft, (statements, out) => {
    for (const s of statements) {
      const where = s.path.map((p) => p.split(" ")[0]).join("/");
      out.add(`${s.type} [${s.path.join(" / ")}] ${s.words.join(" ")}`, `${s.type} [${where}] ${s.words.filter((w) => !isValue(w)).join(" ")}`);
    }
  });
}

/** The rules of one chain (statements other than `type …` and `policy …`), as written, in order. */
export function nftChainRules(text: string, table: string, chain: string): string[] {
  return readNft(text)
    .filter((s) => s.type === "statement" && s.path.join(" / ") === `${table} / chain ${chain}` && s.words[0] !== "type" && s.words[0] !== "policy")
    .map((s) => s.words.join(" "));
}
