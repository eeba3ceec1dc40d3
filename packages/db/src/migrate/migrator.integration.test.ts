import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseNameOf, withDatabaseName } from '../database-url.ts';
import { createTestDatabase, type TestDatabase } from '../testing/index.ts';
import { ensureDatabase } from './ensure-database.ts';
import { DEFAULT_MIGRATIONS_DIR, readMigrationFiles, sha256Hex } from './migration-files.ts';
import { migrate } from './migrator.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function emptyDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase({ empty: true });
  cleanups.push(() => db.drop());
  return db;
}

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

describe('migrate', () => {
  it('applies every migration once; a second run applies nothing', async () => {
    const db = await emptyDatabase();
    const names = (await readMigrationFiles()).map((file) => file.name);
    const lines: string[] = [];
    expect(await migrate({ databaseUrl: db.url, log: (line) => lines.push(line) })).toEqual({
      applied: names,
      skipped: 0,
    });
    expect(lines).toContain(`applying migration ${names[0]}`);
    expect(await migrate({ databaseUrl: db.url })).toEqual({ applied: [], skipped: names.length });
    const rows = await query(db.url, 'SELECT migration_name FROM _prisma_migrations');
    expect(rows).toHaveLength(names.length);
  });

  it('records rows the way Prisma does, so `prisma migrate deploy` sees them as applied', async () => {
    const db = await emptyDatabase();
    await migrate({ databaseUrl: db.url });
    const columns = await query(
      db.url,
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => Object.values(c).join(' '))).toEqual([
      'id character varying NO',
      'checksum character varying NO',
      'finished_at timestamp with time zone YES',
      'migration_name character varying NO',
      'logs text YES',
      'rolled_back_at timestamp with time zone YES',
      'started_at timestamp with time zone NO',
      'applied_steps_count integer NO',
    ]);
    const [file] = await readMigrationFiles();
    const [row] = await query<Record<string, unknown>>(db.url, 'SELECT * FROM _prisma_migrations');
    const bytes = await readFile(join(DEFAULT_MIGRATIONS_DIR, file!.name, 'migration.sql'));
    expect(row).toMatchObject({
      checksum: sha256Hex(bytes),
      migration_name: file!.name,
      logs: null,
      rolled_back_at: null,
      applied_steps_count: 1,
    });
    expect(row?.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(row?.finished_at).toBeInstanceOf(Date);
    expect((row?.finished_at as Date) >= (row?.started_at as Date)).toBe(true);
  });

  it('two processes starting at once apply each migration exactly once', async () => {
    const db = await emptyDatabase();
    const results = await Promise.all([
      migrate({ databaseUrl: db.url }),
      migrate({ databaseUrl: db.url }),
      migrate({ databaseUrl: db.url }),
    ]);
    const files = await readMigrationFiles();
    expect(results.flatMap((result) => result.applied).sort()).toEqual(files.map((f) => f.name));
    const rows = await query(db.url, 'SELECT 1 FROM _prisma_migrations');
    expect(rows).toHaveLength(files.length);
  });

  it('refuses to start when an applied migration file was edited', async () => {
    const db = await emptyDatabase();
    const dir = await copyOfMigrations();
    await migrate({ databaseUrl: db.url, migrationsDir: dir });
    const [file] = await readMigrationFiles(dir);
    const path = join(dir, file!.name, 'migration.sql');
    await writeFile(path, `${await readFile(path, 'utf8')}\n-- sneaky edit\n`);
    await expect(migrate({ databaseUrl: db.url, migrationsDir: dir })).rejects.toThrow(
      `migration ${file!.name} was modified after it was applied`,
    );
  });

  it('rolls a failing migration back completely and applies nothing of it', async () => {
    const db = await emptyDatabase();
    const dir = await copyOfMigrations();
    await mkdir(join(dir, '99990101000000_broken'));
    await writeFile(
      join(dir, '99990101000000_broken', 'migration.sql'),
      'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n',
    );
    await expect(migrate({ databaseUrl: db.url, migrationsDir: dir })).rejects.toThrow(
      /migration 99990101000000_broken failed and was rolled back: .*no_such_function/,
    );
    const tables = await query(db.url, `SELECT to_regclass('half_done') IS NULL AS gone`);
    expect(tables).toEqual([{ gone: true }]);
    const names = await query(db.url, 'SELECT migration_name FROM _prisma_migrations');
    expect(names.map((row) => row.migration_name)).toEqual(
      (await readMigrationFiles()).map((f) => f.name),
    );
  });

  it('refuses to start over a migration Prisma recorded as failed', async () => {
    const db = await emptyDatabase();
    await migrate({ databaseUrl: db.url });
    await query(
      db.url,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs)
       VALUES ('00000000-0000-4000-8000-000000000000', 'x', '20990101000000_manual', 'boom')`,
    );
    await expect(migrate({ databaseUrl: db.url })).rejects.toThrow(
      /20990101000000_manual is recorded as failed/,
    );
  });
});

describe('ensureDatabase', () => {
  it('creates a missing database once, even when two callers race', async () => {
    const { url } = await emptyDatabase();
    const name = `${databaseNameOf(url)}_x`;
    const target = withDatabaseName(url, name);
    cleanups.push(() =>
      query(withDatabaseName(url, 'postgres'), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    );
    const created = await Promise.all([
      ensureDatabase({ databaseUrl: target }),
      ensureDatabase({ databaseUrl: target }),
    ]);
    expect(created.sort()).toEqual([false, true]);
    expect(await ensureDatabase({ databaseUrl: target })).toBe(false);
    expect(await query(target, 'SELECT current_database() AS db')).toEqual([{ db: name }]);
  });
});
