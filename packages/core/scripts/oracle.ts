/**
 * `npm run test:oracle -w @challenges/core [-- --runs 20000 --seed 42]`: the oracle property
 * test of the ledger model (src/ledger/ledger-oracle.property.test.ts) at any size and seed,
 * for a deeper look than the unit suite's fixed 1,000 sequences. Prints the seed to replay.
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { scenarioArb } from '../src/testing/ledger-arbitraries.ts';
import { runScenario } from '../src/testing/oracle-sequence.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '10000' }, seed: { type: 'string' } },
});
const runs = Number(values.runs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  console.error('usage: oracle.ts [--runs <n>] [--seed <integer>]');
  process.exit(2);
}

const totals: Record<string, number> = {};
const started = performance.now();
console.log(`oracle property test: ${runs} sequences, seed ${seed}`);
const result = fc.check(
  fc.property(scenarioArb, (scenario) => {
    for (const [key, n] of Object.entries(runScenario(scenario)))
      totals[key] = (totals[key] ?? 0) + n;
  }),
  { numRuns: runs, seed },
);
if (result.failed) {
  const [scenario] = result.counterexample ?? [];
  const error =
    result.errorInstance instanceof Error ? result.errorInstance.message : result.errorInstance;
  console.error(`failed after ${result.numRuns} sequences (seed ${seed}), shrunk to:`);
  if (scenario) {
    const { definitions, ...rest } = scenario;
    console.error(JSON.stringify({ goals: [...definitions.goalsById.values()], ...rest }, null, 1));
  }
  console.error(String(error));
  process.exit(1);
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(`passed in ${seconds} s`, totals);
