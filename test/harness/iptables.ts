/**
 * Load iptables-restore files for real, into throwaway network namespaces, with both backends. `--test` alone
 * is not enough: the nft backend's --test accepts jumps to missing chains and misspelt targets, and neither
 * backend's --test runs the kernel's checks (TCPMSS without `-p tcp --tcp-flags SYN,RST SYN`, MASQUERADE
 * outside nat). iptables-save then shows what the kernel really holds.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { iptablesTables } from "../readers/iptables-restore.js";
import { readUnit, unitValues } from "../readers/systemd-unit.js";
import { Netns, withNetns } from "./netns.js";

export const BACKENDS = ["nft", "legacy"] as const;
export type Backend = (typeof BACKENDS)[number];

/** IPv4 (iptables) or IPv6 (ip6tables). */
export type Family = 4 | 6;

/** `iptables` or `ip6tables`: the program family's name prefix. */
export const tool = (family: Family = 4): string => (family === 6 ? "ip6tables" : "iptables");

/** Tools a test of these helpers needs (for `missing(...)`): both families, both backends. */
export const IPTABLES_TOOLS = BACKENDS.flatMap((b) => [4, 6].flatMap((f) => [`${tool(f as Family)}-${b}-restore`, `${tool(f as Family)}-${b}-save`]));

/**
 * Restore `rules` into namespace `ns` (with `noflush`, as sitewire's loader does: only the chains the file
 * declares are flushed) with iptables-restore, or ip6tables-restore for `family: 6`; throws with the program's
 * own message when it refuses them.
 */
export function restoreInto(ns: Netns, rules: string, backend: Backend, options: { readonly noflush?: boolean; readonly family?: Family } = {}): void {
  const program = `${tool(options.family)}-${backend}-restore`;
  try {
    ns.exec([program, ...(options.noflush ? ["--noflush"] : [])], { input: rules });
  } catch (e) {
    const err = e as { stderr?: string };
    throw new Error(`${program} refused the rules: ${err.stderr ?? String(e)}`);
  }
}

export function saveFrom(ns: Netns, backend: Backend, family: Family = 4): string {
  return ns.exec([`${tool(family)}-${backend}-save`]);
}

/** Load `rules` into a fresh namespace and return what iptables-save (ip6tables-save) prints there. */
export async function loadAndSave(rules: string, backend: Backend, options: { readonly noflush?: boolean; readonly family?: Family } = {}): Promise<string> {
  return withNetns(["ipt"], (ns) => {
    restoreInto(ns, rules, backend, options);
    return saveFrom(ns, backend, options.family);
  });
}

/** How many rules a ruleset holds, over all tables. */
export function ruleCount(saved: string): number {
  return [...iptablesTables(saved).values()].reduce((n, t) => n + t.rules.length, 0);
}


/**
 * A folder whose `iptables`, `ip6tables` and their `-restore` and `-save` are the given backend (symlinks to its
 * multi-call binary, which dispatches on the name it is called by), so that a script calling plain `iptables`
 * or `ip6tables` runs with that backend when the folder is first on PATH, as on a host whose alternatives name it.
 */
export function backendBin(dir: string, backend: Backend): string {
  mkdirSync(dir, { recursive: true });
  for (const name of ["iptables", "iptables-restore", "iptables-save", "ip6tables", "ip6tables-restore", "ip6tables-save"]) symlinkSync(`/usr/sbin/xtables-${backend}-multi`, join(dir, name));
  return dir;
}

/** PATH with `bin` first, then systemd's default search path (what a unit's ExecStart= sees). */
export function unitPath(bin: string): string {
  return `${bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;
}

/**
 * iptables-save output made comparable: no comment lines (they carry a timestamp), chain counters zeroed.
 * Everything else, order included, is kept.
 */
export function normaliseSave(saved: string): string {
  return saved
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => (l.startsWith(":") ? l.replace(/\[\d+:\d+\]$/, "[0:0]") : l))
    .join("\n");
}

/**
 * A normalised ruleset minus everything sitewire owns: its chains (declarations and rules) and its jumps to
 * them (`-A <built-in> -m comment --comment sitewire -j SITEWIRE-…`). What is left must be exactly what was
 * there before sitewire loaded anything.
 */
export function withoutSitewire(saved: string, chains: readonly string[]): string {
  const own = new Set(chains);
  return normaliseSave(saved)
    .split("\n")
    .filter((l) => {
      const declared = /^:(\S+) /.exec(l);
      if (declared && own.has(declared[1]!)) return false;
      const appended = /^-A (\S+) /.exec(l);
      if (appended && own.has(appended[1]!)) return false;
      const jump = /^-A \S+ -m comment --comment sitewire -j (\S+)$/.exec(l);
      return !(jump && own.has(jump[1]!));
    })
    .join("\n");
}

/** How many times built-in `hook` of `table` jumps to `chain` in iptables-save output (any form of the jump). */
export function jumpCount(saved: string, table: string, hook: string, chain: string): number {
  const rules = iptablesTables(saved).get(table)?.rules ?? [];
  return rules.filter((r) => r.startsWith(`-A ${hook} `) && r.endsWith(` -j ${chain}`)).length;
}

/** The line of the loader that names a rules file, and its installed copy's name under the test's folder. */
const RULES_LINE = { 4: { variable: "RULES", file: "iptables.rules" }, 6: { variable: "RULES6", file: "ip6tables.rules" } } as const;

/** Rewrite the one `readonly VARIABLE=<path on the host>` line of a loader (it must occur exactly once). */
function pointAt(script: string, family: Family, hostPath: string, local: string): string {
  const { variable } = RULES_LINE[family];
  const parts = script.split(`readonly ${variable}=${hostPath}\n`);
  if (parts.length !== 2) throw new Error(`the loader does not set ${variable}=${hostPath} exactly once`);
  return parts.join(`readonly ${variable}=${local}\n`);
}

/**
 * Put a host's rules file(s) and loader script under `dir`, the loader pointed at those copies: the one line
 * `readonly RULES=<path on the host>` is rewritten (and `readonly RULES6=<path>` when the host has an ip6tables
 * file: `rules6` and `hostRules6Path`), nothing else. Returns the installed script's path.
 */
export function installFirewall(
  dir: string,
  files: { readonly rules: string; readonly script: string; readonly rules6?: string | undefined },
  hostRulesPath: string,
  hostRules6Path?: string,
): string {
  mkdirSync(dir, { recursive: true });
  let text = pointAt(files.script, 4, hostRulesPath, join(dir, RULES_LINE[4].file));
  writeFileSync(join(dir, RULES_LINE[4].file), files.rules);
  if (files.rules6 !== undefined) {
    if (hostRules6Path === undefined) throw new Error("an ip6tables file needs its path on the host");
    text = pointAt(text, 6, hostRules6Path, join(dir, RULES_LINE[6].file));
    writeFileSync(join(dir, RULES_LINE[6].file), files.rules6);
  }
  const script = join(dir, "sitewire-firewall");
  writeFileSync(script, text, { mode: 0o755 });
  return script;
}

/** Replace the installed rules file of a family (what the playbook does before it reloads the unit). */
export function replaceRules(dir: string, rules: string, family: Family = 4): void {
  writeFileSync(join(dir, RULES_LINE[family].file), rules);
}

/** The argv of a unit's [Service] Exec…= line (sitewire's units use plain words: no quoting, prefixes or specifiers). */
export function unitCommand(unit: string, key: "ExecStart" | "ExecReload" | "ExecStop"): string[] {
  const values = unitValues(readUnit(unit), "Service", key);
  if (values.length !== 1) throw new Error(`the unit has ${values.length} ${key}= lines in [Service]`);
  if (/["'\\%$]|^[-@:+!]/.test(values[0]!)) throw new Error(`${key}=${values[0]} is not plain words`);
  return values[0]!.split(/\s+/);
}

/**
 * Run a unit's Exec…= command in namespace `ns` as systemd would: the same arguments, a clean environment with
 * systemd's default PATH (led by `bin`, the backend under test), the program at `installed` instead of its
 * path on the host.
 */
export function runUnitCommand(ns: Netns, unit: string, key: "ExecStart" | "ExecReload" | "ExecStop", installed: Readonly<Record<string, string>>, bin: string) {
  const [program, ...args] = unitCommand(unit, key);
  const local = installed[program!];
  if (!local) throw new Error(`${key}=${program} is not installed in this test`);
  return spawnSync("ip", ["netns", "exec", ns.name, "env", "-i", `PATH=${unitPath(bin)}`, local, ...args], { encoding: "utf8" });
}
