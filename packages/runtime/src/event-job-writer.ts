import {
  EVENT_JOB_NAME,
  EVENT_JOB_OPTIONS,
  type EventBatchJob,
  eventQueueName,
} from '@challenges/core';
import type { Redis } from 'ioredis';

/**
 * Adds event jobs to the partition queues exactly as BullMQ 6's `Queue.add` leaves them for the
 * Worker (addStandardJob-9.lua): the job hash (name, data, opts, timestamp, delay, priority), its
 * id pushed at the head of `wait`, and the `marker` entry that wakes a worker unless the queue is
 * paused or at its global concurrency. A job id that exists already is left alone (jobId =
 * batchId: a retry after a lost reply is a no-op). Not written: the `id` counter (ids are
 * ours) and the `events` stream entries (`added`, `waiting`), which only QueueEvents reads and
 * nothing here listens to. event-job-writer.integration.test.ts pins the layout against
 * Queue.add and a real Worker.
 */
const ADD_EVENT_JOBS = `local rcall = redis.call
local name, timestamp = ARGV[1], ARGV[2]
local written = 0
for i = 0, #KEYS / 5 - 1 do
  local k, a = i * 5, 2 + i * 3
  if rcall('EXISTS', KEYS[k + 1]) == 0 then
    rcall('HSET', KEYS[k + 1], 'name', name, 'data', ARGV[a + 2], 'opts', ARGV[a + 3],
      'timestamp', timestamp, 'delay', 0, 'priority', 0)
    local meta = rcall('HMGET', KEYS[k + 3], 'paused', 'concurrency')
    rcall('LPUSH', KEYS[k + 2], ARGV[a + 1])
    if not meta[1] and (not meta[2] or rcall('LLEN', KEYS[k + 4]) < tonumber(meta[2])) then
      rcall('ZADD', KEYS[k + 5], 0, '0')
    end
    written = written + 1
  end
end
return written`;
const ADD_EVENT_JOBS_COMMAND = 'challengesAddEventJobs';

/** The job options BullMQ stores with each job (its `opts` field), open for the job id. */
const OPTS_HEAD = `${JSON.stringify(EVENT_JOB_OPTIONS).slice(0, -1)},"jobId":`;

type AddEventJobs = (numberOfKeys: number, ...args: (string | number)[]) => Promise<number>;

/**
 * Writes the jobs of one ingest flush, whatever their partitions, as one script call: one
 * round trip and one socket write per flush instead of one `Queue.add` (job object, msgpack,
 * 9 keys, a script of ~200 lines) per job (docs/performance.md, ingest).
 */
export class EventJobWriter {
  /** Per partition: job key prefix, wait, meta, active, marker. */
  private readonly keys: {
    job: string;
    wait: string;
    meta: string;
    active: string;
    marker: string;
  }[];
  private readonly add: AddEventJobs;

  constructor(redis: Redis, prefix: string, partitions: number) {
    this.keys = Array.from({ length: partitions }, (_, p) => {
      const queue = `${prefix}:${eventQueueName(p)}:`;
      return {
        job: queue,
        wait: `${queue}wait`,
        meta: `${queue}meta`,
        active: `${queue}active`,
        marker: `${queue}marker`,
      };
    });
    // ioredis sends EVALSHA and falls back to EVAL once when Redis does not know the script.
    redis.defineCommand(ADD_EVENT_JOBS_COMMAND, { lua: ADD_EVENT_JOBS });
    const command = (redis as unknown as Record<string, AddEventJobs>)[ADD_EVENT_JOBS_COMMAND]!;
    this.add = command.bind(redis);
  }

  get partitions(): number {
    return this.keys.length;
  }

  /**
   * Resolves with how many jobs were new once Redis ran the script (all or none of them: one
   * script); job id = batchId.
   */
  write(jobs: readonly EventBatchJob[]): Promise<number> {
    const keys: string[] = [];
    const args: string[] = [EVENT_JOB_NAME, String(Date.now())];
    for (const job of jobs) {
      const k = this.keys[job.partition];
      if (!k) throw new RangeError(`partition ${job.partition} of ${this.keys.length}`);
      keys.push(k.job + job.batchId, k.wait, k.meta, k.active, k.marker);
      args.push(job.batchId, JSON.stringify(job), `${OPTS_HEAD}${JSON.stringify(job.batchId)}}`);
    }
    return this.add(keys.length, ...keys, ...args);
  }
}
