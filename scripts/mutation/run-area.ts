// Runs Stryker on one mutation area (argv[2]) in this process; `run.ts` starts one per area.
import { Stryker } from '@stryker-mutator/core';
import { findArea } from './areas.ts';

const area = findArea(process.argv[2] ?? '');
if (!area) throw new Error(`unknown mutation area ${process.argv[2]}`);
const incremental = process.argv.includes('--incremental');
const withStatic = process.argv.includes('--static');
// `--mutate <file[:lines],...>`: a spot check of part of the area, reported as <area>.partial.
const mutateFlag = process.argv.indexOf('--mutate');
const mutate = mutateFlag === -1 ? area.mutate : process.argv[mutateFlag + 1]!.split(',');
// `--concurrency <n>`: test runner processes (default 1 for integration areas, 2 otherwise).
const concurrencyFlag = process.argv.indexOf('--concurrency');
const concurrency =
  concurrencyFlag === -1 ? (area.integration ? 1 : 2) : Number(process.argv[concurrencyFlag + 1]);
// `--timeout-ms <ms>`: the time a mutant may take beyond its tests' own before it counts as a
// timeout (detected). Under load a surviving mutant that runs core's 1,000-sequence oracle
// property test can exceed the default and pass for detected; a longer one tells them apart.
const timeoutFlag = process.argv.indexOf('--timeout-ms');
const timeoutMS =
  timeoutFlag === -1 ? (area.integration ? 20_000 : 5_000) : Number(process.argv[timeoutFlag + 1]);
process.env.MUTATION_AREA = area.name;

const out = `reports/mutation/${area.name}${mutateFlag === -1 ? '' : '.partial'}`;
await new Stryker({
  // The vitest runner, with lost runs (no covering test executed) sent again instead of being
  // scored Survived (vitest-runner-retry.ts). Every Stryker process loads the plugins, the
  // (idle) checker's too: both load that TypeScript file with tsx.
  testRunner: 'vitest-retry',
  plugins: ['@stryker-mutator/vitest-runner', './scripts/mutation/vitest-runner-retry.ts'],
  testRunnerNodeArgs: ['--import', 'tsx'],
  checkerNodeArgs: ['--import', 'tsx'],
  vitest: { configFile: 'scripts/mutation/vitest.mutation.config.ts', related: false },
  mutate,
  coverageAnalysis: 'perTest',
  // Static mutants (module-level code such as zod schemas) rerun every test of the area with a
  // fresh module graph: 30 % of core's mutants but 95 % of its run time. They are listed as
  // "Ignored" in the report unless `--static` is given.
  ignoreStatic: !withStatic,
  // Nothing type-checks during the run (vitest strips types), so leave every other file alone.
  disableTypeChecks: false,
  // The workspace packages are symlinks into this checkout: a sandbox copy would leave every
  // cross-package import (`@challenges/core` from db, db from the worker) unmutated.
  inPlace: true,
  // Integration tests share one machine with PostgreSQL and Redis; one runner keeps timings sane.
  concurrency,
  timeoutMS,
  reporters: ['html', 'json', 'progress-append-only'],
  htmlReporter: { fileName: `${out}.html` },
  jsonReporter: { fileName: `${out}.json` },
  incremental,
  incrementalFile: `${out}.incremental.json`,
  thresholds: { high: 95, low: area.minScore, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
}).runMutationTest();
