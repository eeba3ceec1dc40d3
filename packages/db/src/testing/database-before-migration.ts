import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DEFAULT_MIGRATIONS_DIR, readMigrationFiles } from '../migrate/migration-files.ts';
import { migrate } from '../migrate/migrator.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export interface DatabaseBeforeMigration {
  db: TestDatabase;
  /** A connected client on `db`. */
  client: pg.Client;
  /** Ends the client and drops the database. */
  close(): Promise<void>;
}

/**
 * A fresh database migrated up to, not including, `migration`: for a test of that migration
 * over rows the older schema wrote (it then runs `migrate({ databaseUrl: db.url })`).
 */
export async function databaseBeforeMigration(migration: string): Promise<DatabaseBeforeMigration> {
  const db = await createTestDatabase({ empty: true });
  const before = await mkdtemp(join(tmpdir(), 'migrations-before-'));
  try {
    for (const file of await readMigrationFiles()) {
      if (file.name >= migration) break;
      await cp(join(DEFAULT_MIGRATIONS_DIR, file.name), join(before, file.name), {
        recursive: true,
      });
    }
    await migrate({ databaseUrl: db.url, migrationsDir: before });
  } catch (error) {
    await db.drop();
    throw error;
  } finally {
    await rm(before, { recursive: true, force: true });
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  return {
    db,
    client,
    async close() {
      await client.end();
      await db.drop();
    },
  };
}
