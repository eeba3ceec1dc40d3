import { makeDefinitions, makeGoal, makeRow } from '@challenges/core/testing';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePublishedDefinitions, useTestDatabase } from '../testing/vitest.ts';
import { createLedgerProgressRepository } from './ledger-progress.repository.ts';
import {
  createPlayerErasureRepository,
  ERASED_BEFORE_DELIVERY,
  type PlayerErasureRepository,
} from './player-erasure.repository.ts';
import { createRewardDeliveryRepository } from './reward-delivery.repository.ts';
import { createRewardGrantRepository } from './reward-grant.repository.ts';

const database = useTestDatabase({ max: 4 });
const live = usePublishedDefinitions(
  database,
  makeDefinitions([makeGoal({ goalId: 'g1' }), makeGoal({ goalId: 'g2' })]),
);
let pool: pg.Pool;
let erasure: PlayerErasureRepository;

beforeAll(() => {
  pool = database.pool;
  erasure = createPlayerErasureRepository(pool);
});

const USER = 'player:1';
const PSEUDONYM = 'erased~pseudonym-of-player-1';
const AT = new Date('2026-03-05T10:00:00.000Z');

async function grant(input: {
  key: string;
  userId?: string;
  goalId?: string;
  status: 'pending' | 'granted' | 'failed';
  lastError?: string;
}): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO reward_grants (idempotency_key, user_id, goal_id, challenge_id, reward_type,
       reward_id, quantity, provider, status, attempts, last_error)
     VALUES ($1, $2, $3, 'c1', 'ITEM', 'sword', 1, 'webhook', $4, 1, $5) RETURNING id`,
    [input.key, input.userId ?? USER, input.goalId ?? 'g1', input.status, input.lastError ?? null],
  );
  return rows[0]!.id;
}

const rowsOf = async (table: string) =>
  (await pool.query(`SELECT * FROM ${table} ORDER BY id`)).rows;

describe('player erasure', () => {
  it('deletes the progress rows and reports how many, leaving other players alone', async () => {
    const progress = createLedgerProgressRepository(pool, { definitions: live });
    await progress.insertMissing([
      makeRow({ goalId: 'g1', userId: USER }),
      makeRow({ goalId: 'g2', userId: USER }),
      makeRow({ goalId: 'g1', userId: 'other' }),
    ]);
    await pool.query(
      `INSERT INTO stat_ledger (user_id, stat_key, seq, steps) VALUES
         ($1, 'stat:kills', 3, 3), ($1, 'login', 1, 1), ('other', 'stat:kills', 1, 1)
       ON CONFLICT (user_id, stat_key) DO UPDATE SET seq = EXCLUDED.seq, steps = EXCLUDED.steps`,
      [USER],
    );
    const result = await erasure.erase({ userId: USER, pseudonym: PSEUDONYM, at: AT });
    expect(result).toEqual({ deletedRows: 2, pseudonymisedGrants: 0, cancelledGrants: 0 });
    expect(await progress.listByUser(USER)).toEqual([]);
    expect(await progress.listByUser('other')).toHaveLength(1);
    const ledgers = await pool.query('SELECT user_id FROM stat_ledger ORDER BY user_id');
    expect(ledgers.rows).toEqual([{ user_id: 'other' }]);
    expect((await erasure.erase({ userId: USER, pseudonym: PSEUDONYM, at: AT })).deletedRows).toBe(
      0,
    );
  });

  it('rekeys grants of either key format under the pseudonym, cancelling undelivered ones', async () => {
    const granted = await grant({ key: 'player%3A1:g1:once', status: 'granted' });
    const legacy = await grant({
      key: 'player:1:g:2:2026-03-01T00:00:00.000Z',
      goalId: 'g:2',
      status: 'pending',
      lastError: 'webhook answered 503: player:1 is busy',
    });
    const dead = await grant({ key: 'player%3A1:g3:once', goalId: 'g3', status: 'failed' });
    const others = await grant({ key: 'other:g1:once', userId: 'other', status: 'pending' });

    const result = await erasure.erase({ userId: USER, pseudonym: PSEUDONYM, at: AT });
    expect(result).toEqual({ deletedRows: 0, pseudonymisedGrants: 3, cancelledGrants: 2 });
    const byId = new Map((await rowsOf('reward_grants')).map((row) => [row.id, row]));
    expect(byId.get(granted)).toMatchObject({
      user_id: PSEUDONYM,
      idempotency_key: `${PSEUDONYM}:g1:once`,
      status: 'granted',
      erased_at: AT,
    });
    expect(byId.get(legacy)).toMatchObject({
      user_id: PSEUDONYM,
      idempotency_key: `${PSEUDONYM}:g%3A2:2026-03-01T00:00:00.000Z`,
      status: 'failed',
      last_error: ERASED_BEFORE_DELIVERY,
      next_attempt_at: null,
    });
    expect(byId.get(dead)).toMatchObject({ status: 'failed', last_error: ERASED_BEFORE_DELIVERY });
    expect(byId.get(others)).toMatchObject({
      user_id: 'other',
      status: 'pending',
      erased_at: null,
    });

    const trail = (await rowsOf('reward_grant_events'))
      .map((e) => [e.grant_id, e.from_status, e.to_status, e.error, e.actor])
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(trail).toEqual([
      [legacy, 'pending', 'failed', ERASED_BEFORE_DELIVERY, 'erasure'],
      [dead, 'failed', 'failed', ERASED_BEFORE_DELIVERY, 'erasure'],
    ]);
  });

  it('scrubs the id from provider errors in grants and their audit trail', async () => {
    const id = await grant({
      key: 'player%3A1:g1:once',
      status: 'granted',
      lastError: 'user player:1 (player%3A1) not found',
    });
    await pool.query(
      `INSERT INTO reward_grant_events (grant_id, from_status, to_status, attempt, error, actor)
       VALUES ($1, 'pending', 'pending', 1, 'user player:1 not found', 'worker')`,
      [id],
    );
    await erasure.erase({ userId: USER, pseudonym: PSEUDONYM, at: AT });
    const [row] = await rowsOf('reward_grants');
    expect(row.last_error).toBe(`user ${PSEUDONYM} (${PSEUDONYM}) not found`);
    const [event] = await rowsOf('reward_grant_events');
    expect(event.error).toBe(`user ${PSEUDONYM} not found`);
  });

  it('rekeys mock receipts with their grants, and any other receipt of the player', async () => {
    await grant({ key: 'player%3A1:g1:once', status: 'granted' });
    const receipts = createRewardGrantRepository(pool).mockReceipt;
    const receipt = { userId: USER, rewardType: 'ITEM', rewardId: 'sword', quantity: 1 };
    await receipts.record({ ...receipt, idempotencyKey: 'player%3A1:g1:once' });
    await receipts.record({ ...receipt, idempotencyKey: 'player%3A1:gone:once' });
    await erasure.erase({ userId: USER, pseudonym: PSEUDONYM, at: AT });
    const keys = (await rowsOf('mock_reward_receipts')).map((r) => [r.user_id, r.idempotency_key]);
    expect(keys[0]).toEqual([PSEUDONYM, `${PSEUDONYM}:g1:once`]);
    expect(keys[1]![0]).toBe(PSEUDONYM);
    expect(keys[1]![1]).toMatch(new RegExp(`^${PSEUDONYM}:receipt-\\d+$`));
  });

  it('lists open grants; a cancelled grant is never retried, but an attempt in flight still lands', async () => {
    const id = await grant({ key: 'player%3A1:g1:once', status: 'pending' });
    await grant({ key: 'player%3A1:g2:once', goalId: 'g2', status: 'granted' });
    expect((await erasure.openGrants(USER, 10)).map((g) => g.id)).toEqual([id]);
    await erasure.erase({ userId: USER, pseudonym: PSEUDONYM, at: AT });
    const deliveries = createRewardDeliveryRepository(pool);
    expect(await deliveries.retry({ ids: [id], actor: 'live-ops', at: AT })).toBe(0);
    // A delivery that was already on its way when the player was erased reached them.
    const landed = await deliveries.recordAttempt({
      grantId: id,
      result: { status: 'granted' },
      actor: 'worker',
      at: AT,
    });
    expect(landed).toMatchObject({ status: 'granted', userId: PSEUDONYM });
  });
});
