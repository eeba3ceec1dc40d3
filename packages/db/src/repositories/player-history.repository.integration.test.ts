import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../testing/vitest.ts';
import {
  createPlayerHistoryRepository,
  type PlayerHistoryRepository,
} from './player-history.repository.ts';

const database = useTestDatabase({ max: 2 });
let pool: pg.Pool;
let history: PlayerHistoryRepository;

beforeAll(() => {
  pool = database.pool;
  history = createPlayerHistoryRepository(pool);
});

const at = (minute: number) => new Date(Date.UTC(2026, 2, 5, 10, minute));

async function goalRow(userId: string, goalId: string, times: Record<string, Date | null>) {
  await pool.query(
    `INSERT INTO goal_progress (user_id, goal_id, challenge_id, status, is_active, assigned_at,
       completed_at, claimed_at)
     VALUES ($1, $2, 'season', $3, true, $4, $5, $6)`,
    [
      userId,
      goalId,
      times.claimed ? 'claimed' : times.completed ? 'completed' : 'in_progress',
      times.assigned,
      times.completed ?? null,
      times.claimed ?? null,
    ],
  );
}

async function ledger(userId: string, statKey: string, seq: number, updatedAt: Date) {
  await pool.query(
    `INSERT INTO stat_ledger (user_id, stat_key, seq, steps, updated_at) VALUES ($1, $2, $3, $3, $4)`,
    [userId, statKey, seq, updatedAt],
  );
}

async function grant(userId: string, goalId: string, createdAt: Date): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO reward_grants (idempotency_key, user_id, goal_id, challenge_id, reward_type,
       reward_id, quantity, provider, status, created_at)
     VALUES ($1, $2, $3, 'season', 'ITEM', 'sword', 1, 'webhook', 'pending', $4) RETURNING id`,
    [`${userId}:${goalId}`, userId, goalId, createdAt],
  );
  return rows[0]!.id;
}

async function grantEvent(
  grantId: string,
  to: string,
  attempt: number,
  when: Date,
  error?: string,
) {
  await pool.query(
    `INSERT INTO reward_grant_events (grant_id, at, from_status, to_status, attempt, error, actor)
     VALUES ($1, $2, 'pending', $3, $4, $5, 'worker')`,
    [grantId, when, to, attempt, error ?? null],
  );
}

describe('player search', () => {
  it('finds ids by prefix in either table, once each, in id order, a page at a time', async () => {
    await ledger('alice', 'stat:kills', 1, at(1));
    await goalRow('alice', 'g1', { assigned: at(0) });
    await goalRow('alina', 'g1', { assigned: at(0) });
    await ledger('alfred', 'login', 1, at(1));
    await ledger('bob', 'login', 1, at(1));
    // A LIKE pattern would read these characters as wildcards; the search must not.
    await ledger('al%x', 'login', 1, at(1));
    await ledger('al_y', 'login', 1, at(1));

    expect(await history.searchIds({ prefix: 'ali', limit: 10 })).toEqual({
      ids: ['alice', 'alina'],
      next: null,
    });
    const first = await history.searchIds({ prefix: 'al', limit: 2 });
    expect(first).toEqual({ ids: ['al%x', 'al_y'], next: 'al_y' });
    const second = await history.searchIds({ prefix: 'al', after: 'al_y', limit: 2 });
    expect(second).toEqual({ ids: ['alfred', 'alice'], next: 'alice' });
    expect(await history.searchIds({ prefix: 'al', after: 'alice', limit: 2 })).toEqual({
      ids: ['alina'],
      next: null,
    });
    expect((await history.searchIds({ prefix: 'al%', limit: 10 })).ids).toEqual(['al%x']);
    expect((await history.searchIds({ prefix: 'carol', limit: 10 })).ids).toEqual([]);
  });
});

describe('player timeline', () => {
  it('lists events applied, assignments, completions, claims and grant steps, newest first', async () => {
    await ledger('alice', 'stat:kills', 7, at(5));
    await ledger('alice', 'stat:unused', 0, at(6));
    await goalRow('alice', 'kill-10', { assigned: at(0), completed: at(4), claimed: at(7) });
    await goalRow('alice', 'login-3', { assigned: at(1) });
    const delivered = await grant('alice', 'kill-10', at(7));
    await grantEvent(delivered, 'failed', 1, at(8), 'HTTP 503');
    await grantEvent(delivered, 'granted', 2, at(9));
    const waiting = await grant('alice', 'login-3', at(10));
    // Someone else's rows never show.
    await ledger('bob', 'stat:kills', 1, at(11));
    await goalRow('bob', 'kill-10', { assigned: at(11) });
    await grant('bob', 'kill-10', at(11));

    const { entries, next } = await history.timeline({ userId: 'alice', limit: 50 });
    expect(next).toBeNull();
    expect(
      entries.map((e) => [e.at.toISOString().slice(11, 16), e.kind, e.goalId ?? e.statKey]),
    ).toEqual([
      ['10:10', 'grant', 'login-3'],
      ['10:09', 'grant', 'kill-10'],
      ['10:08', 'grant', 'kill-10'],
      ['10:07', 'grant', 'kill-10'],
      ['10:07', 'claimed', 'kill-10'],
      ['10:05', 'events', 'stat:kills'],
      ['10:04', 'completed', 'kill-10'],
      ['10:01', 'assigned', 'login-3'],
      ['10:00', 'assigned', 'kill-10'],
    ]);
    expect(entries[0]).toMatchObject({ grantId: waiting, status: 'pending', attempt: 0 });
    expect(entries[2]).toMatchObject({
      grantId: delivered,
      status: 'failed',
      attempt: 1,
      error: 'HTTP 503',
    });
    expect(entries[5]).toMatchObject({ kind: 'events', count: 7 });
    expect(entries[8]).toMatchObject({ challengeId: 'season', status: 'active' });
  });

  it('pages through the entries without losing or repeating one', async () => {
    for (let i = 0; i < 5; i += 1) {
      // Two entries at the same instant on each goal: the cursor must break the tie.
      await goalRow('carol', `g${i}`, { assigned: at(1), completed: at(i + 2) });
    }
    const seen: string[] = [];
    let before: Awaited<ReturnType<PlayerHistoryRepository['timeline']>>['next'] = null;
    do {
      const page = await history.timeline({
        userId: 'carol',
        before: before ?? undefined,
        limit: 3,
      });
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.entries.map((e) => `${e.kind}:${e.goalId}`));
      before = page.next;
    } while (before);
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(10);
    expect(seen.slice(0, 5)).toEqual(['g4', 'g3', 'g2', 'g1', 'g0'].map((g) => `completed:${g}`));
  });
});
