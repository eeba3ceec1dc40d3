import { type EventBatchJob, eventQueueName } from '@challenges/core';
import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  UserAuthenticationUserLoggedInServiceClient,
  type UserLoggedIn,
} from '../gen/accelbyte/iam/account/v1/account.js';
import {
  type StatItemUpdated,
  StatisticStatItemUpdatedServiceClient,
} from '../gen/accelbyte/social/statistic/v1/statistic.js';

/** Real grpc-js clients of the two AccelByte event services, promisified. */
export interface EventClients {
  login(message: Partial<UserLoggedIn>): Promise<void>;
  stat(message: Partial<StatItemUpdated>): Promise<void>;
  close(): void;
}

/** `apiKey` goes in the `x-api-key` metadata of every call (none: no metadata at all). */
export function eventClients(address: string, apiKey?: string): EventClients {
  const login = new UserAuthenticationUserLoggedInServiceClient(
    address,
    credentials.createInsecure(),
  );
  const stat = new StatisticStatItemUpdatedServiceClient(address, credentials.createInsecure());
  const deadline = () => ({ deadline: Date.now() + 10_000 });
  const metadata = () => {
    const m = new Metadata();
    if (apiKey !== undefined) m.set('x-api-key', apiKey);
    return m;
  };
  const settle =
    (resolve: () => void, reject: (e: ServiceError) => void) => (error: ServiceError | null) =>
      error ? reject(error) : resolve();
  return {
    login: (m) =>
      new Promise((resolve, reject) =>
        login.onMessage(
          { id: '', namespace: '', timestamp: '', userId: '', ...m },
          metadata(),
          deadline(),
          settle(resolve, reject),
        ),
      ),
    stat: (m) =>
      new Promise((resolve, reject) =>
        stat.onMessage(
          { payload: undefined, id: '', namespace: '', timestamp: '', userId: '', ...m },
          metadata(),
          deadline(),
          settle(resolve, reject),
        ),
      ),
    close() {
      login.close();
      stat.close();
    },
  };
}

/** Every event job of a stack's partition queues, read back through BullMQ. */
export async function queuedJobs(
  redisUrl: string,
  prefix: string,
  partitions: number,
): Promise<
  { partition: number; id: string; name: string; data: EventBatchJob; attempts: number }[]
> {
  const out = [];
  for (let p = 0; p < partitions; p++) {
    const queue = new Queue(eventQueueName(p), { connection: { url: redisUrl }, prefix });
    try {
      for (const job of await queue.getJobs()) {
        out.push({
          partition: p,
          id: job.id ?? '',
          name: job.name,
          data: job.data as EventBatchJob,
          attempts: job.opts.attempts ?? 0,
        });
      }
    } finally {
      await queue.close();
    }
  }
  return out;
}

/** Removes a test stack's queues from the shared Redis. */
export async function obliterateQueues(redisUrl: string, prefix: string, partitions: number) {
  for (let p = 0; p < partitions; p++) {
    const queue = new Queue(eventQueueName(p), { connection: { url: redisUrl }, prefix });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
  // obliterate() can leave stray job hashes behind; the prefix is this test's alone.
  const redis = new Redis(redisUrl);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}
