import { randomUUID } from 'node:crypto';
import { CoreError } from '@challenges/core';
import type { Logger } from 'pino';
import type { ProfileSummary } from './profile-summary.ts';
import { type ProfileKind, type TakenProfile, takeProfile } from './profiler.ts';
import { duplicateRedis, type RedisClient } from './redis-client.ts';

/** Raw profiles are a download, not an archive: an hour to fetch one is plenty. */
export const PROFILE_RAW_TTL_SECONDS = 3600;

export interface ProfileResult {
  /** The download id of the raw profile (GET {BASE_PATH}/admin/v1/profiles/:profileId). */
  profileId: string;
  processId: string;
  kind: ProfileKind;
  seconds: number;
  summary: ProfileSummary;
}

interface ProfileRequest {
  requestId: string;
  kind: ProfileKind;
  seconds: number;
}

type ProfileAnswer = { ok: true; result: ProfileResult } | { ok: false; message: string };

const requestsKey = (prefix: string, processId: string) =>
  `${prefix}:profile:requests:${processId}`;
const resultKey = (prefix: string, requestId: string) => `${prefix}:profile:result:${requestId}`;
const rawKey = (prefix: string, profileId: string) => `${prefix}:profile:raw:${profileId}`;

/** Stores the raw profile under a fresh download id and returns what callers get. */
async function store(
  redis: RedisClient,
  prefix: string,
  processId: string,
  taken: TakenProfile,
): Promise<ProfileResult> {
  const profileId = `${taken.kind}-${randomUUID()}`;
  await redis.set(rawKey(prefix, profileId), taken.raw, 'EX', PROFILE_RAW_TTL_SECONDS);
  return { profileId, processId, kind: taken.kind, seconds: taken.seconds, summary: taken.summary };
}

/**
 * Serves profile requests addressed to this process (BLPOP on its own list), so an api replica
 * can profile a worker or another replica. The blocking read gets a connection of its own.
 */
export function startProfileListener(options: {
  redis: RedisClient;
  prefix: string;
  processId: string;
  log: Logger;
}): { close(): void } {
  const { redis, prefix, processId, log } = options;
  const blocking = duplicateRedis(redis, { maxRetriesPerRequest: null, enableOfflineQueue: true });
  blocking.on('error', (error) => log.debug({ err: error }, 'profile listener redis error'));
  let closed = false;

  const serve = async (request: ProfileRequest) => {
    let answer: ProfileAnswer;
    try {
      const taken = await takeProfile(request.kind, request.seconds);
      answer = { ok: true, result: await store(redis, prefix, processId, taken) };
    } catch (error) {
      answer = { ok: false, message: (error as Error).message };
    }
    const key = resultKey(prefix, request.requestId);
    await redis.pipeline().rpush(key, JSON.stringify(answer)).expire(key, 60).exec();
  };

  const loop = async () => {
    while (!closed) {
      try {
        const popped = await blocking.blpop(requestsKey(prefix, processId), 0);
        if (!popped) continue;
        const request = JSON.parse(popped[1]) as ProfileRequest;
        log.info({ kind: request.kind, seconds: request.seconds }, 'profiling on request');
        // Not awaited: the next request queues behind this one inside takeProfile.
        void serve(request).catch((error: unknown) =>
          log.warn({ err: error }, 'profile result not stored'),
        );
      } catch (error) {
        if (closed) return;
        log.debug({ err: error }, 'profile listener read failed');
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };
  void loop();
  return {
    close() {
      closed = true;
      blocking.disconnect();
    },
  };
}

/**
 * Profiles `processId`: this process directly, any other through its request list. Waits up
 * to the profile's length plus a margin for the answer.
 */
export async function requestProfile(options: {
  redis: RedisClient;
  prefix: string;
  selfId: string;
  processId: string;
  kind: ProfileKind;
  seconds: number;
}): Promise<ProfileResult> {
  const { redis, prefix, processId, kind, seconds } = options;
  if (processId === options.selfId) {
    return store(redis, prefix, processId, await takeProfile(kind, seconds));
  }
  const request: ProfileRequest = { requestId: randomUUID(), kind, seconds };
  const waitSeconds = seconds + 15;
  const key = requestsKey(prefix, processId);
  // A request to a process that died meanwhile must not wait forever in its list.
  await redis.pipeline().rpush(key, JSON.stringify(request)).expire(key, waitSeconds).exec();
  const blocking = duplicateRedis(redis, { maxRetriesPerRequest: null, enableOfflineQueue: true });
  try {
    const popped = await blocking.blpop(resultKey(prefix, request.requestId), waitSeconds);
    if (!popped) {
      throw new CoreError(
        'UNAVAILABLE',
        `process ${processId} did not answer within ${waitSeconds} s`,
      );
    }
    const answer = JSON.parse(popped[1]) as ProfileAnswer;
    if (!answer.ok) throw new CoreError('INTERNAL', `profiling failed: ${answer.message}`);
    return answer.result;
  } finally {
    blocking.disconnect();
  }
}

/** The raw JSON of a stored profile, with a file name for the download, or null when expired. */
export async function readRawProfile(
  redis: RedisClient,
  prefix: string,
  profileId: string,
): Promise<{ raw: string; filename: string } | null> {
  const raw = await redis.get(rawKey(prefix, profileId));
  if (raw === null) return null;
  const extension = profileId.startsWith('heap-') ? 'heapprofile' : 'cpuprofile';
  return { raw, filename: `${profileId}.${extension}` };
}
