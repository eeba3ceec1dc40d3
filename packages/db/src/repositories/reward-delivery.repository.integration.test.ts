import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/vitest.ts';
import {
  createRewardDeliveryRepository,
  type RewardDeliveryRepository,
} from './reward-delivery.repository.ts';
import { createRewardGrantListing } from './reward-grant-listing.repository.ts';

const database = useTestDatabase({ max: 4 });
let pool: pg.Pool;
let repo: RewardDeliveryRepository;

beforeAll(() => {
  pool = database.pool;
  repo = createRewardDeliveryRepository(pool);
});

// A fixed "now" far from the wall clock: nothing here depends on when the test runs.
const NOW = new Date('2030-06-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const GRACE_MS = 30_000;

async function grant(
  key: string,
  fields: { status?: string; nextAttemptAt?: Date | null; createdAt?: Date } = {},
) {
  await pool.query(
    `INSERT INTO reward_grants (idempotency_key, user_id, goal_id, challenge_id, reward_type,
       reward_id, quantity, provider, status, next_attempt_at, created_at)
     VALUES ($1, 'u1', 'g1', 'c1', 'ITEM', 'sword', 1, 'webhook', $2, $3, $4)`,
    [key, fields.status ?? 'pending', fields.nextAttemptAt ?? null, fields.createdAt ?? NOW],
  );
}

const claim = (limit = 10, now = NOW) =>
  repo.claimDue({ now, limit, leaseUntil: at(60_000), inlineGraceMs: GRACE_MS });
const keysOf = (grants: { idempotencyKey: string }[]) => grants.map((g) => g.idempotencyKey);

describe('reward delivery repository: claimDue', () => {
  it('takes pending grants due at or before now, never later ones or settled ones', async () => {
    await grant('due-1ms-ago', { nextAttemptAt: at(-1) });
    await grant('due-now', { nextAttemptAt: NOW });
    await grant('due-in-1ms', { nextAttemptAt: at(1) });
    await grant('due-in-1s', { nextAttemptAt: at(1000) });
    await grant('granted', { status: 'granted', nextAttemptAt: at(-1000) });
    await grant('failed', { status: 'failed', nextAttemptAt: at(-1000) });
    expect(keysOf(await claim()).sort()).toEqual(['due-1ms-ago', 'due-now']);
  });

  it('a never-tried grant waits the inline grace from its creation, to the millisecond', async () => {
    await grant('created-grace-ago', { createdAt: at(-GRACE_MS) });
    await grant('created-just-inside-grace', { createdAt: at(-GRACE_MS + 1) });
    await grant('created-now', { createdAt: NOW });
    expect(keysOf(await claim())).toEqual(['created-grace-ago']);
  });

  it('leases what it takes: next_attempt_at moves to leaseUntil and a second scan gets nothing', async () => {
    await grant('a', { nextAttemptAt: at(-5000) });
    await grant('b', { nextAttemptAt: at(-1000) });
    const claimed = await claim();
    expect(claimed.map((g) => [g.idempotencyKey, g.nextAttemptAt])).toEqual([
      ['a', at(60_000)],
      ['b', at(60_000)],
    ]);
    expect(await claim()).toEqual([]);
    // Once the lease runs out (the replica died), another scan takes them again.
    expect(keysOf(await claim(10, at(60_000))).sort()).toEqual(['a', 'b']);
  });

  it('takes at most `limit`, never-tried first, then the longest overdue', async () => {
    await grant('overdue-1s', { nextAttemptAt: at(-1000) });
    await grant('never-tried', { createdAt: at(-GRACE_MS - 1) });
    await grant('overdue-9s', { nextAttemptAt: at(-9000) });
    await grant('overdue-5s', { nextAttemptAt: at(-5000) });
    expect(keysOf(await claim(3))).toEqual(['never-tried', 'overdue-9s', 'overdue-5s']);
    expect(keysOf(await claim(3))).toEqual(['overdue-1s']);
  });

  it('skips a grant another replica holds locked instead of waiting for it', async () => {
    await grant('held', { nextAttemptAt: at(-1000) });
    await grant('free', { nextAttemptAt: at(-1000) });
    const other = await pool.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT 1 FROM reward_grants WHERE idempotency_key = 'held' FOR UPDATE`);
      expect(keysOf(await claim())).toEqual(['free']);
    } finally {
      await other.query('ROLLBACK');
      other.release();
    }
    expect(keysOf(await claim())).toEqual(['held']);
  });
});

describe('reward delivery repository: recordAttempt and countOpen', () => {
  const idOf = async (key: string) =>
    (
      await pool.query<{ id: string }>(
        'SELECT id::text FROM reward_grants WHERE idempotency_key = $1',
        [key],
      )
    ).rows[0]!.id;
  const statusOf = async (key: string) =>
    (
      await pool.query<{ status: string; attempts: number }>(
        'SELECT status, attempts FROM reward_grants WHERE idempotency_key = $1',
        [key],
      )
    ).rows[0];

  it('a failure is recorded only on a pending grant; a success also ends a dead letter', async () => {
    await grant('dead', { status: 'failed' });
    const dead = await idOf('dead');
    // Another failure or a retry schedule does not touch a dead letter...
    expect(
      await repo.recordAttempt({
        grantId: dead,
        result: { status: 'pending', error: 'late', nextAttemptAt: at(1000) },
        actor: 'test',
        at: NOW,
      }),
    ).toBeNull();
    expect(
      await repo.recordAttempt({
        grantId: dead,
        result: { status: 'failed', error: 'late' },
        actor: 'test',
        at: NOW,
      }),
    ).toBeNull();
    expect(await statusOf('dead')).toEqual({ status: 'failed', attempts: 0 });
    // ...but a late success does (the receiver did grant it), once.
    const granted = await repo.recordAttempt({
      grantId: dead,
      result: { status: 'granted' },
      actor: 'test',
      at: NOW,
    });
    expect(granted).toMatchObject({
      status: 'granted',
      attempts: 1,
      lastError: null,
      grantedAt: NOW,
    });
    expect(
      await repo.recordAttempt({
        grantId: dead,
        result: { status: 'granted' },
        actor: 'test',
        at: NOW,
      }),
    ).toBeNull();
    const listing = createRewardGrantListing(database.prisma);
    expect((await listing.events(dead)).map((e) => `${e.fromStatus}>${e.toStatus}`)).toEqual([
      'failed>granted',
    ]);
  });

  it('countOpen counts pending and failed grants, never granted ones', async () => {
    expect(await repo.countOpen()).toEqual({ pending: 0, failed: 0 });
    await grant('p1');
    await grant('p2');
    await grant('f1', { status: 'failed' });
    await grant('g1', { status: 'granted' });
    expect(await repo.countOpen()).toEqual({ pending: 2, failed: 1 });
  });
});
