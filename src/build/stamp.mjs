/**
 * What dist/ was built from, so that `prepare` builds only when something changed.
 *
 * npm runs a package's `prepare` script on `npm ci` and `npm install`, and also whenever `npx sitewire` first
 * runs in a project folder: npx installs the folder into its own cache (~/.npm/_npx/<hash of the path>) as a
 * linked dependency, which runs `prepare` in the folder itself. With `prepare` = `npm run build`, that first
 * `npx sitewire` (the README's main command, right after `npm ci`) rebuilt everything a second time, and while
 * it did (half a minute), dist/ did not exist: any other `sitewire` running meanwhile failed with "Cannot find
 * module dist/src/cli/main.js" (as the test suite did in CI).
 *
 * `node src/build/stamp.mjs write` (the last step of `npm run build`) records a hash of every input of the
 * build in dist/src/.build-inputs; `node src/build/stamp.mjs check` exits 0 when dist/ holds a complete build
 * of the current inputs, 1 otherwise. package.json: `"prepare": "node src/build/stamp.mjs check || npm run build"`.
 *
 * Inputs: everything under src/, package.json, package-lock.json, the tsconfig files, and the Node version
 * (the shape validator's V8 code cache is made for the Node that built it).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const STAMP = join(ROOT, "dist", "src", ".build-inputs");
/** Files a complete build has (the bin first). */
const BUILT = [join("dist", "src", "cli", "main.js"), join("dist", "src", "intent", "validator.generated.cjs")];
const TOP_LEVEL = ["package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json"];

function files(dir) {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? files(path) : e.isFile() ? [path] : [];
  });
}

export function inputsHash() {
  const hash = createHash("sha256").update(`node ${process.version}\0`);
  const paths = [...TOP_LEVEL.filter((f) => existsSync(join(ROOT, f))), ...files("src")].map((p) => relative(ROOT, join(ROOT, p)).split(sep).join("/")).sort();
  for (const path of paths) hash.update(`${path}\0`).update(readFileSync(join(ROOT, path))).update("\0");
  return hash.digest("hex");
}

const mode = process.argv[2];
if (mode === "write") {
  writeFileSync(STAMP, `${inputsHash()}\n`);
} else if (mode === "check") {
  const current = existsSync(STAMP) && BUILT.every((f) => existsSync(join(ROOT, f))) && readFileSync(STAMP, "utf8").trim() === inputsHash();
  if (current) process.stderr.write("sitewire: dist/ is a build of the current sources (src/build/stamp.mjs); not building again\n");
  process.exit(current ? 0 : 1);
} else {
  process.stderr.write("usage: node src/build/stamp.mjs write|check\n");
  process.exit(64);
}
