import { type MutantRunResult, MutantRunStatus } from '@stryker-mutator/api/test-runner';
import { describe, expect, it } from 'vitest';
import { runUntilTested } from './vitest-runner-retry.ts';

const lost: MutantRunResult = { status: MutantRunStatus.Survived, nrOfTests: 0 };
const survived: MutantRunResult = { status: MutantRunStatus.Survived, nrOfTests: 2 };
const killed: MutantRunResult = {
  status: MutantRunStatus.Killed,
  nrOfTests: 1,
  killedBy: ['t'],
  failureMessage: 'expected 1 to be 2',
};

/** A runner that answers the given results in turn; `runs` counts the runs it was asked for. */
function runner(...results: MutantRunResult[]) {
  const state = { runs: 0, run: async () => results[Math.min(state.runs++, results.length - 1)]! };
  return state;
}

describe('runUntilTested', () => {
  it('runs a mutant again when no covering test ran, and keeps the first real verdict', async () => {
    const r = runner(lost, lost, killed);
    expect(await runUntilTested({ testFilter: ['a', 'b'] }, r.run)).toEqual(killed);
    expect(r.runs).toBe(3);
  });

  it('reports an error, not a survivor, when three runs in a row ran no test', async () => {
    const r = runner(lost);
    expect(await runUntilTested({ testFilter: ['a', 'b'] }, r.run)).toEqual({
      status: MutantRunStatus.Error,
      errorMessage: 'none of the 2 covering tests ran, 3 times in a row',
    });
    expect(r.runs).toBe(3);
  });

  it('takes a survivor whose tests ran, or a run given no test filter, as it is', async () => {
    const ran = runner(survived, killed);
    expect(await runUntilTested({ testFilter: ['a'] }, ran.run)).toEqual(survived);
    const unfiltered = runner(lost, killed);
    expect(await runUntilTested({ testFilter: undefined }, unfiltered.run)).toEqual(lost);
    expect([ran.runs, unfiltered.runs]).toEqual([1, 1]);
  });
});
