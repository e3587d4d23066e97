/**
 * Each registered platform's module src/targets/<folder>/index.ts (its `device`: declaration + render), by
 * folder, loaded from the declaration's `folder` so that adding a platform stays one folder plus one line in
 * ./platforms.ts. Only the devices target (./devices.ts) imports this, so `sitewire validate` loads no renderer.
 *
 * The CLI's bundle (src/build/bundle.mjs) replaces this file with static imports of every folder holding a
 * platform.ts and an index.ts: the bundle is CommonJS, where a top-level await cannot be.
 */
import { PLATFORM_DECLARATIONS } from "./platforms.js";

export const DEVICE_MODULES: Readonly<Record<string, unknown>> = Object.fromEntries(
  await Promise.all(PLATFORM_DECLARATIONS.map(async (platform) => [platform.folder, await import(/* @vite-ignore */ `./${platform.folder}/index.js`)] as const)),
);
