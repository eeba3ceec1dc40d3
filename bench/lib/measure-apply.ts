// The `apply` scenario (docs/performance.md, "event applied"): stat events through the real ingest (event
// gRPC) to a real worker process, each event matching 100 goal rows (the 500-goal fixture's
// `enemy_kills` goals, all assigned by initialize). Measured: worker CPU-ms per event (/proc of
// the worker pid), PostgreSQL CPU-ms per event (/proc of the worker's backend pids, found in
// pg_stat_activity by application_name; pg_stat_statements is not preloaded on this server and
// cannot be without a restart), event → visible in GET /v1/challenges, and the drain rate of a
// backlog (what the worker sustains).
import { setTimeout as sleep } from 'node:timers/promises';
import { readCpuMs } from '@challenges/loadtest/proc-cpu';
import { freePort } from '@challenges/runtime';
import pg from 'pg';
import { Pool } from 'undici';
import {
  BENCH_INGEST_KEY,
  benchPrefix,
  clearRedisPrefix,
  dropDatabase,
  startApi,
} from './api-process.ts';
import { ApplyLoad, statCode } from './apply-load.ts';
import type { MeasureOptions } from './measure.ts';
import { runOpenLoop } from './open-loop.ts';
import { backendPids, cpuOf } from './pg-backend-cpu.ts';
import { describeMachine, judge, type ScenarioResult } from './report.ts';
import { fixture500 } from './scenarios.ts';
import { round, summarizeLatencies } from './stats.ts';
import { startWorkerProcess, workerHistogramQuantile, workerMetric } from './worker-process.ts';

const queuePrefix = benchPrefix('apply');
// The worker's pool names its connections so (packages/db createPool applicationName).
const appName = 'challenges-worker';
const basePath = '/challenge';

export const applyScenario = {
  name: 'apply',
  title: 'event applied (worker + PostgreSQL) — 100 matching goal rows per event',
  defaultRate: 200,
  targets: { cpuMsPerRequest: 0.5, p95Ms: 250, dbMsPerEvent: 1.0 },
  referenceCpuMs: 1.1,
};

export async function measureApply(options: MeasureOptions): Promise<ScenarioResult> {
  const { log } = options;
  const startedAt = new Date().toISOString();
  // A database of its own: other scenarios (or a parallel bench) drop the default one.
  const dbUrl = new URL(options.databaseUrl);
  dbUrl.pathname = `${dbUrl.pathname}_apply`;
  const databaseUrl = dbUrl.toString();
  dropDatabase(databaseUrl);
  clearRedisPrefix(options.redisUrl, queuePrefix);
  const [http, grpcPort, eventsPort, metricsPort, workerMetricsPort] = await Promise.all(
    Array.from({ length: 5 }, freePort),
  );
  const { NODE_ENV: _production, ...inherited } = process.env as Record<string, string>;
  const shared = {
    ...inherited,
    DATABASE_URL: databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: queuePrefix,
    CHALLENGES_FILE: fixture500,
    LOG_LEVEL: 'warn',
  };
  log(`apply: starting api on :${http} and a worker (fresh database, loadtest-500)`);
  const api = await startApi({
    cwd: options.root,
    entry: options.apiEntry,
    env: {
      ...shared,
      BASE_PATH: basePath,
      HTTP_PORT: String(http),
      GRPC_PORT: String(grpcPort),
      EVENTS_GRPC_PORT: String(eventsPort),
      METRICS_PORT: String(metricsPort),
      AUTH_MODE: 'mock',
      RATE_LIMIT_PER_MIN: '0',
      INGEST_API_KEYS: BENCH_INGEST_KEY,
    },
  });
  options.onApi?.(api);
  const worker = await startWorkerProcess({
    cwd: options.root,
    env: { ...shared, WORKER_METRICS_PORT: String(workerMetricsPort), DB_POOL_SIZE: '8' },
  });
  const rest = new Pool(api.baseUrl, { connections: 16 });
  const database = decodeURIComponent(dbUrl.pathname.slice(1));
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();

  const load = new ApplyLoad(rest, eventsPort!, options.players, BENCH_INGEST_KEY);

  const drained = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const applied = await workerMetric(worker.metricsPort, 'challenge_event_batch_size_sum');
      if (applied >= load.seq) return;
      if (Date.now() > deadline) throw new Error(`worker applied ${applied} of ${load.seq} events`);
      await sleep(20);
    }
  };

  try {
    await load.initializePlayers();
    log(`apply: warm-up, ${options.warmup} events at ${options.rate}/s`);
    await runOpenLoop({ rate: options.rate, requests: options.warmup, send: load.send });
    await drained(60_000);
    load.visibleMs.length = 0;

    log(`apply: measuring, ${options.requests} events at ${options.rate}/s`);
    const pidsBefore = await backendPids(admin, database, appName);
    const dbBefore = cpuOf(pidsBefore);
    const workerBefore = readCpuMs(worker.pid);
    const appliedBefore = await workerMetric(worker.metricsPort, 'challenge_event_batch_size_sum');
    const batchesBefore = await workerMetric(
      worker.metricsPort,
      'challenge_event_batch_size_count',
    );
    const run = await runOpenLoop({
      rate: options.rate,
      requests: options.requests,
      send: load.send,
    });
    await drained(60_000);
    const workerCpuMs = readCpuMs(worker.pid) - workerBefore;
    const dbAfter = cpuOf([
      ...new Set([...pidsBefore, ...(await backendPids(admin, database, appName))]),
    ]);
    let dbCpuMs = 0;
    for (const [pid, ms] of dbAfter) dbCpuMs += ms - (dbBefore.get(pid) ?? 0);
    const applied =
      (await workerMetric(worker.metricsPort, 'challenge_event_batch_size_sum')) - appliedBefore;
    // The measured phase's batches: CPU per event is mostly CPU per batch ÷ this batch size.
    const measuredBatches = Math.max(
      1,
      (await workerMetric(worker.metricsPort, 'challenge_event_batch_size_count')) - batchesBefore,
    );
    log(
      `apply: measured phase: ${round(applied / measuredBatches, 1)} events per batch, ` +
        `worker ${round(workerCpuMs / measuredBatches, 2)} + PostgreSQL ` +
        `${round(dbCpuMs / measuredBatches, 2)} CPU-ms per batch`,
    );
    await load.waitForSamples(load.expectedSamples(run.ok));
    const latency = summarizeLatencies(load.visibleMs);
    load.sampling = false;
    // Sent one after another per player, so the last value must be what every player shows.
    const problems: string[] = [];
    for (const player of load.players) {
      const shown = await load.progressShown(player);
      if (shown !== load.lastValue.get(player)) {
        problems.push(`${player}: shows ${shown}, last value sent ${load.lastValue.get(player)}`);
      }
    }

    log('apply: capacity, a backlog of events sent as fast as ingest acks them');
    const backlog = Math.max(2_000, options.requests);
    const capacityFrom = performance.now();
    const firstSeq = load.seq;
    const capacityCpu = readCpuMs(worker.pid);
    const capacityPids = await backendPids(admin, database, appName);
    const capacityDb = cpuOf(capacityPids);
    const capacityBatches = await workerMetric(
      worker.metricsPort,
      'challenge_event_batch_size_count',
    );
    await Promise.all(Array.from({ length: backlog }, (_, i) => load.send(firstSeq + i + 1)));
    await drained(120_000);
    const sustainedEps = backlog / ((performance.now() - capacityFrom) / 1000);
    // Big batches amortise the per-job cost (BullMQ + 5 round trips): the same work at saturation.
    const capacityBatchSize =
      backlog /
      ((await workerMetric(worker.metricsPort, 'challenge_event_batch_size_count')) -
        capacityBatches);
    const capacityWorkerMs = readCpuMs(worker.pid) - capacityCpu;
    let capacityDbMs = 0;
    const pidsNow = await backendPids(admin, database, appName);
    for (const [pid, ms] of cpuOf([...new Set([...capacityPids, ...pidsNow])])) {
      capacityDbMs += ms - (capacityDb.get(pid) ?? 0);
    }
    log(
      `apply: backlog of ${backlog}: ${round(capacityBatchSize, 1)} events per batch, ` +
        `worker ${round(capacityWorkerMs / backlog, 3)} CPU-ms/event, ` +
        `PostgreSQL ${round(capacityDbMs / backlog, 3)} CPU-ms/event`,
    );

    const dbMsPerEvent = round(dbCpuMs / Math.max(1, applied), 3);
    const partial: Omit<ScenarioResult, 'verdict'> = {
      scenario: applyScenario.name,
      title: applyScenario.title,
      startedAt,
      machine: describeMachine(options.root),
      config: {
        rate: options.rate,
        requests: options.requests,
        warmup: options.warmup,
        players: options.players,
        fixture: `loadtest-500 all assigned, stat ${statCode} → 100 rows per event; DB ${round(dbMsPerEvent, 3)} CPU-ms/event (backend /proc); capacity ${round(sustainedEps, 0)} events/s`,
      },
      result: {
        requests: options.requests,
        ok: run.ok,
        errors: options.requests - run.ok,
        errorKinds: run.errors,
        elapsedS: round(run.elapsedMs / 1000, 3),
        achievedRps: round((options.requests * 1000) / run.elapsedMs, 1),
        cpuMs: round(workerCpuMs, 1),
        cpuMsPerRequest: round(workerCpuMs / Math.max(1, applied), 3),
        idleCpuMsPerS: 0,
        latencyMs: {
          p50: round(latency.p50, 2),
          p95: round(latency.p95, 2),
          p99: round(latency.p99, 2),
          max: round(latency.max, 2),
          mean: round(latency.mean, 2),
        },
        maxInFlight: run.maxInFlight,
        maxSendLagMs: round(run.maxSendLagMs, 1),
      },
      problems,
      targets: { cpuMsPerRequest: applyScenario.targets.cpuMsPerRequest, p95Ms: 250 },
      referenceCpuMs: applyScenario.referenceCpuMs,
    };
    const verdict = judge(partial);
    if (!(dbMsPerEvent <= applyScenario.targets.dbMsPerEvent)) {
      verdict.notes.push(`DB ${dbMsPerEvent} > ${applyScenario.targets.dbMsPerEvent} ms`);
      verdict.pass = false;
    }
    const batches = await workerMetric(worker.metricsPort, 'challenge_event_batch_size_count');
    const lagP95 = await workerHistogramQuantile(
      worker.metricsPort,
      'challenge_event_lag_seconds',
      0.95,
    );
    log(
      `apply: ${round(load.seq / Math.max(1, batches), 1)} events per batch on average; ack → applied p95 ≤ ${lagP95 * 1000} ms (worker histogram)`,
    );
    log(
      `apply: worker ${partial.result.cpuMsPerRequest} CPU-ms/event, PostgreSQL ${dbMsPerEvent} CPU-ms/event, ` +
        `visible p95 ${latency.p95.toFixed(1)} ms, capacity ${sustainedEps.toFixed(0)} events/s`,
    );
    return { ...partial, verdict };
  } catch (error) {
    log(`apply: failed; api:\n${api.logTail()}\nworker:\n${worker.logTail()}`);
    throw error;
  } finally {
    load.close();
    await rest.close().catch(() => undefined);
    await admin.end().catch(() => undefined);
    await worker.stop();
    await api.stop();
    options.onApi?.(undefined);
    clearRedisPrefix(options.redisUrl, queuePrefix);
  }
}
