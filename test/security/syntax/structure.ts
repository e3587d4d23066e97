/**
 * What the injection checks compare: the structure of an artifact as the program that reads it would see it,
 * with free text (comments, descriptions) left out.
 *
 * - `full`: every statement with its values, in order. When only a description changed, it must equal the
 *   baseline's exactly: a description may change a comment, never a statement.
 * - `shape`: one entry per line, section, key, rule or command, with names and values left out. When a name
 *   changed (and was accepted), its multiset must equal the baseline's: a new name may change values, never
 *   add a line, key, rule or command.
 * - `problems`: what the reader would refuse (a syntax error, a line it cannot classify). Must be empty.
 */
export interface Structure {
  readonly full: readonly string[];
  readonly shape: readonly string[];
  readonly problems: readonly string[];
}

export class StructureBuilder {
  readonly full: string[] = [];
  readonly shape: string[] = [];
  readonly problems: string[] = [];

  add(full: string, shape: string): void {
    this.full.push(full);
    this.shape.push(shape);
  }

  problem(what: string): void {
    this.problems.push(what);
  }

  build(): Structure {
    return { full: this.full, shape: this.shape, problems: this.problems };
  }
}

/**
 * `line` without a trailing `#` comment. A `#` inside a double-quoted string is text. (ipsec.conf, ipsec.secrets
 * and swanctl.conf: strongSwan src/starter/parser/lexer.l and src/libstrongswan/settings/settings_lexer.l.)
 */
export function withoutHashComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "\\" && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === "#" && !quoted) return line.slice(0, i);
  }
  return line;
}

/** Lines as every reader here splits them: at LF only (CR, NEL and U+2028 are checked separately). */
export function linesOf(content: string): string[] {
  return content.split("\n");
}
