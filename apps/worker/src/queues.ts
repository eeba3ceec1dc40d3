import { EVENT_JOB_NAME, EVENT_JOB_OPTIONS, eventQueueName } from '@challenges/core';
import type { RedisClient } from '@challenges/runtime';
import { type Job, Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { WorkerMetrics } from './metrics.ts';
import type { WaitingJob, WaitingJobs } from './processors/apply-events.ts';

export interface PartitionWorkersOptions {
  connection: RedisClient;
  prefix: string;
  partitions: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  processor: (job: Job, waiting: WaitingJobs) => Promise<unknown>;
  metrics: WorkerMetrics;
  log: Logger;
  depthSampleMs?: number;
}

export interface PartitionWorkers {
  queues: Queue[];
  workers: Worker[];
  /** Stops taking jobs, waits for the running ones to finish, closes connections. */
  close(): Promise<void>;
}

// The oldest waiting jobs with their name and payload in one round trip: BullMQ's getJobs reads
// the list, then each job's hash with a command of its own, and on loopback every command is a
// socket write costing the worker ≈ 0.2–0.3 ms of CPU on the bench VM (docs/event-model.md). BullMQ pushes
// new jobs at the head of the wait list, so the oldest are at its tail. Job hashes are
// `<queue key prefix><id>`, the layout BullMQ's own scripts use; the hash tag in the queue name
// (eventQueueName) puts them in the wait list's Redis Cluster slot, so the script may read them.
const PEEK_WAITING = `local ids = redis.call('LRANGE', KEYS[1], -tonumber(ARGV[1]), -1)
local out = {}
for i = #ids, 1, -1 do
  local job = redis.call('HMGET', ARGV[2] .. ids[i], 'name', 'data')
  out[#out + 1] = ids[i]
  out[#out + 1] = job[1]
  out[#out + 1] = job[2]
end
return out`;
const PEEK_WAITING_COMMAND = 'challengesPeekWaiting';

// The joined jobs out of the wait list, each with its keys, in one round trip (BullMQ's
// queue.remove is one script call per job). A joined job is a waiting event job — no parent,
// children, deduplication id or scheduler, which BullMQ's removeJob also looks after — so it
// is what removeJob does to such a job (the keys its removeJobKeys deletes), minus the 'removed'
// entry in the events stream, which nothing here reads. A job no longer waiting is left alone:
// it runs and finds its batch applied.
const REMOVE_WAITING = `local removed = 0
for i = 2, #ARGV do
  if redis.call('LREM', KEYS[1], 1, ARGV[i]) == 1 then
    local key = ARGV[1] .. ARGV[i]
    redis.call('DEL', key, key .. ':logs', key .. ':dependencies', key .. ':processed',
      key .. ':failed', key .. ':unsuccessful')
    removed = removed + 1
  end
end
return removed`;
const REMOVE_WAITING_COMMAND = 'challengesRemoveWaiting';

/** Clients the scripts are defined on (then sent by hash, loaded again if Redis forgot them). */
const scriptClients = new WeakSet<object>();

async function scriptClient(queue: Queue) {
  const client = await queue.getBackend().client;
  if (!scriptClients.has(client)) {
    client.defineCommand(PEEK_WAITING_COMMAND, { numberOfKeys: 1, lua: PEEK_WAITING });
    client.defineCommand(REMOVE_WAITING_COMMAND, { numberOfKeys: 1, lua: REMOVE_WAITING });
    scriptClients.add(client);
  }
  return client;
}

/** The waiting jobs of a partition queue, as the apply-events processor looks at them. */
export function waitingJobsOf(queue: Queue): WaitingJobs {
  return {
    async peek(limit) {
      const client = await scriptClient(queue);
      const reply: (string | null)[] = await client.runCommand(PEEK_WAITING_COMMAND, [
        queue.keys.wait,
        limit,
        queue.toKey(''),
      ]);
      const jobs: WaitingJob[] = [];
      for (let i = 0; i + 2 < reply.length; i += 3) {
        const data = reply[i + 2];
        // A job removed between LRANGE and HMGET cannot happen (one script); a hash without
        // data would be a producer bug, left for the job to fail on its own.
        jobs.push({
          id: reply[i]!,
          name: reply[i + 1] ?? '',
          data: data == null ? undefined : JSON.parse(data),
        });
      }
      return jobs;
    },
    async remove(ids) {
      if (ids.length === 0) return;
      const client = await scriptClient(queue);
      await client.runCommand(REMOVE_WAITING_COMMAND, [queue.keys.wait, queue.toKey(''), ...ids]);
    },
  };
}

/**
 * One BullMQ worker per partition queue. The queue's global concurrency of 1 means one job of a
 * partition is active at a time across every worker process, which is what keeps a player's
 * events in order; partitions spread over processes by whoever fetches first.
 */
export async function startPartitionWorkers(
  options: PartitionWorkersOptions,
): Promise<PartitionWorkers> {
  const { connection, prefix, log, metrics } = options;
  const queues: Queue[] = [];
  const workers: Worker[] = [];
  for (let partition = 0; partition < options.partitions; partition++) {
    const name = eventQueueName(partition);
    const queue = new Queue(name, { connection, prefix });
    queue.on('error', (error) => log.debug({ err: error, queue: name }, 'queue client error'));
    await queue.setGlobalConcurrency(1);
    queues.push(queue);
    const waiting = waitingJobsOf(queue);

    const worker = new Worker(
      name,
      async (job) => {
        // Other job names on this queue would be a producer bug; never guess what they mean.
        if (job.name !== EVENT_JOB_NAME) throw new Error(`unknown job name '${job.name}'`);
        return options.processor(job, waiting);
      },
      {
        connection,
        prefix,
        concurrency: 1,
        lockDuration: options.lockDurationMs,
        stalledInterval: options.stalledIntervalMs,
        // A job stalls when its worker dies; only one that keeps killing workers gives up.
        maxStalledCount: 10,
        // For jobs added without the contract's options; ingest's own carry them.
        removeOnComplete: EVENT_JOB_OPTIONS.removeOnComplete,
        removeOnFail: EVENT_JOB_OPTIONS.removeOnFail,
      },
    );
    worker.on('error', (error) => log.warn({ err: error, queue: name }, 'worker error'));
    worker.on('failed', (job, error) =>
      log.error({ err: error, queue: name, jobId: job?.id }, 'event batch failed'),
    );
    worker.on('stalled', (jobId) => log.warn({ queue: name, jobId }, 'job stalled; re-queued'));
    workers.push(worker);
  }

  const sample = async () => {
    await Promise.all(
      queues.map(async (queue, partition) => {
        const counts = await queue.getJobCounts('wait', 'prioritized', 'delayed', 'active');
        const depth = Object.values(counts).reduce((sum, n) => sum + n, 0);
        metrics.queueDepth.set({ partition: String(partition) }, depth);
      }),
    ).catch((error: unknown) => log.debug({ err: error }, 'queue depth sample failed'));
  };
  await sample();
  const timer = setInterval(() => void sample(), options.depthSampleMs ?? 5_000);
  timer.unref();

  return {
    queues,
    workers,
    async close() {
      clearInterval(timer);
      await Promise.all(workers.map((worker) => worker.close()));
      await Promise.all(queues.map((queue) => queue.close()));
    },
  };
}
