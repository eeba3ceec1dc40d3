// Prints CI's last line, `N passed, N failed, N skipped`, from the captured output of `npm test`.
// turbo, vitest and Playwright print their own summaries per run; CI needs one line over all of
// them. CI reads `^N passed, N failed` and allows `, N skipped` after it; anything else a reader
// should know (flaky tests, the count per run) goes to stderr, above that line.
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface RunCounts {
  runner: 'vitest' | 'playwright';
  passed: number;
  failed: number;
  skipped: number;
  /** Playwright: passed only on a retry (also counted in `passed`). */
  flaky: number;
  filesFailed: number;
  /** Errors outside any test (vitest `Errors`, Playwright "not a part of any test"). */
  errors: number;
}

export interface Totals {
  passed: number;
  failed: number;
  skipped: number;
  flaky: number;
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

const emptyRun = (runner: RunCounts['runner']): RunCounts => ({
  runner,
  passed: 0,
  failed: 0,
  skipped: 0,
  flaky: 0,
  filesFailed: 0,
  errors: 0,
});

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
      current = { ...emptyRun('vitest'), filesFailed: countsOf(files[1]!).get('failed') ?? 0 };
      runs.push(current);
      continue;
    }
    const tests = testsLine.exec(line);
    if (tests) {
      if (!current) {
        current = emptyRun('vitest');
        runs.push(current);
      }
      const counts = countsOf(tests[1] ?? '');
      // A `.fails` test that failed as expected is a passing test; a todo never ran.
      current.passed = (counts.get('passed') ?? 0) + (counts.get('expected fail') ?? 0);
      current.failed = counts.get('failed') ?? 0;
      current.skipped = (counts.get('skipped') ?? 0) + (counts.get('todo') ?? 0);
      continue;
    }
    const errors = errorsLine.exec(line);
    if (errors && current) current.errors = Number(errors[1]);
  }
  return runs;
}

// Playwright's list/line reporter ends with one line per outcome, e.g. `  1 failed`, `  1 flaky`,
// `  2 skipped`, `  1 did not run`, `  1 interrupted`, `  5 passed (18.5s)` — the duration in
// ms, s, m or h (`(2.3m)` once a run lasts a minute). Only lines after its `Running N tests using
// M workers` header count, so a log line such as `  3 passed` elsewhere is never mistaken for one.
const playwrightStart = /^\s*Running \d+ tests? using \d+ workers?/;
const playwrightLine =
  /^\s*(\d+) (passed|failed|flaky|skipped|interrupted|did not run)(?: \(\d+(?:\.\d+)?(?:ms|s|m|h)\))?\s*$/;
const playwrightErrors = /^\s*(\d+) errors? (?:was|were) not a part of any test/;

/**
 * One entry per Playwright run in the output. Flaky tests passed on a retry and count as passed;
 * a test that did not run or was interrupted counts as failed: the run stopped before it could
 * show that it works.
 */
export function parsePlaywrightRuns(output: string): RunCounts[] {
  const runs: RunCounts[] = [];
  let current: RunCounts | undefined;
  for (const line of stripAnsi(output).split(/\r?\n/)) {
    if (playwrightStart.test(line)) {
      current = emptyRun('playwright');
      runs.push(current);
      continue;
    }
    if (!current) continue;
    const errors = playwrightErrors.exec(line);
    if (errors) current.errors += Number(errors[1]);
    const match = playwrightLine.exec(line);
    if (!match) continue;
    const n = Number(match[1]);
    const outcome = match[2]!;
    if (outcome === 'passed') current.passed += n;
    else if (outcome === 'flaky') {
      current.passed += n;
      current.flaky += n;
    } else if (outcome === 'skipped') current.skipped += n;
    else current.failed += n;
  }
  return runs;
}

/** Every vitest and Playwright run of the output, vitest first. */
export function allRuns(output: string): RunCounts[] {
  return [...parseVitestRuns(output), ...parsePlaywrightRuns(output)];
}

/**
 * Sums all runs. A red run must never read `0 failed`: a file that failed to load, an unhandled
 * error, or a lint/typecheck failure before any test ran each count as at least one failure.
 */
export function totalCounts(output: string, exitCode: number): Totals {
  const totals: Totals = { passed: 0, failed: 0, skipped: 0, flaky: 0 };
  for (const run of allRuns(output)) {
    totals.passed += run.passed;
    totals.failed += run.failed > 0 ? run.failed : Math.max(run.filesFailed, run.errors);
    totals.skipped += run.skipped;
    totals.flaky += run.flaky;
  }
  if (exitCode !== 0 && totals.failed === 0) totals.failed = 1;
  return totals;
}

export function formatTotals({ passed, failed, skipped }: Totals): string {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}

/** The lines printed to stderr before the total: one per run, and the flaky count. */
export function formatDetails(output: string, totals: Totals): string[] {
  const lines = allRuns(output).map(
    (run, i) =>
      `run ${i + 1} (${run.runner}): ${run.passed} passed, ${run.failed} failed, ${run.skipped} skipped` +
      (run.flaky > 0 ? `, ${run.flaky} flaky` : '') +
      (run.errors > 0 ? `, ${run.errors} errors outside tests` : ''),
  );
  if (totals.flaky > 0) lines.push(`${totals.flaky} flaky (passed on a retry, counted as passed)`);
  return lines;
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
  const output = readFileSync(file, 'utf8');
  const totals = totalCounts(output, Number(code));
  for (const line of formatDetails(output, totals)) process.stderr.write(`[ci] ${line}\n`);
  process.stdout.write(`${formatTotals(totals)}\n`);
}
