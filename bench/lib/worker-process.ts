import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

// e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, to see where the worker's CPU goes.
const { BENCH_WORKER_NODE_ARGS } = process.env;

export interface WorkerProcess {
  pid: number;
  metricsPort: number;
  logTail(): string;
  stop(): Promise<void>;
}

/** One value of the worker's Prometheus text (a metric without labels); 0 when absent. */
export async function workerMetric(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const match = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

/**
 * `node --import tsx apps/worker/src/main.ts` run directly, so `pid` is the worker whose /proc
 * CPU time is read; ready once its /metrics answers (after migrations and the definitions load).
 */
export async function startWorkerProcess(options: {
  cwd: string;
  env: Record<string, string>;
  readyTimeoutMs?: number;
}): Promise<WorkerProcess> {
  const metricsPort = Number(options.env.WORKER_METRICS_PORT);
  const extra = (BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (tail.length > 200) tail.splice(0, tail.length - 200);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const worker: WorkerProcess = {
    pid: child.pid ?? -1,
    metricsPort,
    logTail: () => tail.join('\n'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([
        exited.then(() => true),
        sleep(10_000).then(() => false),
      ]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`worker exited during start:\n${worker.logTail()}`);
    try {
      await workerMetric(metricsPort, 'challenge_events_applied_total');
      return worker;
    } catch {
      await sleep(200);
    }
  }
  await worker.stop();
  throw new Error(`worker not ready:\n${worker.logTail()}`);
}

/** Upper bound of the bucket holding quantile q of a Prometheus histogram (no labels). */
export async function workerHistogramQuantile(
  port: number,
  name: string,
  q: number,
): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const buckets = [...text.matchAll(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\d+)$`, 'gm'))];
  const total = Number(buckets.at(-1)?.[2] ?? 0);
  const hit = buckets.find((b) => Number(b[2]) >= q * total);
  return hit ? Number(hit[1]) : Number.NaN;
}
