/**
 * The output folder itself: no symbolic link may redirect what sitewire writes or reads as out/.
 *
 * Which components are checked: every existing component of the absolute output path, from the root down.
 * For a relative `--out` (the default `out`) that means the components the user gave, below the working
 * directory: the working directory comes from getcwd(3), which returns the physical path, so its own
 * ancestors are never links. For an absolute `--out` the user gave every component, so all are checked;
 * on systems where /tmp is a link (macOS: /tmp -> private/tmp) `--out /tmp/x` is refused and the message
 * names the link, and `--out "$(realpath /tmp)/x"` is the way to say that place. A component that does not
 * exist yet ends the check (compile creates the rest as plain directories).
 */
import { lstat, readlink } from "node:fs/promises";
import { parse, sep } from "node:path";

export interface LinkedComponent {
  /** The absolute path of the first component that is a symbolic link. */
  readonly path: string;
  /** Where it points (as stored in the link), when it can be read. */
  readonly target?: string;
}

/** The first component of the absolute path `outDir` that is a symbolic link, or undefined. */
export async function symlinkInPath(outDir: string): Promise<LinkedComponent | undefined> {
  const { root } = parse(outDir);
  const parts = outDir.slice(root.length).split(sep).filter((p) => p !== "");
  let current = root;
  for (const part of parts) {
    current = current === root ? root + part : current + sep + part;
    let st;
    try {
      st = await lstat(current);
    } catch {
      // Missing (created later as a real directory) or not reachable: nothing further can be a link now.
      return undefined;
    }
    if (st.isSymbolicLink()) {
      const target = await readlink(current).catch(() => undefined);
      return { path: current, ...(target !== undefined ? { target } : {}) };
    }
    if (!st.isDirectory()) return undefined;
  }
  return undefined;
}
