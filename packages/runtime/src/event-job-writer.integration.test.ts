import { randomUUID } from 'node:crypto';
import {
  EVENT_JOB_NAME,
  EVENT_JOB_OPTIONS,
  type EventBatchJob,
  eventQueueName,
} from '@challenges/core';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventJobWriter } from './event-job-writer.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PARTITIONS = 2;

const job = (partition: number, ids: string[]): EventBatchJob => ({
  batchId: randomUUID(),
  partition,
  events: ids.map((id) => ({ type: 'login', id, userId: `user-${partition}`, receivedAt: 1 })),
});

describe('EventJobWriter', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  const queues: Queue[] = [];
  const newPrefix = () => {
    const prefix = `job-writer-${randomUUID()}`;
    prefixes.push(prefix);
    return prefix;
  };
  const queueOf = async (prefix: string, partition: number) => {
    const queue = new Queue(eventQueueName(partition), { connection: redis, prefix });
    queues.push(queue);
    await queue.setGlobalConcurrency(1);
    return queue;
  };

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterEach(async () => {
    await Promise.all(queues.splice(0).map((q) => q.close()));
    for (const prefix of prefixes.splice(0)) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
  });
  afterAll(() => {
    redis.disconnect();
  });

  /** What a worker reads of a queue: the job hash minus its timestamp, the wait list, the marker. */
  const state = async (prefix: string, partition: number, id: string) => {
    const queue = `${prefix}:${eventQueueName(partition)}`;
    const { timestamp, opts, ...hash } = await redis.hgetall(`${queue}:${id}`);
    return {
      hash: { ...hash, opts: JSON.parse(opts ?? 'null') },
      timestamp: Number(timestamp),
      wait: await redis.lrange(`${queue}:wait`, 0, -1),
      marker: await redis.zrange(`${queue}:marker`, '0', '-1'),
    };
  };

  it('leaves a job as BullMQ Queue.add does, marker withheld while the partition is busy', async () => {
    const [ours, theirs] = [newPrefix(), newPrefix()];
    const jobs = [job(0, ['a1', 'a2']), job(1, ['b'])];
    for (const prefix of [ours, theirs]) {
      for (let p = 0; p < PARTITIONS; p++) await queueOf(prefix, p);
      // Partition 1 has a job active: at its global concurrency of 1 no marker may wake a worker.
      await redis.lpush(`${prefix}:${eventQueueName(1)}:active`, 'running');
    }
    const before = Date.now();
    expect(await new EventJobWriter(redis, ours, PARTITIONS).write(jobs)).toBe(2);
    for (const j of jobs) {
      const reference = new Queue(eventQueueName(j.partition), {
        connection: redis,
        prefix: theirs,
        defaultJobOptions: EVENT_JOB_OPTIONS,
      });
      queues.push(reference);
      await reference.add(EVENT_JOB_NAME, j, { jobId: j.batchId });
      const written = await state(ours, j.partition, j.batchId);
      const { timestamp, ...expected } = await state(theirs, j.partition, j.batchId);
      expect(written).toEqual({ ...expected, timestamp: expect.any(Number) });
      expect(written.timestamp).toBeGreaterThanOrEqual(before);
      expect(written.marker).toEqual(j.partition === 0 ? ['0'] : []);
    }
  });

  it('writes a batch id once: a retried flush adds nothing', async () => {
    const prefix = newPrefix();
    const writer = new EventJobWriter(redis, prefix, PARTITIONS);
    const jobs = [job(0, ['a']), job(1, ['b'])];
    expect(await writer.write(jobs)).toBe(2);
    expect(await writer.write([...jobs, job(1, ['c'])])).toBe(1);
    const q0 = await queueOf(prefix, 0);
    const q1 = await queueOf(prefix, 1);
    expect(await q0.getWaitingCount()).toBe(1);
    expect(await q1.getWaitingCount()).toBe(2);
  });

  it('feeds a BullMQ worker the jobs in write order, with the contract’s options', async () => {
    const prefix = newPrefix();
    await queueOf(prefix, 0);
    const writer = new EventJobWriter(redis, prefix, PARTITIONS);
    const written = [job(0, ['e1']), job(0, ['e2', 'e3']), job(0, ['e4'])];
    for (const j of written) await writer.write([j]);
    const seen: { data: unknown; attempts: unknown; remove: unknown }[] = [];
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    const worker = new Worker(
      eventQueueName(0),
      async (j: Job) => {
        seen.push({ data: j.data, attempts: j.opts.attempts, remove: j.opts.removeOnComplete });
      },
      { connection, prefix, concurrency: 1 },
    );
    try {
      await expect.poll(() => seen.length, { timeout: 10_000, interval: 20 }).toBe(written.length);
    } finally {
      await worker.close();
      connection.disconnect();
    }
    expect(seen).toEqual(
      written.map((data) => ({
        data,
        attempts: EVENT_JOB_OPTIONS.attempts,
        remove: EVENT_JOB_OPTIONS.removeOnComplete,
      })),
    );
  });
});
