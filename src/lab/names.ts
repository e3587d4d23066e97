/**
 * Names of what a lab creates. Everything carries the lab's prefix, `swl` and five hex digits of the site
 * name's SHA-256: the same site always gets the same prefix, so a run finds (by its state file, and by the
 * prefix in `ip netns list`) and removes what an interrupted or killed run of that site left behind, and
 * never touches anything else. No intent string ever becomes part of a name: namespaces and devices are
 * numbered, and `--keep` prints which is which.
 */
import { createHash } from "node:crypto";

/** Where labs keep their state files and working folders (tmpfs: gone after a reboot, like the namespaces). */
export const LAB_RUN_DIR = "/run/sitewire-lab";

export function labPrefix(site: string): string {
  return `swl${createHash("sha256").update(site).digest("hex").slice(0, 5)}`;
}

/** A namespace name of this lab: prefix, '-', a role letter and a number (at most 15 characters: IFNAMSIZ). */
export function nsName(prefix: string, role: string, index: number): string {
  const name = `${prefix}-${role}${index}`;
  if (name.length > 15 || !/^swl[0-9a-f]{5}-[a-z]+[0-9]+$/.test(name)) throw new Error(`internal: bad lab namespace name ${name}`);
  return name;
}

/** Is `name` one of this lab's namespaces? */
export function isLabNamespace(prefix: string, name: string): boolean {
  return name.startsWith(`${prefix}-`) && /^swl[0-9a-f]{5}-[a-z]+[0-9]+$/.test(name);
}
