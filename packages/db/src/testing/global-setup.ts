import { dropStaleTestDatabases, ensureTemplateDatabase } from './test-database.ts';

/** vitest globalSetup of the integration project: one template build per run, not per file. */
export async function setup(): Promise<void> {
  await dropStaleTestDatabases();
  await ensureTemplateDatabase();
}
