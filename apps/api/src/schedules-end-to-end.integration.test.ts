import { randomUUID } from 'node:crypto';
import { createPool } from '@challenges/db';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeChallengesFile } from './testing/definitions-fixtures.ts';
import type { SpawnedService } from './testing/spawn-service.ts';
import type { TestApi } from './testing/test-api.ts';
import { startTestStack, type TestStack } from './testing/test-stack.ts';

// Schedules (SPEC §2.4) end to end: REST, events through POST /v1/events and a real worker
// process, time moved by the QA clock both share. The window opens one day from now, ends two
// days from now, and claims close three days from now.
const ADMIN = { authorization: 'Bearer sched-admin-key' };
const INGEST = { 'x-api-key': 'sched-ingest-key' };
const DAY = 86_400;
const startedAt = Date.now();
const at = (days: number) => new Date(startedAt + days * DAY * 1000).toISOString();

let stack: TestStack;
let t: TestApi;
let worker: SpawnedService;
let pool: pg.Pool;

const goal = (goalId: string, targetValue: number, extra: object = {}) => ({
  goalId,
  name: goalId,
  description: goalId,
  eventSource: 'statistic',
  requirement: { statCode: 'kills', operator: '>=', targetValue, progressMode: 'increment' },
  reward: { type: 'ITEM', rewardId: `${goalId}-reward`, quantity: 1 },
  defaultAssigned: true,
  ...extra,
});

function challengesFile(): string {
  const file = {
    challenges: [
      { challengeId: 'always', name: 'Always', goals: [goal('always-kills', 1000)] },
      {
        challengeId: 'event',
        name: 'Event',
        schedule: { startsAt: at(1), endsAt: at(2), claimUntil: at(3) },
        goals: [goal('event-kills', 10), goal('event-easy', 3)],
      },
    ],
  };
  return writeChallengesFile('schedules-e2e', file);
}

beforeAll(async () => {
  stack = await startTestStack({
    name: 'schedules-e2e',
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

async function kills(userId: string, inc: number) {
  const event = { id: randomUUID(), type: 'stat', userId, statCode: 'kills', value: inc, inc };
  const res = await t.call('POST', '/challenge/v1/events', {
    body: { events: [event] },
    headers: INGEST,
  });
  expect(res.status).toBe(202);
}

async function goals(user: string): Promise<Record<string, any>> {
  const res = await t.call('GET', '/challenge/v1/challenges', { user });
  expect(res.status).toBe(200);
  return Object.fromEntries(
    res.body.challenges.flatMap((c: any) => c.goals.map((g: any) => [g.goalId, g])),
  );
}

/** Waits until the player's list shows what `check` wants (the worker applied the events). */
const listed = (user: string, check: (byId: Record<string, any>) => boolean) =>
  vi.waitFor(
    async () => {
      const byId = await goals(user);
      if (!check(byId)) throw new Error(JSON.stringify(byId));
      return byId;
    },
    { timeout: 15_000, interval: 50 },
  );

async function shiftClock(offsetSeconds: number) {
  const logged = worker.logs.length;
  const res = await t.call('POST', '/challenge/admin/v1/clock', {
    headers: ADMIN,
    body: { offsetSeconds },
  });
  expect(res.status).toBe(200);
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

const claim = (user: string, goalId: string) =>
  t.call('POST', `/challenge/v1/challenges/event/goals/${goalId}/claim`, { user });

describe('a scheduled challenge through its window', () => {
  it('is invisible before, counts during, freezes after, claimable until claimUntil', async () => {
    const [a, b] = ['sched-a', 'sched-b'];
    try {
      // Before the window: unknown everywhere, not assigned, events do not reach it.
      expect(Object.keys(await goals(a))).toEqual(['always-kills']);
      const init = await t.call('POST', '/challenge/v1/challenges/initialize', { user: a });
      expect(init.body.assignedGoals.map((g: any) => g.goalId)).toEqual(['always-kills']);
      expect((await claim(a, 'event-kills')).status).toBe(404);
      expect(
        (await t.call('GET', '/challenge/v1/challenges/event/rotation', { user: a })).status,
      ).toBe(404);
      const select = await t.call('POST', '/challenge/v1/challenges/event/goals/batch-select', {
        user: a,
        body: { goalIds: ['event-kills'] },
      });
      expect(select.status).toBe(404);

      // In the window: listed without `ended`, assigned on login, events count.
      await shiftClock(DAY + 60);
      const open = await goals(a);
      expect(open['event-kills']).toMatchObject({ progress: 0, status: 'not_started' });
      expect(open['event-kills']).not.toHaveProperty('ended');
      for (const user of [a, b])
        await t.call('POST', '/challenge/v1/challenges/initialize', { user });
      await kills(a, 4);
      await kills(b, 3);
      await listed(
        a,
        (g) => g['event-kills'].progress === 4 && g['event-easy'].status === 'completed',
      );
      await listed(b, (g) => g['event-easy'].status === 'completed');

      // After the end: ended: true, and later events move only the goal without a schedule.
      await shiftClock(2 * DAY + 60);
      expect((await goals(a))['event-kills']).toMatchObject({ ended: true, progress: 4 });
      await kills(a, 20);
      const after = await listed(a, (g) => g['always-kills'].progress === 24);
      expect(after['event-kills']).toMatchObject({
        ended: true,
        progress: 4,
        status: 'in_progress',
      });
      expect(after['always-kills']).not.toHaveProperty('ended');
      const frozen = await pool.query(
        `SELECT stat_key FROM goal_progress WHERE user_id = $1 AND goal_id = 'event-kills'`,
        [a],
      );
      expect(frozen.rows).toEqual([{ stat_key: 'ended:event-kills' }]);
      expect((await claim(a, 'event-kills')).body.errorCode).toBe('NOT_COMPLETED');
      // Ended goals cannot be (re)activated; the claim window is still open.
      const activate = await t.call(
        'PUT',
        '/challenge/v1/challenges/event/goals/event-kills/active',
        {
          user: a,
          body: { isActive: true },
        },
      );
      expect(activate.body).toMatchObject({ code: 9, errorCode: 'GOAL_ENDED' });
      expect((await claim(a, 'event-easy')).status).toBe(200);

      // After claimUntil: still listed as ended, claims refused with their own code.
      await shiftClock(3 * DAY + 60);
      const late = await claim(b, 'event-easy');
      expect(late.status).toBe(400);
      expect(late.body).toMatchObject({ code: 9, errorCode: 'CLAIM_WINDOW_CLOSED' });
      expect((await goals(b))['event-easy']).toMatchObject({ ended: true, status: 'completed' });
    } finally {
      await shiftClock(0);
    }
  });
});
