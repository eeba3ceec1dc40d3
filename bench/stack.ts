// `npm run loadtest:stack`: a throwaway stack for `npm run loadtest` — an api, an ingest process
// (ROLE=ingest, as a deployment runs it: docs/operations.md) and a worker, each a
// `node --import tsx` process (so their pids are the processes the runner's CPU table reads), on a
// fresh database with the 500-goal fixture (or, with --streams, the streams scenario's one goal).
// Prints the runner's command; Ctrl-C stops them and removes the queue keys (the database stays
// for a look afterwards; the next start drops it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '@challenges/runtime';
import {
  type ApiProcess,
  BENCH_INGEST_KEY,
  clearRedisPrefix,
  dropDatabase,
  startApi,
} from './lib/api-process.ts';
import { fixture500, fixtureStreams, scenarios } from './lib/scenarios.ts';
import { type IngestPlacement, type StackPorts, stackPlan } from './lib/stack-plan.ts';
import { startWorkerProcess } from './lib/worker-process.ts';

const usage = `usage: npm run loadtest:stack -- [--rows 100|500 | --streams] [--ingest separate|combined] [--database-url URL]
  --rows           active goal rows per player: 100 (first 10 goals of each challenge default,
                   the list benchmark's player; default) or 500 (every goal assigned)
  --streams        for --scenario streams: one goal (absolute stat 'score'), so every event
                   moves it and is pushed; raise 'ulimit -n' above the streams + 1000 first
                   (the api holds a socket per stream, and so does the runner)
  --ingest         separate: event ingest in a process of its own (ROLE=ingest; default);
                   combined: one api process serves players and ingest (ROLE=all)
  --database-url   dropped and recreated (default postgresql://postgres@127.0.0.1:5432/challenges_loadtest)
env: REDIS_URL (default redis://127.0.0.1:6379)`;

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100' },
    ingest: { type: 'string', default: 'separate' },
    streams: { type: 'boolean', default: false },
    'database-url': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (
  values.help ||
  !['100', '500'].includes(values.rows ?? '') ||
  !['separate', 'combined'].includes(values.ingest ?? '')
) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}

const root = path.resolve(import.meta.dirname, '..');
const databaseUrl =
  values['database-url'] ?? 'postgresql://postgres@127.0.0.1:5432/challenges_loadtest';
const { REDIS_URL } = process.env;
const redisUrl = REDIS_URL ?? 'redis://127.0.0.1:6379';
// Per stack, so two stacks on one Redis (two engineers, two runs) never share queues.
const queuePrefix = `challenges-loadtest-${process.pid}`;
const tmp = mkdtempSync(path.join(tmpdir(), 'loadtest-stack-'));
const challengesFile = values.streams
  ? fixtureStreams
  : values.rows === '500'
    ? fixture500
    : scenarios.list!.writeFixture(tmp);

dropDatabase(databaseUrl);
clearRedisPrefix(redisUrl, queuePrefix);
const portNames = [
  'http',
  'grpc',
  'events',
  'apiMetrics',
  'workerMetrics',
  'ingestHttp',
  'ingestMetrics',
];
const ports = Object.fromEntries(
  await Promise.all(portNames.map(async (name) => [name, await freePort()])),
) as unknown as StackPorts;
// Mock auth is refused in production (docs/api.md), and the runner sends x-mock-user-id.
const { NODE_ENV: _production, ...inherited } = process.env as Record<string, string>;
const plan = stackPlan({
  ingest: values.ingest as IngestPlacement,
  ports,
  shared: {
    ...inherited,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    CHALLENGES_FILE: challengesFile,
    LOG_LEVEL: 'warn',
  },
  ingestKey: BENCH_INGEST_KEY,
  databaseUrl,
});
console.error(
  `[stack] ${plan.apis.map((a) => `${a.name} (ROLE=${a.env.ROLE}) on :${a.env.HTTP_PORT}`).join(', ')}, ` +
    `worker; database ${databaseUrl} (${values.streams ? 'streams goal' : `${values.rows} rows`})`,
);
const apis: ApiProcess[] = [];
const stopApis = () => Promise.all(apis.map((a) => a.stop()));
// One after another: the first migrates the fresh database and imports the definitions.
for (const { env } of plan.apis) {
  apis.push(
    await startApi({ cwd: root, entry: 'apps/api/src/main.ts', env }).catch(async (error) => {
      await stopApis();
      throw error;
    }),
  );
}
const worker = await startWorkerProcess({ cwd: root, env: plan.workerEnv }).catch(async (error) => {
  await stopApis();
  throw error;
});

const pids = plan.apis.map((a, i) => `${a.name} pid ${apis[i]!.pid}`).join(', ');
console.error(`[stack] ${pids}, worker pid ${worker.pid}; Ctrl-C stops them`);
console.log(
  `npm run loadtest -- --scenario ${values.streams ? 'streams' : 'mixed'} ${plan.runnerArgs.join(' ')}`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all([stopApis(), worker.stop()]);
  clearRedisPrefix(redisUrl, queuePrefix);
  rmSync(tmp, { recursive: true, force: true });
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());
