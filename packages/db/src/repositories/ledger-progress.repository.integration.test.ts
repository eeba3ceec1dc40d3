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

/** `n` kills of +inc for u1, as the worker will apply them. */
async function kills(n: number, inc: number) {
  const now = new Date('2026-03-01T12:00:00.000Z');
  const events: GameEvent[] = Array.from({ length: n }, (_, i) => ({
    type: 'stat',
    id: `b${batches}-e${i}`,
    userId: 'u1',
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
});
