/**
 * FRRouting frr.conf as vtysh and the daemons read it (FRR 8.4 lib/command.c, vtysh/vtysh_config.c): one
 * command per line; a line whose first non-blank character is `!` or `#` is a comment; leading blanks only
 * indent (./cli-tree.ts). `description` (neighbor … description, route-map description) takes the rest of the
 * line as text, which sitewire fills only with a tunnel name. Refused: a character outside printable ASCII,
 * `banner motd line` (it takes text; sitewire never writes it), an indented line under no command.
 *
 * The BGP facts (router bgp, neighbours, prefix lists, route maps) are read by test/parse-back/bgp-facts.ts
 * from the tree this returns, with the same code as IOS's: FRR spells them the same way.
 */
import { commandTree, type CommandNode } from "./cli-tree.js";
import { structureOf, type Structure } from "./reader.js";

export function readFrr(text: string): CommandNode[] {
  return commandTree(text, { syntax: "frr.conf", comment: (line) => line.startsWith("!") || line.startsWith("#") });
}

/** A word that is a value, not a keyword: numbers, addresses, prefixes, sitewire-made names. */
function isValue(word: string): boolean {
  return /^[0-9][0-9./:]*$/.test(word) || /^sitewire-/.test(word);
}

/**
 * Every command with its indentation. Shape: the indentation and the command's keywords (values — names,
 * numbers, addresses — left out; hostname and description keep only their keyword).
 */
export function frrStructure(content: string): Structure {
  return structureOf(content, readFrr, (tree, out) => {
    const walk = (nodes: readonly CommandNode[]) => {
      for (const n of nodes) {
        const cut = n.words.indexOf("description");
        const keywords = (cut >= 0 ? n.words.slice(0, cut + 1) : n.words[0] === "hostname" ? ["hostname"] : n.words).filter((w) => !isValue(w));
        out.add(`${n.indent} ${n.line}`, `${n.indent} ${keywords.join(" ")}`);
        walk(n.children);
      }
    };
    walk(tree);
  });
}
