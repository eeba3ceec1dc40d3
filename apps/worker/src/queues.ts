import { EVENT_JOB_NAME, EVENT_JOB_OPTIONS, eventQueueName } from '@challenges/core';
import { isCluster, type RedisClient } from '@challenges/runtime';

// The partition queues as the worker reads them: BullMQ's keys and job format (ingest's
// EventJobWriter and BullMQ's Queue write them), read and removed by our own scripts instead of
// BullMQ's Worker. A job stays in the wait list until its batch has committed; nothing moves it
// to an active list, so a worker that dies leaves nothing to recover but its partitions' leases
// (docs/events.md, Event worker). On a single Redis each script covers every partition in one
// call; in a Redis Cluster each partition's keys share a slot (the hash tag of eventQueueName),
// so a script runs per partition and the calls go out together.

/** A job as read from a wait list: no BullMQ Job object (which needs a read of its own). */
export interface QueuedJob {
  id: string;
  partition: number;
  name: string;
  /** The parsed payload (undefined when the job has none or it is not JSON). */
  data: unknown;
}

// KEYS: the leases (held first), ARGV: owner, ttl, held, how many more to take, how many of the
// held to give back (the first ones). Per key: 1 when the caller holds it afterwards.
const LEASES = `local id, ttl = ARGV[1], ARGV[2]
local held, budget, release = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local out = {}
for i = 1, #KEYS do
  local mine = 0
  if i <= held then
    if redis.call('GET', KEYS[i]) == id then
      if i <= release then redis.call('DEL', KEYS[i])
      else redis.call('PEXPIRE', KEYS[i], ttl); mine = 1 end
    end
  elseif budget > 0 and redis.call('SET', KEYS[i], id, 'NX', 'PX', ttl) then
    budget = budget - 1
    mine = 1
  end
  out[i] = mine
end
return out`;

// KEYS: the consumer set. ARGV: owner, ttl, 1 to leave. Redis's clock, so that the members'
// clocks need not agree. Returns the live consumers.
const MEMBERS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[3] == '1' then redis.call('ZREM', KEYS[1], ARGV[1]); return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return redis.call('ZCARD', KEYS[1])`;

// KEYS: per partition its lease then its wait list. ARGV: owner, jobs per partition. The oldest
// jobs (BullMQ pushes at the head, so the tail) with name and payload; 0 for a partition whose
// lease is not the caller's. The job hash key is the wait key without 'wait'. The marker (the
// producer's wake-up, wake-up.ts) goes with the look: a job written after it sets it again.
const TAKE = `local out = {}
for k = 1, #KEYS, 2 do
  if redis.call('GET', KEYS[k]) ~= ARGV[1] then
    out[#out + 1] = 0
  else
    local base = string.sub(KEYS[k + 1], 1, -5)
    redis.call('DEL', base .. 'marker')
    local ids = redis.call('LRANGE', KEYS[k + 1], -tonumber(ARGV[2]), -1)
    local jobs = {}
    for i = #ids, 1, -1 do
      local job = redis.call('HMGET', base .. ids[i], 'name', 'data')
      jobs[#jobs + 1] = ids[i]
      jobs[#jobs + 1] = job[1] or ''
      jobs[#jobs + 1] = job[2] or ''
    end
    out[#out + 1] = jobs
  end
end
return out`;

// KEYS: wait lists; ARGV: per key a count, then that many job ids. What BullMQ's removeJob does
// to a waiting job without parent, children, deduplication id or scheduler (the keys its
// removeJobKeys deletes), minus the 'removed' entry in the events stream, which nothing reads.
const REMOVE = `local removed, a = 0, 1
for k = 1, #KEYS do
  local base = string.sub(KEYS[k], 1, -5)
  local n = tonumber(ARGV[a])
  for i = a + 1, a + n do
    if redis.call('LREM', KEYS[k], 1, ARGV[i]) == 1 then
      local key = base .. ARGV[i]
      redis.call('DEL', key, key .. ':logs', key .. ':dependencies', key .. ':processed',
        key .. ':failed', key .. ':unsuccessful')
      removed = removed + 1
    end
  end
  a = a + n + 1
end
return removed`;

// KEYS: wait, failed. ARGV: id, reason, now, failed jobs kept. A job that can never succeed goes
// where BullMQ puts failed jobs (the dead-letter view), with the fields its Job reads.
const FAIL = `if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end
local base = string.sub(KEYS[1], 1, -5)
redis.call('HSET', base .. ARGV[1], 'failedReason', ARGV[2], 'finishedOn', ARGV[3], 'atm', 1)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local over = redis.call('ZRANGE', KEYS[2], 0, -(tonumber(ARGV[4]) + 1))
for i = 1, #over do redis.call('DEL', base .. over[i], base .. over[i] .. ':logs') end
if #over > 0 then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, #over - 1) end
return 1`;

const SCRIPTS = { LEASES, MEMBERS, TAKE, REMOVE, FAIL } as const;
type ScriptName = keyof typeof SCRIPTS;
const command = (name: ScriptName) => `challengesEventQueue${name}`;

/** The event partition queues of one prefix, as the partition consumer uses them. */
export class EventQueues {
  private readonly queue: string[];
  readonly consumersKey: string;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    readonly partitions: number,
  ) {
    this.queue = Array.from({ length: partitions }, (_, p) => `${prefix}:${eventQueueName(p)}:`);
    this.consumersKey = `${prefix}:{${EVENT_JOB_NAME}}:consumers`;
    for (const name of Object.keys(SCRIPTS) as ScriptName[]) {
      redis.defineCommand(command(name), { lua: SCRIPTS[name] });
    }
  }

  private lease(partition: number): string {
    return `${this.queue[partition]}lease`;
  }

  /** The sorted set a producer adds to with each job (BullMQ's marker, event-job-writer.ts). */
  marker(partition: number): string {
    return `${this.queue[partition]}marker`;
  }

  private run<T>(name: ScriptName, keys: string[], args: (string | number)[]): Promise<T> {
    // biome-ignore lint/suspicious/noExplicitAny: ioredis types commands defined at run time loosely
    return (this.redis as any)[command(name)](keys.length, ...keys, ...args);
  }

  /** One call on a single Redis; one per partition, sent together, in a Cluster. */
  private async perSlot<T>(
    partitions: readonly number[],
    call: (group: readonly number[]) => Promise<T[]>,
  ): Promise<T[]> {
    if (!isCluster(this.redis)) return partitions.length === 0 ? [] : call(partitions);
    return (await Promise.all(partitions.map((p) => call([p])))).flat();
  }

  /**
   * Renews the leases of `held` (giving back the first `release` of them) and takes up to
   * `budget` of `others`, in their order. Returns the partitions held afterwards.
   */
  async leases(options: {
    owner: string;
    ttlMs: number;
    held: readonly number[];
    others: readonly number[];
    budget: number;
    release: number;
  }): Promise<number[]> {
    const { owner, ttlMs, held, others } = options;
    if (!isCluster(this.redis)) {
      const keys = [...held, ...others];
      const reply = await this.run<number[]>(
        'LEASES',
        keys.map((p) => this.lease(p)),
        [owner, ttlMs, held.length, options.budget, options.release],
      );
      return keys.filter((_, i) => reply[i] === 1);
    }
    const renewed = await Promise.all(
      held.map((p, i) =>
        this.run<number[]>(
          'LEASES',
          [this.lease(p)],
          [owner, ttlMs, 1, 0, i < options.release ? 1 : 0],
        ),
      ),
    );
    const mine = held.filter((_, i) => renewed[i]![0] === 1);
    let budget = options.budget;
    for (const p of others) {
      if (budget <= 0) break;
      const [got] = await this.run<number[]>('LEASES', [this.lease(p)], [owner, ttlMs, 0, 1, 0]);
      if (got === 1) {
        mine.push(p);
        budget--;
      }
    }
    return mine;
  }

  /** Announces a live consumer for `ttlMs` (or its leaving); returns how many are live. */
  members(owner: string, ttlMs: number, leave = false): Promise<number> {
    return this.run('MEMBERS', [this.consumersKey], [owner, ttlMs, leave ? 1 : 0]);
  }

  /**
   * Up to `limit` oldest jobs of each partition whose lease `owner` holds, oldest first.
   * Partitions missing from the answer are not the owner's (any more).
   */
  async take(owner: string, partitions: readonly number[], limit: number) {
    const replies = await this.perSlot(partitions, (group) =>
      this.run<(0 | string[])[]>(
        'TAKE',
        group.flatMap((p) => [this.lease(p), `${this.queue[p]}wait`]),
        [owner, limit],
      ),
    );
    const taken = new Map<number, QueuedJob[]>();
    partitions.forEach((partition, i) => {
      const reply = replies[i];
      if (!Array.isArray(reply)) return;
      const jobs: QueuedJob[] = [];
      for (let j = 0; j + 2 < reply.length; j += 3) {
        jobs.push({
          id: reply[j]!,
          partition,
          name: reply[j + 1]!,
          data: parseData(reply[j + 2]!),
        });
      }
      taken.set(partition, jobs);
    });
    return taken;
  }

  /** Removes jobs from their wait lists (a job no longer there is left alone); how many went. */
  async remove(jobs: readonly QueuedJob[]): Promise<number> {
    const byPartition = new Map<number, string[]>();
    for (const job of jobs) {
      const ids = byPartition.get(job.partition);
      if (ids) ids.push(job.id);
      else byPartition.set(job.partition, [job.id]);
    }
    const removed = await this.perSlot([...byPartition.keys()], async (group) => [
      await this.run<number>(
        'REMOVE',
        group.map((p) => `${this.queue[p]}wait`),
        group.flatMap((p) => [byPartition.get(p)!.length, ...byPartition.get(p)!]),
      ),
    ]);
    return removed.reduce((sum, n) => sum + n, 0);
  }

  /** Moves a waiting job to its queue's failed set with the reason. */
  async fail(job: QueuedJob, reason: string): Promise<void> {
    const queue = this.queue[job.partition]!;
    await this.run(
      'FAIL',
      [`${queue}wait`, `${queue}failed`],
      [job.id, reason, Date.now(), EVENT_JOB_OPTIONS.removeOnFail.count],
    );
  }

  /** Jobs waiting in each partition. */
  depths(): Promise<number[]> {
    return Promise.all(this.queue.map((queue) => this.redis.llen(`${queue}wait`)));
  }
}

function parseData(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
