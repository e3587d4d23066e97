/**
 * nftables files and units for real, in throwaway network namespaces: every site converted to the nftables
 * backend, the argv of the emitted unit's Exec…= lines (as systemd splits them: systemd.syntax(7), "Quoting":
 * double quotes group words), run with nft inside a namespace, and what nft then lists.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { compileSource } from "../../src/compile/pipeline.js";
import { PACKAGE_ROOT } from "../../src/render/package-root.js";
import type { Artifact } from "../../src/targets/target.js";
import { readUnit, unitValues } from "../readers/systemd-unit.js";
import type { Netns } from "./netns.js";

/** The example and fixture sites. */
export function siteFiles(): string[] {
  return ["sites", "test/fixtures/sites"].flatMap((dir) =>
    readdirSync(join(PACKAGE_ROOT, dir))
      .filter((f) => f.endsWith(".yaml"))
      .sort()
      .map((f) => `${dir}/${f}`),
  );
}

/** A site's intent text with every host on `backend` (hosts.<h>.firewall.backend), the rest as it was. */
export function withBackend(text: string, backend: "nftables" | "iptables"): string {
  const intent = parse(text) as Record<string, any>;
  for (const h of Object.values(intent.hosts ?? {}) as Record<string, any>[]) h.firewall = { ...h.firewall, backend };
  return stringify(intent);
}

/** The artifacts of `file` compiled with every host on `backend` (none when it does not compile). */
export function compiledWith(file: string, backend: "nftables" | "iptables", edit: (text: string) => string = (t) => t): { site: string; artifacts: readonly Artifact[] } {
  const result = compileSource(file, withBackend(edit(readFileSync(join(PACKAGE_ROOT, file), "utf8")), backend));
  return { site: result.site ?? file, artifacts: result.artifacts };
}

/** The argv of a unit's [Service] key, split as systemd splits it (double quotes group words, no escapes used). */
export function unitArgv(unit: string, key: "ExecStart" | "ExecReload" | "ExecStop"): string[] {
  const values = unitValues(readUnit(unit), "Service", key);
  if (values.length !== 1) throw new Error(`the unit has ${values.length} ${key}= lines in [Service]`);
  const value = values[0]!;
  if (/[\\'%$]|^[-@:+!]/.test(value)) throw new Error(`${key}=${value} uses escapes, specifiers or prefixes this helper does not read`);
  return [...value.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/**
 * Run a unit's Exec…= command in namespace `ns` as systemd would (a clean environment with systemd's default
 * PATH), with `paths` mapping the host's file paths in its argv to the test's copies.
 */
export function runUnit(ns: Netns, unit: string, key: "ExecStart" | "ExecReload" | "ExecStop", paths: Readonly<Record<string, string>>) {
  const argv = unitArgv(unit, key).map((a) => paths[a] ?? a);
  return spawnSync("ip", ["netns", "exec", ns.name, "env", "-i", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", ...argv], { encoding: "utf8" });
}

/** `nft list table FAMILY NAME` in `ns` (`stateless`: without counter values), or undefined when there is no such table. */
export function listTable(ns: Netns, table: string, stateless = false): string | undefined {
  const r = spawnSync("ip", ["netns", "exec", ns.name, "nft", ...(stateless ? ["-s"] : []), "list", "table", ...table.split(" ")], { encoding: "utf8" });
  return r.status === 0 ? r.stdout : undefined;
}

/** The tables in `ns`, as `nft list tables` prints them ("table inet foreign", …). */
export function tables(ns: Netns): string[] {
  return ns.exec(["nft", "list", "tables"]).split("\n").filter(Boolean).sort();
}

/** Load `text` with `nft -f -` in `ns`; throws with nft's own message when it refuses it. */
export function nftLoad(ns: Netns, text: string, check = false): void {
  const r = spawnSync("ip", ["netns", "exec", ns.name, "nft", ...(check ? ["-c"] : []), "-f", "-"], { input: text, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`nft${check ? " -c" : ""} refused it: ${r.stderr}`);
}
