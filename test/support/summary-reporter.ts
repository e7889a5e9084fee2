import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, that CI reads, and lists
 * every skipped test with the reason it gave (`ctx.skip(reason)`), so a run never hides a skip.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const reasons = new Map<string, number>();
    for (const module of testModules) {
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed += 1;
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') passed += 1;
        else if (result.state === 'failed') failed += 1;
        else if (result.state === 'skipped') {
          skipped += 1;
          const why = result.note ?? 'no reason given (filtered out by -t, or a .skip; the suite has none)';
          reasons.set(why, (reasons.get(why) ?? 0) + 1);
        }
      }
    }
    if (reasons.size > 0) {
      console.log('\nSkipped tests:');
      for (const [why, count] of reasons) console.log(`  ${count} × ${why}`);
    }
    console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}
