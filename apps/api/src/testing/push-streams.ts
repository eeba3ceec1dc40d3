import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type StreamEvent, type Subscription, subscribe } from '@challenges/client';
import { expect, vi } from 'vitest';
import { EPHEMERAL_API_PORTS, type SpawnedService, spawnService } from './spawn-service.ts';
import { TEST_CHALLENGES_FILE, TEST_INGEST_KEY } from './test-api.ts';
import { spawnWorker } from './test-stack.ts';

// The push-stream tests' processes and SSE clients (push-streams*.integration.test.ts).
const API_MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

/** A change arrives in milliseconds; a reconnect after the server's `retry: 1000`. */
export const STREAM_WAIT = { timeout: 15_000, interval: 20 };

/** The ms of a stream event's id: Redis's clock when the worker published, after its commit. */
export const idMs = (id: string) => Number(id.split('-')[0]);

export interface ApiProcess {
  service: SpawnedService;
  base: string;
  grpc: string;
}

/** An api process (mock auth, no rate limit, ephemeral ports) with `env` on top. */
export async function spawnApi(env: Record<string, string>): Promise<ApiProcess> {
  const service = spawnService(API_MAIN, {
    CHALLENGES_FILE: TEST_CHALLENGES_FILE,
    INGEST_API_KEYS: TEST_INGEST_KEY,
    AUTH_MODE: 'mock',
    LOG_LEVEL: 'info',
    RATE_LIMIT_PER_MIN: '0',
    ...env,
    ...EPHEMERAL_API_PORTS,
  });
  const rest = await service.waitForLog((line) => line.msg === 'REST API listening', 90_000);
  const grpc = await service.waitForLog((line) => line.msg === 'player gRPC listening', 30_000);
  return {
    service,
    base: `http://127.0.0.1:${rest.line.port}`,
    grpc: `127.0.0.1:${grpc.line.port}`,
  };
}

/** A worker process, once it consumes its event partitions. */
export async function spawnWorkerConsuming(env: Record<string, string>): Promise<SpawnedService> {
  return (
    await spawnWorker(
      { CHALLENGES_FILE: TEST_CHALLENGES_FILE, ...env },
      'worker consuming event partitions',
    )
  ).worker;
}

/** A player route of `api` as `x-mock-user-id: user`. */
export async function playerCall(api: ApiProcess, method: string, path: string, user: string) {
  const res = await fetch(`${api.base}/challenge${path}`, {
    method,
    headers: { 'x-mock-user-id': user },
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Sends a stat event through `api`'s ingest, again while it refuses (a failover under way). */
export async function sendStat(api: ApiProcess, userId: string, statCode: string, value: number) {
  const event = { id: randomUUID(), type: 'stat', userId, statCode, value, inc: 1 };
  await vi.waitFor(
    async () => {
      const res = await fetch(`${api.base}/challenge/v1/events`, {
        method: 'POST',
        headers: { 'x-api-key': TEST_INGEST_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [event] }),
      });
      expect(res.status).toBe(202);
    },
    { timeout: 30_000, interval: 100 },
  );
}

/** SSE subscriptions (packages/client) that record each event with its arrival time. */
export function sseSubscriptions() {
  const open: Subscription[] = [];
  return {
    open(baseUrls: string[], user: string) {
      const events: (StreamEvent & { at: number })[] = [];
      const sub = subscribe(
        { baseUrls, mockUserId: user },
        { onEvent: (event) => events.push({ ...event, at: Date.now() }) },
      );
      open.push(sub);
      return { sub, events };
    },
    closeAll() {
      for (const sub of open) sub.close();
    },
  };
}

/** Every goal of GET /v1/challenges as the stream's goal states (without the ticking field). */
export async function listedGoals(api: ApiProcess, user: string) {
  const { body } = await playerCall(api, 'GET', '/v1/challenges', user);
  const goals = new Map<string, unknown>();
  for (const c of body.challenges) {
    for (const g of c.goals) {
      const { name, description, requirement, reward, prerequisites, expiresInSeconds, ...state } =
        g;
      goals.set(`${c.challengeId}/${g.goalId}`, { challengeId: c.challengeId, ...state });
    }
  }
  return goals;
}

/** A stream's goal states without the ticking field, to compare with listedGoals. */
export const withoutExpiry = (goals: ReadonlyMap<string, any>) =>
  new Map([...goals].map(([k, { expiresInSeconds, ...g }]) => [k, g]));

export const tutorialCompleted = (goals: { goalId: string; status: string }[]) =>
  goals.some((g) => g.goalId === 'tutorial' && g.status === 'completed');
