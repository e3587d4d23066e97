import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["dist/**", "dist-test/**", "node_modules/**", "out/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real-program tests create network namespaces: keep files in one worker pool of at most 2 (2 cores).
    maxWorkers: 2,
    // The result cache lives in the user's cache folder: tests (and the CLIs they spawn) leave it alone;
    // the cache's own tests point SITEWIRE_CACHE_DIR at a temp folder.
    env: { SITEWIRE_CACHE_DIR: "off" },
    reporters: ["default", "./test/summary-reporter.ts"],
  },
});
