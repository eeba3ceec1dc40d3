import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from '../database-url.ts';
import {
  checksumMatches,
  DEFAULT_MIGRATIONS_DIR,
  type MigrationFile,
  readMigrationFiles,
} from './migration-files.ts';

/**
 * The advisory lock key `prisma migrate` takes on PostgreSQL: using the same one makes our
 * migrator and `prisma migrate deploy` exclude each other as well as concurrent starts.
 */
export const MIGRATION_LOCK_KEY = 72707369;

// Prisma's own DDL for its bookkeeping table, so `prisma migrate status|deploy` read our rows.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrateOptions {
  databaseUrl: string;
  log?: (line: string) => void;
  migrationsDir?: string;
}

export interface MigrateResult {
  /** Names of the migrations this call applied, in order. */
  applied: string[];
  /** How many were already applied before. */
  skipped: number;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Applies pending migrations in order, each in its own transaction, under the migrate lock. */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const files = await readMigrationFiles(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const client = new pg.Client({
    connectionString: options.databaseUrl,
    application_name: 'challenges-migrate',
  });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const { rows } = await client.query<AppliedRow>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at
           FROM "_prisma_migrations" ORDER BY started_at`,
      );
      const pending = pendingMigrations(files, rows, log);
      for (const file of pending) {
        log(`applying migration ${file.name}`);
        await applyOne(client, file);
      }
      if (pending.length === 0) log(`database is up to date (${files.length} migrations)`);
      return { applied: pending.map((file) => file.name), skipped: files.length - pending.length };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    if (error instanceof MigrationError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migrating ${redactUrl(options.databaseUrl)} failed: ${message}`, {
      cause: error,
    });
  } finally {
    await client.end();
  }
}

function pendingMigrations(
  files: readonly MigrationFile[],
  rows: readonly AppliedRow[],
  log: (line: string) => void,
): MigrationFile[] {
  const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    throw new MigrationError(
      `migration ${failed.migration_name} is recorded as failed in _prisma_migrations; fix the ` +
        `database and mark it with \`prisma migrate resolve\` before starting`,
    );
  }
  const applied = new Map(
    rows.filter((row) => row.rolled_back_at === null).map((row) => [row.migration_name, row]),
  );
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const row of applied.values()) {
    const file = byName.get(row.migration_name);
    if (!file) {
      // An older release running against a newer database: allowed, so rollbacks of the app work.
      log(`warning: migration ${row.migration_name} is applied but not known to this release`);
    } else if (!checksumMatches(file, row.checksum)) {
      throw new MigrationError(
        `migration ${file.name} was modified after it was applied (checksum ${file.checksum} ` +
          `!= ${row.checksum} in _prisma_migrations); add a new migration instead of editing it`,
      );
    }
  }
  return files.filter((file) => !applied.has(file.name));
}

async function applyOne(client: pg.Client, file: MigrationFile): Promise<void> {
  await client.query('BEGIN');
  try {
    const id = randomUUID();
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, clock_timestamp(), 0)`,
      [id, file.checksum, file.name],
    );
    // No parameters: pg sends a simple query, which runs a file of several statements.
    await client.query(file.sql);
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1
        WHERE id = $1`,
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    const message = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${file.name} failed and was rolled back: ${message}`, {
      cause: error,
    });
  }
}
