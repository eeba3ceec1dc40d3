import {
  EVENT_JOB_NAME,
  EVENT_JOB_OPTIONS,
  type EventBatchJob,
  eventQueueName,
} from '@challenges/core';
import { isCluster, type RedisClient } from './redis-client.ts';

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

/** Below the batcher's 3 s ack backstop, so a missing replica answers UNAVAILABLE, not a timeout. */
const WAIT_TIMEOUT_MS = 1000;

interface PartitionKeys {
  job: string;
  wait: string;
  meta: string;
  active: string;
  marker: string;
}

export interface EventJobWriterOptions {
  /**
   * Replicas of the queue's master that must hold the jobs before the write counts (WAIT, sent
   * in the same round trip as the script). Redis replicates asynchronously: a master killed
   * right after answering loses what its replica had not received, and a failover would forget
   * an acknowledged event. In a cluster, at most the replicas it lists for the queue's slot: a
   * shard whose replica just took over has none until the old master returns, and refusing
   * cannot make it safer. Default 0.
   */
  ackReplicas?: number;
}

/**
 * Writes the jobs of one ingest flush, whatever their partitions, as one script call: one
 * round trip and one socket write per flush instead of one `Queue.add` (job object, msgpack,
 * 9 keys, a script of ~200 lines) per job (docs/performance.md, ingest). In a Redis Cluster each
 * partition queue has a slot of its own (`{…}` in its name), so a flush is one call per
 * partition it touches, sent together. A refused flush may have been written in part; the
 * client's retry is dropped by the worker's event-id dedup (docs/events.md).
 */
export class EventJobWriter {
  private readonly keys: PartitionKeys[];
  private readonly ackReplicas: number;
  /** Cluster: the slot of each partition queue (asked once). */
  private readonly slots = new Map<number, Promise<number>>();

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    partitions: number,
    options: EventJobWriterOptions = {},
  ) {
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
    this.ackReplicas = options.ackReplicas ?? 0;
    // ioredis sends EVALSHA and falls back to EVAL once when Redis does not know the script.
    redis.defineCommand(ADD_EVENT_JOBS_COMMAND, { lua: ADD_EVENT_JOBS });
  }

  get partitions(): number {
    return this.keys.length;
  }

  /**
   * Resolves with how many jobs were new once Redis ran the script (and the replicas asked for
   * hold them); job id = batchId. One Redis: all or none (one script).
   */
  async write(jobs: readonly EventBatchJob[]): Promise<number> {
    if (!isCluster(this.redis)) return this.writeGroup(jobs, this.ackReplicas);
    const byPartition = new Map<number, EventBatchJob[]>();
    for (const job of jobs) {
      const group = byPartition.get(job.partition) ?? [];
      group.push(job);
      byPartition.set(job.partition, group);
    }
    const written = await Promise.all(
      [...byPartition].map(async ([partition, group]) =>
        this.writeGroup(group, await this.clusterReplicas(partition)),
      ),
    );
    return written.reduce((sum, n) => sum + n, 0);
  }

  /** One script call for jobs whose keys share a slot, then WAIT when replicas must confirm. */
  private async writeGroup(jobs: readonly EventBatchJob[], replicas: number): Promise<number> {
    const keys: string[] = [];
    const args: string[] = [EVENT_JOB_NAME, String(Date.now())];
    for (const job of jobs) {
      const k = this.keys[job.partition];
      if (!k) throw new RangeError(`partition ${job.partition} of ${this.keys.length}`);
      keys.push(k.job + job.batchId, k.wait, k.meta, k.active, k.marker);
      args.push(job.batchId, JSON.stringify(job), `${OPTS_HEAD}${JSON.stringify(job.batchId)}}`);
    }
    // A command of its own, not in a pipeline: ioredis answers a NOSCRIPT (a Redis restarted, a
    // replica promoted without the script) with EVAL only outside pipelines.
    const add = (this.redis as unknown as Record<string, AddEventJobs>)[ADD_EVENT_JOBS_COMMAND]!;
    const written = Number(await add.call(this.redis, keys.length, ...keys, ...args));
    if (replicas > 0) await this.waitForReplicas(keys[1]!, replicas);
    return written;
  }

  /** WAIT on the master of `key` (WAIT has no key: the keyed command routes the pipeline). */
  private async waitForReplicas(key: string, replicas: number): Promise<void> {
    const replies =
      (await this.redis.pipeline().exists(key).wait(replicas, WAIT_TIMEOUT_MS).exec()) ?? [];
    const [error, acknowledged] = replies[1] ?? [new Error('no reply to WAIT'), 0];
    if (error) throw error;
    if (Number(acknowledged) < replicas) {
      throw new Error(`only ${acknowledged} of ${replicas} Redis replicas confirmed the jobs`);
    }
  }

  /** The replicas to wait for on a partition's shard: at most those the cluster lists. */
  private async clusterReplicas(partition: number): Promise<number> {
    if (this.ackReplicas === 0 || !isCluster(this.redis)) return this.ackReplicas;
    const cluster = this.redis;
    let slot = this.slots.get(partition);
    if (!slot) {
      slot = cluster.cluster('KEYSLOT', this.keys[partition]!.wait).then(Number);
      this.slots.set(partition, slot);
    }
    // ioredis keeps CLUSTER SLOTS: the master first, then the replicas that are not failed.
    const nodes = cluster.slots[await slot]?.length ?? 1;
    return Math.min(this.ackReplicas, Math.max(0, nodes - 1));
  }
}
