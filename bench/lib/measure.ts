import { readCpuMs } from '@challenges/loadtest/proc-cpu';
import { freePort } from '@challenges/runtime';
import type { Client } from '@grpc/grpc-js';
import pg from 'pg';
import { Pool } from 'undici';
import { GetChallengesResponse } from '../../apps/api/src/gen/service/service.js';
import {
  type ApiProcess,
  benchPrefix,
  clearRedisPrefix,
  dropDatabase,
  startApi,
} from './api-process.ts';
import { benchGrpcClient, grpcBytes } from './grpc-bytes.ts';
import { restingCpuMsPerS } from './idle-window.ts';
import { runOpenLoop } from './open-loop.ts';
import { backendPids, cpuOf } from './pg-backend-cpu.ts';
import { describeMachine, judge, type ScenarioResult } from './report.ts';
import {
  type BenchRequest,
  checkInitialize,
  initializeRequest,
  type Scenario,
} from './scenarios.ts';
import { round, summarizeLatencies } from './stats.ts';

export interface MeasureOptions {
  root: string;
  /** apps/api/src/main.ts unless BENCH_API_ENTRY points elsewhere (another build, a stub). */
  apiEntry: string;
  tmpDir: string;
  rate: number;
  requests: number;
  warmup: number;
  players: number;
  /** RATE_LIMIT_PER_MIN of the api; 0 turns the per-player limit off. */
  rateLimitPerMin?: number;
  databaseUrl: string;
  redisUrl: string;
  /** Ingest only: the api's INGEST_LINGER_MS (`--linger`; default: the api's own default). */
  lingerMs?: number;
  /** Called with the api as soon as it runs, so an interrupted bench can still stop it. */
  onApi?: (api: ApiProcess | undefined) => void;
  log: (message: string) => void;
}

const basePath = '/challenge';
// The api's pool names its connections so (packages/db createPool's default applicationName).
const apiAppName = 'challenges';
const queuePrefix = benchPrefix('http');
// Parsing every answer would put the client's JSON.parse on the same 2 cores as the server.
const checkEvery = 50;

async function call(pool: Pool, req: BenchRequest, player: string, parse: boolean) {
  const res = await pool.request({
    method: req.method,
    path: req.path,
    headers: {
      'x-mock-user-id': player,
      ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: req.body,
  });
  if (res.statusCode !== 200) {
    // The stable errorCode (docs/api.md) makes the error kinds in the result readable.
    const text = await res.body.text();
    let errorCode = '';
    try {
      errorCode = ` ${(JSON.parse(text) as { errorCode?: string }).errorCode ?? ''}`.trimEnd();
    } catch {
      // Not JSON (e.g. a proxy's HTML page): the status alone names the kind.
    }
    throw new Error(`HTTP ${res.statusCode}${errorCode}`);
  }
  // Read to the end rather than body.dump(): dump() drops the connection when a body exceeds
  // 128 KiB, which a 500-goal list does, and would turn keep-alive into a connect per request.
  if (parse) return res.body.json();
  await res.body.arrayBuffer();
  return undefined;
}

/** A gRPC read whose answer is decoded only when checked, like the HTTP path. */
async function grpcCall(client: Client, path: string, player: string, parse: boolean) {
  const bytes = await grpcBytes(client, path, player);
  return parse ? GetChallengesResponse.decode(bytes) : undefined;
}

export function apiEnv(options: MeasureOptions, challengesFile: string, ports: number[]) {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  // Mock auth is refused in production (docs/api.md), and the bench needs it for x-mock-user-id.
  delete env.NODE_ENV;
  return {
    ...env,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: queuePrefix,
    CHALLENGES_FILE: challengesFile,
    BASE_PATH: basePath,
    HTTP_PORT: String(ports[0]),
    GRPC_PORT: String(ports[1]),
    EVENTS_GRPC_PORT: String(ports[2]),
    METRICS_PORT: String(ports[3]),
    AUTH_MODE: 'mock',
    RATE_LIMIT_PER_MIN: String(options.rateLimitPerMin ?? 0),
    LOG_LEVEL: 'warn',
  };
}

export async function measureScenario(
  scenario: Scenario,
  options: MeasureOptions,
): Promise<ScenarioResult> {
  const { log } = options;
  const startedAt = new Date().toISOString();
  const challengesFile = scenario.writeFixture(options.tmpDir);
  dropDatabase(options.databaseUrl);
  clearRedisPrefix(options.redisUrl, queuePrefix);
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);

  log(`${scenario.name}: starting api on :${ports[0]} (fresh database, ${challengesFile})`);
  const api = await startApi({
    cwd: options.root,
    entry: options.apiEntry,
    env: apiEnv(options, challengesFile, ports),
  });
  options.onApi?.(api);
  const pool = new Pool(api.baseUrl, { connections: 32 });
  const database = decodeURIComponent(new URL(options.databaseUrl).pathname.slice(1));
  const admin = new pg.Client({ connectionString: options.databaseUrl });
  await admin.connect();
  const grpc = benchGrpcClient(`127.0.0.1:${ports[1]}`);
  try {
    const players = Array.from(
      { length: options.players },
      (_, i) => `bench-${scenario.name}-player-${String(i + 1).padStart(3, '0')}`,
    );
    for (const player of players) {
      const body = await call(pool, initializeRequest(basePath), player, true);
      const problem = checkInitialize(body, scenario.activeRows, scenario.activeRows);
      if (problem) throw new Error(`setup of ${player}: ${problem}`);
    }

    const problems: string[] = [];
    const send = async (i: number): Promise<void> => {
      const parse = i % checkEvery === 0;
      const player = players[i % players.length]!;
      const body = scenario.grpcPath
        ? await grpcCall(grpc, scenario.grpcPath, player, parse)
        : await call(pool, scenario.request(basePath), player, parse);
      const problem = parse ? scenario.check(body) : undefined;
      if (problem && problems.length < 20) problems.push(problem);
    };

    log(`${scenario.name}: warm-up, ${options.warmup} requests at ${options.rate}/s`);
    await runOpenLoop({ rate: options.rate, requests: options.warmup, send });
    problems.length = 0;
    const idleCpuMsPerS = await restingCpuMsPerS(api.pid);

    log(`${scenario.name}: measuring, ${options.requests} requests at ${options.rate}/s`);
    const pidsBefore = await backendPids(admin, database, apiAppName);
    const dbBefore = cpuOf(pidsBefore);
    const cpuBefore = readCpuMs(api.pid);
    const run = await runOpenLoop({ rate: options.rate, requests: options.requests, send });
    const cpuMs = readCpuMs(api.pid) - cpuBefore;
    const dbAfter = cpuOf([
      ...new Set([...pidsBefore, ...(await backendPids(admin, database, apiAppName))]),
    ]);
    let dbCpuMs = 0;
    for (const [pid, ms] of dbAfter) dbCpuMs += ms - (dbBefore.get(pid) ?? 0);

    const errors = options.requests - run.ok;
    const partial: Omit<ScenarioResult, 'verdict'> = {
      scenario: scenario.name,
      title: scenario.title,
      startedAt,
      machine: describeMachine(options.root),
      config: {
        rate: options.rate,
        requests: options.requests,
        warmup: options.warmup,
        players: options.players,
        fixture:
          (scenario.activeRows === 100 ? 'loadtest-500, first 10 goals default' : 'loadtest-500') +
          (options.rateLimitPerMin ? `, RATE_LIMIT_PER_MIN ${options.rateLimitPerMin}` : ''),
      },
      result: {
        requests: options.requests,
        ok: run.ok,
        errors,
        errorKinds: run.errors,
        elapsedS: round(run.elapsedMs / 1000, 3),
        achievedRps: round((options.requests * 1000) / run.elapsedMs, 1),
        cpuMs: round(cpuMs, 1),
        // CPU-ms is divided by requests served; failed ones did not get the work measured.
        cpuMsPerRequest: round(cpuMs / Math.max(1, run.ok), 3),
        dbCpuMsPerRequest: round(dbCpuMs / Math.max(1, run.ok), 3),
        idleCpuMsPerS: round(idleCpuMsPerS, 1),
        latencyMs: mapValues(summarizeLatencies(run.latenciesMs), (v) => round(v, 2)),
        maxInFlight: run.maxInFlight,
        maxSendLagMs: round(run.maxSendLagMs, 1),
      },
      problems: [...new Set(problems)],
      targets: scenario.targets,
      referenceCpuMs: scenario.referenceCpuMs,
    };
    return { ...partial, verdict: judge(partial) };
  } catch (error) {
    const status = api.exitStatus();
    log(`${scenario.name}: failed; last api output:\n${api.logTail()}`);
    // A server that died mid-run shows up as ENOENT on /proc/<pid>/stat; say what happened.
    throw status ? new Error(`api ${status} during the run`, { cause: error }) : error;
  } finally {
    await pool.close().catch(() => undefined);
    await admin.end().catch(() => undefined);
    grpc.close();
    await api.stop();
    options.onApi?.(undefined);
    clearRedisPrefix(options.redisUrl, queuePrefix);
  }
}

function mapValues<T extends object>(obj: T, fn: (value: number) => number): T {
  return Object.fromEntries(
    Object.entries(obj).map(([key, value]) => [key, fn(value as number)]),
  ) as T;
}
