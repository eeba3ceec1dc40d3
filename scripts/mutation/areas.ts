// What each mutation-testing area mutates and which tests must kill it. Kept narrow: the
// integration areas run their tests against the real PostgreSQL and Redis once per mutant.
import { type ExplainedMutant, explainedMutants } from './explained-mutants.ts';

export interface MutationArea {
  name: string;
  /** Source files Stryker mutates (globs, relative to the repo root). */
  mutate: string[];
  /** The test files that run against each mutant (globs). */
  tests: string[];
  /** Integration tests need the database global setup and longer timeouts. */
  integration: boolean;
  /** Below this score (%) the run fails. */
  minScore: number;
  /** A critical path: every survivor must be killed or explained, or the run fails. */
  critical: boolean;
  /** Survivors that are not worth killing, each with its reason (shown in every run). */
  explained: ExplainedMutant[];
}

const notTests = ['!**/*.test.ts', '!**/testing/**'];

export const areas: MutationArea[] = [
  {
    name: 'core',
    mutate: ['packages/core/src/**/*.ts', '!packages/core/src/index.ts', ...notTests],
    tests: ['packages/core/src/**/*.test.ts'],
    integration: false,
    minScore: 85,
    critical: false,
    explained: explainedMutants.core,
  },
  {
    name: 'claim',
    mutate: [
      'packages/db/src/repositories/claim-transaction.ts',
      'packages/core/src/claim/check-claim.ts',
    ],
    tests: [
      'packages/core/src/claim/check-claim.test.ts',
      'packages/db/src/repositories/claim-transaction.integration.test.ts',
      'apps/api/src/rest/player-claim.integration.test.ts',
    ],
    integration: true,
    minScore: 0,
    critical: true,
    explained: explainedMutants.claim,
  },
  {
    name: 'events',
    mutate: [
      'packages/db/src/repositories/event.repository.ts',
      'apps/worker/src/processors/event-effects.ts',
      'apps/worker/src/processors/apply-events.ts',
    ],
    tests: [
      'apps/worker/src/processors/event-effects.test.ts',
      'packages/db/src/repositories/event.repository.integration.test.ts',
      'apps/worker/src/apply-events.integration.test.ts',
    ],
    integration: true,
    minScore: 0,
    critical: true,
    explained: explainedMutants.events,
  },
  {
    name: 'rewards',
    mutate: [
      'packages/runtime/src/rewards/reward-delivery.ts',
      'packages/runtime/src/rewards/backoff.ts',
      'packages/runtime/src/rewards/webhook-provider.ts',
      'packages/db/src/repositories/reward-delivery.repository.ts',
    ],
    tests: [
      'packages/runtime/src/rewards/*.test.ts',
      'packages/db/src/repositories/reward-delivery.repository.integration.test.ts',
      'apps/api/src/rewards/inline-delivery.integration.test.ts',
    ],
    integration: true,
    minScore: 0,
    critical: true,
    explained: explainedMutants.rewards,
  },
  {
    name: 'hot-reload',
    mutate: ['packages/runtime/src/database-definitions-source.ts'],
    tests: ['packages/runtime/src/database-definitions-source.integration.test.ts'],
    integration: true,
    minScore: 0,
    critical: true,
    explained: explainedMutants['hot-reload'],
  },
  {
    name: 'auth',
    mutate: ['apps/api/src/auth/*.ts', ...notTests],
    tests: [
      'apps/api/src/auth/*.test.ts',
      'apps/api/src/trpc/dashboard-auth.integration.test.ts',
      'apps/api/src/trpc/api-keys.integration.test.ts',
    ],
    integration: true,
    minScore: 0,
    critical: true,
    explained: explainedMutants.auth,
  },
];

export function findArea(name: string): MutationArea | undefined {
  return areas.find((area) => area.name === name);
}
