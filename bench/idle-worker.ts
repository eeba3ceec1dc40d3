// What an idle worker costs (issue 13, docs/performance.md "Idle worker"): its own CPU (/proc),
// the commands its Redis runs (INFO commandstats of a redis-server of this bench alone, the
// scripts' own calls included) and that server's CPU, with no event sent. With `--against
// <checkout>` the worker of another checkout (e.g. an extracted `git archive main`, its
// node_modules linked) runs in alternate windows, so both see the same neighbours; each figure
// carries the load average. Results go to bench/results/<time>-idle-worker.json.
//
//   npm run bench:idle-worker -- [--seconds 20] [--rounds 3] [--against <checkout>]
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { readCpuMs } from '@challenges/loadtest/proc-cpu';
import { dropDatabase } from './lib/api-process.ts';
import { startBenchRedis } from './lib/bench-redis.ts';
import { fixture500 } from './lib/scenarios.ts';
import { round } from './lib/stats.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    against: { type: 'string' },
  },
});
const seconds = Number(args.seconds ?? 20);
const rounds = Number(args.rounds ?? 3);
const root = path.resolve(import.meta.dirname, '..');
const checkouts = [{ name: 'this', dir: root }];
if (args.against) checkouts.push({ name: 'against', dir: path.resolve(args.against) });
const { BENCH_DATABASE_URL } = process.env;
const base = BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/challenges_bench';
const databaseUrl = base.replace(/\/([^/]+)$/, '/$1_idle');

const bench = await startBenchRedis('bench-idle-redis-');
const { probe, server, commandCalls } = bench;
const redisUrl = bench.url;

async function measure(checkout: { name: string; dir: string }) {
  dropDatabase(databaseUrl);
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: checkout.dir,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
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
  // Start-up work (definitions, first leases) settles before the window opens.
  await sleep(3_000);
  await probe.config('RESETSTAT');
  const cpuBefore = readCpuMs(child.pid!);
  const redisBefore = readCpuMs(server.child.pid!);
  const from = performance.now();
  await sleep(seconds * 1000);
  const elapsedS = (performance.now() - from) / 1000;
  const cpuMs = readCpuMs(child.pid!) - cpuBefore;
  const redisCpuMs = readCpuMs(server.child.pid!) - redisBefore;
  const calls = await commandCalls();
  const load1 = loadavg()[0]!;
  child.kill('SIGTERM');
  await exited;
  const total = [...calls.values()].reduce((sum, n) => sum + n, 0);
  return {
    checkout: checkout.name,
    cpuPercent: round((cpuMs / (elapsedS * 1000)) * 100, 2),
    redisCommandsPerSec: round(total / elapsedS, 1),
    redisCpuPercent: round((redisCpuMs / (elapsedS * 1000)) * 100, 2),
    byCommand: Object.fromEntries([...calls].map(([name, n]) => [name, round(n / elapsedS, 2)])),
    load1: round(load1, 2),
  };
}

const results = [];
try {
  await new Promise((resolve) => probe.once('ready', resolve));
  for (let r = 0; r < rounds; r++) {
    for (const checkout of r % 2 === 0 ? checkouts : [...checkouts].reverse()) {
      const result = await measure(checkout);
      console.error(`[idle-worker] ${JSON.stringify(result)}`);
      results.push(result);
    }
  }
} finally {
  await bench.stop();
}
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
const dir = path.join(root, 'bench/results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${stamp}-idle-worker.json`);
writeFileSync(file, `${JSON.stringify({ scenario: 'idle-worker', seconds, results }, null, 2)}\n`);
console.log(`wrote ${path.relative(root, file)}`);
