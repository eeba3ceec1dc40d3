export {
  type CreatePoolOptions,
  type CreatePrismaClientOptions,
  createPool,
  createPrismaClient,
  type PrismaClient,
} from './client.ts';
export { DEFAULT_DATABASE_URL, redactUrl } from './database-url.ts';
export { type PingResult, pingDatabase } from './health.ts';
export { type EnsureDatabaseOptions, ensureDatabase } from './migrate/ensure-database.ts';
export {
  type MigrateOptions,
  type MigrateResult,
  MigrationError,
  migrate,
} from './migrate/migrator.ts';
export {
  type ClaimTransaction,
  DuplicateRewardGrantError,
} from './repositories/claim-transaction.ts';
export {
  createProgressRepository,
  type ProgressRepository,
} from './repositories/progress.repository.ts';
export {
  createRewardGrantRepository,
  type MockReceiptInput,
  type RewardGrantRepository,
} from './repositories/reward-grant.repository.ts';
export type {
  RewardGrant,
  RewardGrantInput,
  RewardGrantStatus,
} from './repositories/reward-grant.types.ts';
