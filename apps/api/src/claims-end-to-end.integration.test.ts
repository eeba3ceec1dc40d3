import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createPool } from '@challenges/db';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeChallengesFile } from './testing/definitions-fixtures.ts';
import type { SpawnedService } from './testing/spawn-service.ts';
import { TEST_CHALLENGES_FILE, type TestApi } from './testing/test-api.ts';
import { startTestStack, type TestStack } from './testing/test-stack.ts';

// Claims end to end: events through POST /v1/events and a real worker process, the QA clock
// shared by both, REST claims and data deletion (security review findings 7 and 9).
const ADMIN = { authorization: 'Bearer e2e-admin-key' };
const INGEST = { 'x-api-key': 'e2e-ingest-key' };
const DAY = 86_400;

let stack: TestStack;
let t: TestApi;
let worker: SpawnedService;
let pool: pg.Pool;

/** The test definitions plus a daily relative goal that resets (the shape of finding 9). */
function challengesFile(): string {
  const file = JSON.parse(readFileSync(TEST_CHALLENGES_FILE, 'utf8'));
  file.challenges.push({
    challengeId: 'arena',
    name: 'Arena',
    description: 'Arena',
    goals: [
      {
        goalId: 'daily-score',
        name: 'Score 5 today',
        description: 'Score 5 today',
        eventSource: 'statistic',
        requirement: {
          statCode: 'score',
          operator: '>=',
          targetValue: 5,
          progressMode: 'relative',
        },
        reward: { type: 'WALLET', rewardId: 'GOLD', quantity: 5 },
        prerequisites: [],
        defaultAssigned: true,
        rotation: {
          enabled: true,
          type: 'global',
          schedule: 'daily',
          onExpiry: { resetProgress: true, allowReselection: false },
        },
      },
    ],
  });
  return writeChallengesFile('claims-e2e', file);
}

beforeAll(async () => {
  stack = await startTestStack({
    name: 'claims-e2e',
    api: {
      CHALLENGES_FILE: challengesFile(),
      QA_CLOCK: 'enabled',
      ADMIN_API_KEY: ADMIN.authorization.slice('Bearer '.length),
      INGEST_API_KEYS: INGEST['x-api-key'],
    },
    worker: { QA_CLOCK: 'enabled' },
  });
  ({ t, worker } = stack);
  pool = createPool({ databaseUrl: t.databaseUrl, max: 2 });
}, 120_000);

afterAll(async () => {
  await pool?.end();
  await stack?.close();
});

async function stat(userId: string, statCode: string, value: number, inc?: number) {
  const event = { id: randomUUID(), type: 'stat', userId, statCode, value, inc };
  const res = await t.call('POST', '/challenge/v1/events', {
    body: { events: [event] },
    headers: INGEST,
  });
  expect(res.status).toBe(202);
}

/** Waits until the worker has written the player's row of `goalId` as `check` wants it. */
async function rowOf(userId: string, goalId: string, check: (row: any) => boolean) {
  return vi.waitFor(
    async () => {
      const row = (await t.api.ctx.progress.listByUser(userId)).find((r) => r.goalId === goalId);
      if (!row || !check(row)) throw new Error(`row ${userId}/${goalId}: ${JSON.stringify(row)}`);
      return row;
    },
    { timeout: 15_000, interval: 50 },
  );
}

const claim = (user: string, challenge: string, goal: string) =>
  t.call('POST', `/challenge/v1/challenges/${challenge}/goals/${goal}/claim`, { user });

async function shiftClock(offsetSeconds: number) {
  const logged = worker.logs.length;
  const res = await t.call('POST', '/challenge/admin/v1/clock', {
    headers: ADMIN,
    body: { offsetSeconds },
  });
  expect(res.status).toBe(200);
  // Events after this must be applied on the shifted clock.
  await vi.waitFor(
    () => {
      const seen = worker.logs
        .slice(logged)
        .some(
          (e) => e.line.msg === 'QA clock offset changed' && e.line.offsetSeconds === offsetSeconds,
        );
      if (!seen) throw new Error('the worker has not seen the new offset yet');
    },
    { timeout: 10_000, interval: 50 },
  );
}

describe('a rotated goal through events and the QA clock (finding 9)', () => {
  it('answers GOAL_ROTATED after login and events moved the row into the new period', async () => {
    const user = 'e2e-rotated';
    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    await stat(user, 'score', 40, 10);
    await rowOf(user, 'daily-score', (row) => row.status === 'completed');
    try {
      await shiftClock(DAY);
      // Logging in the next day writes the reopened row back in its new period.
      await t.call('POST', '/challenge/v1/challenges/initialize', { user });
      const afterLogin = await claim(user, 'arena', 'daily-score');
      expect(afterLogin.status).toBe(400);
      expect(afterLogin.body).toEqual({
        code: 9,
        errorCode: 'GOAL_ROTATED',
        message: 'Goal has rotated and must be re-completed (goal_id: daily-score)',
        details: [],
      });
      // The first event of the new day only takes the baseline: progress 0, not_started.
      await stat(user, 'score', 50, 0);
      await rowOf(user, 'daily-score', (row) => row.baseline === 50);
      expect((await claim(user, 'arena', 'daily-score')).body.errorCode).toBe('GOAL_ROTATED');
      // Re-completed today: claimable again, once.
      await stat(user, 'score', 56, 6);
      await rowOf(user, 'daily-score', (row) => row.status === 'completed');
      expect((await claim(user, 'arena', 'daily-score')).status).toBe(200);
      expect((await claim(user, 'arena', 'daily-score')).status).toBe(409);
    } finally {
      await shiftClock(0);
    }
  });
});

describe('data deletion, then the same reward again (finding 7)', () => {
  it('answers 409 with the first claim time, keeps one grant, and no plain id in reward tables', async () => {
    const user = 'e2e:gdpr-player';
    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    await stat(user, 'tutorial_completed', 1);
    await rowOf(user, 'tutorial', (row) => row.status === 'completed');
    const first = await claim(user, 'season', 'tutorial');
    expect(first.status).toBe(200);

    const deleted = await t.call('DELETE', '/challenge/v1/users/me/data', { user });
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedRows).toBeGreaterThan(0);
    expect(await rowsMentioning(user)).toEqual({ grants: 0, events: 0, receipts: 0 });

    // The player comes back and earns it again through events.
    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    await stat(user, 'tutorial_completed', 1);
    await rowOf(user, 'tutorial', (row) => row.status === 'completed');
    const again = await claim(user, 'season', 'tutorial');
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      code: 6,
      errorCode: 'ALREADY_CLAIMED',
      message: `Reward has already been claimed (goal_id: tutorial, claimed_at: ${first.body.claimedAt})`,
      details: [],
    });
    const pseudonym = t.api.ctx.pseudonymise(user);
    expect(await grantCount([user, pseudonym], 'tutorial')).toBe(1);
    expect(await t.api.ctx.rewardGrants.mockReceipt.countByUser(pseudonym)).toBe(1);
    expect(await t.api.ctx.rewardGrants.mockReceipt.countByUser(user)).toBe(0);
  });
});

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[]) {
  return (await pool.query<T>(text, values)).rows;
}

async function grantCount(userIds: string[], goalId: string): Promise<number> {
  const rows = await query<{ n: number }>(
    'SELECT count(*)::int AS n FROM reward_grants WHERE user_id = ANY($1) AND goal_id = $2',
    [userIds, goalId],
  );
  return rows[0]!.n;
}

/** Rows of each reward table whose any column mentions the id, plain or key-encoded. */
async function rowsMentioning(userId: string) {
  const forms = [userId, userId.replaceAll('%', '%25').replaceAll(':', '%3A')];
  const count = async (table: string) =>
    (
      await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} r
          WHERE strpos(r::text, $1) > 0 OR strpos(r::text, $2) > 0`,
        forms,
      )
    )[0]!.n;
  return {
    grants: await count('reward_grants'),
    events: await count('reward_grant_events'),
    receipts: await count('mock_reward_receipts'),
  };
}
