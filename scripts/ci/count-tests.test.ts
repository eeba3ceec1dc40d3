import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatDetails,
  formatTotals,
  parsePlaywrightRuns,
  parseVitestRuns,
  type RunCounts,
  stripAnsi,
  type Totals,
  totalCounts,
} from './count-tests.ts';

// Captured from vitest 4 with colours on, as a TTY would show it.
const colouredRed =
  '\u001b[2m Test Files \u001b[22m \u001b[1m\u001b[31m3 failed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m' +
  '\u001b[1m\u001b[32m2 passed\u001b[39m\u001b[22m\u001b[90m (5)\u001b[39m\n' +
  '\u001b[2m      Tests \u001b[22m \u001b[1m\u001b[31m4 failed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m' +
  '\u001b[1m\u001b[32m13 passed\u001b[39m\u001b[22m\u001b[90m (17)\u001b[39m\n';

const unitGreen = `
 ✓  unit  scripts/start.test.ts (1 test) 1334ms

 Test Files  5 passed (5)
      Tests  17 passed | 2 skipped (19)
   Start at  21:56:01
`;

const integrationRed = `
 Test Files  1 failed | 3 passed (4)
      Tests  1 failed | 30 passed | 1 expected fail | 1 todo (33)
`;

const vitest = (counts: Partial<RunCounts>): RunCounts => ({
  runner: 'vitest',
  passed: 0,
  failed: 0,
  skipped: 0,
  flaky: 0,
  filesFailed: 0,
  errors: 0,
  ...counts,
});
const playwright = (counts: Partial<RunCounts>): RunCounts => ({
  ...vitest(counts),
  runner: 'playwright',
});
const totals = (passed: number, failed: number, skipped = 0, flaky = 0): Totals => ({
  passed,
  failed,
  skipped,
  flaky,
});

describe('stripAnsi', () => {
  it('removes colour codes', () => {
    expect(stripAnsi('\u001b[1m\u001b[31m3 failed\u001b[39m\u001b[22m')).toBe('3 failed');
  });
});

describe('parseVitestRuns', () => {
  it('reads coloured summaries', () => {
    expect(parseVitestRuns(colouredRed)).toEqual([
      vitest({ passed: 13, failed: 4, filesFailed: 3 }),
    ]);
  });

  it('finds each run of a chained npm test and ignores log lines that mention tests', () => {
    const output = `Tests are starting\n${unitGreen}\nsome log: Tests  ok\n${integrationRed}`;
    expect(parseVitestRuns(output)).toEqual([
      vitest({ passed: 17, skipped: 2 }),
      vitest({ passed: 31, failed: 1, skipped: 1, filesFailed: 1 }),
    ]);
  });
});

describe('totalCounts', () => {
  it('sums passed and failed over all runs', () => {
    expect(totalCounts(`${unitGreen}${integrationRed}`, 1)).toEqual(totals(48, 1, 3));
    expect(totalCounts(unitGreen, 0)).toEqual(totals(17, 0, 2));
  });

  it('counts a file that failed to load and unhandled errors as failures', () => {
    const loadError = ' Test Files  2 failed | 1 passed (3)\n      Tests  no tests\n';
    expect(totalCounts(loadError, 1)).toEqual(totals(0, 2));
    const unhandled =
      ' Test Files  2 passed (2)\n      Tests  9 passed (9)\n     Errors  1 error\n';
    expect(totalCounts(unhandled, 1)).toEqual(totals(9, 1));
  });

  it('never reports 0 failed for a red run that stopped before the tests', () => {
    const lintFailure = 'Checked 40 files in 20ms. No fixes applied.\nFound 2 errors.\n';
    expect(totalCounts(lintFailure, 1)).toEqual(totals(0, 1));
    expect(totalCounts(`${unitGreen}error TS2322: Type 'string'`, 2)).toEqual(totals(17, 1, 2));
  });
});

// Real output, captured by fixtures/capture.sh (vitest 4.1 and Playwright 1.64 with CI=true,
// colours and all) and from real integration runs of this repository.
const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}.txt`, import.meta.url), 'utf8');

describe('real vitest output', () => {
  it('a red run: failed, passed, expected fail, skipped and todo, and a file that cannot load', () => {
    expect(parseVitestRuns(fixture('vitest-red'))).toEqual([
      vitest({ passed: 2, failed: 1, skipped: 2, filesFailed: 2 }),
    ]);
  });

  it('a green run with skipped tests', () => {
    expect(parseVitestRuns(fixture('vitest-green'))).toEqual([vitest({ passed: 1, skipped: 4 })]);
  });

  it('integration project runs, green and red', () => {
    expect(parseVitestRuns(fixture('vitest-integration-green'))).toEqual([vitest({ passed: 92 })]);
    expect(parseVitestRuns(fixture('vitest-integration-red'))).toEqual([
      vitest({ failed: 1, skipped: 4, filesFailed: 1 }),
    ]);
  });
});

describe('real Playwright output', () => {
  it('a green run', () => {
    expect(parsePlaywrightRuns(fixture('playwright-green'))).toEqual([playwright({ passed: 1 })]);
  });

  it('a run over a minute with every outcome: flaky passes, did not run fails', () => {
    // `2 passed (3.7m)`: the minutes unit must not drop the count.
    expect(parsePlaywrightRuns(fixture('playwright-red-minutes'))).toEqual([
      playwright({ passed: 3, flaky: 1, failed: 3, skipped: 1 }),
    ]);
  });

  it('an interrupted run: the interrupted test fails, the error outside tests is counted', () => {
    expect(parsePlaywrightRuns(fixture('playwright-interrupted'))).toEqual([
      playwright({ failed: 2, errors: 1 }),
    ]);
  });

  it('reads every duration unit', () => {
    for (const duration of ['812ms', '18.5s', '2.3m', '1.2h']) {
      const output = `Running 2 tests using 1 worker\n\n  2 passed (${duration})\n`;
      expect(parsePlaywrightRuns(output), duration).toEqual([playwright({ passed: 2 })]);
    }
  });

  it('ignores look-alike lines outside a Playwright run', () => {
    expect(parsePlaywrightRuns('  3 passed\n  2 failed\n')).toEqual([]);
    expect(parsePlaywrightRuns(unitGreen)).toEqual([]);
  });
});

describe('a whole npm test', () => {
  const red = ['vitest-green', 'vitest-integration-red', 'playwright-red-minutes'].map(fixture);
  const green = ['vitest-green', 'vitest-integration-green', 'playwright-green'].map(fixture);

  it('sums every runner: passed, failed, skipped and flaky', () => {
    expect(totalCounts(red.join('\n'), 1)).toEqual(totals(4, 4, 9, 1));
    expect(totalCounts(green.join('\n'), 0)).toEqual(totals(94, 0, 4));
  });

  it('prints the line CI reads, and the details above it', () => {
    const output = red.join('\n');
    const line = formatTotals(totalCounts(output, 1));
    expect(line).toBe('4 passed, 4 failed, 9 skipped');
    expect(line).toMatch(/^\d+ passed, \d+ failed(, \d+ skipped)?$/);
    expect(formatDetails(output, totalCounts(output, 1))).toEqual([
      'run 1 (vitest): 1 passed, 0 failed, 4 skipped',
      'run 2 (vitest): 0 passed, 1 failed, 4 skipped',
      'run 3 (playwright): 3 passed, 3 failed, 1 skipped, 1 flaky',
      '1 flaky (passed on a retry, counted as passed)',
    ]);
  });
});
