// `npm run test:mutation [-- --area core,claim] [--incremental] [--static] [--summary-only]
// [--mutate <file[:lines],...>] [--concurrency <n>] [--timeout-ms <ms>]`: runs Stryker per area (each in its own
// process, so one area's instrumented files are restored before the next starts), then prints
// each area's score and its surviving mutants. `--summary-only` re-reads the last reports instead
// of running (after editing explained-mutants.ts); `--mutate` spot-checks part of one area
// (report `<area>.partial`). Exits non-zero when a score is under its minimum, a survivor of a
// critical-path area is not explained in explained-mutants.ts, or a mutant reported Survived had
// no test run against it (a lost run, summarize.ts).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { areas, findArea, type MutationArea } from './areas.ts';
import { formatSummary, type MutationReport, summarize } from './summarize.ts';

function chosenAreas(argv: string[]): MutationArea[] {
  const flag = argv.findIndex((arg) => arg === '--area' || arg.startsWith('--area='));
  if (flag === -1) return areas;
  const value = argv[flag]!.includes('=') ? argv[flag]!.split('=')[1]! : (argv[flag + 1] ?? '');
  return value.split(',').map((name) => {
    const area = findArea(name);
    if (!area)
      throw new Error(`unknown area "${name}"; known: ${areas.map((a) => a.name).join(', ')}`);
    return area;
  });
}

const argv = process.argv.slice(2);
const root = process.cwd();
let ok = true;
const summaries: string[] = [];
const summaryOnly = argv.includes('--summary-only');
for (const area of chosenAreas(argv)) {
  const extra: string[] = argv.filter((arg) => arg === '--incremental' || arg === '--static');
  const mutateFlag = argv.indexOf('--mutate');
  const partial = mutateFlag !== -1;
  if (partial) extra.push('--mutate', argv[mutateFlag + 1] ?? '');
  const concurrencyFlag = argv.indexOf('--concurrency');
  if (concurrencyFlag !== -1) extra.push('--concurrency', argv[concurrencyFlag + 1] ?? '1');
  const timeoutFlag = argv.indexOf('--timeout-ms');
  if (timeoutFlag !== -1) extra.push('--timeout-ms', argv[timeoutFlag + 1] ?? '');
  const run = summaryOnly
    ? null
    : spawnSync(
        process.execPath,
        ['--import', 'tsx', 'scripts/mutation/run-area.ts', area.name, ...extra],
        { stdio: 'inherit' },
      );
  if (run && run.status !== 0) {
    summaries.push(`${area.name}: Stryker exited with ${run.status ?? run.signal}`);
    ok = false;
    continue;
  }
  const report = JSON.parse(
    readFileSync(`reports/mutation/${area.name}${partial ? '.partial' : ''}.json`, 'utf8'),
  ) as MutationReport;
  const summary = summarize(report, root, area.explained);
  summaries.push(formatSummary(partial ? `${area.name} (partial)` : area.name, summary));
  if (summary.score < area.minScore) ok = false;
  if (area.critical && summary.survivors.some((s) => !s.reason)) ok = false;
  if (summary.notRun.length > 0) ok = false;
}
console.log(`\n${summaries.join('\n\n')}\n\nHTML reports: reports/mutation/<area>.html`);
process.exit(ok ? 0 : 1);
