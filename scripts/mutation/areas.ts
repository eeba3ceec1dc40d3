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
      'apps/api/src/application/claim-goal.ts',
      'packages/db/src/repositories/claim-transaction.ts',
      // withClaimTransaction: the goal row's half of the claim on the stat-ledger model.
      'packages/db/src/repositories/ledger-progress.repository.ts:247-289',
      'packages/core/src/claim/check-claim.ts',
    ],
    tests: [
      'packages/core/src/claim/check-claim*.test.ts',
      'packages/db/src/repositories/claim-transaction.integration.test.ts',
      'apps/api/src/rest/player-claim.integration.test.ts',
      'apps/api/src/rest/player-data-deletion.integration.test.ts',
    ],
    integration: true,
    minScore: 0,
    critical: true,
    explained: explainedMutants.claim,
  },
  {
    name: 'events',
    mutate: [
      // The batch on the stat-ledger model: the transaction (its statements, through
      // applyLedgerBatch and lastPerRow; the api's reads and mutations are left out but
      // lockPlayer, the fence's check for them), the statements prepared per connection and the
      // connection they run on (onConnection), the definitions fence, the ledger rules it runs,
      // and the processor. Line ranges: update them when the file changes.
      'packages/db/src/repositories/ledger.repository.ts:1-326',
      'packages/db/src/repositories/ledger.repository.ts:347-411',
      'packages/db/src/repositories/ledger.repository.ts:479-484',
      'packages/db/src/prepared-sql.ts',
      'packages/db/src/transaction.ts:4-38',
      'packages/db/src/repositories/definitions-fence.ts',
      'packages/core/src/ledger/advance-ledger.ts',
      'packages/core/src/ledger/apply-batch-to-ledger.ts',
      'apps/worker/src/processors/apply-events.ts',
      'apps/worker/src/partition-consumer.ts',
      'apps/worker/src/queues.ts',
    ],
    tests: [
      'packages/core/src/ledger/ledger-*.test.ts',
      'packages/db/src/repositories/event.repository.integration.test.ts',
      'packages/db/src/repositories/ledger.repository.integration.test.ts',
      'packages/db/src/repositories/ledger-publish.integration.test.ts',
      'packages/db/src/repositories/ledger-batch.integration.test.ts',
      'packages/db/src/repositories/ledger-round-trips.integration.test.ts',
      'packages/db/src/prepared-sql.integration.test.ts',
      'packages/db/src/repositories/definitions-fence.test.ts',
      'apps/worker/src/processors/apply-events.integration.test.ts',
      'apps/worker/src/apply-events.integration.test.ts',
      'apps/worker/src/partition-consumer.integration.test.ts',
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
    // The checks themselves: player tokens, the CSRF rule, the session cookie, ingest keys,
    // passwords and the credential check. The sign-in limiter (login-limiter.ts, tested in
    // login-limiter and sign-in-limits), client-address parsing and the wiring are left out:
    // on the shared 2-core machine the whole folder takes over an hour.
    mutate: [
      'apps/api/src/auth/player-auth.ts',
      'apps/api/src/auth/same-origin.ts',
      'apps/api/src/auth/dashboard-session.ts',
      'apps/api/src/auth/ingest-api-keys.ts',
      'apps/api/src/auth/passwords.ts',
      'apps/api/src/auth/sign-in.ts',
    ],
    tests: [
      'apps/api/src/auth/*.test.ts',
      'apps/api/src/trpc/dashboard-auth.integration.test.ts',
      'apps/api/src/trpc/api-keys.integration.test.ts',
      'apps/api/src/trpc/csrf.integration.test.ts',
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
