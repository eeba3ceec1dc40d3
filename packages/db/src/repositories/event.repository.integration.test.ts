import { makeRow } from '@challenges/core/testing';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/vitest.ts';
import { createEventRepository, type EventRepository } from './event.repository.ts';
import { createProgressRepository } from './progress.repository.ts';

const database = useTestDatabase({ max: 4 });
let pool: pg.Pool;
let repo: EventRepository;

beforeAll(() => {
  pool = database.pool;
  repo = createEventRepository(pool);
});

const keys = (goalIds: string[]) => () => ({
  userIds: goalIds.map(() => 'u1'),
  goalIds,
});

describe('event repository', () => {
  it('locks only the active rows asked for and writes back what apply returns', async () => {
    await createProgressRepository(pool).insertMissing([
      makeRow({ goalId: 'g1' }),
      makeRow({ goalId: 'g2', isActive: false }),
      makeRow({ goalId: 'g3' }),
    ]);
    let seen: string[] = [];
    const outcome = await repo.applyEventBatch({
      batchId: 'b1',
      eventIds: ['e1'],
      keys: keys(['g1', 'g2', 'missing']),
      apply: (rows) => {
        seen = rows.map((r) => r.goalId);
        return rows.map((r) => ({ ...r, progress: 7, status: 'in_progress' as const }));
      },
    });
    expect(outcome).toEqual({
      kind: 'applied',
      batches: new Set(['b1']),
      fresh: new Set(['e1']),
      loaded: 1,
      written: 1,
    });
    expect(seen).toEqual(['g1']);
    const { rows } = await pool.query('SELECT goal_id, progress FROM goal_progress ORDER BY 1');
    expect(rows).toEqual([
      { goal_id: 'g1', progress: 7 },
      { goal_id: 'g2', progress: 0 },
      { goal_id: 'g3', progress: 0 },
    ]);
  });

  it('a failed apply rolls everything back, so the retry of the batch applies it', async () => {
    const input = { batchId: 'b2', eventIds: ['e2'], keys: keys([]) };
    await expect(
      repo.applyEventBatch({
        ...input,
        apply: () => {
          throw new Error('boom');
        },
      }),
    ).rejects.toThrow('boom');
    expect(await repo.applyEventBatch({ ...input, apply: () => [] })).toMatchObject({
      kind: 'applied',
      fresh: new Set(['e2']),
    });
    expect(await repo.applyEventBatch({ ...input, apply: () => [] })).toEqual({
      kind: 'already_applied',
    });
  });

  it('with no keys to lock, apply gets no rows and nothing is written', async () => {
    await createProgressRepository(pool).insertMissing([makeRow({ goalId: 'g1' })]);
    let given: unknown[] | null = null;
    const outcome = await repo.applyEventBatch({
      batchId: 'b-empty',
      eventIds: ['e-empty'],
      keys: keys([]),
      apply: (rows) => {
        given = [...rows];
        return [];
      },
    });
    expect(given).toEqual([]);
    expect(outcome).toEqual({
      kind: 'applied',
      batches: new Set(['b-empty']),
      fresh: new Set(['e-empty']),
      loaded: 0,
      written: 0,
    });
  });

  it('housekeeping deletes every old row, chunk after chunk', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (const [i, id] of ids.entries()) {
      await repo.applyEventBatch({
        batchId: `old-${i}`,
        eventIds: [id],
        keys: keys([]),
        apply: () => [],
      });
    }
    await pool.query(`UPDATE event_dedup SET seen_at = now() - interval '25 hours'`);
    await pool.query(`UPDATE applied_event_batches SET applied_at = now() - interval '25 hours'`);
    // 5 rows in chunks of 2: two full chunks, then a short one; also exactly 2 full chunks (4).
    expect(await repo.housekeep({ chunk: 2 })).toEqual({ dedupDeleted: 5, batchesDeleted: 5 });
    for (const [i, id] of ids.slice(0, 4).entries()) {
      await repo.applyEventBatch({
        batchId: `old2-${i}`,
        eventIds: [`${id}2`],
        keys: keys([]),
        apply: () => [],
      });
    }
    await pool.query(`UPDATE event_dedup SET seen_at = now() - interval '25 hours'`);
    await pool.query(`UPDATE applied_event_batches SET applied_at = now() - interval '25 hours'`);
    expect(await repo.housekeep({ chunk: 2 })).toEqual({ dedupDeleted: 4, batchesDeleted: 4 });
    expect((await pool.query('SELECT 1 FROM event_dedup')).rowCount).toBe(0);
  });

  // One minute either side of the 24 h window: a 23 h or a 25 h window fails one of the two.
  it('drops an id seen 23h59m ago, takes one seen 24h01m ago again, and housekeeping deletes only the old rows', async () => {
    const apply = () => [];
    const ids = ['inside', 'outside'];
    await repo.applyEventBatch({ batchId: 'b3', eventIds: ids, keys: keys([]), apply });
    const age = (id: string, interval: string) =>
      pool.query(`UPDATE event_dedup SET seen_at = now() - $2::interval WHERE event_id = $1`, [
        id,
        interval,
      ]);
    await age('inside', '23 hours 59 minutes');
    await age('outside', '24 hours 1 minute');
    await pool.query(
      `UPDATE applied_event_batches SET applied_at = now() - interval '24 hours 1 minute' WHERE batch_id = 'b3'`,
    );
    const again = await repo.applyEventBatch({
      batchId: 'b4',
      eventIds: ids,
      keys: keys([]),
      apply,
    });
    expect(again).toMatchObject({ kind: 'applied', fresh: new Set(['outside']) });

    await age('inside', '23 hours 59 minutes');
    await age('outside', '24 hours 1 minute');
    expect(await repo.housekeep({ chunk: 1 })).toEqual({ dedupDeleted: 1, batchesDeleted: 1 });
    const dedup = await pool.query('SELECT event_id FROM event_dedup');
    expect(dedup.rows).toEqual([{ event_id: 'inside' }]);
    const { rows } = await pool.query('SELECT batch_id FROM applied_event_batches');
    expect(rows).toEqual([{ batch_id: 'b4' }]);
  });

  it('applies joined batches in the same transaction, each batch id recorded once', async () => {
    await repo.applyEventBatch({
      batchId: 'old',
      eventIds: ['x1'],
      keys: keys([]),
      apply: () => [],
    });
    let keysSeen: string[] = [];
    const outcome = await repo.applyEventBatch({
      batchId: 'j1',
      eventIds: ['a', 'b'],
      joined: [
        { batchId: 'old', eventIds: ['x1', 'x2'] }, // applied before: contributes nothing
        { batchId: 'j2', eventIds: ['b', 'c'] }, // `b` twice in the transaction: one record
      ],
      keys: (fresh) => {
        keysSeen = [...fresh].sort();
        return { userIds: [], goalIds: [] };
      },
      apply: () => [],
    });
    expect(outcome).toMatchObject({ kind: 'applied', batches: new Set(['j1', 'j2']) });
    expect(keysSeen).toEqual(['a', 'b', 'c']);
    const { rows } = await pool.query<{ batch_id: string; tx: boolean }>(
      `SELECT batch_id, applied_at = (SELECT applied_at FROM applied_event_batches
                                      WHERE batch_id = 'j1') AS tx
         FROM applied_event_batches ORDER BY batch_id`,
    );
    // now() is the transaction's start: j1 and j2 share it, the earlier batch does not.
    expect(rows).toEqual([
      { batch_id: 'j1', tx: true },
      { batch_id: 'j2', tx: true },
      { batch_id: 'old', tx: false },
    ]);
    expect(
      await repo.applyEventBatch({
        batchId: 'j2',
        eventIds: ['b', 'c'],
        joined: [{ batchId: 'j1', eventIds: ['a'] }],
        keys: keys([]),
        apply: () => [],
      }),
    ).toEqual({ kind: 'already_applied' });
  });
});
