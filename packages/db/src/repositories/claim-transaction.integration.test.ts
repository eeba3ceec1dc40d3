import { makeDefinitions, makeGoal, makeRow } from '@challenges/core/testing';
import type pg from 'pg';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { usePublishedDefinitions, useTestDatabase } from '../testing/vitest.ts';
import { DuplicateRewardGrantError } from './claim-transaction.ts';
import { createLedgerProgressRepository } from './ledger-progress.repository.ts';
import type { ProgressRepository } from './progress.repository.ts';
import {
  createRewardGrantRepository,
  type RewardGrantRepository,
} from './reward-grant.repository.ts';
import type { RewardGrantInput } from './reward-grant.types.ts';

const database = useTestDatabase({ max: 4 });
/** Goals g0…g2 (increment on `kills`), for the ledger model that derives progress from them. */
const definitions = makeDefinitions(
  ['g0', 'g1', 'g2'].map((goalId) =>
    makeGoal({ goalId, requirement: { progressMode: 'increment' } }),
  ),
);
const live = usePublishedDefinitions(database, definitions);
let pool: pg.Pool;
let progress: ProgressRepository;
let grants: RewardGrantRepository;

beforeAll(() => {
  pool = database.pool;
  grants = createRewardGrantRepository(pool);
});
beforeEach(async () => {
  progress = ledgerModel(pool);
  await progress.insertMissing([
    makeRow({ goalId: 'g1', progress: 10, status: 'completed', completedAt: new Date(1e12) }),
    makeRow({ goalId: 'g0', progress: 1, status: 'in_progress' }),
  ]);
});

const CLAIMED_AT = new Date('2026-03-01T12:00:00.000Z');
const grant = (key = 'u1:g1:-'): RewardGrantInput => ({
  idempotencyKey: key,
  userId: 'u1',
  goalId: 'g1',
  challengeId: 'daily',
  rewardType: 'ITEM',
  rewardId: 'sword',
  quantity: 2,
  provider: 'mock',
  claimedAt: CLAIMED_AT,
});

const ledgerModel = (p: pg.Pool) => createLedgerProgressRepository(p, { definitions: live });

describe('withClaimTransaction', () => {
  it('commits the claim and its grant together', async () => {
    const result = await progress.withClaimTransaction('u1', 'g1', async (tx) => {
      const row = await tx.lockAssignment();
      expect(row?.status).toBe('completed');
      const claimed = await tx.markClaimed(row!, CLAIMED_AT);
      const mine = (await tx.listByUser()).find((r) => r.goalId === 'g1');
      expect(mine?.status).toBe('claimed'); // own uncommitted write is visible
      return { claimed, grant: await tx.insertRewardGrant(grant()) };
    });
    expect(result.claimed).toMatchObject({ status: 'claimed', claimedAt: CLAIMED_AT });
    expect(result.grant).toMatchObject({ ...grant(), status: 'pending', attempts: 0 });
    const stored = (await progress.listByUser('u1')).find((r) => r.goalId === 'g1');
    expect(stored).toMatchObject({
      status: 'claimed',
      claimedAt: CLAIMED_AT,
      updatedAt: CLAIMED_AT,
    });
    expect(await grants.countByKey(grant().idempotencyKey)).toBe(1);
  });

  it('rolls everything back when fn throws', async () => {
    await expect(
      progress.withClaimTransaction('u1', 'g1', async (tx) => {
        await tx.markClaimed((await tx.lockAssignment())!, CLAIMED_AT);
        await tx.insertRewardGrant(grant());
        throw new Error('provider exploded');
      }),
    ).rejects.toThrow('provider exploded');
    const stored = (await progress.listByUser('u1')).find((r) => r.goalId === 'g1');
    expect(stored?.status).toBe('completed');
    expect(await grants.countByKey(grant().idempotencyKey)).toBe(0);
    // The connection went back to the pool clean: another transaction works.
    await progress.withClaimTransaction('u1', 'g1', async (tx) => tx.lockAssignment());
  });

  it("holds the goal's ledger row and locks its goal row until the claim ends", async () => {
    /** Whether another transaction holds a lock on the row (tried without waiting). */
    const isLocked = async (sql: string) => {
      try {
        await pool.query(`${sql} FOR UPDATE NOWAIT`);
        return false;
      } catch (error) {
        if ((error as { code?: string }).code === '55P03') return true;
        throw error;
      }
    };
    const ledgerRow = `SELECT 1 FROM stat_ledger WHERE user_id = 'u1'`;
    const goalRow = (goalId: string) =>
      `SELECT 1 FROM goal_progress WHERE user_id = 'u1' AND goal_id = '${goalId}'`;
    expect(await isLocked(ledgerRow)).toBe(false);
    await progress.withClaimTransaction('u1', 'g1', async (tx) => {
      await tx.lockAssignment();
      expect(await isLocked(ledgerRow)).toBe(true);
      expect(await isLocked(goalRow('g1'))).toBe(true);
      expect(await isLocked(goalRow('g0'))).toBe(false);
    });
    expect(await isLocked(goalRow('g1'))).toBe(false);
  });

  it('returns null for a goal the user has no row for', async () => {
    const row = await progress.withClaimTransaction('u1', 'nope', (tx) => tx.lockAssignment());
    expect(row).toBeNull();
  });

  it('markClaimed refuses, naming user and goal, when the user has no row for the goal', async () => {
    await expect(
      progress.withClaimTransaction('u1', 'nope', (tx) =>
        tx.markClaimed(makeRow({ goalId: 'nope' }), CLAIMED_AT),
      ),
    ).rejects.toThrow("no assignment of goal 'nope' for user 'u1' to claim");
  });

  it('refuses a second grant with the same key, leaving the transaction usable', async () => {
    await progress.withClaimTransaction('u1', 'g1', (tx) => tx.insertRewardGrant(grant()));
    const outcome = await progress.withClaimTransaction('u1', 'g1', async (tx) => {
      const error = await tx.insertRewardGrant(grant()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateRewardGrantError);
      // The name is what a log line shows as the error's type.
      expect(error).toMatchObject({
        name: 'DuplicateRewardGrantError',
        idempotencyKey: 'u1:g1:-',
      });
      expect((error as Error).message).toContain("'u1:g1:-' already exists");
      return (await tx.lockAssignment())?.status;
    });
    expect(outcome).toBe('completed');
    expect(await grants.countByKey(grant().idempotencyKey)).toBe(1);
  });

  it('serialises two concurrent claims: the second sees the first one after the lock', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const firstLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const claim = (holdUntil?: Promise<void>) =>
      progress.withClaimTransaction('u1', 'g1', async (tx) => {
        const row = await tx.lockAssignment();
        if (holdUntil) {
          locked();
          await holdUntil;
        }
        if (row?.status === 'claimed') return `already claimed at ${row.claimedAt?.toISOString()}`;
        await tx.markClaimed(row!, CLAIMED_AT);
        await tx.insertRewardGrant(grant());
        return 'claimed';
      });

    const first = claim(gate);
    await firstLocked;
    const second = claim();
    // Proceed only once the second transaction is really blocked on the row lock.
    await vi.waitFor(
      async () => {
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        expect(rows[0]?.n).toBe(1);
      },
      { timeout: 5000, interval: 10 },
    );
    release();
    expect(await first).toBe('claimed');
    expect(await second).toBe(`already claimed at ${CLAIMED_AT.toISOString()}`);
    expect(await grants.countByKey(grant().idempotencyKey)).toBe(1);
  });
});

describe('claim transaction: earlier grants and the claimed period', () => {
  it('finds an earlier grant by key only with its own user and goal columns', async () => {
    // The first key format gave user `a`, goal `b:c` and user `a:b`, goal `c` one key.
    await progress.withClaimTransaction('a', 'b:c', (tx) =>
      tx.insertRewardGrant({ ...grant('a:b:c:once'), userId: 'a', goalId: 'b:c' }),
    );
    const find = (userId: string, goalId: string, userIds: string[]) =>
      progress.withClaimTransaction(userId, goalId, (tx) =>
        tx.findEarlierGrant({ keys: ['a:b:c:once'], userIds }),
      );
    expect(await find('a', 'b:c', ['a'])).toEqual({ claimedAt: CLAIMED_AT });
    expect(await find('a', 'b:c', ['erased~x', 'a'])).toEqual({ claimedAt: CLAIMED_AT });
    expect(await find('a:b', 'c', ['a:b'])).toBeNull();
    expect(await find('a', 'b:c', ['someone-else'])).toBeNull();
  });

  it('markClaimed stores the period the row was moved to and ends a reopening', async () => {
    await progress.saveRotated([
      makeRow({
        goalId: 'g1',
        progress: 10,
        status: 'completed',
        periodKey: 'p1',
        reopenedAt: new Date(1e12),
      }),
    ]);
    const moved = { periodKey: 'p2', expiresAt: new Date('2026-03-03T00:00:00.000Z') };
    const claimed = await progress.withClaimTransaction('u1', 'g1', async (tx) => {
      const row = (await tx.lockAssignment())!;
      return tx.markClaimed({ ...row, ...moved }, CLAIMED_AT);
    });
    expect(claimed).toMatchObject({ status: 'claimed', ...moved, reopenedAt: null, progress: 10 });
  });
});

describe('reward grant repository', () => {
  it('findByKey returns the stored grant; markGranted flips it exactly once', async () => {
    expect(await grants.findByKey('missing')).toBeNull();
    await progress.withClaimTransaction('u1', 'g1', (tx) => tx.insertRewardGrant(grant()));
    const at = new Date('2026-03-01T12:00:01.000Z');
    expect(await grants.markGranted(grant().idempotencyKey, at)).toBe(true);
    expect(await grants.markGranted(grant().idempotencyKey, new Date())).toBe(false);
    const stored = await grants.findByKey(grant().idempotencyKey);
    expect(stored).toMatchObject({
      ...grant(),
      status: 'granted',
      grantedAt: at,
      updatedAt: at,
      attempts: 1,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(stored?.id).toMatch(/^\d+$/);
    expect(stored?.createdAt).toBeInstanceOf(Date);
    expect(await grants.markGranted('missing', at)).toBe(false);
  });

  it('mockReceipt.record delivers once per idempotency key', async () => {
    const receipt = {
      idempotencyKey: 'k1',
      userId: 'u1',
      rewardType: 'WALLET',
      rewardId: 'gold',
      quantity: 100,
    };
    const results = await Promise.all([
      grants.mockReceipt.record(receipt),
      grants.mockReceipt.record(receipt),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect(await grants.mockReceipt.record({ ...receipt, idempotencyKey: 'k2' })).toBe(true);
    expect(await grants.mockReceipt.countByKey('k1')).toBe(1);
    expect(await grants.mockReceipt.countByUser('u1')).toBe(2);
    expect(await grants.mockReceipt.countByUser('other')).toBe(0);
  });
});
