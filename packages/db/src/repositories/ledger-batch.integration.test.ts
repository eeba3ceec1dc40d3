import { activateAssignment, parseDefinitions, type StatLedger } from '@challenges/core';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../client.ts';
import { rawGoal as goal } from '../testing/index.ts';
import { usePublishedDefinitions, useTestDatabase } from '../testing/vitest.ts';
import { FENCED_BEGIN } from './definitions-fence.ts';
import { createLedgerRepository, type LedgerRepository } from './ledger.repository.ts';
import { lockPlayer } from './ledger-player.ts';
import { createLedgerProgressRepository } from './ledger-progress.repository.ts';

// The stat-ledger batch and lockPlayer one step at a time (the random sequences against the
// oracle are ledger.repository.integration.test.ts): what a batch hands its advance() and apply()
// and returns, its candidate scan per reading, and the locks, seen from another connection — a
// batch locks its ledger rows in one order whatever order its keys come in (two batches never
// deadlock), and lockPlayer really holds every key's row and the goal rows when it returns.

const database = useTestDatabase({ max: 4 });
const definitions = parseDefinitions({
  challenges: [
    {
      challengeId: 'c1',
      name: 'c1',
      description: 'c1',
      goals: [
        goal('g', { statCode: 'kills', targetValue: 1 }),
        goal(
          'days',
          { statCode: 'score', targetValue: 3, progressMode: 'increment' },
          { type: 'increment', daily: true },
        ),
      ],
    },
  ],
});
const live = usePublishedDefinitions(database, definitions);
let pool: pg.Pool;
let repo: LedgerRepository;

beforeAll(() => {
  pool = database.pool;
  repo = createLedgerRepository(pool);
});

/** Until `n` sessions of this database wait for a lock. */
async function lockWaiters(n: number) {
  for (;;) {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (rows[0]!.n >= n) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Whether another transaction holds a lock on the ledger row (tried without waiting). */
async function isLocked(userId: string, statKey: string): Promise<boolean> {
  try {
    await pool.query(
      'SELECT 1 FROM stat_ledger WHERE user_id = $1 AND stat_key = $2 FOR UPDATE NOWAIT',
      [userId, statKey],
    );
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') return true;
    throw error;
  }
}

/** Runs `fn` while `holder` holds the ledger row (userId, statKey) FOR UPDATE. */
async function holding<T>(userId: string, statKey: string, fn: () => Promise<T>): Promise<T> {
  const holder = await pool.connect();
  try {
    await holder.query('BEGIN');
    await holder.query(
      'SELECT 1 FROM stat_ledger WHERE user_id = $1 AND stat_key = $2 FOR UPDATE',
      [userId, statKey],
    );
    return await fn();
  } finally {
    await holder.query('ROLLBACK');
    holder.release();
  }
}

const NOW = new Date('2026-03-01T00:00:00.000Z');

/** A batch of one event that locks the given keys and scans `scan`; what it saw and returned. */
async function batch(
  batchId: string,
  ledgerKeys: { userIds: string[]; statKeys: string[] },
  scan: {
    userId: string;
    statKey: string;
    readings: { value: number | null; steps: number; days: number };
  }[],
) {
  const seen: { ledgers?: ReadonlyMap<string, StatLedger>; candidates?: unknown[] } = {};
  const outcome = await repo.applyLedgerBatch({
    batchId,
    eventIds: [`${batchId}-e`],
    definitionsVersion: live.version(),
    ledgerKeys,
    now: NOW,
    advance: (_fresh, ledgers) => {
      seen.ledgers = ledgers;
      return scan;
    },
    apply: (candidates) => {
      seen.candidates = candidates;
      return { ledgers: [], changed: [] };
    },
  });
  return { outcome, ...seen };
}

describe('a batch', () => {
  it('of events no goal counts: no ledger, no scan, no candidate', async () => {
    const { outcome, ledgers, candidates } = await batch('b', { userIds: [], statKeys: [] }, []);
    expect(outcome).toEqual({
      kind: 'applied',
      batches: new Set(['b']),
      fresh: new Set(['b-e']),
      candidates: 0,
      written: 0,
      ledgersWritten: 0,
    });
    expect(ledgers).toEqual(new Map());
    expect(candidates).toEqual([]);
  });

  it('finds a row by the days reading, and none for a key without rows', async () => {
    const days = definitions.goalsById.get('days')!;
    await createLedgerProgressRepository(pool, { definitions: live }).insertMissing([
      activateAssignment({ row: undefined, userId: 'u1', goal: days, isActive: true, now: NOW }),
    ]);
    const { rows } = await pool.query<{ stat_key: string; threshold: number }>(
      `SELECT stat_key, threshold FROM goal_progress WHERE user_id = 'u1' AND goal_id = 'days'`,
    );
    const { stat_key: statKey, threshold } = rows[0]!;
    const keys = { userIds: ['u1', 'u2'], statKeys: [statKey, statKey] };
    const scan = (d: number) => [
      { userId: 'u1', statKey, readings: { value: null, steps: 0, days: d } },
      { userId: 'u2', statKey, readings: { value: null, steps: 0, days: d } },
    ];
    const below = await batch('b1', keys, scan(threshold - 1));
    expect(below.outcome).toMatchObject({ kind: 'applied', candidates: 0 });
    const reached = await batch('b2', keys, scan(threshold));
    expect(reached.outcome).toMatchObject({ kind: 'applied', candidates: 1 });
    expect(reached.candidates).toMatchObject([{ userId: 'u1', goalId: 'days' }]);
  });

  it('writes a settled row in place: a HOT update, no new index entry', async () => {
    const days = definitions.goalsById.get('days')!;
    await createLedgerProgressRepository(pool, { definitions: live }).insertMissing([
      activateAssignment({ row: undefined, userId: 'u1', goal: days, isActive: true, now: NOW }),
    ]);
    // One connection, so that the batch's table statistics are its session's to flush.
    const single = createPool({ databaseUrl: database.url, max: 1 });
    const updates = async () => {
      await single.query('SELECT pg_stat_force_next_flush()');
      const { rows } = await single.query<{ upd: number; hot: number }>(
        `SELECT sum(n_tup_upd)::int AS upd, sum(n_tup_hot_upd)::int AS hot
           FROM pg_stat_user_tables WHERE relname LIKE 'goal_progress_p%'`,
      );
      return rows[0]!;
    };
    try {
      const before = await updates();
      const { rows } = await pool.query<{ stat_key: string; threshold: number }>(
        `SELECT stat_key, threshold FROM goal_progress WHERE user_id = 'u1' AND goal_id = 'days'`,
      );
      const { stat_key: statKey, threshold } = rows[0]!;
      const outcome = await createLedgerRepository(single).applyLedgerBatch({
        batchId: 'b',
        eventIds: ['b-e'],
        definitionsVersion: live.version(),
        ledgerKeys: { userIds: ['u1'], statKeys: [statKey] },
        now: NOW,
        advance: () => [
          { userId: 'u1', statKey, readings: { value: null, steps: 0, days: threshold } },
        ],
        // The threshold moves on, as a settled row's does.
        apply: (candidates) => ({
          ledgers: [],
          changed: candidates.map((row) => ({ ...row, p0: row.p0 + 1, threshold: threshold + 1 })),
        }),
      });
      expect(outcome).toMatchObject({ kind: 'applied', candidates: 1, written: 1 });
      const after = await updates();
      expect({ upd: after.upd - before.upd, hot: after.hot - before.hot }).toEqual({
        upd: 1,
        hot: 1,
      });
      const written = await pool.query(
        `SELECT progress, threshold FROM goal_progress WHERE user_id = 'u1' AND goal_id = 'days'`,
      );
      expect(written.rows).toEqual([{ progress: 1, threshold: threshold + 1 }]);
    } finally {
      await single.end();
    }
  });

  it('locks its ledger rows ordered by player, then stat key, whatever order they come in', async () => {
    const inOrder = [
      ['u1', 'stat:a'],
      ['u1', 'stat:b'],
      ['u2', 'stat:a'],
      ['u2', 'stat:b'],
    ] as const;
    // Neither sorted by player nor by key: each part of the comparison has to decide (the
    // second order catches a comparison that skips "the player sorts after").
    const orders = [
      [inOrder[3], inOrder[0], inOrder[2], inOrder[1]],
      [inOrder[1], inOrder[0], inOrder[3], inOrder[2]],
    ];
    await pool.query(
      `INSERT INTO stat_ledger (user_id, stat_key) SELECT * FROM unnest($1::text[], $2::text[])`,
      [inOrder.map(([u]) => u), inOrder.map(([, k]) => k)],
    );
    // Held one at a time by another transaction: the batch waits on that row, having locked
    // exactly the rows before it.
    for (const [o, given] of orders.entries()) {
      for (const [i, [heldUser, heldKey]] of inOrder.entries()) {
        // Wrapped, so that the holder lets go before the batch is awaited.
        const { applying } = await holding(heldUser, heldKey, async () => {
          const applying = repo.applyLedgerBatch({
            batchId: `b${o}-${i}`,
            eventIds: [`e${o}-${i}`],
            definitionsVersion: live.version(),
            ledgerKeys: { userIds: given.map(([u]) => u), statKeys: given.map(([, k]) => k) },
            now: NOW,
            advance: () => [],
            apply: () => ({ ledgers: [], changed: [] }),
          });
          await lockWaiters(1);
          const locked: boolean[] = [];
          for (const [j, [u, k]] of inOrder.entries())
            if (j !== i) locked.push(await isLocked(u, k));
          expect(locked, `order ${o}, held row ${i}`).toEqual(
            inOrder.filter((_, j) => j !== i).map((_, j) => j < i),
          );
          return { applying };
        });
        expect((await applying).kind).toBe('applied');
      }
    }
  });
});

describe('lockPlayer', () => {
  /** lockPlayer in a fenced transaction of its own; `fn` runs while it holds the locks. */
  async function whileLocked(statKeys: string[], fn: () => Promise<void>) {
    const client = await pool.connect();
    try {
      await client.query(FENCED_BEGIN);
      await lockPlayer(client, {
        definitionsVersion: live.version(),
        userId: 'u1',
        statKeys,
        goalIds: [],
      });
      await fn();
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  it('holds every key once, a key named twice included', async () => {
    await pool.query(
      `INSERT INTO stat_ledger (user_id, stat_key) VALUES ('u1', 'stat:a'), ('u1', 'stat:b')`,
    );
    await whileLocked(['stat:b', 'stat:a', 'stat:b'], async () => {
      expect(await isLocked('u1', 'stat:a')).toBe(true);
      expect(await isLocked('u1', 'stat:b')).toBe(true);
    });
  });

  it("locks the player's rows of the goals it is given", async () => {
    await createLedgerProgressRepository(pool, { definitions: live }).insertMissing(
      [...definitions.goalsById.values()].map((g) =>
        activateAssignment({ row: undefined, userId: 'u1', goal: g, isActive: true, now: NOW }),
      ),
    );
    const goalLocked = async (goalId: string) => {
      try {
        await pool.query(
          `SELECT 1 FROM goal_progress WHERE user_id = 'u1' AND goal_id = $1 FOR UPDATE NOWAIT`,
          [goalId],
        );
        return false;
      } catch (error) {
        if ((error as { code?: string }).code === '55P03') return true;
        throw error;
      }
    };
    const client = await pool.connect();
    try {
      await client.query(FENCED_BEGIN);
      await lockPlayer(client, {
        definitionsVersion: live.version(),
        userId: 'u1',
        statKeys: [],
        goalIds: ['g'],
      });
      expect(await goalLocked('g')).toBe(true);
      expect(await goalLocked('days')).toBe(false);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('holds a row another transaction inserted while it ran', async () => {
    const inserter = await pool.connect();
    const client = await pool.connect();
    try {
      await inserter.query('BEGIN');
      await inserter.query(`INSERT INTO stat_ledger (user_id, stat_key) VALUES ('u1', 'stat:a')`);
      await client.query(FENCED_BEGIN);
      // Its insert waits for the other one; once that commits, its snapshot does not show the row.
      const locking = lockPlayer(client, {
        definitionsVersion: live.version(),
        userId: 'u1',
        statKeys: ['stat:a'],
        goalIds: [],
      });
      await lockWaiters(1);
      await inserter.query('COMMIT');
      await locking;
      expect(await isLocked('u1', 'stat:a')).toBe(true);
    } finally {
      await inserter.query('ROLLBACK').catch(() => undefined);
      inserter.release();
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
