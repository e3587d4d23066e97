/**
 * Cisco IOS configuration text as the CLI takes it when pasted into `configure terminal`: one command per
 * line, `!` lines are comments, a sub-mode command is indented under the command that entered the mode
 * (./cli-tree.ts). `description` takes the rest of its line as text (the only free text sitewire writes
 * there). Refused: a character outside printable ASCII, `banner` (it would read the following lines up to
 * its delimiter), an indented line under no command.
 *
 * What a tunnel's commands mean (following names from the interface to its crypto) is read by
 * test/parse-back/ios-facts.ts from the tree this returns.
 */
import { commandTree, type CommandNode } from "./cli-tree.js";
import { structureOf, type Structure } from "./reader.js";

export type { CommandNode } from "./cli-tree.js";

export function readIos(text: string): CommandNode[] {
  return commandTree(text, { syntax: "IOS", comment: (line) => line.startsWith("!") });
}

/**
 * Every command with its indentation; `description` without its text (free text, compared nowhere). Shape: the
 * indentation and the first word.
 */
export function iosStructure(content: string): Structure {
  return structureOf(content, readIos, (tree, out) => {
    const walk = (nodes: readonly CommandNode[]) => {
      for (const n of nodes) {
        if (n.words[0] === "description") out.add(`${n.indent} description`, `${n.indent} description`);
        else out.add(`${n.indent} ${n.line}`, `${n.indent} ${n.words[0]}`);
        walk(n.children);
      }
    };
    walk(tree);
  });
}
