import { testPlayerId } from '@challenges/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, TEST_INGEST_KEY, type TestApi } from '../testing/test-api.ts';
import { outcome, signedIn, type TrpcTestClient } from '../testing/trpc-client.ts';

// startTestApi runs the fake runner (testing/fake-loadtest-runner.ts): its --scenario picks
// the outcome, and it records the arguments it got as the run's progress.
const RUN = { rps: 20, eps: 0, durationSeconds: 5, users: 10 };

type Run = Awaited<ReturnType<TrpcTestClient['loadtest']['get']['query']>>;

/** Polls a run until `done` holds, failing with the last row seen after the deadline. */
async function waitForRun(client: TrpcTestClient, id: string, done: (run: Run) => boolean) {
  const deadline = Date.now() + 15_000;
  let run = await client.loadtest.get.query({ id });
  while (!done(run)) {
    if (Date.now() > deadline) throw new Error(`run ${id} never got there: ${JSON.stringify(run)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    run = await client.loadtest.get.query({ id });
  }
  return run;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('loadtest router', () => {
  let t: TestApi;
  let admin: TrpcTestClient;
  let viewer: TrpcTestClient;

  beforeAll(async () => {
    t = await startTestApi({
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD: 'admin-password',
      ADMIN_API_KEY: 'loadtest-admin-key',
      // The worker's port from the stack's shared settings (not the default 8081).
      WORKER_METRICS_PORT: '45678',
    });
    admin = (await signedIn(t, 'admin@example.com', 'admin-password')).client;
    await admin.user.create.mutate({
      email: 'viewer@example.com',
      password: 'password-123',
      role: 'viewer',
    });
    viewer = (await signedIn(t, 'viewer@example.com', 'password-123')).client;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a start from a viewer and out-of-range options from an admin', async () => {
    expect(await outcome(viewer.loadtest.start.mutate({ scenario: 'list', ...RUN }))).toBe(
      'FORBIDDEN',
    );
    expect(
      await outcome(
        admin.loadtest.start.mutate({ scenario: 'list', ...RUN, durationSeconds: 601 }),
      ),
    ).toBe('BAD_REQUEST');
    expect(await viewer.loadtest.list.query({ limit: 10 })).toEqual([]);
  });

  it('starts a running run against this api, refuses a second one, and cancels it', async () => {
    const { id } = await admin.loadtest.start.mutate({ scenario: 'list', ...RUN });
    const run = await waitForRun(admin, id, (r) => r.progress !== null);
    expect(run.status).toBe('running');
    const progress = run.progress as unknown as {
      args: Record<string, string>;
      secrets: Record<string, string>;
      pid: number;
    };
    expect(progress.args).toMatchObject({
      scenario: 'list',
      rps: '20',
      eps: '0',
      duration: '5s',
      users: '10',
      'run-id': id,
      target: `http://127.0.0.1:${t.api.port}`,
      'base-path': '/challenge',
      grpc: `127.0.0.1:${t.api.eventsGrpcPort}`,
      'api-metrics': `http://127.0.0.1:${t.api.metricsPort}/metrics`,
      'worker-metrics': 'http://127.0.0.1:45678/metrics',
      'profile-seconds': '2',
    });
    // Secrets go through the environment: argv is readable by anyone on the host (`ps`).
    expect(progress.secrets).toEqual({
      databaseUrl: t.databaseUrl,
      adminKey: 'loadtest-admin-key',
      // The first INGEST_API_KEYS key, for the event gRPC services' x-api-key.
      ingestKey: TEST_INGEST_KEY,
    });
    expect(JSON.stringify(progress.args)).not.toMatch(/loadtest-admin-key|postgres/);
    expect(JSON.stringify(progress.args)).not.toContain(TEST_INGEST_KEY);
    expect(alive(progress.pid)).toBe(true);

    expect(await outcome(admin.loadtest.start.mutate({ scenario: 'mixed', ...RUN }))).toBe(
      'CONFLICT',
    );
    expect(await outcome(viewer.loadtest.cancel.mutate({ id }))).toBe('FORBIDDEN');

    await admin.loadtest.cancel.mutate({ id });
    const cancelled = await viewer.loadtest.get.query({ id });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.finishedAt).not.toBeNull();
    // cancel waits for the runner to exit before it answers.
    expect(alive(progress.pid)).toBe(false);
    expect(await outcome(admin.loadtest.cancel.mutate({ id }))).toBe('NOT_FOUND');
  });

  it('shows a run the runner completed, report included, newest first in the list', async () => {
    const { id } = await admin.loadtest.start.mutate({ scenario: 'initialize', ...RUN });
    const run = await waitForRun(viewer, id, (r) => r.status !== 'running');
    expect(run).toMatchObject({ status: 'completed', report: { fake: true } });
    expect(run.reportMd).toBe('# Fake report\n');
    const list = await viewer.loadtest.list.query({ limit: 10 });
    // The verdict without the report body: the history shows PASS/FAIL.
    expect(list[0]).toMatchObject({
      id,
      scenario: 'initialize',
      status: 'completed',
      passed: true,
    });
    expect(list[0]).not.toHaveProperty('report');
  });

  it('removes the run’s made-up players after it, and leaves real players alone', async () => {
    await t.call('POST', '/challenge/v1/challenges/initialize', { user: 'alice' });
    const { id } = await admin.loadtest.start.mutate({ scenario: 'initialize', ...RUN });
    const run = await waitForRun(viewer, id, (r) => r.status !== 'running');
    // The fake runner initialized loadtest~0 through this api before it completed.
    expect(run.report).toMatchObject({ initialized: 200 });
    const deadline = Date.now() + 10_000;
    while ((await t.api.ctx.progress.listByUser(testPlayerId(0))).length > 0) {
      if (Date.now() > deadline) throw new Error('the load-test player was never removed');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await t.api.ctx.progress.listByUser('alice')).length).toBeGreaterThan(0);
  });

  it('marks a run failed with the runner’s last words when it dies without an end', async () => {
    const { id } = await admin.loadtest.start.mutate({ scenario: 'events', ...RUN });
    const run = await waitForRun(viewer, id, (r) => r.status !== 'running');
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/code 3.*simulated crash/);
    // No longer running, so the next run may start.
    const next = await admin.loadtest.start.mutate({ scenario: 'initialize', ...RUN });
    await waitForRun(viewer, next.id, (r) => r.status === 'completed');
  });
});

describe('loadtest router without an ingest key', () => {
  let t: TestApi;
  let admin: TrpcTestClient;

  beforeAll(async () => {
    t = await startTestApi({
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD: 'admin-password',
      INGEST_API_KEYS: '',
    });
    admin = (await signedIn(t, 'admin@example.com', 'admin-password')).client;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses event scenarios with a clear message instead of sending unauthenticated events', async () => {
    const start = () => admin.loadtest.start.mutate({ scenario: 'mixed', ...RUN, eps: 50 });
    expect(await outcome(start())).toBe('PRECONDITION_FAILED');
    await expect(start()).rejects.toThrow(/event scenarios need an ingest key.*INGEST_API_KEYS/);
    expect(await admin.loadtest.list.query({ limit: 10 })).toEqual([]);
    // Scenarios without events need no key.
    const { id } = await admin.loadtest.start.mutate({ scenario: 'initialize', ...RUN });
    expect((await waitForRun(admin, id, (r) => r.status !== 'running')).status).toBe('completed');
  });
});
