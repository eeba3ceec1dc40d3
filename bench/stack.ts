// `npm run loadtest:stack`: a throwaway stack for `npm run loadtest` — an api and a worker
// process (`node --import tsx`, so their pids are the processes the runner's CPU table reads) on a
// fresh database with the 500-goal fixture. Prints the runner's arguments; Ctrl-C stops both and
// removes the queue keys (the database stays for a look afterwards; the next start drops it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '@challenges/runtime';
import { BENCH_INGEST_KEY, clearRedisPrefix, dropDatabase, startApi } from './lib/api-process.ts';
import { fixture500, scenarios } from './lib/scenarios.ts';
import { startWorkerProcess } from './lib/worker-process.ts';

const usage = `usage: npm run loadtest:stack -- [--rows 100|500] [--database-url URL]
  --rows           active goal rows per player: 100 (first 10 goals of each challenge default,
                   the list benchmark's player; default) or 500 (every goal assigned)
  --database-url   dropped and recreated (default postgresql://postgres@127.0.0.1:5432/challenges_loadtest)
env: REDIS_URL (default redis://127.0.0.1:6379)`;

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100' },
    'database-url': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help || !['100', '500'].includes(values.rows ?? '')) {
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
const challengesFile = values.rows === '500' ? fixture500 : scenarios.list!.writeFixture(tmp);

dropDatabase(databaseUrl);
clearRedisPrefix(redisUrl, queuePrefix);
const [http, grpc, events, apiMetrics, workerMetrics] = await Promise.all(
  Array.from({ length: 5 }, freePort),
);
// Mock auth is refused in production (docs/api.md), and the runner sends x-mock-user-id.
const { NODE_ENV: _production, ...inherited } = process.env as Record<string, string>;
const shared = {
  ...inherited,
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: queuePrefix,
  CHALLENGES_FILE: challengesFile,
  LOG_LEVEL: 'warn',
};
console.error(`[stack] api on :${http}, worker; database ${databaseUrl} (${values.rows} rows)`);
const api = await startApi({
  cwd: root,
  entry: 'apps/api/src/main.ts',
  env: {
    ...shared,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(http),
    GRPC_PORT: String(grpc),
    EVENTS_GRPC_PORT: String(events),
    METRICS_PORT: String(apiMetrics),
    AUTH_MODE: 'mock',
    RATE_LIMIT_PER_MIN: '0',
    // Event gRPC needs a key (x-api-key); the runner is given the same one below.
    INGEST_API_KEYS: BENCH_INGEST_KEY,
  },
});
const worker = await startWorkerProcess({
  cwd: root,
  env: { ...shared, WORKER_METRICS_PORT: String(workerMetrics) },
}).catch(async (error) => {
  await api.stop();
  throw error;
});

const args = [
  `--target http://127.0.0.1:${http}`,
  `--grpc 127.0.0.1:${events}`,
  `--queue-prefix ${queuePrefix}`,
  `--api-metrics http://127.0.0.1:${apiMetrics}/metrics`,
  `--worker-metrics http://127.0.0.1:${workerMetrics}/metrics`,
  `--service-database-url ${databaseUrl}`,
  `--ingest-key ${BENCH_INGEST_KEY}`,
];
console.error(`[stack] api pid ${api.pid}, worker pid ${worker.pid}; Ctrl-C stops both`);
console.log(`npm run loadtest -- --scenario mixed ${args.join(' ')}`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all([api.stop(), worker.stop()]);
  clearRedisPrefix(redisUrl, queuePrefix);
  rmSync(tmp, { recursive: true, force: true });
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop());
