/**
 * Prints one closing line `Tests: N passed, N failed, N skipped` after vitest's own summary, the plain form
 * CI tooling reads in any language, and `, N unhandled errors` when vitest caught errors outside any test
 * (they fail the run even when every test passed).
 */
import type { Reporter, TestModule } from "vitest/node";

type Errors = Parameters<NonNullable<Reporter["onTestRunEnd"]>>[1];

export default class SummaryLineReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: Errors = []): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const m of modules)
      for (const test of m.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed++;
        else if (state === "failed") counts.failed++;
        else counts.skipped++;
      }
    for (const m of modules) if (m.state() === "failed" && [...m.children.allTests()].length === 0) counts.failed++;
    const errors = unhandledErrors.length > 0 ? `, ${unhandledErrors.length} unhandled error${unhandledErrors.length === 1 ? "" : "s"}` : "";
    process.stdout.write(`\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${errors}\n`);
  }
}
