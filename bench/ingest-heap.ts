// Ingest heap under steady load (issue 13): an api with ROLE=ingest (the bench's flags, so the
// 64 MB semi-space too) takes gRPC StatItemUpdated at a fixed rate for a while, and its V8 heap
// is read per space from its /metrics every few seconds. A leak grows old space; a young
// generation that V8 enlarges under allocation pressure grows `new` only (up to 2 × the
// semi-space), which is what `heapUsed` alone cannot tell apart.
//
//   node --import tsx bench/ingest-heap.ts [--rate 500] [--seconds 300] [--every 10]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { freePort } from '@challenges/runtime';
import { credentials, Metadata } from '@grpc/grpc-js';
import { request } from 'undici';
import { StatisticStatItemUpdatedServiceClient } from '../apps/api/src/gen/accelbyte/social/statistic/v1/statistic.js';
import {
  BENCH_INGEST_KEY,
  benchPrefix,
  clearRedisPrefix,
  dropDatabase,
  startApi,
} from './lib/api-process.ts';
import { fixture500 } from './lib/scenarios.ts';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '300' },
    every: { type: 'string', default: '10' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const everyS = Number(values.every);
const { BENCH_DATABASE_URL, REDIS_URL } = process.env;
const databaseUrl =
  BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/challenges_bench_heap';
const redisUrl = REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = benchPrefix('ingest-heap');

/** MB per V8 space (`nodejs_heap_space_size_used_bytes`) and the whole heap's used MB. */
function heapBySpace(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^nodejs_heap_space_size_used_bytes\{space="(\w+)"\} (\S+)$/gm)) {
    out[m[1]!] = Number(m[2]) / 2 ** 20;
  }
  const used = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1];
  out.used = Number(used) / 2 ** 20;
  return out;
}

async function main(): Promise<void> {
  dropDatabase(databaseUrl);
  const [http, grpc, events, metrics] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env.NODE_ENV;
  const api = await startApi({
    cwd: process.cwd(),
    entry: 'apps/api/src/main.ts',
    env: {
      ...env,
      ROLE: 'ingest',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: prefix,
      EVENT_PARTITIONS: '8',
      CHALLENGES_FILE: fixture500,
      HTTP_PORT: String(http),
      GRPC_PORT: String(grpc),
      EVENTS_GRPC_PORT: String(events),
      METRICS_PORT: String(metrics),
      AUTH_MODE: 'mock',
      INGEST_API_KEYS: BENCH_INGEST_KEY,
      LOG_LEVEL: 'warn',
    },
  });
  const client = new StatisticStatItemUpdatedServiceClient(
    `127.0.0.1:${events}`,
    credentials.createInsecure(),
  );
  const metadata = new Metadata();
  metadata.set('x-api-key', BENCH_INGEST_KEY);
  let sent = 0;
  let failed = 0;
  const send = () => {
    const i = sent++;
    client.onMessage(
      {
        id: `heap-${i}`,
        namespace: 'test',
        timestamp: new Date().toISOString(),
        userId: `bench-user-${(i * 7919) % 1000}`,
        payload: { statCode: 'enemy_kills', latestValue: i, inc: 1 },
      },
      metadata,
      { deadline: Date.now() + 10_000 },
      (error) => {
        if (error) failed++;
      },
    );
  };
  // The queued jobs are not consumed (no worker): trimmed as they come so Redis stays small.
  const started = performance.now();
  const tick = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    while (sent < due) send();
  }, 2);
  const trim = setInterval(() => clearRedisPrefix(redisUrl, prefix), 30_000);
  console.log('s\tsent\tfailed\tused\tnew\told\tcode\tlarge_object\tload1');
  try {
    for (let s = 0; s <= seconds; s += everyS) {
      await new Promise((r) => setTimeout(r, Math.max(0, started + s * 1000 - performance.now())));
      const res = await request(`http://127.0.0.1:${metrics}/metrics`);
      const h = heapBySpace(await res.body.text());
      const mb = (k: string) => (h[k] ?? 0).toFixed(1);
      console.log(
        [s, sent, failed, mb('used'), mb('new'), mb('old'), mb('code'), mb('large_object')]
          .concat(loadavg()[0]!.toFixed(1))
          .join('\t'),
      );
    }
  } finally {
    clearInterval(tick);
    clearInterval(trim);
    client.close();
    await api.stop();
    clearRedisPrefix(redisUrl, prefix);
    dropDatabase(databaseUrl);
  }
}

await main();
