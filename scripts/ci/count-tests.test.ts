import { describe, expect, it } from 'vitest';
import {
  formatTotals,
  parsePlaywrightRuns,
  parseVitestRuns,
  stripAnsi,
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

describe('stripAnsi', () => {
  it('removes colour codes', () => {
    expect(stripAnsi('\u001b[1m\u001b[31m3 failed\u001b[39m\u001b[22m')).toBe('3 failed');
  });
});

describe('parseVitestRuns', () => {
  it('reads coloured summaries', () => {
    expect(parseVitestRuns(colouredRed)).toEqual([
      { passed: 13, failed: 4, filesFailed: 3, errors: 0 },
    ]);
  });

  it('finds each run of a chained npm test and ignores log lines that mention tests', () => {
    const output = `Tests are starting\n${unitGreen}\nsome log: Tests  ok\n${integrationRed}`;
    expect(parseVitestRuns(output)).toEqual([
      { passed: 17, failed: 0, filesFailed: 0, errors: 0 },
      { passed: 31, failed: 1, filesFailed: 1, errors: 0 },
    ]);
  });
});

describe('totalCounts', () => {
  it('sums passed and failed over all runs', () => {
    expect(totalCounts(`${unitGreen}${integrationRed}`, 1)).toEqual({ passed: 48, failed: 1 });
    expect(totalCounts(unitGreen, 0)).toEqual({ passed: 17, failed: 0 });
  });

  it('counts a file that failed to load and unhandled errors as failures', () => {
    const loadError = ' Test Files  2 failed | 1 passed (3)\n      Tests  no tests\n';
    expect(totalCounts(loadError, 1)).toEqual({ passed: 0, failed: 2 });
    const unhandled =
      ' Test Files  2 passed (2)\n      Tests  9 passed (9)\n     Errors  1 error\n';
    expect(totalCounts(unhandled, 1)).toEqual({ passed: 9, failed: 1 });
  });

  it('never reports 0 failed for a red run that stopped before the tests', () => {
    const lintFailure = 'Checked 40 files in 20ms. No fixes applied.\nFound 2 errors.\n';
    expect(totalCounts(lintFailure, 1)).toEqual({ passed: 0, failed: 1 });
    expect(totalCounts(`${unitGreen}error TS2322: Type 'string'`, 2)).toEqual({
      passed: 17,
      failed: 1,
    });
  });
});

// Captured from Playwright 1.64's list reporter (apps/web e2e).
const playwrightGreen = `
Running 5 tests using 1 worker

  ✓  1 e2e/challenges.spec.ts:4:1 › an editor publishes (2.8s)
  ✓  2 e2e/live.spec.ts:4:1 › the live page shows requests (1.8s)

  5 passed (18.5s)
`;

const playwrightRed = `
Running 6 tests using 1 worker

  ✘  1 e2e/players.spec.ts:4:1 › progress moves (10.2s)

  1 failed
    e2e/players.spec.ts:4:1 › progress moves ─────────────────────────
  1 flaky
    e2e/live.spec.ts:4:1 › the live page shows requests ──────────────
  1 skipped
  3 passed (40.1s)
`;

describe('parsePlaywrightRuns', () => {
  it('reads the summary lines of a run, flaky counting as passed', () => {
    expect(parsePlaywrightRuns(playwrightGreen)).toEqual([
      { passed: 5, failed: 0, filesFailed: 0, errors: 0 },
    ]);
    expect(parsePlaywrightRuns(playwrightRed)).toEqual([
      { passed: 4, failed: 1, filesFailed: 0, errors: 0 },
    ]);
  });

  it('ignores look-alike lines outside a Playwright run', () => {
    expect(parsePlaywrightRuns('  3 passed\n  2 failed\n')).toEqual([]);
    expect(parsePlaywrightRuns(unitGreen)).toEqual([]);
  });
});

describe('totalCounts with browser tests', () => {
  it('adds Playwright runs to the vitest runs of the same npm test', () => {
    expect(totalCounts(`${unitGreen}${integrationRed}${playwrightRed}`, 1)).toEqual({
      passed: 52,
      failed: 2,
    });
    expect(totalCounts(`${unitGreen}${playwrightGreen}`, 0)).toEqual({ passed: 22, failed: 0 });
  });
});

describe('formatTotals', () => {
  it('prints the plain line CI ends with', () => {
    expect(formatTotals({ passed: 48, failed: 1 })).toBe('48 passed, 1 failed');
  });
});
