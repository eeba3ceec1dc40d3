import { makeDefinitions, makeGoal } from '@challenges/core/testing';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePublishedDefinitions, useTestDatabase } from '../testing/vitest.ts';
import {
  createEventRepository,
  type EventBatchRef,
  type EventRepository,
} from './event.repository.ts';
import { createLedgerRepository, type LedgerRepository } from './ledger.repository.ts';

// The batch ids and the event-id dedup of the worker's transaction (applyLedgerBatch's mark
// statement) and their housekeeping. What the batch does to ledgers and rows:
// ledger.repository.integration.test.ts.

const database = useTestDatabase({ max: 4 });
// Live definitions for the fence; no event of these tests names a stat they track.
const live = usePublishedDefinitions(database, makeDefinitions([makeGoal({ goalId: 'g1' })]));
let pool: pg.Pool;
let repo: EventRepository;
let ledger: LedgerRepository;

beforeAll(() => {
  pool = database.pool;
  repo = createEventRepository(pool);
  ledger = createLedgerRepository(pool);
});

/** A batch of events no goal tracks (no ledger key): only the mark statement runs. */
function mark(
  batch: EventBatchRef & { joined?: readonly EventBatchRef[] },
  options: { fresh?: (ids: ReadonlySet<string>) => void; fail?: boolean } = {},
) {
  return ledger.applyLedgerBatch({
    ...batch,
    definitionsVersion: live.version(),
    ledgerKeys: { userIds: [], statKeys: [] },
    now: new Date(),
    advance: (fresh) => {
      options.fresh?.(fresh);
      return [];
    },
    apply: () => {
      if (options.fail) throw new Error('boom');
      return { ledgers: [], changed: [] };
    },
  });
}

describe('event batches: ids, dedup and housekeeping', () => {
  it('a failed apply rolls everything back, so the retry of the batch applies it', async () => {
    const input = { batchId: 'b2', eventIds: ['e2'] };
    await expect(mark(input, { fail: true })).rejects.toThrow('boom');
    expect(await mark(input)).toMatchObject({ kind: 'applied', fresh: new Set(['e2']) });
    expect(await mark(input)).toEqual({ kind: 'already_applied' });
  });

  it('housekeeping deletes every old row, chunk after chunk', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (const [i, id] of ids.entries()) {
      await mark({ batchId: `old-${i}`, eventIds: [id] });
    }
    await pool.query(`UPDATE event_dedup SET seen_at = now() - interval '25 hours'`);
    await pool.query(`UPDATE applied_event_batches SET applied_at = now() - interval '25 hours'`);
    // 5 rows in chunks of 2: two full chunks, then a short one; also exactly 2 full chunks (4).
    expect(await repo.housekeep({ chunk: 2 })).toEqual({ dedupDeleted: 5, batchesDeleted: 5 });
    for (const [i, id] of ids.slice(0, 4).entries()) {
      await mark({ batchId: `old2-${i}`, eventIds: [`${id}2`] });
    }
    await pool.query(`UPDATE event_dedup SET seen_at = now() - interval '25 hours'`);
    await pool.query(`UPDATE applied_event_batches SET applied_at = now() - interval '25 hours'`);
    expect(await repo.housekeep({ chunk: 2 })).toEqual({ dedupDeleted: 4, batchesDeleted: 4 });
    expect((await pool.query('SELECT 1 FROM event_dedup')).rowCount).toBe(0);
  });

  // One minute either side of the 24 h window: a 23 h or a 25 h window fails one of the two.
  it('drops an id seen 23h59m ago, takes one seen 24h01m ago again, and housekeeping deletes only the old rows', async () => {
    const ids = ['inside', 'outside'];
    await mark({ batchId: 'b3', eventIds: ids });
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
    const again = await mark({ batchId: 'b4', eventIds: ids });
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
    await mark({ batchId: 'old', eventIds: ['x1'] });
    let keysSeen: string[] = [];
    const outcome = await mark(
      {
        batchId: 'j1',
        eventIds: ['a', 'b'],
        joined: [
          { batchId: 'old', eventIds: ['x1', 'x2'] }, // applied before: contributes nothing
          { batchId: 'j2', eventIds: ['b', 'c'] }, // `b` twice in the transaction: one record
        ],
      },
      {
        fresh: (fresh) => {
          keysSeen = [...fresh].sort();
        },
      },
    );
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
      await mark({
        batchId: 'j2',
        eventIds: ['b', 'c'],
        joined: [{ batchId: 'j1', eventIds: ['a'] }],
      }),
    ).toEqual({ kind: 'already_applied' });
  });
});
