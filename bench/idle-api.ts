// What an idle api costs (issue 13, docs/performance.md "Idle api"): its own CPU (/proc) and
// the commands its Redis runs (INFO commandstats of a redis-server of this bench alone), with
// no request sent, on the 500-goal fixture. With `--against <checkout>` the api of another
// checkout runs in alternate windows, so both see the same neighbours; each figure carries the
// load average. With `--announce N` the bench publishes N player changes a second as the worker
// does after its commits (one `changed` call per 50 ms round, docs/push.md), with no stream open:
// what the api's push shard reader costs a deployment whose players use no streams.
// Results go to bench/results/<time>-idle-api.json.
//
//   npm run bench:idle-api -- [--seconds 20] [--rounds 3] [--against <checkout>] [--announce N]
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { readCpuMs } from '@challenges/loadtest/proc-cpu';
import { createPushPublisher, freePort } from '@challenges/runtime';
import { dropDatabase, startApi } from './lib/api-process.ts';
import { startBenchRedis } from './lib/bench-redis.ts';
import { fixture500 } from './lib/scenarios.ts';
import { round } from './lib/stats.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    against: { type: 'string' },
    announce: { type: 'string' },
  },
});
const announcePerS = Number(args.announce ?? 0);
const seconds = Number(args.seconds ?? 20);
const rounds = Number(args.rounds ?? 3);
const root = path.resolve(import.meta.dirname, '..');
const checkouts = [{ name: 'this', dir: root }];
if (args.against) checkouts.push({ name: 'against', dir: path.resolve(args.against) });
const queuePrefix = `bench-idle-api-${process.pid}`;
const { BENCH_DATABASE_URL } = process.env;
const base = BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/challenges_bench';
const databaseUrl = base.replace(/\/([^/]+)$/, '/$1_idle_api');

const bench = await startBenchRedis('bench-idle-api-redis-');
const { probe, commandCalls } = bench;
const redisUrl = bench.url;

/** Every 50 ms, one `changed` call naming the round's share of `--announce` (1,000 players). */
function announce(): () => void {
  if (announcePerS <= 0) return () => {};
  const publisher = createPushPublisher({ redis: probe, prefix: queuePrefix });
  let next = 0;
  const timer = setInterval(() => {
    const users = Array.from(
      { length: Math.round(announcePerS / 20) },
      () => `bench-player-${next++ % 1000}`,
    );
    void publisher.changed(users);
  }, 50);
  return () => clearInterval(timer);
}

async function measure(checkout: { name: string; dir: string }) {
  dropDatabase(databaseUrl);
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const { NODE_ENV: _production, ...inherited } = process.env as Record<string, string>;
  const api = await startApi({
    cwd: checkout.dir,
    entry: 'apps/api/src/main.ts',
    env: {
      ...inherited,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: queuePrefix,
      CHALLENGES_FILE: fixture500,
      HTTP_PORT: String(ports[0]),
      GRPC_PORT: String(ports[1]),
      EVENTS_GRPC_PORT: String(ports[2]),
      METRICS_PORT: String(ports[3]),
      AUTH_MODE: 'mock',
      LOG_LEVEL: 'warn',
    },
  });
  try {
    // Start-up work (definitions, JIT, first polls) settles before the window opens.
    await sleep(3_000);
    const stopAnnouncing = announce();
    await probe.config('RESETSTAT');
    const cpuBefore = readCpuMs(api.pid);
    const from = performance.now();
    await sleep(seconds * 1000);
    const elapsedS = (performance.now() - from) / 1000;
    const cpuMs = readCpuMs(api.pid) - cpuBefore;
    stopAnnouncing();
    const calls = await commandCalls();
    const total = [...calls.values()].reduce((sum, n) => sum + n, 0);
    return {
      checkout: checkout.name,
      announcePerS,
      cpuMsPerS: round(cpuMs / elapsedS, 2),
      redisCommandsPerSec: round(total / elapsedS, 1),
      byCommand: Object.fromEntries([...calls].map(([name, n]) => [name, round(n / elapsedS, 2)])),
      load1: round(loadavg()[0]!, 2),
    };
  } finally {
    await api.stop();
  }
}

const results = [];
try {
  await new Promise((resolve) => probe.once('ready', resolve));
  for (let r = 0; r < rounds; r++) {
    for (const checkout of r % 2 === 0 ? checkouts : [...checkouts].reverse()) {
      const result = await measure(checkout);
      console.error(`[idle-api] ${JSON.stringify(result)}`);
      results.push(result);
    }
  }
} finally {
  await bench.stop();
}
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
const dir = path.join(root, 'bench/results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${stamp}-idle-api.json`);
writeFileSync(file, `${JSON.stringify({ scenario: 'idle-api', seconds, results }, null, 2)}\n`);
console.log(`wrote ${path.relative(root, file)}`);
