/**
 * What every reader under test/readers/ shares. A reader reads one output syntax the way the program that
 * consumes it does: it returns the statements it sees, with their values and line numbers, and throws a
 * ReadError on anything that program would refuse or read differently than it looks (a reader that skipped
 * a line it cannot classify would let an injected statement through). Parse-back reads values from what a
 * reader returns; the security checks compare a Structure projected from it.
 */

/** Malformed input, at a 1-based line. */
export class ReadError extends Error {
  constructor(
    readonly syntax: string,
    readonly line: number,
    readonly what: string,
  ) {
    super(`${syntax}, line ${line}: ${what}`);
    this.name = "ReadError";
  }
}

/**
 * What the injection checks compare: the structure of an artifact as the program that reads it would see it,
 * with free text (comments, descriptions) left out.
 *
 * - `full`: every statement with its values, in order. When only a description changed, it must equal the
 *   baseline's exactly: a description may change a comment, never a statement.
 * - `shape`: one entry per line, section, key, rule or command, with names and values left out. When a name
 *   changed (and was accepted), its multiset must equal the baseline's: a new name may change values, never
 *   add a line, key, rule or command.
 * - `problems`: what the reader refused (its ReadError, or a check the consumer makes). Must be empty.
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
 * The structure of `content`: `read` parses it, `project` adds its statements. A ReadError becomes the one
 * problem (and no statement is kept); any other error is a bug in the reader and propagates.
 */
export function structureOf<T>(content: string, read: (content: string) => T, project: (parsed: T, out: StructureBuilder) => void): Structure {
  const out = new StructureBuilder();
  let parsed: T;
  try {
    parsed = read(content);
  } catch (err) {
    if (!(err instanceof ReadError)) throw err;
    out.problem(err.message);
    return out.build();
  }
  project(parsed, out);
  return out.build();
}

/** Lines as every reader here splits them: at LF only (CR, NEL and U+2028 are checked separately). */
export function linesOf(content: string): string[] {
  return content.split("\n");
}

/** Characters outside printable ASCII, tab included (a tab pasted into a CLI completes a command). */
export const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;
