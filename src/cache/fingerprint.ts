/**
 * The compiler's fingerprint: one hash over everything that decides what sitewire emits for a given intent
 * file. The code that is running (every module under its source root: src/ for the tests, or the bundle's
 * folder dist/src/cli/bundle/ for the CLI, which holds the whole bundled CLI, generated shape validator
 * included, see src/build/bundle.mjs; plus the validator file itself), the templates,
 * the locked dependency versions and the Node version. Any change to one of them changes the fingerprint,
 * and with it every cache key, so a cached result can only ever be reused by the very same compiler.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PACKAGE_ROOT } from "../render/package-root.js";
import { limiter } from "../writer/limit.js";
import { compareStrings } from "../writer/paths.js";

const HERE = dirname(fileURLToPath(import.meta.url));
/** Bundled (dist/src/cli/bundle/cli.cjs): that folder, the CLI's bundle and the LSP worker's. Else src/ or dist/src/. */
const CODE_ROOT = basename(HERE) === "bundle" ? HERE : dirname(HERE);

export async function compilerFingerprint(): Promise<string> {
  const slot = limiter(32);
  const validator = join(PACKAGE_ROOT, "dist", "src", "intent", "validator.generated.cjs");
  const trees = await Promise.all([
    listFiles(CODE_ROOT, "code"),
    listFiles(join(PACKAGE_ROOT, "templates"), "templates"),
    CODE_ROOT === HERE ? [{ name: "validator/validator.generated.cjs", abs: validator }] : [],
  ]);
  const lock = (await readFile(join(PACKAGE_ROOT, "package-lock.json")).catch(() => undefined)) ?? (await readFile(join(PACKAGE_ROOT, "package.json")));
  const files = trees.flat();
  const contents = await Promise.all(files.map((f) => slot(() => readFile(f.abs))));
  const hash = createHash("sha256").update(`sitewire-fingerprint-1\0node ${process.version}\0`);
  hash.update(lock);
  files.forEach((f, i) => hash.update(`\0${f.name}\0${contents[i]!.length}\0`).update(contents[i]!));
  return hash.digest("hex");
}

interface Listed {
  readonly name: string;
  readonly abs: string;
}

/**
 * Every file below `root`, named `<tag>/<relative path>`, sorted. Tests and source maps do not change what
 * is emitted; neither does V8's code cache of the generated validator, whose bytes differ from build to build.
 */
async function listFiles(root: string, tag: string): Promise<Listed[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !/\.test\.[cm]?[jt]s$|\.map$|\.v8-cache$/.test(e.name))
    .map((e) => {
      const abs = join(e.parentPath, e.name);
      return { name: `${tag}/${abs.slice(root.length + 1).split("\\").join("/")}`, abs };
    })
    .sort((a, b) => compareStrings(a.name, b.name));
}
