import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type PgBouncer, startPgBouncer } from './testing/pgbouncer.ts';
import type { SpawnedService } from './testing/spawn-service.ts';
import { startTestApi, TEST_INGEST_KEY, type TestApi } from './testing/test-api.ts';
import { spawnWorker } from './testing/test-stack.ts';

// The player and event paths through a real PgBouncer 1.18 in transaction mode (two server
// connections, so one client's statements run on either): the api and a worker process with
// DB_NAMED_STATEMENTS=disabled, migrations over MIGRATION_DATABASE_URL (direct).

let bouncer: PgBouncer;
let t: TestApi;
let worker: SpawnedService;

beforeAll(async () => {
  bouncer = await startPgBouncer();
  const prefix = `pgbouncer-${process.pid}-${randomUUID()}`;
  t = await startTestApi(
    { QUEUE_PREFIX: prefix, DB_NAMED_STATEMENTS: 'disabled' },
    { databaseVia: (url) => bouncer.via(url), migrateDirectly: true },
  );
  ({ worker } = await spawnWorker(
    {
      DATABASE_URL: bouncer.via(t.databaseUrl),
      MIGRATION_DATABASE_URL: t.databaseUrl,
      DB_NAMED_STATEMENTS: 'disabled',
      QUEUE_PREFIX: prefix,
    },
    'worker consuming event partitions',
  ));
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await t?.close();
  await bouncer?.stop();
});

/** Events through the HTTP ingest, acknowledged (202) once durably queued. */
async function sendEvents(events: Record<string, unknown>[]): Promise<void> {
  const sent = await t.call('POST', '/challenge/v1/events', {
    headers: { 'x-api-key': TEST_INGEST_KEY },
    body: { events },
  });
  expect(sent.status).toBe(202);
}

const databaseName = () => new URL(t.databaseUrl).pathname.slice(1);

describe('behind PgBouncer in transaction mode', () => {
  it('serves many players at once: every answer right, the traffic through the bouncer', async () => {
    const before = await bouncer.transactions(databaseName());
    const players = Array.from({ length: 24 }, (_, i) => `bouncer-player-${i}`);
    const answers = await Promise.all(
      players.flatMap((user) => [
        t.call('POST', '/challenge/v1/challenges/initialize', { user }),
        t.call('GET', '/challenge/v1/challenges', { user }),
        t.call('PUT', '/challenge/v1/challenges/season/goals/kill-10/active', {
          user,
          body: { isActive: true },
        }),
      ]),
    );
    expect(
      answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.text.slice(0, 200)}`),
    ).toEqual([]);
    for (const user of players) {
      const list = await t.call('GET', '/challenge/v1/challenges?active_only=true', { user });
      expect(list.status).toBe(200);
      const season = list.body.challenges.find((c: any) => c.challengeId === 'season');
      expect(season.goals.map((g: any) => g.goalId).sort()).toEqual([
        'kill-10',
        'login-3',
        'tutorial',
      ]);
    }
    expect(await bouncer.transactions(databaseName())).toBeGreaterThan(before + players.length);
  });

  it('applies batches of many players in the worker, each event once', async () => {
    const players = Array.from({ length: 16 }, (_, i) => `bouncer-killer-${i}`);
    await Promise.all(
      players.map((user) => t.call('POST', '/challenge/v1/challenges/initialize', { user })),
    );
    // The players spread over the partitions: several batches, each a transaction of its own on
    // whichever server connection the bouncer hands out (round robin).
    await sendEvents(
      players.map((user) => ({
        id: randomUUID(),
        type: 'stat',
        userId: user,
        statCode: 'wins',
        inc: 1,
      })),
    );
    await vi.waitFor(
      async () => {
        for (const user of players) {
          const rows = await t.api.ctx.progress.listByUser(user);
          const row = rows.find((r) => r.goalId === 'daily-keep');
          if (row?.progress !== 1) throw new Error(`${user} daily-keep: ${JSON.stringify(row)}`);
        }
      },
      { timeout: 30_000, interval: 100 },
    );
    // Applied at the first attempt: no batch met a server connection without its statements.
    const warnings = worker.logs.map((l) => l.line).filter((line) => Number(line.level) >= 40);
    expect(warnings.map((line) => `${line.msg} ${JSON.stringify(line.err ?? '')}`)).toEqual([]);
  }, 60_000);

  it('applies events in the worker and claims the reward once', async () => {
    const user = 'bouncer-claimer';
    await t.call('POST', '/challenge/v1/challenges/initialize', { user });
    await sendEvents([
      { id: randomUUID(), type: 'stat', userId: user, statCode: 'tutorial_completed', value: 1 },
    ]);
    await vi.waitFor(
      async () => {
        const rows = await t.api.ctx.progress.listByUser(user);
        const row = rows.find((r) => r.goalId === 'tutorial');
        if (row?.status !== 'completed') throw new Error(`tutorial: ${JSON.stringify(row)}`);
      },
      { timeout: 20_000, interval: 50 },
    );
    const claims = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.call('POST', '/challenge/v1/challenges/season/goals/tutorial/claim', { user }),
      ),
    );
    expect(claims.map((c) => c.status).sort()).toEqual([200, 409, 409, 409]);
  });
});
