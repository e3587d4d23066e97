// Preloaded into a spawned CLI (node --import): at exit, writes the process's own resource usage to fd 3, so the
// test measures the real binary's peak memory (maxRSS, KiB) and CPU time without a wrapper such as /usr/bin/time.
import { writeSync } from "node:fs";

process.on("exit", () => {
  try {
    const u = process.resourceUsage();
    writeSync(3, JSON.stringify({ maxRssKiB: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }));
  } catch {
    // fd 3 is not open: run outside the test.
  }
});
