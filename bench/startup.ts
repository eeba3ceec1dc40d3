// `npm run bench:startup`: start-up time (spawn → ready) and memory of the api and the worker,
// compiled (`npm run build`, what the container runs) against tsx (`npm start`, development).
// Ready: the api answers GET /healthz 200; the worker logs that it consumes its partitions. Every
// run restarts on an already migrated and seeded database, as a redeploy does. Writes
// bench/results/<time>-startup.json and prints a Markdown table (docs/operations.md).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCpuMs } from '@challenges/loadtest/proc-cpu';
import { clearRedisPrefix, dropDatabase } from './lib/api-process.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 3;
const DATABASE_URL = `postgresql://postgres@127.0.0.1:5432/challenges_bench_startup_${process.pid}`;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = `bench-startup-${process.pid}`;
const ENV = {
  ...process.env,
  NODE_OPTIONS: '',
  DATABASE_URL,
  REDIS_URL,
  QUEUE_PREFIX: PREFIX,
  AUTH_MODE: 'mock',
  HTTP_HOST: '127.0.0.1',
  HTTP_PORT: '18731',
  GRPC_PORT: '18732',
  EVENTS_GRPC_PORT: '18733',
  METRICS_PORT: '18734',
  WORKER_METRICS_PORT: '18735',
  LOG_LEVEL: 'info',
};

interface Variant {
  service: 'api' | 'worker';
  mode: 'compiled' | 'tsx';
  args: string[];
}

const VARIANTS: Variant[] = [
  { service: 'api', mode: 'compiled', args: ['--enable-source-maps', 'apps/api/dist/main.js'] },
  { service: 'api', mode: 'tsx', args: ['--import', 'tsx', 'apps/api/src/main.ts'] },
  {
    service: 'worker',
    mode: 'compiled',
    args: ['--enable-source-maps', 'apps/worker/dist/main.js'],
  },
  { service: 'worker', mode: 'tsx', args: ['--import', 'tsx', 'apps/worker/src/main.ts'] },
];

interface Run {
  readyMs: number;
  cpuMs: number;
  rssMb: number;
}

const rssMb = (pid: number): number => {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb) / 102.4) / 10;
};

async function apiHealthy(): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${ENV.HTTP_PORT}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

async function waitReady(child: ChildProcess, variant: Variant): Promise<void> {
  let output = '';
  let consuming = false;
  const collect = (chunk: Buffer) => {
    output += chunk;
    if (output.includes('"msg":"worker consuming event partitions"')) consuming = true;
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${variant.service} exited:\n${output}`);
    if (variant.service === 'api' ? await apiHealthy() : consuming) return;
    if (performance.now() - started > 60_000) throw new Error(`not ready in 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function measure(variant: Variant): Promise<Run> {
  const started = performance.now();
  const child = spawn(process.execPath, variant.args, {
    cwd: ROOT,
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitReady(child, variant);
  const readyMs = Math.round(performance.now() - started);
  const run = { readyMs, cpuMs: Math.round(readCpuMs(child.pid!)), rssMb: rssMb(child.pid!) };
  child.kill('SIGTERM');
  await exited;
  return run;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

// The first start migrates and imports the demo definitions; it is not measured.
await measure(VARIANTS[0]!);
const loadBefore = loadavg();
// Round-robin, so a change in the machine's load (tests of others share it) hits every variant.
const results = VARIANTS.map((variant) => ({
  service: variant.service,
  mode: variant.mode,
  command: variant.args,
  runs: [] as Run[],
}));
try {
  for (let i = 0; i < RUNS; i += 1) {
    for (const [index, variant] of VARIANTS.entries()) {
      const run = await measure(variant);
      results[index]!.runs.push(run);
      process.stderr.write(
        `[startup] ${variant.service} ${variant.mode}: ${JSON.stringify(run)}\n`,
      );
    }
  }
} finally {
  dropDatabase(DATABASE_URL);
  clearRedisPrefix(REDIS_URL, PREFIX);
}

const stamp = new Date()
  .toISOString()
  .replace(/[-:]/g, '')
  .replace(/\.\d+Z$/, 'Z');
const file = path.join(ROOT, 'bench/results', `${stamp}-startup.json`);
const loadAverage = { before: loadBefore, after: loadavg() };
writeFileSync(
  file,
  `${JSON.stringify({ node: process.version, cpus: cpus().length, loadAverage, results }, null, 2)}\n`,
);
console.log(
  '| process | mode | ready ms (3 runs) | median | CPU-ms to ready (median) | RSS MB (median) |',
);
console.log('|---|---|---|--:|--:|--:|');
for (const { service, mode, runs } of results) {
  const ready = runs.map((r) => r.readyMs);
  console.log(
    `| ${service} | ${mode} | ${ready.join(' / ')} | ${median(ready)} | ${median(runs.map((r) => r.cpuMs))} | ${median(runs.map((r) => r.rssMb))} |`,
  );
}
console.log(
  `\nload average (1 min) ${loadAverage.before[0]} → ${loadAverage.after[0]} on ${cpus().length} CPUs`,
);
console.log(`wrote ${path.relative(ROOT, file)}`);
