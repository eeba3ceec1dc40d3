// Prints CI's last line, `N passed, N failed`, from the captured output of `npm test`.
// turbo, vitest and Playwright print their own summaries per run; CI needs one line over all of them.
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface RunCounts {
  passed: number;
  failed: number;
  filesFailed: number;
  errors: number;
}

export interface Totals {
  passed: number;
  failed: number;
}

export function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes start with ESC.
  return text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '');
}

function countsOf(segments: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of segments.matchAll(/(\d+) (failed|passed|expected fail|skipped|todo)/g)) {
    counts.set(match[2]!, Number(match[1]));
  }
  return counts;
}

// vitest's summary block, e.g. ` Test Files  1 failed | 4 passed (5)` / `      Tests  2 failed |
// 40 passed | 1 skipped (43)` / `     Errors  1 error`; `no tests` when a file failed to load.
const filesLine = /^\s*Test Files\s+(.*)$/;
const testsLine = /^\s*Tests\s+((?:\d+ [a-z ]+?(?: \| )?)+)\s*\(\d+\)\s*$|^\s*Tests\s+no tests\s*$/;
const errorsLine = /^\s*Errors\s+(\d+) errors?\s*$/;

/** One entry per vitest run found in the output, in order. */
export function parseVitestRuns(output: string): RunCounts[] {
  const runs: RunCounts[] = [];
  let current: RunCounts | undefined;
  for (const line of stripAnsi(output).split(/\r?\n/)) {
    const files = filesLine.exec(line);
    if (files) {
      current = {
        passed: 0,
        failed: 0,
        filesFailed: countsOf(files[1]!).get('failed') ?? 0,
        errors: 0,
      };
      runs.push(current);
      continue;
    }
    const tests = testsLine.exec(line);
    if (tests) {
      if (!current) {
        current = { passed: 0, failed: 0, filesFailed: 0, errors: 0 };
        runs.push(current);
      }
      const counts = countsOf(tests[1] ?? '');
      // A `.fails` test that failed as expected is a passing test.
      current.passed = (counts.get('passed') ?? 0) + (counts.get('expected fail') ?? 0);
      current.failed = counts.get('failed') ?? 0;
      continue;
    }
    const errors = errorsLine.exec(line);
    if (errors && current) current.errors = Number(errors[1]);
  }
  return runs;
}

// Playwright's list/line reporter ends with one line per outcome, e.g. `  1 failed`, `  1 flaky`,
// `  2 skipped`, `  5 passed (18.5s)` (the failed/flaky lines are followed by the tests' names).
// Only lines after its `Running N tests using M workers` header count, so a log line such as
// `  3 passed` elsewhere is never mistaken for a summary.
const playwrightStart = /^\s*Running \d+ tests? using \d+ workers?/;
const playwrightLine =
  /^\s*(\d+) (passed|failed|flaky|skipped|interrupted|did not run)(?: \([\d.]+m?s\))?\s*$/;

/** One entry per Playwright run in the output; flaky tests passed on a retry. */
export function parsePlaywrightRuns(output: string): RunCounts[] {
  const runs: RunCounts[] = [];
  let current: RunCounts | undefined;
  for (const line of stripAnsi(output).split(/\r?\n/)) {
    if (playwrightStart.test(line)) {
      current = { passed: 0, failed: 0, filesFailed: 0, errors: 0 };
      runs.push(current);
      continue;
    }
    const match = current && playwrightLine.exec(line);
    if (!current || !match) continue;
    const n = Number(match[1]);
    if (match[2] === 'passed' || match[2] === 'flaky') current.passed += n;
    if (match[2] === 'failed' || match[2] === 'interrupted') current.failed += n;
  }
  return runs;
}

/**
 * Sums all runs. A red run must never read `0 failed`: a file that failed to load, an unhandled
 * error, or a lint/typecheck failure before any test ran each count as at least one failure.
 */
export function totalCounts(output: string, exitCode: number): Totals {
  let passed = 0;
  let failed = 0;
  for (const run of [...parseVitestRuns(output), ...parsePlaywrightRuns(output)]) {
    passed += run.passed;
    failed += run.failed > 0 ? run.failed : Math.max(run.filesFailed, run.errors);
  }
  if (exitCode !== 0 && failed === 0) failed = 1;
  return { passed, failed };
}

export function formatTotals({ passed, failed }: Totals): string {
  return `${passed} passed, ${failed} failed`;
}

// Real paths on both sides: a symlinked checkout must still count as "run directly".
const invokedDirectly =
  process.argv[1] !== undefined &&
  realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (invokedDirectly) {
  const [file, code] = process.argv.slice(2);
  if (!file || code === undefined) {
    process.stderr.write('usage: count-tests.ts <npm-test-output.log> <exit-code>\n');
    process.exit(2);
  }
  process.stdout.write(`${formatTotals(totalCounts(readFileSync(file, 'utf8'), Number(code)))}\n`);
}
