// The event gRPC server alone (issue 13 item 3, docs/performance.md): CPU per OnMessage call of
// this checkout's server against another checkout's (`--other`, e.g. a worktree of main), each in
// a child process of its own with an ingest that acknowledges at once (no Redis), so only the
// gRPC server, the key check, decoding and normalisation are measured. Runs alternate (other,
// this, other, this, …) so both see the same neighbours; CPU is the child's user+system time.
//
//   npm run bench:event-grpc -- --other /work/wt/main-copy [--pairs 3] [--calls 10000] [--rate 500]
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readProcStat, ticksToMs } from '@challenges/loadtest/proc-cpu';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { StatisticStatItemUpdatedServiceClient } from '../apps/api/src/gen/accelbyte/social/statistic/v1/statistic.js';
import { runOpenLoop } from './lib/open-loop.ts';
import { summarizeLatencies } from './lib/stats.ts';

const KEY = 'bench-event-grpc-key';
const { values: args } = parseArgs({
  options: {
    other: { type: 'string' },
    pairs: { type: 'string' },
    calls: { type: 'string' },
    rate: { type: 'string' },
    serve: { type: 'string' },
  },
});

/** Child: the event gRPC server of the checkout at `root`, acknowledging every event at once. */
async function serve(root: string): Promise<void> {
  const entry = path.join(root, 'apps/api/src/ingest/event-grpc-server.ts');
  const metricsEntry = path.join(root, 'apps/api/src/metrics/metrics.ts');
  const keysEntry = path.join(root, 'apps/api/src/auth/ingest-keys.ts');
  const { startEventGrpcServer } = await import(pathToFileURL(entry).href);
  const { createApiMetrics } = await import(pathToFileURL(metricsEntry).href);
  const { staticIngestKeys } = await import(pathToFileURL(keysEntry).href);
  const { default: pino } = await import('pino');
  const server = await startEventGrpcServer({
    ingest: { ingest: () => Promise.resolve(), ingestBatch: () => Promise.reject(new Error()) },
    metrics: createApiMetrics(),
    log: pino({ level: 'warn' }),
    host: '127.0.0.1',
    port: 0,
    keys: staticIngestKeys([KEY]),
  });
  process.stdout.write(`PORT ${server.port}\n`);
  process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

async function startChild(root: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--serve', root],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    const port = /PORT (\d+)/.exec(out)?.[1];
    if (port) return { child, port: Number(port) };
  }
  throw new Error(`the server of ${root} did not start`);
}

async function measure(root: string, calls: number, rate: number) {
  const { child, port } = await startChild(root);
  const client = new StatisticStatItemUpdatedServiceClient(
    `127.0.0.1:${port}`,
    credentials.createInsecure(),
  );
  const metadata = new Metadata();
  metadata.set('x-api-key', KEY);
  const send = (i: number) =>
    new Promise<void>((resolve, reject) =>
      client.onMessage(
        {
          id: `e-${i}`,
          namespace: 'test',
          timestamp: new Date().toISOString(),
          userId: `bench-user-${i % 1000}`,
          payload: { statCode: 'enemy_kills', latestValue: i, inc: 1 },
        },
        metadata,
        { deadline: Date.now() + 10_000 },
        (error: ServiceError | null) => (error ? reject(error) : resolve()),
      ),
    );
  try {
    await runOpenLoop({ rate, requests: Math.min(2000, calls), send: (i) => send(-1 - i) });
    const load = loadavg()[0]!;
    const before = readProcStat(child.pid!)!;
    const run = await runOpenLoop({ rate, requests: calls, send });
    const after = readProcStat(child.pid!)!;
    const userMs = ticksToMs(after.utime - before.utime);
    const sysMs = ticksToMs(after.stime - before.stime);
    const perCall = (ms: number) => Number((ms / Math.max(1, run.ok)).toFixed(4));
    const latency = summarizeLatencies(run.latenciesMs);
    return {
      root,
      load1: Number(load.toFixed(2)),
      ok: run.ok,
      cpuMsPerCall: perCall(userMs + sysMs),
      userMsPerCall: perCall(userMs),
      sysMsPerCall: perCall(sysMs),
      p50Ms: Number(latency.p50.toFixed(2)),
      p95Ms: Number(latency.p95.toFixed(2)),
    };
  } finally {
    client.close();
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

if (args.serve) {
  await serve(args.serve);
} else {
  if (!args.other) throw new Error('--other <checkout to compare with> is required');
  const here = path.resolve(import.meta.dirname, '..');
  const pairs = Number(args.pairs ?? 3);
  const calls = Number(args.calls ?? 10_000);
  const rate = Number(args.rate ?? 500);
  const runs = [];
  for (let i = 0; i < pairs; i++) {
    for (const [side, root] of [
      ['other', path.resolve(args.other)],
      ['this', here],
    ] as const) {
      const result = { side, ...(await measure(root, calls, rate)) };
      console.log(JSON.stringify(result));
      runs.push(result);
    }
  }
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const file = path.join(here, 'bench/results', `${stamp}-event-grpc.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ calls, rate, runs }, null, 2)}\n`);
  console.log(`wrote ${path.relative(here, file)}`);
}
