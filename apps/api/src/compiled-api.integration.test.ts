import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@challenges/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EPHEMERAL_API_PORTS, type SpawnedService, spawnService } from './testing/spawn-service.ts';

// What the container image runs: `npm run build` output on plain node (no TypeScript loader),
// against this file's database and Redis prefix.
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const COMPILED_MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

let database: TestDatabase;
let api: SpawnedService;
let base: string;

beforeAll(async () => {
  database = await createTestDatabase();
  // Only the api's bundle (≈ 0.5 s), so the test always runs what the sources say now.
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/build.ts', 'api'], {
    cwd: ROOT,
  });
  api = spawnService(COMPILED_MAIN, {
    // Nothing may slip a loader in through the environment either.
    NODE_OPTIONS: '',
    DATABASE_URL: database.url,
    QUEUE_PREFIX: `test-compiled-${process.pid}-${Math.random().toString(36).slice(2)}`,
    AUTH_MODE: 'mock',
    ...EPHEMERAL_API_PORTS,
  });
  const listening = await api.waitForLog((line) => line.msg === 'REST API listening', 25_000);
  base = `http://127.0.0.1:${listening.line.port}`;
}, 40_000);

afterAll(async () => {
  await api?.stop();
  await database?.drop();
});

describe('the compiled api', () => {
  it('is plain JavaScript that starts without tsx and answers /healthz', async () => {
    expect(existsSync(COMPILED_MAIN)).toBe(true);
    expect(api.child.spawnargs.slice(1)).toEqual([COMPILED_MAIN]);
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'healthy' });
  });

  it('finds the files its modules read next to their sources (demo definitions, API page)', async () => {
    const challenges = await fetch(`${base}/challenge/v1/challenges`, {
      headers: { 'x-mock-user-id': 'compiled-player' },
    });
    expect(challenges.status).toBe(200);
    const body = (await challenges.json()) as { challenges: unknown[] };
    expect(body.challenges.length).toBeGreaterThan(0);
    const docs = await fetch(`${base}/challenge/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('API reference');
  });

  it('drains and exits 0 on SIGTERM', async () => {
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
  });
});
