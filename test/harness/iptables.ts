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

/** Tools a test of these helpers needs (for `missing(...)`). */
export const IPTABLES_TOOLS = BACKENDS.flatMap((b) => [`iptables-${b}-restore`, `iptables-${b}-save`]);

/**
 * Restore `rules` into namespace `ns` (with `noflush`, as sitewire's loader does: only the chains the file
 * declares are flushed); throws with iptables-restore's own message when it refuses them.
 */
export function restoreInto(ns: Netns, rules: string, backend: Backend, options: { readonly noflush?: boolean } = {}): void {
  try {
    ns.exec([`iptables-${backend}-restore`, ...(options.noflush ? ["--noflush"] : [])], { input: rules });
  } catch (e) {
    const err = e as { stderr?: string };
    throw new Error(`iptables-${backend}-restore refused the rules: ${err.stderr ?? String(e)}`);
  }
}

export function saveFrom(ns: Netns, backend: Backend): string {
  return ns.exec([`iptables-${backend}-save`]);
}

/** Load `rules` into a fresh namespace and return what iptables-save prints there. */
export async function loadAndSave(rules: string, backend: Backend, options: { readonly noflush?: boolean } = {}): Promise<string> {
  return withNetns(["ipt"], (ns) => {
    restoreInto(ns, rules, backend, options);
    return saveFrom(ns, backend);
  });
}

/** How many rules a ruleset holds, over all tables. */
export function ruleCount(saved: string): number {
  return [...iptablesTables(saved).values()].reduce((n, t) => n + t.rules.length, 0);
}


/**
 * A folder whose `iptables`, `iptables-restore` and `iptables-save` are the given backend (symlinks to its
 * multi-call binary, which dispatches on the name it is called by), so that a script calling plain `iptables`
 * runs with that backend when the folder is first on PATH, as on a host whose alternatives name it.
 */
export function backendBin(dir: string, backend: Backend): string {
  mkdirSync(dir, { recursive: true });
  for (const tool of ["iptables", "iptables-restore", "iptables-save"]) symlinkSync(`/usr/sbin/xtables-${backend}-multi`, join(dir, tool));
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

/**
 * Put a host's rules file and loader script under `dir`, the loader pointed at that copy of the rules file:
 * the one line `readonly RULES=<path on the host>` is rewritten, nothing else (it must occur exactly once).
 * Returns the installed script's path.
 */
export function installFirewall(dir: string, files: { readonly rules: string; readonly script: string }, hostRulesPath: string): string {
  mkdirSync(dir, { recursive: true });
  const line = `readonly RULES=${hostRulesPath}\n`;
  const parts = files.script.split(line);
  if (parts.length !== 2) throw new Error(`the loader does not set RULES=${hostRulesPath} exactly once`);
  writeFileSync(join(dir, "iptables.rules"), files.rules);
  const script = join(dir, "sitewire-firewall");
  writeFileSync(script, parts.join(`readonly RULES=${join(dir, "iptables.rules")}\n`), { mode: 0o755 });
  return script;
}

/** Replace the installed rules file (what the playbook does before it reloads the unit). */
export function replaceRules(dir: string, rules: string): void {
  writeFileSync(join(dir, "iptables.rules"), rules);
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
