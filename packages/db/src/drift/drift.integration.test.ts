import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/index.ts';
import { compareSchemas } from './compare-schemas.ts';
import { readDatabaseSchema } from './database-schema.ts';
import { parsePrismaSchema } from './prisma-schema.ts';

const schemaPath = new URL('../../prisma/schema.prisma', import.meta.url);

describe('migrations vs schema.prisma', () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('the migrated database has exactly the tables, columns and indexes of schema.prisma', async () => {
    const expected = parsePrismaSchema(await readFile(schemaPath, 'utf8'));
    expect(expected.map((table) => table.name)).toEqual([
      'goal_progress',
      'stat_ledger',
      'reward_grants',
      'reward_grant_events',
      'mock_reward_receipts',
      'applied_event_batches',
      'event_dedup',
      'definition_versions',
      'definition_draft',
      'definition_state',
      'definition_audit',
      'scheduled_publish',
      'dashboard_users',
      'ingest_api_keys',
      'load_test_runs',
      'player_attributes',
      'webhooks',
      'webhook_deliveries',
    ]);
    expect(compareSchemas(expected, await readDatabaseSchema(client))).toEqual([]);
  });

  it('goal_progress and stat_ledger are hash-partitioned on user_id into 8 partitions', async () => {
    const { rows } = await client.query<{ strategy: string; key: string; partitions: number }>(
      `SELECT p.partrelid::regclass::text AS table, p.partstrat AS strategy,
              pg_get_partkeydef(p.partrelid) AS key,
              (SELECT count(*)::int FROM pg_inherits i WHERE i.inhparent = p.partrelid) AS partitions
         FROM pg_partitioned_table p ORDER BY 1`,
    );
    expect(rows).toEqual(
      ['goal_progress', 'stat_ledger'].map((table) => ({
        table,
        strategy: 'h',
        key: 'HASH (user_id)',
        partitions: 8,
      })),
    );
  });

  it('the candidate and audience indexes are partial on active rows (Prisma cannot say so)', async () => {
    const { rows } = await client.query<{ name: string; predicate: string | null }>(
      `SELECT c.relname AS name, pg_get_expr(i.indpred, i.indrelid) AS predicate
         FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = 'goal_progress'::regclass AND i.indpred IS NOT NULL ORDER BY 1`,
    );
    expect(rows).toEqual([
      { name: 'goal_progress_audience_idx', predicate: 'is_active' },
      { name: 'goal_progress_period_idx', predicate: 'is_active' },
    ]);
  });

  it('leaves free space on the pages of goal_progress and stat_ledger (HOT updates)', async () => {
    const { rows } = await client.query<{ name: string; options: string[] | null }>(
      `SELECT c.relname AS name, c.reloptions AS options FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent IN ('goal_progress'::regclass, 'stat_ledger'::regclass) ORDER BY 1`,
    );
    expect(rows).toHaveLength(16);
    for (const row of rows) expect(row, row.name).toMatchObject({ options: ['fillfactor=80'] });
  });

  it('notices a database changed behind the schema', async () => {
    await client.query('ALTER TABLE reward_grants ADD COLUMN note text');
    await client.query('CREATE INDEX reward_grants_goal_id_idx ON reward_grants (goal_id)');
    const expected = parsePrismaSchema(await readFile(schemaPath, 'utf8'));
    expect(compareSchemas(expected, await readDatabaseSchema(client))).toEqual([
      'table reward_grants: column note not in schema.prisma',
      'table reward_grants: index reward_grants_goal_id_idx (goal_id) not in schema.prisma',
    ]);
  });
});
