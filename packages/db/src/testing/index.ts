export {
  type DatabaseBeforeMigration,
  databaseBeforeMigration,
} from './database-before-migration.ts';
export { publishedDefinitions, type TestDefinitions } from './published-definitions.ts';
export { rawGoal } from './raw-goal.ts';
export { type TableFingerprints, tableFingerprints } from './table-fingerprints.ts';
export {
  type CreateTestDatabaseOptions,
  createTestDatabase,
  dropStaleTestDatabases,
  ensureTemplateDatabase,
  type TestDatabase,
} from './test-database.ts';
export { truncateAll } from './truncate-all.ts';
