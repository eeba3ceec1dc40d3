import { CoreError } from '@challenges/core';
import {
  createGoalStatsRepository,
  type createPool,
  createVariantFunnelRepository,
  type GoalStatsRepository,
  type VariantFunnelRepository,
} from '@challenges/db';
import type { RedisClient } from '@challenges/runtime';
import {
  addLiveMarker,
  createLiveRecorder,
  type LiveRecorder,
  liveProcesses,
  type ProfileKind,
  type ProfileResult,
  requestProfile,
  startLivePublisher,
  startProfileListener,
} from '@challenges/runtime';
import type { Logger } from 'pino';

/** What the live, profile and stats procedures (and the admin profile routes) need. */
export interface ObservabilityDeps {
  redis: RedisClient;
  prefix: string;
  /** This process's live id (`api:<hostname>:<pid>`, `ingest:…` for ROLE=ingest). */
  processId: string;
  goalStats: GoalStatsRepository;
  /** The A/B funnel per goal and variant (challenge.funnel). */
  funnel: VariantFunnelRepository;
}

export interface RunningObservability {
  deps: ObservabilityDeps;
  /** Fed by the REST, gRPC and tRPC edges and by ingest. */
  live: LiveRecorder;
  close(): void;
}

/** Starts this api process's live snapshots and its profile listener (docs/dashboard.md, docs/operations.md). */
export function startObservability(options: {
  redis: RedisClient;
  prefix: string;
  pool: ReturnType<typeof createPool>;
  log: Logger;
  /** ROLE: an ingest-only process shows as `ingest` in the live panels and the load test's CPU table. */
  role: 'api' | 'ingest' | 'all';
  recorder?: ReturnType<typeof createLiveRecorder>;
}): RunningObservability {
  const { redis, prefix, log } = options;
  const recorder = options.recorder ?? createLiveRecorder();
  const role = options.role === 'ingest' ? 'ingest' : 'api';
  const publisher = startLivePublisher({ redis, prefix, role, log, recorder });
  const listener = startProfileListener({ redis, prefix, processId: publisher.id, log });
  return {
    deps: {
      redis,
      prefix,
      processId: publisher.id,
      goalStats: createGoalStatsRepository(options.pool),
      funnel: createVariantFunnelRepository(options.pool),
    },
    live: recorder,
    close() {
      publisher.close();
      listener.close();
    },
  };
}

/**
 * Profiles a live process (this one or another through Redis) and marks the span on the Live
 * charts; unknown ids are NOT_FOUND.
 */
export async function profileProcess(
  deps: ObservabilityDeps,
  input: { processId: string; kind: ProfileKind; seconds: number },
): Promise<ProfileResult> {
  if (input.processId !== deps.processId) {
    const live = await liveProcesses(deps.redis, deps.prefix);
    if (!live.some((p) => p.id === input.processId)) {
      throw new CoreError('NOT_FOUND', `no live process ${input.processId}`);
    }
  }
  // Written before the profile runs: the charts show why this process slowed down meanwhile.
  const t = Date.now();
  await addLiveMarker(deps.redis, deps.prefix, {
    t,
    until: t + input.seconds * 1000,
    kind: 'profile',
    label: `${input.kind === 'cpu' ? 'CPU' : 'heap'} profile of ${input.processId} (${input.seconds} s)`,
  });
  return requestProfile({
    redis: deps.redis,
    prefix: deps.prefix,
    selfId: deps.processId,
    processId: input.processId,
    kind: input.kind,
    seconds: input.seconds,
  });
}
