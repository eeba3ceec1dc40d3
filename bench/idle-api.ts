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
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPushPublisher, freePort } from '@challenges/runtime';
import { dropDatabase, startApi } from './lib/api-process.ts';
import { startBenchRedis } from './lib/bench-redis.ts';
import { type Checkout, idleOptions, idleWindow, runIdleRounds } from './lib/idle-window.ts';
import { fixture500 } from './lib/scenarios.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    against: { type: 'string' },
    announce: { type: 'string' },
  },
});
const announcePerS = Number(args.announce ?? 0);
const root = path.resolve(import.meta.dirname, '..');
const { seconds, rounds, checkouts } = idleOptions(root, args);
const queuePrefix = `bench-idle-api-${process.pid}`;
const { BENCH_DATABASE_URL } = process.env;
const base = BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/challenges_bench';
const databaseUrl = base.replace(/\/([^/]+)$/, '/$1_idle_api');

const bench = await startBenchRedis('bench-idle-api-redis-');

/** Every 50 ms, one `changed` call naming the round's share of `--announce` (1,000 players). */
function announce(): () => void {
  if (announcePerS <= 0) return () => {};
  const publisher = createPushPublisher({ redis: bench.probe, prefix: queuePrefix });
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

async function measure(checkout: Checkout) {
  dropDatabase(databaseUrl);
  const ports = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const { NODE_ENV: _production, ...inherited } = process.env as Record<string, string>;
  const api = await startApi({
    cwd: checkout.dir,
    entry: 'apps/api/src/main.ts',
    env: {
      ...inherited,
      DATABASE_URL: databaseUrl,
      REDIS_URL: bench.url,
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
    const window = await idleWindow(bench, api.pid, seconds, announce);
    return { checkout: checkout.name, announcePerS, ...window };
  } finally {
    await api.stop();
  }
}

await runIdleRounds({ scenario: 'idle-api', root, bench, checkouts, rounds, seconds, measure });
