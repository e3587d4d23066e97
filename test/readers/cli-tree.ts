/**
 * The layer Cisco IOS configuration (./ios.ts) and FRRouting's frr.conf (./frr.ts) share: one command per
 * line, a sub-mode command indented under the command that entered the mode, comment lines. Both programs
 * read the words of a line, not its indentation; the indentation is what sitewire writes and what a reviewer
 * reads, so the tree follows it and the readers refuse a line indented under nothing.
 */
import { NOT_PRINTABLE_ASCII, ReadError } from "./reader.js";

export interface CommandNode {
  /** The command without its indentation. */
  readonly line: string;
  readonly words: readonly string[];
  readonly indent: number;
  /** 1-based line number. */
  readonly lineNo: number;
  readonly children: CommandNode[];
}

export interface CliRules {
  readonly syntax: string;
  /** A comment line (given the line without its indentation). */
  readonly comment: (trimmed: string) => boolean;
}

/**
 * Commands by indentation. Refused: a character outside printable ASCII (a tab completes a command when
 * pasted, others are not text at all), `banner` (it reads the following lines as text up to a delimiter;
 * sitewire never writes one), and an indented first command.
 */
export function commandTree(text: string, rules: CliRules): CommandNode[] {
  const root: CommandNode[] = [];
  const stack: CommandNode[] = [];
  text.split("\n").forEach((raw, index) => {
    const lineNo = index + 1;
    if (NOT_PRINTABLE_ASCII.test(raw)) throw new ReadError(rules.syntax, lineNo, `a character outside printable ASCII in ${JSON.stringify(raw)}`);
    const trimmed = raw.trim();
    if (!trimmed || rules.comment(trimmed)) return;
    const words = trimmed.split(/\s+/);
    if (words[0] === "banner") throw new ReadError(rules.syntax, lineNo, `banner reads the following lines as text: ${JSON.stringify(raw)}`);
    const indent = raw.length - raw.trimStart().length;
    const node: CommandNode = { line: trimmed, words, indent, lineNo, children: [] };
    while (stack.length && stack[stack.length - 1]!.indent >= indent) stack.pop();
    if (!stack.length && indent > 0) throw new ReadError(rules.syntax, lineNo, `an indented line under no command: ${JSON.stringify(raw)}`);
    (stack.length ? stack[stack.length - 1]!.children : root).push(node);
    stack.push(node);
  });
  return root;
}

/** Every node of the tree, depth first in file order. */
export function* allNodes(nodes: readonly CommandNode[]): Generator<CommandNode> {
  for (const n of nodes) {
    yield n;
    yield* allNodes(n.children);
  }
}
