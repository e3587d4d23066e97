/** How file modes are compared: by compile (exactly) and by check and the result cache (as git does). */

/**
 * Which mode differences count. `exact`: all permission bits (what compile would chmod). `git`: only the
 * executable bit, the one mode git records, so a fresh clone of a clean tree (0600 files checked out as 0644
 * under the user's umask) does not show drift.
 */
export type ModePolicy = "exact" | "git";

/** Does a file with mode `a` differ from one with mode `b` under `policy`? */
export function modeDiffers(a: number, b: number, policy: ModePolicy): boolean {
  return policy === "git" ? (a & 0o100) !== (b & 0o100) : a !== b;
}
