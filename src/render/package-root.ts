/** The package root: the nearest folder upwards holding templates/ and package.json (from src/ and dist/src/). */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGE_ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "templates")) || !existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("internal: templates/ not found");
    dir = up;
  }
  return dir;
})();
