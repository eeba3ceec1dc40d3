import { makeDefinitions, makeGoal } from '@challenges/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, createPrismaClient } from './client.ts';
import { pingDatabase } from './health.ts';
import { createLedgerProgressRepository } from './repositories/ledger-progress.repository.ts';
import { createTestDatabase, publishedDefinitions, type TestDatabase } from './testing/index.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('createPrismaClient', () => {
  it('reads through the shared pool what the repositories wrote', async () => {
    const pool = createPool({ databaseUrl: db.url });
    const prisma = createPrismaClient(pool);
    try {
      const at = new Date('2026-03-01T10:00:00.123Z');
      // g1 is not in the definitions: the row is stored as given (p0 = its progress).
      const definitions = makeDefinitions([makeGoal({ goalId: 'unrelated' })]);
      const live = await publishedDefinitions(prisma, definitions);
      await createLedgerProgressRepository(pool, { definitions: live }).insertMissing([
        {
          userId: 'u1',
          goalId: 'g1',
          challengeId: 'c1',
          progress: 3,
          status: 'in_progress',
          completedAt: null,
          claimedAt: null,
          isActive: true,
          assignedAt: at,
          expiresAt: null,
          baseline: 1.5,
          periodKey: null,
          lastIncrementDay: null,
          reopenedAt: null,
          updatedAt: at,
        },
      ]);
      const row = await prisma.goalProgress.findUnique({
        where: { userId_goalId: { userId: 'u1', goalId: 'g1' } },
        select: { progress: true, status: true, assignedAt: true, baseline: true },
      });
      expect(row).toEqual({ progress: 3, status: 'in_progress', assignedAt: at, baseline: 1.5 });
    } finally {
      await prisma.$disconnect();
      await pool.end();
    }
  });
});

describe('pingDatabase', () => {
  it('answers ok when PostgreSQL answers', async () => {
    const pool = createPool({ databaseUrl: db.url });
    try {
      expect(await pingDatabase(pool)).toMatchObject({ ok: true });
    } finally {
      await pool.end();
    }
  });

  it('fails within its timeout when no connection becomes free', async () => {
    const pool = createPool({ databaseUrl: db.url, max: 1 });
    const held = await pool.connect();
    try {
      const result = await pingDatabase(pool, 100);
      expect(result).toMatchObject({ ok: false, error: 'postgres: no answer within 100 ms' });
      expect(result.latencyMs).toBeLessThan(1000);
    } finally {
      held.release();
      await pool.end();
    }
  });

  it('reports an unreachable server', async () => {
    const pool = createPool({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/none' });
    try {
      const result = await pingDatabase(pool);
      expect(result.ok).toBe(false);
      expect(result.error).toMatch(/^postgres: /);
    } finally {
      await pool.end();
    }
  });
});

describe('createPool statement_timeout', () => {
  it('cancels a statement that runs longer than statementTimeoutMs', async () => {
    const pool = createPool({ databaseUrl: db.url, statementTimeoutMs: 200 });
    try {
      const started = performance.now();
      await expect(pool.query('SELECT pg_sleep(5)')).rejects.toMatchObject({ code: '57014' });
      expect(performance.now() - started).toBeLessThan(4000);
      // The connection survives the cancel and serves the next query.
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  it('has a 30 s default, and 0 turns it off', async () => {
    const setting = async (options: { statementTimeoutMs?: number }) => {
      const pool = createPool({ databaseUrl: db.url, ...options });
      try {
        return (await pool.query('SHOW statement_timeout')).rows[0].statement_timeout;
      } finally {
        await pool.end();
      }
    };
    expect(await setting({})).toBe('30s');
    expect(await setting({ statementTimeoutMs: 0 })).toBe('0');
  });
});

describe('createPool namedStatements', () => {
  // What the server prepared on the one connection of the pool, after a named read ran on it.
  async function preparedAfterNamedRead(namedStatements: boolean): Promise<string[]> {
    const pool = createPool({ databaseUrl: db.url, max: 1, namedStatements });
    try {
      const read = { name: 'test.named_read.v1', text: 'SELECT $1::int + 1 AS n', values: [41] };
      expect((await pool.query(read)).rows).toEqual([{ n: 42 }]);
      expect((await pool.query(read)).rows).toEqual([{ n: 42 }]);
      const { rows } = await pool.query<{ name: string }>(
        'SELECT name FROM pg_prepared_statements ORDER BY name',
      );
      return rows.map((r) => r.name);
    } finally {
      await pool.end();
    }
  }

  it('prepares a named statement once per connection by default', async () => {
    expect(await preparedAfterNamedRead(true)).toEqual(['test.named_read.v1']);
  });

  it('sends every statement unnamed when off, so no connection holds a prepared one', async () => {
    expect(await preparedAfterNamedRead(false)).toEqual([]);
  });
});
