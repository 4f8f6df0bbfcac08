/**
 * Ends every `npm test` with the plain line CI and a newcomer read: `N passed, N failed`
 * (`, N skipped` when any were). A run whose tests all passed can still fail afterwards — the
 * global teardown finds something left behind — and then says so in a second line of its own
 * (global-setup.ts), reading these counts from `globalThis` (reporters and the global setup
 * share the vitest process, not a module instance).
 */
import type { Reporter, TestModule } from "vitest/node";

export type RunCounts = { passed: number; failed: number; skipped: number };

declare global {
  var shipshapeRunCounts: RunCounts | undefined;
}

export function summaryLine({ passed, failed, skipped }: RunCounts): string {
  return `${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : "");
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    const counts: RunCounts = { passed: 0, failed: 0, skipped: 0 };
    for (const testModule of testModules) {
      // A file that failed to load has no tests to count, and is a failure all the same.
      if (testModule.state() === "failed" && [...testModule.children.allTests()].length === 0) counts.failed += 1;
      for (const test of testModule.children.allTests()) {
        const { state } = test.result();
        if (state === "passed") counts.passed += 1;
        else if (state === "failed") counts.failed += 1;
        else counts.skipped += 1;
      }
    }
    counts.failed += unhandledErrors.length;
    globalThis.shipshapeRunCounts = counts;
    console.log(`\n${summaryLine(counts)}`);
  }
}
