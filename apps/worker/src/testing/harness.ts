import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type Assignment,
  type Definitions,
  EVENT_JOB_NAME,
  EVENT_JOB_OPTIONS,
  type EventBatchJob,
  eventQueueName,
  type GameEvent,
  newAssignment,
  parseDefinitionsJson,
  partitionOf,
} from '@challenges/core';
import {
  createLedgerProgressRepository,
  createPool,
  createPrismaClient,
  type ProgressRepository,
} from '@challenges/db';
import {
  createTestDatabase,
  publishedDefinitions,
  type TestDatabase,
  type TestDefinitions,
} from '@challenges/db/testing';
import { EventJobWriter } from '@challenges/runtime';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Every progress mode, one goal each (see the file); all default-assigned but `optional-score`. */
export const EVENTS_CHALLENGES_FILE = fileURLToPath(
  new URL('./challenges.events.json', import.meta.url),
);

/** Polls `check` until it returns a value other than undefined/false, or fails at the deadline. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: last });
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Sends batches the way ingest does: one job per partition, the same contract. */
export class TestProducer {
  readonly queues: Queue[];
  private readonly connection: Redis;
  private readonly writer: EventJobWriter;
  constructor(
    readonly prefix: string,
    readonly partitions: number,
    redisUrl = REDIS_URL,
  ) {
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.queues = Array.from(
      { length: partitions },
      (_, p) =>
        new Queue(eventQueueName(p), {
          connection: this.connection,
          prefix,
          defaultJobOptions: EVENT_JOB_OPTIONS,
        }),
    );
    this.writer = new EventJobWriter(this.connection, prefix, partitions);
  }

  /** Adds the events as one job per partition (arrival order kept); returns the batch ids. */
  async send(events: readonly GameEvent[], batchId?: string): Promise<string[]> {
    const byPartition = new Map<number, GameEvent[]>();
    for (const event of events) {
      const p = partitionOf(event.userId, this.partitions);
      const list = byPartition.get(p) ?? [];
      list.push(event);
      byPartition.set(p, list);
    }
    const jobs = [...byPartition].map(
      ([partition, list]): EventBatchJob => ({
        batchId: batchId ?? randomUUID(),
        partition,
        events: list,
      }),
    );
    // Ingest's own write (jobId = batchId, one call); a given batch id stands for a job BullMQ
    // runs again, so it gets a job id of its own.
    if (batchId === undefined) await this.writer.write(jobs);
    else for (const job of jobs) await this.queues[job.partition]!.add(EVENT_JOB_NAME, job);
    return jobs.map((job) => job.batchId);
  }

  /**
   * Writes each list of events as jobs (one per partition it touches), all in one script call:
   * a worker's round sees all of them or none.
   */
  async sendTogether(lists: readonly (readonly GameEvent[])[]): Promise<string[]> {
    const jobs = lists.flatMap((events) => {
      const byPartition = new Map<number, GameEvent[]>();
      for (const event of events) {
        const p = partitionOf(event.userId, this.partitions);
        byPartition.set(p, [...(byPartition.get(p) ?? []), event]);
      }
      return [...byPartition].map(
        ([partition, list]): EventBatchJob => ({ batchId: randomUUID(), partition, events: list }),
      );
    });
    await this.writer.write(jobs);
    return jobs.map((job) => job.batchId);
  }

  async addRaw(partition: number, data: unknown): Promise<string> {
    const job = await this.queues[partition]!.add(EVENT_JOB_NAME, data);
    return job.id!;
  }

  /** Jobs not yet applied in any partition (waiting, delayed, active). */
  async pending(): Promise<number> {
    let total = 0;
    for (const queue of this.queues) {
      const counts = await queue.getJobCounts('wait', 'prioritized', 'delayed', 'active');
      total += Object.values(counts).reduce((sum, n) => sum + n, 0);
    }
    return total;
  }

  async close(options: { obliterate?: boolean } = {}): Promise<void> {
    for (const queue of this.queues) {
      if (options.obliterate) await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    this.connection.disconnect();
  }
}

let counter = 0;
export const eventId = () => `ev-${process.pid}-${++counter}-${randomUUID().slice(0, 8)}`;

export function statEvent(
  userId: string,
  statCode: string,
  fields: { value?: number; inc?: number; id?: string } = {},
): GameEvent {
  const { id, ...rest } = fields;
  return { type: 'stat', id: id ?? eventId(), userId, statCode, ...rest, receivedAt: Date.now() };
}

export function loginEvent(userId: string, id = eventId()): GameEvent {
  return { type: 'login', id, userId, receivedAt: Date.now() };
}

/**
 * A test database with the fixture published (a worker started on it finds it live and imports
 * nothing), seeded through the progress repository, plus row lookups.
 */
export class TestStore {
  readonly challengesFile = EVENTS_CHALLENGES_FILE;
  /** The api's repository: rows seeded and read as the api does (ledger model, live rules). */
  readonly progress: ProgressRepository;
  private constructor(
    readonly db: TestDatabase,
    readonly pool: pg.Pool,
    private readonly live: TestDefinitions,
  ) {
    this.progress = createLedgerProgressRepository(pool, { definitions: live });
  }

  /** The live definitions (the fixture until a test publishes others). */
  get definitions(): Definitions {
    return this.live.current();
  }

  /** The published version of `definitions`: what ledger transactions must pass. */
  get definitionsVersion(): number {
    return this.live.version();
  }

  static async create(): Promise<TestStore> {
    const db = await createTestDatabase();
    const pool = createPool({ databaseUrl: db.url, max: 4 });
    const definitions = parseDefinitionsJson(readFileSync(EVENTS_CHALLENGES_FILE, 'utf8'));
    const live = await publishedDefinitions(createPrismaClient(pool), definitions);
    return new TestStore(db, pool, live);
  }

  /** Assigns the goals (active unless told otherwise) as initialize would at `now`. */
  async assign(
    userId: string,
    goalIds: readonly string[],
    options: { now?: Date; isActive?: boolean } = {},
  ): Promise<void> {
    const now = options.now ?? new Date();
    const rows = goalIds.map((goalId) => {
      const goal = this.definitions.goalsById.get(goalId);
      if (!goal) throw new Error(`no goal ${goalId} in the fixture`);
      return newAssignment({ userId, goal, isActive: options.isActive ?? true, now });
    });
    await this.progress.insertMissing(rows);
  }

  async row(userId: string, goalId: string): Promise<Assignment | undefined> {
    return (await this.progress.listByUser(userId)).find((r) => r.goalId === goalId);
  }

  async progressOf(userId: string, goalId: string): Promise<number | undefined> {
    return (await this.row(userId, goalId))?.progress;
  }

  async appliedBatches(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM applied_event_batches',
    );
    return rows[0]!.n;
  }

  async close(): Promise<void> {
    await this.pool.end();
    await this.db.drop();
  }
}

export const uniquePrefix = (name: string) =>
  `test-worker-${name}-${process.pid}-${randomUUID().slice(0, 8)}`;
