/**
 * The write floor: a plain Node script that writes the same bytes to the same paths as `sitewire compile`
 * into an empty output folder, and nothing else: no parsing, no checks, no temp files, no fsync. What any
 * compiler producing these files must at least pay (Node start-up, one read of its input, mkdir + write).
 *
 * usage: node dist-test/test/bench/floor.js <pack> <out-dir> [sync|async]
 *   sync   writeFileSync in path order (the default: fastest for many small files on Linux)
 *   async  fs.promises.writeFile with up to 64 writes in flight on libuv's thread pool
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { readPack, type PackedFile } from "./pack.js";

const [packFile, outDir, strategy = "sync"] = process.argv.slice(2);
if (!packFile || !outDir || (strategy !== "sync" && strategy !== "async")) {
  process.stderr.write("usage: node dist-test/test/bench/floor.js <pack> <out-dir> [sync|async]\n");
  process.exit(64);
}

const files = await readPack(packFile);
const dirs = [...new Set(files.map((f) => dirname(join(outDir, f.path))))];

if (strategy === "sync") {
  for (const dir of dirs) mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(outDir, f.path), f.bytes, { mode: f.mode });
} else {
  await Promise.all(dirs.map((dir) => mkdir(dir, { recursive: true })));
  await inParallel(files, 64, (f) => writeFile(join(outDir, f.path), f.bytes, { mode: f.mode }));
}

async function inParallel(items: readonly PackedFile[], limit: number, step: (f: PackedFile) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await step(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
