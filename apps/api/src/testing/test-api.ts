import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@challenges/db/testing';
import pino from 'pino';
import { type RunningApi, startApi } from '../app.ts';
import { parseEnv } from '../env.ts';

export const TEST_CHALLENGES_FILE = fileURLToPath(
  new URL('./challenges.test.json', import.meta.url),
);

/** In INGEST_API_KEYS of every test api unless a test sets its own. */
export const TEST_INGEST_KEY = 'test-ingest-key-0123456789abcdefghijklmn';

export const FAKE_LOADTEST_RUNNER = fileURLToPath(
  new URL('./fake-loadtest-runner.ts', import.meta.url),
);

/** The dashboard origin test apis accept cookie-authenticated changes from (CSRF rule). */
export const TEST_DASHBOARD_ORIGIN = 'http://dashboard.test';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  user?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestApi {
  api: RunningApi;
  databaseUrl: string;
  url: (path: string) => string;
  /** `127.0.0.1:<port>` of the player gRPC facade. */
  grpcAddress: string;
  call<T = any>(method: string, path: string, options?: CallOptions): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/**
 * A real api process-in-test: own database, ephemeral port, real PostgreSQL and Redis.
 * `databaseVia` rewrites the URL the api connects with (e.g. through a toggle proxy or a pooler;
 * `migrateDirectly`: migrations still use the database's own URL, MIGRATION_DATABASE_URL); the rest
 * are startApi's test seams (e.g. the rate limiter's clock).
 */
export async function startTestApi(
  overrides: Record<string, string> = {},
  options: { databaseVia?: (url: string) => string; migrateDirectly?: boolean } & Parameters<
    typeof startApi
  >[2] = {},
): Promise<TestApi> {
  const database = await createTestDatabase();
  const env = parseEnv({
    DATABASE_URL: options.databaseVia?.(database.url) ?? database.url,
    ...(options.migrateDirectly ? { MIGRATION_DATABASE_URL: database.url } : {}),
    // Tests name their player with x-mock-user-id; a test of JWT auth overrides this.
    AUTH_MODE: 'mock',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    GRPC_PORT: '0',
    EVENTS_GRPC_PORT: '0',
    METRICS_PORT: '0',
    CHALLENGES_FILE: TEST_CHALLENGES_FILE,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MIN: '0',
    QUEUE_PREFIX: `test-${process.pid}-${Math.random().toString(36).slice(2)}`,
    // No test may start a real load test against itself by accident (loadtest.start).
    LOADTEST_RUNNER: FAKE_LOADTEST_RUNNER,
    INGEST_API_KEYS: TEST_INGEST_KEY,
    DASHBOARD_ORIGINS: TEST_DASHBOARD_ORIGIN,
    ...overrides,
  });
  const { databaseVia: _via, migrateDirectly: _direct, ...seams } = options;
  const api = await startApi(env, pino({ level: 'silent' }), seams);
  const base = `http://127.0.0.1:${api.port}`;
  const url = (path: string) => `${base}${path}`;
  return {
    api,
    databaseUrl: database.url,
    url,
    grpcAddress: `127.0.0.1:${api.grpcPort ?? 0}`,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.user !== undefined) headers['x-mock-user-id'] = options.user;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(url(path), { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: tests look at `text`
      }
      return { status: res.status, headers: res.headers, body: parsed as any, text };
    },
    async close() {
      await api.close();
      await database.drop();
    },
  };
}

/** Test-side seeding until events move progress: writes a row's state through the repository. */
export async function setProgress(
  t: TestApi,
  user: string,
  goalId: string,
  change: { progress: number; status: 'not_started' | 'in_progress' | 'completed' | 'claimed' },
): Promise<void> {
  const rows = await t.api.ctx.progress.listByUser(user);
  const row = rows.find((r) => r.goalId === goalId);
  if (!row) throw new Error(`no row for ${user}/${goalId}: assign it first`);
  const now = t.api.ctx.clock.now();
  await t.api.ctx.progress.saveRotated([
    {
      ...row,
      ...change,
      completedAt: change.status === 'completed' || change.status === 'claimed' ? now : null,
      claimedAt: change.status === 'claimed' ? now : null,
      // As events and claims do: completing ends what a rotation reopened.
      reopenedAt:
        change.status === 'completed' || change.status === 'claimed' ? null : row.reopenedAt,
      updatedAt: now,
    },
  ]);
}
