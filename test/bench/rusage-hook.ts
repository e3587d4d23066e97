/**
 * Loaded with `node --import` into a measured child when GNU time is not installed (./measure.ts): at exit,
 * write this process's resource usage (CPU times, peak RSS) as JSON to $SITEWIRE_BENCH_RUSAGE.
 */
import { writeFileSync } from "node:fs";

const file = process.env.SITEWIRE_BENCH_RUSAGE;
if (file) {
  process.on("exit", () => writeFileSync(file, JSON.stringify(process.resourceUsage())));
}
