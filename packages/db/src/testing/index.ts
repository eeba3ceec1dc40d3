export {
  type CreateTestDatabaseOptions,
  createTestDatabase,
  dropStaleTestDatabases,
  ensureTemplateDatabase,
  type TestDatabase,
} from './test-database.ts';
export { truncateAll } from './truncate-all.ts';
