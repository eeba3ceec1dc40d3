import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readCpuMs } from '@challenges/loadtest/proc-cpu';
import type { startBenchRedis } from './bench-redis.ts';
import { round } from './stats.ts';

// What a process costs at rest. The idle benches (bench/idle-api.ts, bench/idle-worker.ts) run
// one process of each checkout in alternate windows, so both see the same neighbours, against a
// redis-server of the bench alone; the request benches take the api's figure between warm-up and
// measured window.

export type BenchRedis = Awaited<ReturnType<typeof startBenchRedis>>;
export interface Checkout {
  name: string;
  dir: string;
}

/**
 * `pid`'s CPU-ms per second over `ms` with nothing sent to it. The request benches take it after
 * their warm-up: right after start-up V8 is still compiling and collecting (20–25 ms/s there
 * against 6.5–8 in bench:idle-api's windows). 5 s, as /proc counts in 10 ms ticks: a 2 s window
 * could only say 0, 5, 10, … ms/s.
 */
export async function restingCpuMsPerS(pid: number, ms = 5_000): Promise<number> {
  const from = readCpuMs(pid);
  await sleep(ms);
  return (readCpuMs(pid) - from) / (ms / 1000);
}

/** `--seconds`, `--rounds` and `--against <checkout>` as the idle benches read them. */
export function idleOptions(
  root: string,
  args: { seconds?: string; rounds?: string; against?: string },
) {
  const checkouts: Checkout[] = [{ name: 'this', dir: root }];
  if (args.against) checkouts.push({ name: 'against', dir: path.resolve(args.against) });
  return { seconds: Number(args.seconds ?? 20), rounds: Number(args.rounds ?? 3), checkouts };
}

/**
 * One window: start-up work (definitions, JIT, first polls and leases) settles for 3 s, then
 * `pid`'s CPU, the Redis server's CPU and its commands are counted for `seconds`. `during`
 * starts before the window and is stopped at its end.
 */
export async function idleWindow(
  bench: BenchRedis,
  pid: number,
  seconds: number,
  during: () => () => void = () => () => {},
) {
  await sleep(3_000);
  const stop = during();
  await bench.probe.config('RESETSTAT');
  const cpuBefore = readCpuMs(pid);
  const redisBefore = readCpuMs(bench.server.child.pid!);
  const from = performance.now();
  await sleep(seconds * 1000);
  const elapsedS = (performance.now() - from) / 1000;
  const cpuMs = readCpuMs(pid) - cpuBefore;
  const redisCpuMs = readCpuMs(bench.server.child.pid!) - redisBefore;
  stop();
  const calls = await bench.commandCalls();
  const total = [...calls.values()].reduce((sum, n) => sum + n, 0);
  return {
    cpuMsPerS: round(cpuMs / elapsedS, 2),
    redisCommandsPerSec: round(total / elapsedS, 1),
    redisCpuMsPerS: round(redisCpuMs / elapsedS, 2),
    byCommand: Object.fromEntries([...calls].map(([name, n]) => [name, round(n / elapsedS, 2)])),
    load1: round(loadavg()[0]!, 2),
  };
}

/**
 * `rounds` of one window per checkout, the order alternating each round; the bench's Redis is
 * stopped after. Results go to bench/results/<time>-<scenario>.json.
 */
export async function runIdleRounds<T>(options: {
  scenario: string;
  root: string;
  bench: BenchRedis;
  checkouts: Checkout[];
  rounds: number;
  seconds: number;
  measure: (checkout: Checkout) => Promise<T>;
}): Promise<void> {
  const { scenario, root, bench, checkouts } = options;
  const results: T[] = [];
  try {
    await new Promise((resolve) => bench.probe.once('ready', resolve));
    for (let r = 0; r < options.rounds; r++) {
      for (const checkout of r % 2 === 0 ? checkouts : [...checkouts].reverse()) {
        const result = await options.measure(checkout);
        console.error(`[${scenario}] ${JSON.stringify(result)}`);
        results.push(result);
      }
    }
  } finally {
    await bench.stop();
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const dir = path.join(root, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${stamp}-${scenario}.json`);
  const report = { scenario, seconds: options.seconds, results };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${path.relative(root, file)}`);
}
