/**
 * The output folder as compile, check and diff share it: refused when a symbolic link would redirect it,
 * locked while a run reads or writes it (src/writer/lock.ts), and accounted for path by path
 * (src/writer/account.ts) with one diagnostic per finding, positioned at the path under out/.
 */
import { statSync } from "node:fs";
import { mkdir, rmdir } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import type { Manifest } from "../compile/manifest.js";
import type { Diagnostic, Severity } from "../diagnostics/diagnostic.js";
import { accountOutTree, type AccountedSite, type OutFinding } from "../writer/account.js";
import { acquireLock, describeHolder, LOCK_NAME, LockError, lockTimeoutMs, type OutLock } from "../writer/lock.js";
import { symlinkInPath } from "../writer/out-dir.js";
import { isWithin, WriterError } from "../writer/paths.js";
import type { PlanOutline } from "../writer/plan.js";
import { DEFAULT_PATTERNS, type SiteArgs } from "./args.js";
import type { CachedLoad } from "./cached-sites.js";
import type { Context } from "./commands/common.js";
import { EXIT } from "./errors.js";
import { displayPath } from "./inputs.js";
import type { CommandOutput } from "./output.js";

/** A held output folder: release it (and remove the folder if this run created it and wrote nothing). */
export interface HeldOut {
  readonly lock?: OutLock;
  release(options?: { wroteNothing?: boolean }): Promise<void>;
}

/**
 * Refuse a linked output path, then take the lock. `create` (compile): create the folder first, since the
 * lock lives in it. Without `create` a missing folder is not locked (there is nothing to read), and a folder
 * this user cannot write to is read without the lock (no run of this user can be writing it either).
 * Returns the held folder, or the output that ends the command.
 */
export async function holdOutFolder(command: string, outDir: string, ctx: Context, create: boolean): Promise<HeldOut | CommandOutput> {
  const cwd = ctx.io.cwd;
  const linked = await symlinkInPath(outDir);
  if (linked) {
    const shown = displayPath(linked.path, cwd);
    const to = linked.target !== undefined ? ` (to ${JSON.stringify(linked.target)})` : "";
    const isOut = linked.path === outDir;
    return stop(command, {
      code: "SW303",
      severity: "error",
      message: `${isOut ? "the output folder" : `'${shown}', on the way to the output folder ${displayPath(outDir, cwd)},`} is a symbolic link${to}; sitewire neither writes nor reads through it`,
      file: shown,
      hint: isOut
        ? "make it a real folder (the generated tree is committed as plain files), or give --out the real path"
        : `give --out a path without links, e.g. the real one: $(realpath ${shown})/${displayPath(outDir, linked.path)}`,
    });
  }

  let created: string | undefined;
  if (create) {
    try {
      created = await mkdir(outDir, { recursive: true });
    } catch (err) {
      throw new WriterError(`cannot create ${displayPath(outDir, cwd)} (${(err as { code?: string }).code ?? String(err)})`);
    }
  }
  const lockLabel = displayPath(join(outDir, LOCK_NAME), cwd);
  let lock: OutLock | undefined;
  try {
    lock = await acquireLock(outDir, {
      command,
      timeoutMs: lockTimeoutMs(ctx.io.env),
      onWait: (holder) => ctx.io.stderr.write(`sitewire: waiting for ${lockLabel}: held by ${describeHolder(holder)}\n`),
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (!create && (code === "ENOENT" || code === "EACCES" || code === "EROFS" || code === "ENOTDIR")) return { release: async () => undefined };
    await removeCreated(outDir, created);
    if (err instanceof LockError) return stop(command, lockDiagnostic(err, lockLabel));
    throw new WriterError(`cannot lock ${displayPath(outDir, cwd)} (${typeof code === "string" ? code : String(err)})`);
  }
  return {
    lock,
    async release(options = {}) {
      await lock.release();
      if (options.wroteNothing) await removeCreated(outDir, created);
    },
  };
}

export function isHeld(value: HeldOut | CommandOutput): value is HeldOut {
  return "release" in value;
}

function lockDiagnostic(err: LockError, file: string): Diagnostic {
  if (err.reason === "timeout") {
    return {
      code: "SW304",
      severity: "error",
      message: `the output folder is locked: ${err.message}`,
      file,
      hint: `wait for that run to finish (SITEWIRE_LOCK_TIMEOUT sets how long to wait, in seconds); delete ${file} only if no sitewire runs there any more`,
    };
  }
  return {
    code: "SW305",
    severity: "error",
    message: `${basename(file)} cannot be used as the output folder's lock: ${err.message}`,
    file,
    hint: `delete ${file} when no sitewire runs on this output folder; sitewire creates it as a small regular file while it runs`,
  };
}

function stop(command: string, diagnostic: Diagnostic): CommandOutput {
  return {
    exitCode: EXIT.invalid,
    diagnostics: [diagnostic],
    sources: new Map(),
    data: { command, ok: false },
    stdout: [],
    stderr: [command === "compile" ? "sitewire: nothing written" : "sitewire: not compared"],
  };
}

/** Remove the folders `mkdir -p` created for this run, deepest first, when they are still empty. */
async function removeCreated(outDir: string, created: string | undefined): Promise<void> {
  if (created === undefined) return;
  for (let dir = outDir; isWithin(created, dir); dir = dirname(dir)) {
    if (!(await rmdir(dir).then(() => true, () => false))) return;
    if (dir === created) return;
  }
}

// --- accounting ----------------------------------------------------------------------------------------------

/** Every site of a load and the paths that account for something in its folder. */
export function accountedSites(load: CachedLoad<PlanOutline>): AccountedSite[] {
  const sites: AccountedSite[] = load.trees.map((t) => ({
    site: t.site,
    paths: [
      ...t.plan.create.map((w) => w.path),
      ...t.plan.update.map((w) => w.path),
      ...t.plan.unchanged,
      // Stale and unmanaged files are drift of their own (check) or removed/refused (compile).
      ...t.plan.remove.map((r) => r.path),
      ...t.plan.conflicts.map((c) => c.path),
    ],
  }));
  for (const hit of load.hits.values()) sites.push({ site: hit.site, paths: hit.files.map((f) => f.path) });
  return sites;
}

/**
 * With the default site files (`sites/*.yaml`) every folder of out/ must belong to one of them. A run given
 * other paths may cover only some sites: it leaves alone a folder whose manifest is sitewire's for that site
 * and names, as its source, an existing file `<site>.yaml` (the file name a site must have, SW100) that is
 * not among this run's files. CI should run check on every site, as the documented workflow does.
 */
export function deferralFor(args: SiteArgs, cwd: string, runFiles: Iterable<string>): ((site: string, manifest: Manifest) => boolean) | undefined {
  const isDefault = args.paths.length === DEFAULT_PATTERNS.length && args.paths.every((p, i) => p === DEFAULT_PATTERNS[i]);
  if (isDefault) return undefined;
  const inRun = new Set([...runFiles].map((f) => resolve(cwd, f)));
  return (site, manifest) => {
    const source = manifest.source?.file;
    if (typeof source !== "string" || source.includes("\0")) return false;
    const abs = resolve(cwd, source);
    if (basename(abs) !== `${site}.yaml` && basename(abs) !== `${site}.yml`) return false;
    if (inRun.has(abs)) return false;
    return isRegularFile(abs);
  };
}

function isRegularFile(abs: string): boolean {
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
}

/** The findings of the walk of `outDir` for this load. */
export function accountOut(load: CachedLoad<PlanOutline>, args: SiteArgs, outDir: string, cwd: string): OutFinding[] {
  const defer = deferralFor(args, cwd, load.compiled.results.map((r) => r.file));
  return accountOutTree(outDir, accountedSites(load), defer ? { defer } : {});
}

const NODE_TEXT = { file: "file", directory: "folder", symlink: "symbolic link", other: "special file (device, socket or pipe)" } as const;

/** One diagnostic per finding, at the path (relative to the working directory). */
export function findingDiagnostics(findings: readonly OutFinding[], outDir: string, cwd: string, severity: Severity): Diagnostic[] {
  return findings.map((f): Diagnostic => {
    const file = displayPath(join(outDir, ...f.path.split("/")), cwd);
    const what = NODE_TEXT[f.node];
    switch (f.kind) {
      case "unaccounted":
        return f.expectedDir
          ? {
              code: "SW300",
              severity,
              message: `a ${what} where sitewire writes a plain folder; what it leads to is not what sitewire wrote`,
              file,
              hint: `delete ${file} and run 'sitewire compile', which writes the folder`,
            }
          : {
              code: "SW300",
              severity,
              message: `a ${what} that no site produces${f.path.includes("/") ? "" : " (not the folder of any site file)"}; whatever deploys out/ (Argo CD, Ansible) would take it as generated`,
              file,
              hint: `delete it (git rm ${f.node === "directory" ? "-r " : ""}${file}), or add the site file that produces it; nothing under the output folder is kept by hand (keep such files beside it)`,
            };
      case "orphan-site":
        return {
          code: "SW301",
          severity,
          message: `folder of site '${f.site}', whose site file${f.source !== undefined ? ` ${JSON.stringify(f.source)}` : ""} is not among the site files`,
          file,
          hint: `the site was removed or renamed: delete the folder (git rm -r ${file}) so nothing deploys it any more, or restore its site file`,
        };
      case "leftover":
        return {
          code: "SW302",
          severity,
          message: `${f.node === "directory" ? "a site folder being built" : "a temp file"} left by an interrupted compile (a name sitewire reserves for its own temp files)`,
          file,
          hint: "run 'sitewire compile', which removes it, or delete it",
        };
    }
  });
}
