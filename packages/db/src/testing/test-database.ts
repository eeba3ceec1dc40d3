import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pgCode } from '../connection-errors.ts';
import { DEFAULT_DATABASE_URL, quoteIdent, withDatabaseName } from '../database-url.ts';
import { migrationsFingerprint, readMigrationFiles } from '../migrate/migration-files.ts';
import { migrate } from '../migrate/migrator.ts';

export interface TestDatabase {
  /** Connection URL of the fresh, migrated database. */
  url: string;
  name: string;
  /** Drops the database, closing whatever connections are still open on it. */
  drop(): Promise<void>;
}

// Serialises template builds across concurrent vitest runs sharing this server.
const TEMPLATE_LOCK_KEY = 72707370;
const OBJECT_IN_USE = '55006';
const TEST_NAME = /^test_(\d+)_\d+_[0-9a-f]+$/;

async function templateName(): Promise<string> {
  return `test_template_${migrationsFingerprint(await readMigrationFiles()).slice(0, 16)}`;
}

function serverUrl(): string {
  return process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

async function withAdmin<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({
    connectionString: withDatabaseName(serverUrl(), 'postgres'),
    application_name: 'challenges-test-setup',
  });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

/**
 * A migrated database per migrations fingerprint, used as TEMPLATE: cloning it (~50 ms) is much
 * cheaper than migrating every test file's database. Closed to connections once built, because
 * PostgreSQL refuses to clone a template anyone is connected to.
 */
export async function ensureTemplateDatabase(): Promise<string> {
  const name = await templateName();
  return withAdmin(async (admin) => {
    if (await templateReady(admin, name)) return touchTemplate(admin, name);
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
    try {
      if (await templateReady(admin, name)) return touchTemplate(admin, name);
      // Left half-built by a run that crashed: start over.
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
      await migrate({ databaseUrl: withDatabaseName(serverUrl(), name) });
      await admin.query(`ALTER DATABASE ${quoteIdent(name)} WITH ALLOW_CONNECTIONS false`);
      await admin.query(`ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE true`);
      return touchTemplate(admin, name);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK_KEY]);
    }
  });
}

// A template records when a run last used it: checkouts of other branches share this server,
// and the sweep must not drop a template another checkout is cloning from right now.
const USED_AT = /^used (\d+)$/;

async function touchTemplate(admin: pg.Client, name: string): Promise<string> {
  await admin.query(`COMMENT ON DATABASE ${quoteIdent(name)} IS 'used ${Date.now()}'`);
  return name;
}

async function templateReady(admin: pg.Client, name: string): Promise<boolean> {
  const { rows } = await admin.query<{ ready: boolean }>(
    'SELECT datistemplate AND NOT datallowconn AS ready FROM pg_database WHERE datname = $1',
    [name],
  );
  return rows[0]?.ready === true;
}

export interface CreateTestDatabaseOptions {
  /** An empty database instead of a migrated one (for testing the migrator itself). */
  empty?: boolean;
}

/** A fresh, uniquely named, migrated database for one test file. */
export async function createTestDatabase(
  options: CreateTestDatabaseOptions = {},
): Promise<TestDatabase> {
  const template = options.empty ? 'template0' : await ensureTemplateDatabase();
  const seconds = Math.floor(Date.now() / 1000);
  const name = `test_${seconds}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (admin) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${quoteIdent(name)} TEMPLATE ${quoteIdent(template)}`);
        return;
      } catch (error) {
        // Another session touching the template (e.g. a stale-database sweep): brief retry.
        if (pgCode(error) !== OBJECT_IN_USE || attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  });
  return {
    url: withDatabaseName(serverUrl(), name),
    name,
    drop: () =>
      withAdmin(async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      }),
  };
}

/**
 * Drops `test_<epoch>_…` databases older than maxAgeMs, left behind by crashed runs, and
 * templates of other migration sets that no run has used for maxAgeMs.
 */
export async function dropStaleTestDatabases(maxAgeMs = 3 * 60 * 60 * 1000): Promise<string[]> {
  const current = await templateName();
  return withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string; note: string | null }>(
      `SELECT datname, shobj_description(oid, 'pg_database') AS note
         FROM pg_database WHERE datname LIKE 'test\\_%'`,
    );
    const cutoff = Date.now() - maxAgeMs;
    const stale = rows
      .filter(({ datname: name, note }) => {
        if (name.startsWith('test_template_')) {
          const used = USED_AT.exec(note ?? '')?.[1];
          return name !== current && (used === undefined || Number(used) < cutoff);
        }
        const created = TEST_NAME.exec(name)?.[1];
        return created !== undefined && Number(created) * 1000 < cutoff;
      })
      .map((row) => row.datname);
    for (const name of stale) {
      if (name.startsWith('test_template_')) {
        await admin.query(`ALTER DATABASE ${quoteIdent(name)} WITH IS_TEMPLATE false`);
      }
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    }
    return stale;
  });
}
