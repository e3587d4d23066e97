/**
 * `sitewire secrets --site S --host H --dest DIR`: write host H's secret-bearing files, with the real values,
 * into DIR (a tree that mirrors `/`, e.g. a deploy staging directory, or `/` on the host itself). H may also
 * be a device whose files sitewire emits under devices/H/ (a strongSwan peer).
 *
 * Reads out/<S>/manifest.json and the committed files it lists for H, takes those holding placeholders,
 * materialises them (./materialise.ts) and writes them atomically: files 0600, new directories 0700. It
 * refuses a DIR inside a git work tree or inside the output directory (values must never land where they
 * could be committed), writes nothing when any reference is missing or unusable, and prints only paths and
 * reference names, never a value.
 */
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { MANIFEST_PATH, parseManifest, sha256, type ManifestEntry } from "../compile/manifest.js";
import { diskReader, writeFileAtomic } from "../writer/disk.js";
import { isWithin, resolveInside, WriterError } from "../writer/paths.js";
import { hasPlaceholders, materialise, sourceFrom, type TreeFile } from "./materialise.js";

export interface SecretsCommandArgs {
  readonly site: string;
  readonly host: string;
  readonly outDir: string;
  readonly dest: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface SecretsCommandIo {
  readonly cwd: string;
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

const EXIT_OK = 0;
const EXIT_INVALID = 1;
const HOST_NAME = /^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

class SecretsError extends Error {}

export async function runSecretsCommand(args: SecretsCommandArgs, io: SecretsCommandIo = processIo()): Promise<number> {
  const say = (line: string) => io.stdout.write(`${line}\n`);
  const complain = (line: string) => io.stderr.write(`sitewire secrets: ${line}\n`);
  try {
    if (!HOST_NAME.test(args.host)) throw new SecretsError(`invalid host name ${JSON.stringify(args.host)}`);
    const outDir = resolve(io.cwd, args.outDir);
    const dest = resolve(io.cwd, args.dest);
    refuseUnsafeDest(dest, outDir);

    const files = await secretBearingFiles(outDir, args.site, args.host);
    if (files.length === 0) {
      say(`host ${args.host} of site ${args.site} has no files with secrets; nothing written`);
      return EXIT_OK;
    }
    const result = materialise(files, sourceFrom(args.env, (path) => readSecretFile(io.cwd, path)));
    if (!result.ok) {
      for (const p of result.problems) complain(`${p.path}: ${p.reference}: ${p.message}`);
      complain(`nothing written to ${dest}`);
      return EXIT_INVALID;
    }
    for (const file of result.files) {
      const target = resolveInside(dest, file.path);
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      await writeFileAtomic(target, file.content, file.mode, true);
      say(`wrote ${target} (${file.mode.toString(8).padStart(4, "0")}): ${file.references.join(", ")}`);
    }
    return EXIT_OK;
  } catch (err) {
    if (err instanceof SecretsError || err instanceof WriterError) {
      complain(err.message);
      return EXIT_INVALID;
    }
    throw err;
  }
}

/** The host's (or device's) files that hold placeholders, as committed (checked against the manifest's hashes). */
async function secretBearingFiles(outDir: string, site: string, host: string): Promise<TreeFile[]> {
  const label = `${outDir}/${site}`;
  const reader = diskReader(outDir, site, label);
  const manifestFile = await reader.read(MANIFEST_PATH);
  const manifest = manifestFile?.type === "file" ? parseManifest(manifestFile.content) : undefined;
  if (!manifest || manifest.site !== site) throw new SecretsError(`no sitewire manifest for site ${site} at ${label}/${MANIFEST_PATH}; run 'sitewire compile' first`);
  const entries = manifest.artifacts.filter((a) => a.host === host || a.device === host);
  if (entries.length === 0) {
    const names = (key: "host" | "device") => [...new Set(manifest.artifacts.flatMap((a) => (a[key] ? [a[key]] : [])))].sort().join(", ") || "none";
    throw new SecretsError(`site ${site} has no host or device ${host} (hosts: ${names("host")}; devices: ${names("device")})`);
  }
  const files: TreeFile[] = [];
  for (const entry of entries) {
    const file = await reader.read(entry.path);
    if (file?.type !== "file") throw new SecretsError(`${label}/${entry.path} is missing; run 'sitewire compile'`);
    if (sha256(file.content) !== entry.sha256) throw new SecretsError(`${label}/${entry.path} differs from what sitewire wrote; run 'sitewire compile'`);
    if (!hasPlaceholders(file.content)) continue;
    const prefix = entry.host === host ? `hosts/${host}/` : `devices/${host}/`;
    if (!entry.path.startsWith(prefix)) throw new SecretsError(`${label}/${entry.path} is not in the tree ${prefix}`);
    files.push(treeFile(entry, file.content, prefix));
  }
  return files;
}

function treeFile(entry: ManifestEntry, content: string, prefix: string): TreeFile {
  return { path: entry.path.slice(prefix.length), content, mode: parseInt(entry.mode, 8), kind: entry.kind };
}

/** Secret values must not end up where git or `sitewire compile` could pick them up. */
function refuseUnsafeDest(dest: string, outDir: string): void {
  const real = realExisting(dest);
  if (isWithin(outDir, dest) || isWithin(realExisting(outDir), real))
    throw new SecretsError(`refusing --dest ${dest}: it is inside the output directory ${outDir}`);
  const workTree = gitWorkTreeOf(real);
  if (workTree !== undefined) throw new SecretsError(`refusing --dest ${dest}: it is inside the git work tree ${workTree}`);
  if (existsSync(dest) && !statSync(dest).isDirectory()) throw new SecretsError(`refusing --dest ${dest}: not a directory`);
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
function realExisting(path: string): string {
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const up = dirname(existing);
    if (up === existing) break;
    rest.unshift(existing.slice(up.length).replace(/^\//, ""));
    existing = up;
  }
  return join(realpathSync(existing), ...rest);
}

/** The nearest directory at or above `path` holding `.git` (a directory, or a file for worktrees). */
function gitWorkTreeOf(path: string): string | undefined {
  for (let dir = path; ; dir = dirname(dir)) {
    if (existsSync(join(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** A `file:` reference: absolute, or relative to the working directory; never through `..`. */
function readSecretFile(cwd: string, path: string): string | undefined {
  if (path.split("/").includes("..")) return undefined;
  try {
    return readFileSync(isAbsolute(path) ? path : resolve(cwd, path), "utf8");
  } catch {
    return undefined;
  }
}

function processIo(): SecretsCommandIo {
  return { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr };
}
