// The test runner of the mutation areas (`vitest-retry`): StrykerJS 9.6's vitest runner with one
// change. That runner sometimes loses a mutant's run — the covering tests are collected but none
// executes — and scores the empty run Survived (stryker-js issues 6073 and 6213: under load, and
// with one vitest worker, which is how Stryker runs vitest). A lost run is sent again, up to
// three times in all; if it still runs no test it is an error, never a survivor. run-area.ts
// starts the runner processes with tsx so that they can load this file.
import {
  commonTokens,
  declareFactoryPlugin,
  type Injector,
  PluginKind,
  tokens,
} from '@stryker-mutator/api/plugin';
import {
  type MutantRunOptions,
  type MutantRunResult,
  MutantRunStatus,
  type TestRunner,
} from '@stryker-mutator/api/test-runner';
import { strykerPlugins as vitestPlugins } from '@stryker-mutator/vitest-runner';

const ATTEMPTS = 3;

/** Runs the mutant until a run executes one of its covering tests, at most ATTEMPTS times. */
export async function runUntilTested(
  options: Pick<MutantRunOptions, 'testFilter'>,
  run: () => Promise<MutantRunResult>,
): Promise<MutantRunResult> {
  const given = options.testFilter?.length ?? 0;
  for (let attempt = 1; ; attempt++) {
    const result = await run();
    const lost = given > 0 && result.status === MutantRunStatus.Survived && result.nrOfTests === 0;
    if (!lost) return result;
    if (attempt >= ATTEMPTS) {
      return {
        status: MutantRunStatus.Error,
        errorMessage: `none of the ${given} covering tests ran, ${ATTEMPTS} times in a row`,
      };
    }
  }
}

type VitestFactory = (injector: Injector) => TestRunner;
const vitest = vitestPlugins.find((plugin) => plugin.name === 'vitest');
if (!vitest) throw new Error('@stryker-mutator/vitest-runner no longer declares "vitest"');
const vitestFactory = vitest.factory as VitestFactory;

function createRetryingVitestRunner(injector: Injector): TestRunner {
  const inner = vitestFactory(injector);
  return {
    capabilities: () => inner.capabilities(),
    init: () => inner.init?.() ?? Promise.resolve(),
    dryRun: (options) => inner.dryRun(options),
    mutantRun: (options) => runUntilTested(options, () => inner.mutantRun(options)),
    dispose: () => inner.dispose?.() ?? Promise.resolve(),
  };
}
createRetryingVitestRunner.inject = tokens(commonTokens.injector);

export const strykerPlugins = [
  declareFactoryPlugin(PluginKind.TestRunner, 'vitest-retry', createRetryingVitestRunner),
];
