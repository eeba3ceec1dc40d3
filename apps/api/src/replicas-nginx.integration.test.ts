import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@challenges/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, startCluster } from '../../../scripts/cluster/start-cluster.ts';
import { independentClient } from './grpc/testing/independent-client.ts';
import { pollUntil } from './testing/definitions-fixtures.ts';
import { eventClients, obliterateQueues } from './testing/event-clients.ts';
import { TEST_DASHBOARD_ORIGIN, TEST_INGEST_KEY } from './testing/test-api.ts';
import { startToggleProxy, type ToggleProxy } from './testing/toggle-proxy.ts';
import { cookieClient, signedIn } from './testing/trpc-client.ts';

// Two api and two worker processes on one database and Redis behind a real nginx (the shipped
// deploy/nginx/challenges.conf, started by `npm run cluster`'s own starter). Players talk to
// nginx only; one api is killed with SIGKILL in the middle of the load.
const REDIS_URL = 'redis://127.0.0.1:6379';
const PARTITIONS = 8;
const PLAYERS = 8;
const ROUNDS = 24;
const ADMIN = { email: 'ops@example.com', password: 'cluster-admin-password' };
const prefix = `test-nginx-${process.pid}-${randomUUID()}`;

// `total` sums the `inc` of every event; `latest` keeps the last `latest_value`, which falls
// with each round, so a reordered or repeated event shows in one of the two.
const definitions = (version: number) => ({
  challenges: [
    {
      challengeId: 'load',
      name: `v${version} load`,
      description: 'replicas test',
      goals: ['total', 'latest'].map((goalId) => ({
        goalId,
        name: `v${version} ${goalId}`,
        description: goalId,
        eventSource: 'statistic',
        requirement: {
          statCode: 'steps',
          operator: '>=',
          targetValue: 1_000_000,
          progressMode: goalId === 'total' ? 'increment' : 'absolute',
        },
        reward: { type: 'ITEM', rewardId: 'medal', quantity: 1 },
        defaultAssigned: true,
      })),
    },
  ],
});

let database: TestDatabase;
let cluster: Cluster;
let dir: string;
// The second api reaches PostgreSQL through a proxy the test can switch off.
let databaseOfApi2: ToggleProxy;

beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'replicas-nginx-'));
  const file = join(dir, 'challenges.json');
  writeFileSync(file, JSON.stringify(definitions(1)));
  databaseOfApi2 = await startToggleProxy({ host: '127.0.0.1', port: 5432 });
  cluster = await startCluster({
    apiEnv: (n) => (n === 2 ? { DATABASE_URL: databaseOfApi2.url(database.url) } : {}),
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      EVENT_PARTITIONS: String(PARTITIONS),
      CHALLENGES_FILE: file,
      AUTH_MODE: 'mock',
      INGEST_API_KEYS: TEST_INGEST_KEY,
      RATE_LIMIT_PER_MIN: '0',
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      DASHBOARD_ORIGINS: TEST_DASHBOARD_ORIGIN,
      // Only the Redis signal can keep the 2 s promise.
      DEFINITIONS_POLL_MS: '10000',
    },
  });
}, 120_000);

afterAll(async () => {
  databaseOfApi2?.up();
  await cluster?.stop();
  await databaseOfApi2?.close();
  await obliterateQueues(REDIS_URL, prefix, PARTITIONS);
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const playerGet = (base: string, user: string) =>
  fetch(`${base}/challenge/v1/challenges`, { headers: { 'x-mock-user-id': user } });

async function goalsOf(base: string, user: string): Promise<Map<string, any>> {
  const res = await playerGet(base, user);
  if (res.status !== 200) throw new Error(`list answered ${res.status}`);
  const body: any = await res.json();
  return new Map(body.challenges.flatMap((c: any) => c.goals.map((g: any) => [g.goalId, g])));
}

/** A request that failed, and when it started (performance.now()). */
interface Failure {
  what: string;
  startedAt: number;
  error: string;
}

describe('2 api + 2 worker replicas behind nginx', () => {
  it('a dashboard session from one replica is valid on the other; a publish reaches both within 2 s', async () => {
    const [one, two] = cluster.apis.map((api) => ({ url: (path: string) => `${api.url}${path}` }));
    const session = await signedIn(one!, ADMIN.email, ADMIN.password);
    const elsewhere = cookieClient(two!, { cookies: session.cookies });
    expect(await elsewhere.client.auth.session.query()).toMatchObject({ email: ADMIN.email });

    // Published through the second replica with the session the first one issued.
    await elsewhere.client.challenge.updateDraft.mutate({ content: definitions(2) });
    await elsewhere.client.challenge.publish.mutate({});
    const visible = await Promise.all(
      cluster.apis.map((api) =>
        pollUntil(
          async () => (await goalsOf(api.url, 'reader')).get('total')?.name === 'v2 total',
          2000,
          5,
        ),
      ),
    );
    console.info(`publish → visible on each replica: ${visible.map((ms) => ms.toFixed(0))} ms`);
    for (const ms of visible) expect(ms).toBeLessThan(2000);
  });

  it('a replica whose database is down answers 503 on /healthz and nginx serves its reads from the other', async () => {
    const [, api2] = cluster.apis;
    databaseOfApi2.down();
    try {
      expect((await fetch(`${api2!.url}/healthz`)).status).toBe(503);
      const logStart = cluster.nginx.accessLog().length;
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push((await playerGet(cluster.urls.rest, `outage-${i}`)).status);
      expect(statuses).toEqual(Array(8).fill(200));
      // nginx did send a read to the replica, saw its 503 and asked the other one.
      const lines = cluster.nginx.accessLog().slice(logStart);
      expect(lines.some((l) => l.startsWith(`127.0.0.1:${api2!.ports.http}, `))).toBe(true);
    } finally {
      databaseOfApi2.up();
    }
    // Back: healthy again, and nginx sends it requests once fail_timeout (10 s) has passed.
    await pollUntil(async () => (await fetch(`${api2!.url}/healthz`)).status === 200, 20_000, 50);
    const logStart = cluster.nginx.accessLog().length;
    await pollUntil(
      async () => {
        await playerGet(cluster.urls.rest, 'outage-back');
        return cluster.nginx
          .accessLog()
          .slice(logStart)
          .some((l) => l.startsWith(`127.0.0.1:${api2!.ports.http} 200 `));
      },
      15_000,
      50,
    );
  }, 60_000);

  it('mixed load through nginx: spread over both apis, exactly once and in order, one api killed mid-run', async () => {
    const grpc = independentClient(cluster.urls.grpc);
    const events = eventClients(cluster.urls.eventsGrpc, TEST_INGEST_KEY);
    const rest = cluster.urls.rest;
    const logStart = cluster.nginx.accessLog().length;
    const failures: Failure[] = [];
    let killedAt = Number.POSITIVE_INFINITY;
    let completedRounds = 0;
    const attempt = async (what: string, call: () => Promise<void>) => {
      const startedAt = performance.now();
      try {
        await call();
        return true;
      } catch (error) {
        failures.push({ what, startedAt, error: String(error) });
        return false;
      }
    };
    const ok = async (res: Promise<Response>) => {
      const answer = await res;
      if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
    };
    const player = async (user: string) => {
      await attempt('initialize', () =>
        ok(
          fetch(`${rest}/challenge/v1/challenges/initialize`, {
            method: 'POST',
            headers: { 'x-mock-user-id': user },
          }),
        ),
      );
      for (let round = 1; round <= ROUNDS; round++) {
        const event = {
          id: randomUUID(),
          namespace: 'test',
          userId: user,
          payload: { statCode: 'steps', inc: 1, latestValue: ROUNDS + 1 - round },
        };
        // A producer retries an event it saw no answer for, with the same id.
        for (let tries = 0; tries < 3; tries++) {
          if (await attempt('event', () => events.stat(event))) break;
        }
        await attempt('list', () => ok(playerGet(rest, user)));
        await attempt('grpc', async () => {
          const answer = await grpc.call('GetUserChallenges', {}, { user });
          if (!answer.ok) throw new Error(`gRPC ${answer.code} ${answer.details}`);
        });
        completedRounds++;
      }
    };
    const killer = async () => {
      await pollUntil(async () => completedRounds >= (PLAYERS * ROUNDS) / 2, 60_000, 5);
      // In flight = started before the process is gone (its exit seen, so its sockets closed).
      await cluster.apis[0]!.kill9();
      killedAt = performance.now();
    };
    try {
      const users = Array.from({ length: PLAYERS }, (_, i) => `nginx-player-${i}`);
      await Promise.all([...users.map(player), killer()]);

      // Only requests in flight when the process died may fail: none started after it was gone,
      // and a handful before (each player has one request open; an event retry may be a second).
      expect(failures.filter((f) => f.startedAt > killedAt)).toEqual([]);
      expect(failures.length).toBeLessThanOrEqual(2 * PLAYERS);

      // Every event applied once, in each player's order (total = rounds, latest = last value).
      for (const user of users) {
        const progress = async () => {
          const goals = await goalsOf(rest, user);
          return [goals.get('total')?.progress, goals.get('latest')?.progress];
        };
        await pollUntil(async () => (await progress())[0] >= ROUNDS, 20_000, 50).catch(() => {});
        expect(await progress(), user).toEqual([ROUNDS, 1]);
      }

      // Round robin before the kill: both replicas served REST and both gRPC ports.
      const served = (port: number) =>
        cluster.nginx
          .accessLog()
          .slice(logStart)
          .filter((line) => line.startsWith(`127.0.0.1:${port} `)).length;
      for (const api of cluster.apis) {
        expect(served(api.ports.http)).toBeGreaterThan(0);
        expect(served(api.ports.grpc)).toBeGreaterThan(0);
        expect(served(api.ports.eventsGrpc)).toBeGreaterThan(0);
      }
      console.info(
        `nginx load: ${failures.length} failed request(s) (in flight at the kill), answers per replica ` +
          cluster.apis
            .map(
              (api) =>
                `${api.name} ${served(api.ports.http)}/${served(api.ports.grpc)}/${served(api.ports.eventsGrpc)}`,
            )
            .join(', '),
      );
      // After the kill, a request no longer reaches the dead replica first.
      expect((await playerGet(rest, 'after-kill')).status).toBe(200);
    } finally {
      grpc.close();
      events.close();
    }
  }, 120_000);
});
