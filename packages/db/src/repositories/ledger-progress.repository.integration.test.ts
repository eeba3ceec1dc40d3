import {
  advanceLedgers,
  applyBatchToLedger,
  type GameEvent,
  ledgerKeysOf,
  type StatLedger,
} from '@challenges/core';
import { makeDefinitions, makeGoal, makeRow } from '@challenges/core/testing';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePublishedDefinitions, useTestDatabase } from '../testing/vitest.ts';
import { createLedgerRepository } from './ledger.repository.ts';
import { createLedgerProgressRepository } from './ledger-progress.repository.ts';
import type { ProgressRepository } from './progress.repository.ts';

// What the per-goal repository's tests cannot show (they run against this repository too):
// rows follow the ledger between api writes, and each api write re-anchors the row.
const database = useTestDatabase({ max: 4 });
let pool: pg.Pool;
let progress: ProgressRepository;
let batches = 0;

/** Goals g0…g2 (increment on `kills`). */
const definitions = makeDefinitions(
  ['g0', 'g1', 'g2'].map((goalId) =>
    makeGoal({ goalId, requirement: { progressMode: 'increment' } }),
  ),
);
const live = usePublishedDefinitions(database, definitions);

beforeAll(() => {
  pool = database.pool;
  progress = createLedgerProgressRepository(pool, { definitions: live });
});

/** `n` kills of +inc for `userId`, as the worker applies them. */
async function kills(n: number, inc: number, userId = 'u1') {
  const now = new Date('2026-03-01T12:00:00.000Z');
  const events: GameEvent[] = Array.from({ length: n }, (_, i) => ({
    type: 'stat',
    id: `b${batches}-e${i}`,
    userId,
    statCode: 'kills',
    inc,
    receivedAt: 0,
  }));
  let locked: ReadonlyMap<string, StatLedger> = new Map();
  await createLedgerRepository(pool).applyLedgerBatch({
    batchId: `b${batches++}`,
    definitionsVersion: live.version(),
    eventIds: events.map((e) => e.id),
    ledgerKeys: ledgerKeysOf(events, definitions),
    now,
    advance: (_fresh, ledgers) => {
      locked = ledgers;
      return [...advanceLedgers({ events, ledgers, definitions, now }).values()];
    },
    apply: (candidates, activeKeys) =>
      applyBatchToLedger({ events, ledgers: locked, candidates, activeKeys, definitions, now }),
  });
}

const g1 = async () => (await progress.listByUser('u1')).find((r) => r.goalId === 'g1')!;

describe('ledger progress repository', () => {
  it('derives between writes; deactivation freezes, activation re-anchors, a claim freezes', async () => {
    await progress.insertMissing([makeRow({ goalId: 'g1' })]);
    await kills(3, 2);
    expect(await g1()).toMatchObject({ progress: 6, status: 'in_progress' });

    await progress.deactivate('u1', ['g1'], new Date('2026-03-01T13:00:00.000Z'));
    await kills(1, 2);
    expect(await g1()).toMatchObject({ progress: 6, isActive: false });

    await progress.upsertActivation([makeRow({ goalId: 'g1', isActive: true })]);
    expect(await g1()).toMatchObject({ progress: 6, isActive: true });
    // Crossing the target (10) makes the row a candidate: the batch writes it completed.
    await kills(2, 2);
    expect(await g1()).toMatchObject({ progress: 10, status: 'completed' });
    const stored = await pool.query(
      "SELECT progress, threshold FROM goal_progress WHERE goal_id = 'g1'",
    );
    expect(stored.rows).toEqual([{ progress: 10, threshold: null }]);

    const claimedAt = new Date('2026-03-01T14:00:00.000Z');
    await progress.withClaimTransaction('u1', 'g1', async (tx) =>
      tx.markClaimed((await tx.lockAssignment())!, claimedAt),
    );
    await kills(3, 2);
    expect(await g1()).toMatchObject({ progress: 10, status: 'claimed', claimedAt });

    expect(await progress.resetGoal('u1', 'g1', claimedAt)).toBe(true);
    await kills(1, 3);
    expect(await g1()).toMatchObject({ progress: 3, status: 'in_progress', claimedAt: null });
  });

  it('listByUser reads rows and ledgers from one snapshot, so a batch committing meanwhile is all in or all out', async () => {
    await progress.insertMissing([makeRow({ userId: 'u2', goalId: 'g1' })]);
    await kills(4, 2, 'u2');
    expect((await progress.listByUser('u2'))[0]).toMatchObject({ progress: 8 });
    // The pool the reading repository sees: once its first statement has answered, a batch that
    // completes g1 (8 → 10, written as completed and re-anchored) commits before anything else
    // is sent. Rows and ledgers read by two statements would mix the two states (progress 10
    // but in_progress, or 8 but completed).
    let first = true;
    const interleaved = new Proxy(pool, {
      get(target, prop, receiver) {
        if (prop !== 'query') return Reflect.get(target, prop, receiver);
        return async (...args: Parameters<pg.Pool['query']>) => {
          const result = await (target.query as (...a: unknown[]) => Promise<unknown>)(...args);
          if (first) {
            first = false;
            await kills(1, 2, 'u2');
          }
          return result;
        };
      },
    });
    const reader = createLedgerProgressRepository(interleaved, { definitions: live });
    const [during] = await reader.listByUser('u2');
    expect(first).toBe(false);
    expect(during).toMatchObject({ progress: 8, status: 'in_progress' });
    expect((await progress.listByUser('u2'))[0]).toMatchObject({
      progress: 10,
      status: 'completed',
    });
  });

  it('holds a ledger row that another transaction inserted while the mutation waited for it', async () => {
    const userId = 'u3';
    const inserter = await pool.connect();
    const probe = await pool.connect();
    try {
      // An uncommitted ledger row of g1's key: the claim's insert of the same key waits for it.
      await inserter.query('BEGIN');
      await inserter.query(
        `INSERT INTO stat_ledger (user_id, stat_key) VALUES ($1, 'stat:kills')`,
        [userId],
      );
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      let release!: () => void;
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      const claim = progress.withClaimTransaction(userId, 'g1', async (tx) => {
        await tx.lockAssignment();
        locked();
        await released;
      });
      await expect
        .poll(async () => {
          const { rows } = await pool.query(
            `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'`,
          );
          return rows[0].n;
        })
        .toBeGreaterThan(0);
      // Committed after the claim's statement took its snapshot: that statement neither inserts
      // nor sees the row; the claim must still end up holding it.
      await inserter.query('COMMIT');
      await isLocked;
      await probe.query('BEGIN');
      await expect(
        probe.query(`SELECT 1 FROM stat_ledger WHERE user_id = $1 FOR UPDATE NOWAIT`, [userId]),
      ).rejects.toMatchObject({ code: '55P03' });
      await probe.query('ROLLBACK');
      release();
      await claim;
    } finally {
      inserter.release();
      probe.release();
    }
  });
});
