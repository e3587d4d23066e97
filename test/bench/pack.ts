/**
 * A pack of an output tree: every file's relative path, mode and bytes in one file, so that the write floor
 * (./floor.ts) pays a single read for its input and nothing else a compiler would not pay.
 *
 * Layout: a 4-byte big-endian header length, the header (JSON: [path, mode, byteLength][]), then the files'
 * bytes back to back in header order.
 */
import { lstat, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { limiter } from "../../src/writer/limit.js";

export interface PackedFile {
  readonly path: string;
  readonly mode: number;
  readonly bytes: Buffer;
}

/** Every regular file under `root`, sorted by path ('/'-separated, relative to root). */
export async function readTree(root: string): Promise<PackedFile[]> {
  const slot = limiter(64); // 5,000 sites are 100,000 files: far more than the descriptors a process may hold
  const files: PackedFile[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await slot(() => readdir(join(root, rel), { withFileTypes: true }));
    await Promise.all(
      entries.map(async (e) => {
        const path = rel === "" ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory()) return walk(path);
        if (!e.isFile()) return;
        const abs = join(root, path);
        const [st, bytes] = await slot(() => Promise.all([lstat(abs), readFile(abs)]));
        files.push({ path, mode: st.mode & 0o7777, bytes });
      }),
    );
  };
  await walk("");
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export async function writePack(file: string, files: readonly PackedFile[]): Promise<void> {
  const header = Buffer.from(JSON.stringify(files.map((f) => [f.path, f.mode, f.bytes.length])));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  await writeFile(file, Buffer.concat([length, header, ...files.map((f) => f.bytes)]));
}

/** The files of a pack; their bytes are views into the one buffer read. */
export async function readPack(file: string): Promise<PackedFile[]> {
  const buffer = await readFile(file);
  const headerLength = buffer.readUInt32BE(0);
  const header = JSON.parse(buffer.subarray(4, 4 + headerLength).toString("utf8")) as Array<[string, number, number]>;
  let offset = 4 + headerLength;
  return header.map(([path, mode, length]) => {
    const bytes = buffer.subarray(offset, offset + length);
    offset += length;
    return { path, mode, bytes };
  });
}
