/**
 * Load iptables-restore files for real, into throwaway network namespaces, with both backends. `--test` alone
 * is not enough: the nft backend's --test accepts jumps to missing chains and misspelt targets, and neither
 * backend's --test runs the kernel's checks (TCPMSS without `-p tcp --tcp-flags SYN,RST SYN`, MASQUERADE
 * outside nat). iptables-save then shows what the kernel really holds.
 */
import { Netns, withNetns } from "./netns.js";

export const BACKENDS = ["nft", "legacy"] as const;
export type Backend = (typeof BACKENDS)[number];

/** Tools a test of these helpers needs (for `missing(...)`). */
export const IPTABLES_TOOLS = BACKENDS.flatMap((b) => [`iptables-${b}-restore`, `iptables-${b}-save`]);

/** Restore `rules` into namespace `ns`; throws with iptables-restore's own message when it refuses them. */
export function restoreInto(ns: Netns, rules: string, backend: Backend): void {
  try {
    ns.exec([`iptables-${backend}-restore`], { input: rules });
  } catch (e) {
    const err = e as { stderr?: string };
    throw new Error(`iptables-${backend}-restore refused the rules: ${err.stderr ?? String(e)}`);
  }
}

export function saveFrom(ns: Netns, backend: Backend): string {
  return ns.exec([`iptables-${backend}-save`]);
}

/** Load `rules` into a fresh namespace and return what iptables-save prints there. */
export async function loadAndSave(rules: string, backend: Backend): Promise<string> {
  return withNetns(["ipt"], (ns) => {
    restoreInto(ns, rules, backend);
    return saveFrom(ns, backend);
  });
}

export interface TableContent {
  /** Built-in chain policies, e.g. FORWARD → DROP. */
  readonly policies: ReadonlyMap<string, string>;
  /** `-A …` lines in order. */
  readonly rules: readonly string[];
}

/** Tables of an iptables-restore file or of iptables-save output. Comments and counters are ignored. */
export function parseTables(text: string): Map<string, TableContent> {
  const tables = new Map<string, { policies: Map<string, string>; rules: string[] }>();
  let current: { policies: Map<string, string>; rules: string[] } | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("*")) {
      current = { policies: new Map(), rules: [] };
      tables.set(line.slice(1), current);
    } else if (line.startsWith(":") && current) {
      const [chain = "", policy = ""] = line.slice(1).split(" ");
      current.policies.set(chain, policy);
    } else if (line.startsWith("-A ") && current) current.rules.push(line);
  }
  return tables;
}

/** How many rules a ruleset holds, over all tables. */
export function ruleCount(saved: string): number {
  return [...parseTables(saved).values()].reduce((n, t) => n + t.rules.length, 0);
}

