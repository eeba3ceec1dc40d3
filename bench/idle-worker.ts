// What an idle worker costs (issue 13, docs/performance.md "Idle worker"): its own CPU (/proc),
// the commands its Redis runs (INFO commandstats of a redis-server of this bench alone, the
// scripts' own calls included) and that server's CPU, with no event sent. With `--against
// <checkout>` the worker of another checkout (e.g. an extracted `git archive main`, its
// node_modules linked) runs in alternate windows, so both see the same neighbours; each figure
// carries the load average. Results go to bench/results/<time>-idle-worker.json.
//
//   npm run bench:idle-worker -- [--seconds 20] [--rounds 3] [--against <checkout>]
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dropDatabase } from './lib/api-process.ts';
import { startBenchRedis } from './lib/bench-redis.ts';
import { type Checkout, idleOptions, idleWindow, runIdleRounds } from './lib/idle-window.ts';
import { fixture500 } from './lib/scenarios.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    against: { type: 'string' },
  },
});
const root = path.resolve(import.meta.dirname, '..');
const { seconds, rounds, checkouts } = idleOptions(root, args);
const { BENCH_DATABASE_URL } = process.env;
const base = BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/challenges_bench';
const databaseUrl = base.replace(/\/([^/]+)$/, '/$1_idle');

const bench = await startBenchRedis('bench-idle-redis-');

async function measure(checkout: Checkout) {
  dropDatabase(databaseUrl);
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: checkout.dir,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: bench.url,
      QUEUE_PREFIX: `bench-idle-${process.pid}`,
      CHALLENGES_FILE: fixture500,
      WORKER_METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.includes('worker consuming event partitions')) resolve();
    });
    child.once('exit', () => reject(new Error(`${checkout.name}: the worker exited`)));
  });
  const window = await idleWindow(bench, child.pid!, seconds);
  child.kill('SIGTERM');
  await exited;
  return { checkout: checkout.name, ...window };
}

await runIdleRounds({ scenario: 'idle-worker', root, bench, checkouts, rounds, seconds, measure });
