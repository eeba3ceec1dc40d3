// The durable job write of one ingest flush, alone (issue 13 item 3, docs/performance.md): the
// client CPU of BullMQ's Queue.add per job (what ingest did) against EventJobWriter's one
// script call per flush, at the flush shapes the ingest bench sees — 1 job of 1 event (500
// events/s over 8 partitions) and 8 jobs of 1–3 events (a loaded box). Rounds alternate, so
// both sides see the same neighbours; CPU is this process's user+system time per flush and per
// event, written to bench/results/<time>-ingest-write.json.
//
//   npm run bench:ingest-write -- [--flushes 2000] [--rounds 3]
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  EVENT_JOB_NAME,
  EVENT_JOB_OPTIONS,
  type EventBatchJob,
  eventQueueName,
  type GameEvent,
} from '@challenges/core';
import { EventJobWriter } from '@challenges/runtime';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { clearRedisPrefix } from './lib/api-process.ts';

const { values: args } = parseArgs({
  options: { flushes: { type: 'string' }, rounds: { type: 'string' } },
});
const flushes = Number(args.flushes ?? 2000);
const rounds = Number(args.rounds ?? 3);
const PARTITIONS = 8;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `bench-${process.pid}-ingest-write`;
const root = path.resolve(import.meta.dirname, '..');

const redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
await new Promise((resolve) => redis.once('ready', resolve));
const queues = Array.from(
  { length: PARTITIONS },
  (_, p) =>
    new Queue(eventQueueName(p), {
      connection: redis,
      prefix,
      defaultJobOptions: EVENT_JOB_OPTIONS,
    }),
);
const writer = new EventJobWriter(redis, prefix, PARTITIONS);

let seq = 0;
const stat = (): GameEvent => ({
  type: 'stat',
  id: `w-${++seq}`,
  userId: `bench-user-${seq % 1000}`,
  statCode: 'enemy_kills',
  value: seq,
  inc: 1,
  timestamp: new Date().toISOString(),
  receivedAt: Date.now(),
});
async function usedMemory(): Promise<number> {
  const info = await redis.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? Number.NaN);
}

const flushOf = (jobs: number, eventsPerJob: number): EventBatchJob[] =>
  Array.from({ length: jobs }, (_, partition) => ({
    batchId: randomUUID(),
    partition,
    events: Array.from({ length: eventsPerJob }, stat),
  }));

const sides = {
  'Queue.add per job': (jobs: EventBatchJob[]) =>
    Promise.all(
      jobs.map((job) => queues[job.partition]!.add(EVENT_JOB_NAME, job, { jobId: job.batchId })),
    ),
  'EventJobWriter, one call per flush': (jobs: EventBatchJob[]) => writer.write(jobs),
};
const shapes = [
  { jobs: 1, eventsPerJob: 1 },
  { jobs: 8, eventsPerJob: 2 },
];

async function measure(
  write: (jobs: EventBatchJob[]) => Promise<unknown>,
  shape: (typeof shapes)[number],
) {
  const batches = Array.from({ length: flushes }, () => flushOf(shape.jobs, shape.eventsPerJob));
  const memoryBefore = await usedMemory();
  const cpu = process.cpuUsage();
  for (const jobs of batches) await write(jobs);
  const used = process.cpuUsage(cpu);
  const ms = (used.user + used.system) / 1000;
  // What the queued jobs occupy until a worker takes them (Redis memory per waiting event, for
  // capacity planning: docs/operations.md). Other clients of the same Redis add noise.
  const bytes = (await usedMemory()) - memoryBefore;
  clearRedisPrefix(redisUrl, prefix);
  const events = flushes * shape.jobs * shape.eventsPerJob;
  return {
    cpuMsPerFlush: ms / flushes,
    cpuMsPerEvent: ms / events,
    redisBytesPerEvent: Math.round(bytes / events),
    redisBytesPerJob: Math.round(bytes / (flushes * shape.jobs)),
  };
}

const startedAt = new Date().toISOString();
const runs: Record<string, unknown>[] = [];
// A warm-up of each side, not recorded: JIT, script load.
for (const write of Object.values(sides)) await measure(write, shapes[1]!);
for (let round = 1; round <= rounds; round++) {
  for (const shape of shapes) {
    for (const [side, write] of Object.entries(sides)) {
      const load1 = loadavg()[0]!;
      const result = await measure(write, shape);
      const row = { round, side, ...shape, ...result, load1: Number(load1.toFixed(2)) };
      runs.push(row);
      console.error(
        `[bench] round ${round} ${shape.jobs}×${shape.eventsPerJob} ${side}: ` +
          `${result.cpuMsPerFlush.toFixed(3)} CPU-ms/flush, ${result.redisBytesPerEvent} Redis bytes/event ` +
          `(load ${load1.toFixed(1)})`,
      );
    }
  }
}
await Promise.all(queues.map((q) => q.close()));
redis.disconnect();
clearRedisPrefix(redisUrl, prefix);

const dir = path.join(root, 'bench/results');
mkdirSync(dir, { recursive: true });
const file = path.join(
  dir,
  `${startedAt.replace(/[-:]/g, '').replace(/\.\d+/, '')}-ingest-write.json`,
);
writeFileSync(
  file,
  `${JSON.stringify({ scenario: 'ingest-write', startedAt, flushes, runs }, null, 2)}\n`,
);
console.error(`[bench] wrote ${path.relative(root, file)}`);
