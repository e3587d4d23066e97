/**
 * Exit codes and the two kinds of expected failure. Anything else that escapes a command is a bug and exits
 * 70 with "internal error" (see ./main.ts).
 */

export const EXIT = {
  /** Success (check: no drift). */
  ok: 0,
  /** Invalid input: diagnostics with errors, unmatched paths, files that cannot be read or written. */
  invalid: 1,
  /** check: the committed output differs from a fresh compile. */
  drift: 2,
  /** The command line itself is wrong (EX_USAGE). */
  usage: 64,
  /** A bug in sitewire (EX_SOFTWARE). */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A problem the user can fix (a path that matches nothing…): printed as one message, exit 1. */
export class UserError extends Error {
  override readonly name = "UserError";
}

/** A wrong command line: printed with a pointer to --help, exit 64. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}
