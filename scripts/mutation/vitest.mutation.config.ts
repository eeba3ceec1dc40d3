// The vitest config Stryker runs: only the tests of one mutation area (MUTATION_AREA), so each
// mutant runs what can kill it and nothing else.
import { defineConfig } from 'vitest/config';
import { findArea } from './areas.ts';

// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by run-area.ts for Stryker's runners.
const areaName = process.env.MUTATION_AREA ?? '';
const area = findArea(areaName);
if (!area) throw new Error(`MUTATION_AREA must name a mutation area, got "${areaName}"`);

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: area.tests,
    exclude: ['**/node_modules/**'],
    ...(area.integration
      ? {
          globalSetup: ['packages/db/src/testing/global-setup.ts'],
          setupFiles: ['scripts/mutation/child-mutant-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        }
      : // Instrumented code runs several times slower; the 10,000-goal parse needs the room.
        { testTimeout: 30_000 }),
  },
});
