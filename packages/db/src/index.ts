/**
 * The only package that talks to PostgreSQL. Two clients, one pool (client.ts):
 *
 * - **pg** for the measured hot paths: progress reads and writes (list, initialize, select),
 *   event apply and the claim transaction, and the reward delivery loop. Prisma's `findMany`
 *   costs about 3× the CPU of the same query through pg (1.7 ms vs 0.55 ms for 100 rows,
 *   measured on the target machine kind), and these paths run set-based SQL (`unnest`, `ON CONFLICT`, CTEs
 *   with `FOR UPDATE SKIP LOCKED`) that Prisma cannot express.
 * - **Prisma Client** for the dashboard-side CRUD, where a call a second is a lot and typed
 *   queries beat hand-written SQL: dashboard users, ingest API keys, the definition store's
 *   reads (its writes go through pg: the live switch re-anchors goal rows in its transaction),
 *   load-test runs and the reward grant listing.
 *
 * Either way a repository returns core's or its own plain types, never Prisma's models, so a
 * caller cannot tell which client served it. The table shapes live in prisma/migrations (SQL);
 * schema.prisma mirrors them, which the drift test checks.
 */
export {
  type CreatePoolOptions,
  createPool,
  createPrismaClient,
  type DatabasePool,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  type PrismaClient,
} from './client.ts';
export { redactUrl } from './database-url.ts';
export { type PingResult, pingDatabase } from './health.ts';
export { type EnsureDatabaseOptions, ensureDatabase } from './migrate/ensure-database.ts';
export {
  type MigrateOptions,
  type MigrateResult,
  MigrationError,
  migrate,
} from './migrate/migrator.ts';
export { openDatabase } from './migrate/open-database.ts';
export {
  type ClaimTransaction,
  DuplicateRewardGrantError,
} from './repositories/claim-transaction.ts';
export {
  createDashboardUserRepository,
  type DashboardRole,
  type DashboardUser,
  type DashboardUserRepository,
  type DashboardUserWithHash,
  normalizeEmail,
} from './repositories/dashboard-user.repository.ts';
export {
  contentChecksum,
  createDefinitionRepository,
  type DefinitionRepository,
} from './repositories/definition.repository.ts';
export {
  type AuditFilter,
  DEFINITION_AUDIT_ACTIONS,
  type DefinitionAuditAction,
  type DefinitionAuditEntry,
  type DefinitionDraft,
  type DefinitionVersion,
  type DefinitionVersionInfo,
  DraftConflictError,
  type DraftStamp,
  type LiveDefinitions,
  type PublishedVersion,
  type PublishInput,
  type RollbackInput,
  type SaveDraftInput,
} from './repositories/definition.types.ts';
export {
  StaleDefinitionsError,
  type VersionedDefinitions,
} from './repositories/definitions-fence.ts';
export {
  createEventRepository,
  DEDUP_WINDOW_SECONDS,
  type EventBatchRef,
  type EventRepository,
  type HousekeepingResult,
} from './repositories/event.repository.ts';
export {
  createGoalStatsRepository,
  type GoalStats,
  type GoalStatsRepository,
} from './repositories/goal-stats.repository.ts';
export {
  createIngestApiKeyRepository,
  type IngestApiKey,
  type IngestApiKeyRepository,
} from './repositories/ingest-api-key.repository.ts';
export {
  createLedgerRepository,
  type LedgerRepository,
} from './repositories/ledger.repository.ts';
export type {
  LedgerBatchInput,
  LedgerBatchOutcome,
  LedgerScanKey,
} from './repositories/ledger-batch.ts';
export type { PlayerLedgerRows } from './repositories/ledger-player.ts';
export {
  createLedgerProgressRepository,
  type LedgerProgressOptions,
} from './repositories/ledger-progress.repository.ts';
export {
  createLoadTestRunRepository,
  type LoadTestProgress,
  type LoadTestRun,
  type LoadTestRunRepository,
  type LoadTestRunStatus,
  type LoadTestRunSummary,
} from './repositories/load-test-run.repository.ts';
export {
  createPlayerAttributesRepository,
  type PlayerAttributesRepository,
} from './repositories/player-attributes.repository.ts';
export {
  createPlayerErasureRepository,
  ERASED_BEFORE_DELIVERY,
  type ErasePlayerInput,
  type ErasePlayerResult,
  type PlayerErasureRepository,
} from './repositories/player-erasure.repository.ts';
export {
  createPlayerHistoryRepository,
  type PlayerHistoryRepository,
  type PlayerTimelineCursor,
  type PlayerTimelineEntry,
  type PlayerTimelineKind,
} from './repositories/player-history.repository.ts';
export type { ProgressRepository } from './repositories/progress.repository.ts';
export {
  type AttemptResult,
  createRewardDeliveryRepository,
  type RewardDeliveryRepository,
} from './repositories/reward-delivery.repository.ts';
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
export {
  createRewardGrantListing,
  type ListGrantsInput,
  type RewardGrantEvent,
  type RewardGrantListing,
} from './repositories/reward-grant-listing.repository.ts';
export * from './repositories/scheduled-publish.repository.ts';
export {
  createTestPlayerRepository,
  type RemovedTestPlayers,
  type TestPlayerRepository,
} from './repositories/test-players.repository.ts';
export {
  createVariantFunnelRepository,
  type VariantFunnelRepository,
  type VariantFunnelRow,
} from './repositories/variant-funnel.repository.ts';
export {
  createWebhookRepository,
  type DueWebhookDelivery,
  type Webhook,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
  type WebhookRepository,
} from './repositories/webhook.repository.ts';
export {
  createWebhookDeliveryRepository,
  type WebhookAttemptResult,
  type WebhookDeliveryRepository,
} from './repositories/webhook-delivery.repository.ts';
export { insertWebhookOutbox, subscribedWebhookTypes } from './repositories/webhook-outbox.ts';
export { isTransientDatabaseError } from './transient-error.ts';
