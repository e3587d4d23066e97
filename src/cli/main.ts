#!/usr/bin/env node
/**
 * The `sitewire` executable (package.json `bin`). It only starts the CLI (./cli.ts): from the CommonJS bundle
 * `npm run build` makes of it, bundle/cli.cjs beside this file, with the V8 code cache of that bundle, so Node
 * neither parses nor compiles the code a command runs (src/build/bundle.mjs, issue 18). Built, this file is
 * CommonJS too (dist/src/cli/package.json): Node starts a CommonJS entry faster than an ES module one. No
 * top-level await here for that reason. The cache belongs to one
 * bundle: the bundle's first line names its id (a hash of its code), the cache file starts with the same id. A
 * cache of another build is not used; one V8 rejects (another Node version, other V8 flags) costs a normal
 * compile and nothing else. Without the bundle (tsc's output alone) it imports ./cli.js.
 *
 * SITEWIRE_WRITE_CODE_CACHE=1 (the build, after bundling): at exit, write the cache of what this run compiled.
 * SITEWIRE_DEBUG set: say on stderr when the cache is not used, and why.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { CLI_V8_FLAGS, runCommonJs } from "../intent/code-cache.js";

// A major garbage collection once the heap has doubled since the last one, instead of V8's default of up to
// four times: a cold compile of 5,000 sites keeps about 90 MB live, and peaked at 560 MB of memory with the
// default, 440 MB with this, for about ten more collections. A heuristic V8 reads at each collection, so
// setting it here, before anything is compiled, is enough (a bin cannot pass node flags). The bundle's code
// cache is made and taken under it (V8 rejects a cache made under other flags).
setFlagsFromString(CLI_V8_FLAGS);

const BUNDLE = fileURLToPath(new URL("./bundle/cli.cjs", import.meta.url));
const CODE_CACHE = fileURLToPath(new URL("./cli.cjs.v8-cache", import.meta.url));
/**
 * The bundle's first line: `// sitewire-bundle <id>\n`, the id in hex, then the bundle as Node would wrap it
 * (src/intent/code-cache.ts wrapCommonJs). The cache file: the id, then V8's data.
 */
const ID = /^\/\/ sitewire-bundle ([0-9a-f]{64})\n/;

function read(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

// The bundle is ASCII (the build checks it): latin1 is the cheapest decoding.
const source = read(BUNDLE)?.toString("latin1");
if (source === undefined) {
  void import("./cli.js");
} else {
  const id = ID.exec(source)?.[1];
  const cache = id === undefined ? undefined : read(CODE_CACHE);
  const ours = id !== undefined && cache !== undefined && cache.length > id.length && cache.toString("latin1", 0, id.length) === id;
  const { script } = runCommonJs(BUNDLE, ours ? cache.subarray(id.length) : undefined, source, true);
  if (process.env.SITEWIRE_DEBUG && (!ours || script.cachedDataRejected)) {
    const why = cache === undefined ? "missing" : !ours ? "made for another build" : "rejected by V8 (another Node version or other V8 flags)";
    process.stderr.write(`sitewire: the code cache ${CODE_CACHE} is ${why}: compiling the CLI\n`);
  }
  if (process.env.SITEWIRE_WRITE_CODE_CACHE === "1" && id !== undefined)
    process.on("exit", () => writeFileSync(CODE_CACHE, Buffer.concat([Buffer.from(id, "latin1"), script.createCachedData()])));
}
