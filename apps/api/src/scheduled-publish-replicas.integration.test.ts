import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@challenges/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelScheduledPublish,
  runDueScheduledPublishes,
  schedulePublish,
  updateDraft,
} from './application/definitions/index.ts';
import { pollUntil, versionedFile, versionsInAnswer } from './testing/definitions-fixtures.ts';
import { EPHEMERAL_API_PORTS, type SpawnedService, spawnService } from './testing/spawn-service.ts';
import { startTestApi, TEST_CHALLENGES_FILE, type TestApi } from './testing/test-api.ts';

// Two spawned api processes and the test process's own api share one database and Redis prefix;
// each polls for due scheduled publishes every second. A scheduled publish must create exactly
// one version, whichever replica claims it, with the draft as it was when it was scheduled.
const API_MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

let database: TestDatabase;
let editor: TestApi;
const replicas: SpawnedService[] = [];
const bases: string[] = [];
const prefix = `test-sched-${process.pid}-${Math.random().toString(36).slice(2)}`;

async function listChallenges(base: string): Promise<any> {
  const res = await fetch(`${base}/challenge/v1/challenges`, {
    headers: { 'x-mock-user-id': 'sched-reader' },
  });
  if (res.status !== 200) throw new Error(`GET /v1/challenges answered ${res.status}`);
  return res.json();
}

const switchedTo = (version: number) => (line: Record<string, unknown>) =>
  line.msg === 'definitions version switched' && line.version === version;

beforeAll(async () => {
  database = await createTestDatabase();
  const shared = {
    DATABASE_URL: database.url,
    QUEUE_PREFIX: prefix,
    CHALLENGES_FILE: TEST_CHALLENGES_FILE,
    LOG_LEVEL: 'info',
    AUTH_MODE: 'mock',
    RATE_LIMIT_PER_MIN: '0',
  };
  for (let i = 0; i < 2; i++)
    replicas.push(spawnService(API_MAIN, { ...shared, ...EPHEMERAL_API_PORTS }));
  editor = await startTestApi({ DATABASE_URL: database.url, QUEUE_PREFIX: prefix });
  for (const replica of replicas) {
    const listening = await replica.waitForLog((line) => line.msg === 'REST API listening', 90_000);
    bases.push(`http://127.0.0.1:${listening.line.port}`);
  }
}, 180_000);

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await editor?.close();
  await database?.drop();
});

describe('scheduled publishes across replicas', () => {
  it('publish exactly once, the snapshot taken when scheduled, and audit it', async () => {
    const ctx = editor.api.ctx;
    const store = ctx.definitionStore;
    await updateDraft(ctx, { content: versionedFile(2), actor: 'live-ops' });
    const publishAt = new Date(Date.now() + 1500);
    const scheduled = await schedulePublish(ctx, {
      publishAt,
      actor: 'live-ops',
      note: 'v2 at launch',
    });
    expect(scheduled).toMatchObject({ status: 'pending', createdBy: 'live-ops' });
    // Edited after scheduling: the scheduled snapshot (v2) is what goes live, not v3.
    await updateDraft(ctx, { content: versionedFile(3), actor: 'someone-else' });

    // Due: every replica races for it (two pollers in other processes, and eight calls here).
    await pollUntil(async () => Date.now() >= publishAt.getTime(), 5000);
    const here = (
      await Promise.all(Array.from({ length: 8 }, () => runDueScheduledPublishes(ctx)))
    ).flat();
    await pollUntil(async () => (await store.repository.listVersions(10)).length >= 2, 10_000);
    // Both replicas serve it (they switched to version 2: signal or poll).
    for (const replica of replicas) await replica.waitForLog(switchedTo(2), 5000);
    for (const base of bases)
      expect(versionsInAnswer(await listChallenges(base))).toEqual(new Set(['2']));

    const executedBy = replicas.filter((r) =>
      r.logs.some((l) => l.line.msg === 'scheduled publish executed'),
    );
    expect(here.length + executedBy.length).toBe(1);
    const versions = await store.repository.listVersions(10);
    expect(versions.map((v) => [v.version, v.note])).toEqual([
      [2, 'v2 at launch'],
      [1, expect.stringContaining('imported')],
    ]);
    const [row] = await store.scheduledPublishes.list(10);
    expect(row).toMatchObject({ id: scheduled.id, status: 'executed', version: 2 });
    const audit = await store.repository.listAudit(10);
    const executed = audit.filter((entry) => entry.action === 'scheduled_publish');
    expect(executed).toHaveLength(1);
    expect(executed[0]).toMatchObject({
      actor: 'live-ops',
      version: 2,
      summary: expect.objectContaining({
        scheduledId: scheduled.id,
        draftChangedSinceScheduled: true,
      }),
    });
    expect(audit.some((entry) => entry.action === 'schedule_publish')).toBe(true);
    // The draft keeps the later edit.
    expect((await store.repository.getDraft())?.content).toEqual(versionedFile(3));
  });

  it('a cancelled one never publishes, and cannot be cancelled twice', async () => {
    const ctx = editor.api.ctx;
    const publishAt = new Date(Date.now() + 800);
    const scheduled = await schedulePublish(ctx, { publishAt, actor: 'live-ops' });
    const cancelled = await cancelScheduledPublish(ctx, { id: scheduled.id, actor: 'boss' });
    expect(cancelled).toMatchObject({ status: 'cancelled', doneBy: 'boss' });
    await expect(
      cancelScheduledPublish(ctx, { id: scheduled.id, actor: 'boss' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await pollUntil(async () => Date.now() >= publishAt.getTime(), 5000);
    expect(await runDueScheduledPublishes(ctx)).toEqual([]);
    expect((await ctx.definitionStore.repository.listVersions(10)).map((v) => v.version)).toEqual([
      2, 1,
    ]);
    const audit = await ctx.definitionStore.repository.listAudit(10, {
      action: 'cancel_scheduled_publish',
    });
    expect(audit).toHaveLength(1);
  });

  it('refuses a time in the past on the service clock', async () => {
    await expect(
      schedulePublish(editor.api.ctx, { publishAt: '2000-01-01T00:00:00Z', actor: 'live-ops' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
