import { describe, expect, it } from 'vitest';
import { formatTotals, parseVitestRuns, stripAnsi, totalCounts } from './count-tests.ts';

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

describe('formatTotals', () => {
  it('prints the plain line CI ends with', () => {
    expect(formatTotals({ passed: 48, failed: 1 })).toBe('48 passed, 1 failed');
  });
});
