// The `ingest` scenario: gRPC StatItemUpdated OnMessage at a steady rate, acked only once the
// event is durable in Redis. No worker runs: ingest alone is measured, and the bench's queues
// (own QUEUE_PREFIX) are obliterated afterwards.

import { eventQueueName } from '@challenges/core';
import { readCpuMs } from '@challenges/loadtest/proc-cpu';
import { freePort } from '@challenges/runtime';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { Queue } from 'bullmq';
import { request } from 'undici';
import { StatisticStatItemUpdatedServiceClient } from '../../apps/api/src/gen/accelbyte/social/statistic/v1/statistic.js';
import {
  BENCH_INGEST_KEY,
  benchPrefix,
  clearRedisPrefix,
  dropDatabase,
  startApi,
} from './api-process.ts';
import { restingCpuMsPerS } from './idle-window.ts';
import type { MeasureOptions } from './measure.ts';
import { runOpenLoop } from './open-loop.ts';
import { describeMachine, judge, type ScenarioResult } from './report.ts';
import { fixture500 } from './scenarios.ts';
import { round, summarizeLatencies } from './stats.ts';

const queuePrefix = benchPrefix('ingest');
const partitions = 8;
// A stat code 100 goals of the 500-goal fixture track, so no event is skipped as unknown.
const statCode = 'enemy_kills';

export const ingestScenario = {
  name: 'ingest',
  title: 'gRPC StatItemUpdated OnMessage — acked after the durable queue write',
  defaultRate: 500,
  targets: { cpuMsPerRequest: 0.3, p95Ms: 5 },
  referenceCpuMs: 0.4,
};

function apiEnv(options: MeasureOptions, ports: number[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  delete env.NODE_ENV;
  return {
    ...env,
    // The ingest role is what an ingest replica runs: event gRPC + HTTP ingest.
    ROLE: 'ingest',
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: queuePrefix,
    EVENT_PARTITIONS: String(partitions),
    CHALLENGES_FILE: fixture500,
    HTTP_PORT: String(ports[0]),
    GRPC_PORT: String(ports[1]),
    EVENTS_GRPC_PORT: String(ports[2]),
    METRICS_PORT: String(ports[3]),
    AUTH_MODE: 'mock',
    INGEST_API_KEYS: BENCH_INGEST_KEY,
    LOG_LEVEL: 'warn',
    ...(options.lingerMs === undefined ? {} : { INGEST_LINGER_MS: String(options.lingerMs) }),
  };
}

/**
 * Jobs and events queued so far, from the api's flush batch-size histogram, and Redis writes
 * (flushes: one call each) from its flush-duration histogram (Prometheus text).
 */
export function flushTotals(metricsText: string): { jobs: number; events: number; writes: number } {
  const value = (name: string) =>
    Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metricsText)?.[1] ?? Number.NaN);
  return {
    jobs: value('challenge_ingest_flush_batch_size_count'),
    events: value('challenge_ingest_flush_batch_size_sum'),
    writes: value('challenge_ingest_flush_duration_seconds_count'),
  };
}

async function scrapeFlushTotals(metricsPort: number): Promise<ReturnType<typeof flushTotals>> {
  const res = await request(`http://127.0.0.1:${metricsPort}/metrics`);
  return flushTotals(await res.body.text());
}

async function obliterate(redisUrl: string): Promise<void> {
  for (let p = 0; p < partitions; p++) {
    const queue = new Queue(eventQueueName(p), {
      connection: { url: redisUrl },
      prefix: queuePrefix,
    });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}

export async function measureIngest(options: MeasureOptions): Promise<ScenarioResult> {
  const { log } = options;
  const startedAt = new Date().toISOString();
  dropDatabase(options.databaseUrl);
  clearRedisPrefix(options.redisUrl, queuePrefix);
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  log(`ingest: starting api (ROLE=ingest) with event gRPC on :${ports[2]}`);
  const api = await startApi({
    cwd: options.root,
    entry: options.apiEntry,
    env: apiEnv(options, ports),
  });
  options.onApi?.(api);
  const client = new StatisticStatItemUpdatedServiceClient(
    `127.0.0.1:${ports[2]}`,
    credentials.createInsecure(),
  );
  const metadata = new Metadata();
  metadata.set('x-api-key', BENCH_INGEST_KEY);
  // Users drawn from a population; event ids unique per run.
  const population = Math.max(options.players, 1000);
  const runId = Date.now().toString(36);
  const send = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const userId = `bench-user-${(i * 7919) % population}`;
      client.onMessage(
        {
          id: `${runId}-${i}`,
          namespace: 'test',
          timestamp: new Date().toISOString(),
          userId,
          payload: { statCode, latestValue: i, inc: 1 },
        },
        metadata,
        { deadline: Date.now() + 10_000 },
        (error: ServiceError | null) => (error ? reject(error) : resolve()),
      );
    });
  try {
    log(`ingest: warm-up, ${options.warmup} events at ${options.rate}/s`);
    await runOpenLoop({ rate: options.rate, requests: options.warmup, send: (i) => send(-1 - i) });
    const idleCpuMsPerS = await restingCpuMsPerS(api.pid);
    log(`ingest: measuring, ${options.requests} events at ${options.rate}/s`);
    const flushedBefore = await scrapeFlushTotals(ports[3]!);
    const cpuBefore = readCpuMs(api.pid);
    const run = await runOpenLoop({ rate: options.rate, requests: options.requests, send });
    const cpuMs = readCpuMs(api.pid) - cpuBefore;
    const flushedAfter = await scrapeFlushTotals(ports[3]!);
    const latency = summarizeLatencies(run.latenciesMs);
    const partial: Omit<ScenarioResult, 'verdict'> = {
      scenario: ingestScenario.name,
      title: ingestScenario.title,
      startedAt,
      machine: describeMachine(options.root),
      config: {
        rate: options.rate,
        requests: options.requests,
        warmup: options.warmup,
        players: population,
        fixture: `loadtest-500, stat ${statCode}, ${partitions} partitions, no worker`,
      },
      result: {
        requests: options.requests,
        ok: run.ok,
        errors: options.requests - run.ok,
        errorKinds: run.errors,
        elapsedS: round(run.elapsedMs / 1000, 3),
        achievedRps: round((options.requests * 1000) / run.elapsedMs, 1),
        cpuMs: round(cpuMs, 1),
        cpuMsPerRequest: round(cpuMs / Math.max(1, run.ok), 3),
        idleCpuMsPerS: round(idleCpuMsPerS, 1),
        latencyMs: Object.fromEntries(
          Object.entries(latency).map(([k, v]) => [k, round(v as number, 2)]),
        ) as unknown as typeof latency,
        maxInFlight: run.maxInFlight,
        maxSendLagMs: round(run.maxSendLagMs, 1),
        eventsPerJob: round(
          (flushedAfter.events - flushedBefore.events) / (flushedAfter.jobs - flushedBefore.jobs),
          2,
        ),
        eventsPerWrite: round(
          (flushedAfter.events - flushedBefore.events) /
            (flushedAfter.writes - flushedBefore.writes),
          2,
        ),
        lingerMs: options.lingerMs,
      },
      problems: [],
      targets: ingestScenario.targets,
      referenceCpuMs: ingestScenario.referenceCpuMs,
    };
    return { ...partial, verdict: judge(partial) };
  } catch (error) {
    log(`ingest: failed; last api output:\n${api.logTail()}`);
    throw error;
  } finally {
    client.close();
    await api.stop();
    options.onApi?.(undefined);
    await obliterate(options.redisUrl);
    // obliterate() leaves a few job hashes behind after large runs; the prefix is ours alone.
    clearRedisPrefix(options.redisUrl, queuePrefix);
  }
}
