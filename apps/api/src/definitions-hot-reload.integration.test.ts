import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@challenges/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDraft, updateDraft } from './application/definitions/index.ts';
import { pollUntil, versionedFile, versionsInAnswer } from './testing/definitions-fixtures.ts';
import { EPHEMERAL_API_PORTS, type SpawnedService, spawnService } from './testing/spawn-service.ts';
import { startTestApi, TEST_CHALLENGES_FILE, type TestApi } from './testing/test-api.ts';
import { spawnWorker } from './testing/test-stack.ts';

// Three processes share one database and one Redis prefix: a spawned api, a spawned worker and
// the test process's own api, through which live-ops publish (as the tRPC router would).
const API_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

let database: TestDatabase;
let editor: TestApi;
let api: SpawnedService;
let worker: SpawnedService;
let workerStarted: ReturnType<typeof spawnWorker> | undefined;
let apiBase: string;
const prefix = `test-hot-${process.pid}-${Math.random().toString(36).slice(2)}`;
// The spawned api and worker poll far slower than the 2 s promise, so only the Redis signal can
// keep it; the switch log says which of the two triggered it.
const SLOW_POLL_MS = 5000;

async function listChallenges(user = 'hot-reader'): Promise<any> {
  const res = await fetch(`${apiBase}/challenge/v1/challenges`, {
    headers: { 'x-mock-user-id': user },
  });
  if (res.status !== 200) throw new Error(`GET /v1/challenges answered ${res.status}`);
  return res.json();
}

const goalIdsOf = (body: any): string[] =>
  body.challenges.flatMap((c: any) => c.goals.map((g: any) => g.goalId));

const switchedTo = (version: number) => (line: Record<string, unknown>) =>
  line.msg === 'definitions version switched' && line.version === version;

/** How long after `startedAt` each spawned process switched to `version`, and what triggered it. */
async function switchOf(
  process: SpawnedService,
  version: number,
  startedAt: number,
  limitMs: number,
) {
  const { line, receivedAt } = await process.waitForLog(switchedTo(version), limitMs);
  return { ms: receivedAt - startedAt, trigger: line.trigger };
}

async function publish(version: number): Promise<{ version: number; startedAt: number }> {
  await updateDraft(editor.api.ctx, { content: versionedFile(version), actor: 'live-ops' });
  const startedAt = performance.now();
  const published = await publishDraft(editor.api.ctx, { actor: 'live-ops' });
  return { version: published.version, startedAt };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const shared = {
    DATABASE_URL: database.url,
    QUEUE_PREFIX: prefix,
    CHALLENGES_FILE: TEST_CHALLENGES_FILE,
    LOG_LEVEL: 'info',
    AUTH_MODE: 'mock',
    DEFINITIONS_POLL_MS: String(SLOW_POLL_MS),
  };
  // All three start together on an empty store: the first-start import must happen once.
  api = spawnService(API_MAIN, {
    ...shared,
    ...EPHEMERAL_API_PORTS,
    RATE_LIMIT_PER_MIN: '0',
  });
  workerStarted = spawnWorker(shared);
  // Awaited below, after the other two: its failure is reported there, not as an unhandled one.
  workerStarted.catch(() => {});
  editor = await startTestApi({ DATABASE_URL: database.url, QUEUE_PREFIX: prefix });
  const listening = await api.waitForLog((line) => line.msg === 'REST API listening', 90_000);
  apiBase = `http://127.0.0.1:${listening.line.port}`;
  ({ worker } = await workerStarted);
}, 120_000);

afterAll(async () => {
  // Also a worker still starting when the api or the editor failed to (a failed start stops itself).
  const workerStop = workerStarted?.then((started) => started.worker.stop()).catch(() => {});
  await Promise.all([api?.stop(), workerStop]);
  await editor?.close();
  await database?.drop();
});

describe('hot reload across processes', () => {
  it('three processes starting on an empty store import the file once', async () => {
    const versions = await editor.api.ctx.definitionStore.repository.listVersions(10);
    expect(versions.map((v) => [v.version, v.createdBy])).toEqual([[1, 'system']]);
    expect(goalIdsOf(await listChallenges())).toContain('tutorial');
  });

  it('a publish reaches the other api and the worker within 2 s, through the Redis signal', async () => {
    const { version, startedAt } = await publish(2);
    const apiMs = await pollUntil(
      async () => goalIdsOf(await listChallenges()).includes('alpha-0'),
      2000,
      5,
    );
    const apiSwitch = await switchOf(api, version, startedAt, 2000);
    const workerSwitch = await switchOf(worker, version, startedAt, 2000);
    console.info(
      `publish → visible: other api ${apiMs.toFixed(0)} ms after publish returned, ` +
        `worker ${workerSwitch.ms.toFixed(0)} ms after publish started`,
    );
    expect(apiMs).toBeLessThan(2000);
    expect(apiSwitch).toMatchObject({ trigger: 'signal' });
    expect(workerSwitch).toMatchObject({ trigger: 'signal' });
    expect(workerSwitch.ms).toBeLessThan(2000);
  });

  it('a publish whose Redis signal is lost is picked up by the periodic check', async () => {
    // Straight through the repository: no PUBLISH on Redis at all.
    const startedAt = performance.now();
    const { version } = await editor.api.ctx.definitionStore.repository.publish({
      content: versionedFile(3),
      actor: 'test',
    });
    const limit = SLOW_POLL_MS + 2000;
    await pollUntil(async () => versionsInAnswer(await listChallenges()).has('3'), limit, 5);
    expect(await switchOf(api, version, startedAt, limit)).toMatchObject({ trigger: 'poll' });
    const workerSwitch = await switchOf(worker, version, startedAt, limit);
    expect(workerSwitch.trigger).toBe('poll');
    expect(workerSwitch.ms).toBeLessThan(limit);
  });

  it('a concurrent publish and read never mixes versions in one answer', async () => {
    const seen = new Set<string>();
    const mixed: string[] = [];
    let reading = true;
    const reader = async (n: number) => {
      let answers = 0;
      while (reading) {
        const versions = versionsInAnswer(await listChallenges(`hammer-${n}`));
        if (versions.size !== 1) mixed.push([...versions].join(','));
        for (const version of versions) seen.add(version);
        answers++;
      }
      return answers;
    };
    const readers = Array.from({ length: 6 }, (_, n) => reader(n));
    for (let version = 10; version <= 15; version++) {
      const { version: published } = await publish(version);
      await api.waitForLog(switchedTo(published), 2000);
    }
    reading = false;
    const answers = (await Promise.all(readers)).reduce((sum, n) => sum + n, 0);
    console.info(
      `${answers} answers read while 6 versions were published; versions seen: ${[...seen]}`,
    );
    expect(mixed).toEqual([]);
    // The readers really overlapped the switches: they saw several of the versions.
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(answers).toBeGreaterThan(50);
  });

  it('once the store has versions, CHALLENGES_FILE is ignored (even a broken one)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'defs-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"challenges": [');
    const live = await editor.api.ctx.definitionStore.repository.getLiveVersion();
    const late = spawnService(API_MAIN, {
      DATABASE_URL: database.url,
      QUEUE_PREFIX: prefix,
      CHALLENGES_FILE: broken,
      LOG_LEVEL: 'info',
      AUTH_MODE: 'mock',
      ...EPHEMERAL_API_PORTS,
    });
    try {
      const ignored = await late.waitForLog(
        (l) => /^CHALLENGES_FILE ignored/.test(String(l.msg)),
        30_000,
      );
      expect(ignored.line).toMatchObject({ file: broken, liveVersion: live });
      const loaded = await late.waitForLog((l) => l.msg === 'definitions loaded', 30_000);
      expect(loaded.line.version).toBe(live);
      await late.waitForLog((l) => l.msg === 'REST API listening', 30_000);
    } finally {
      await late.stop();
    }
  });
});
