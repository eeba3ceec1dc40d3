import {
  CoreError,
  expiresInSeconds,
  formatTimestamp,
  nextPeriod,
  type Period,
  periodAt,
  type Schedule,
} from '@challenges/core';
import type { AppContext } from './context.ts';
import { scheduledDefinitions } from './player-definitions.ts';

export interface RotationPeriodView {
  startTime: Date;
  endTime: Date;
  expiresInSeconds: number;
}

export interface RotationStatusResult {
  challengeId: string;
  rotation: {
    enabled: boolean;
    type: string;
    schedule: Schedule | '';
    timezone: string;
    currentPeriod: RotationPeriodView | null;
    nextPeriod: RotationPeriodView | null;
  };
}

function periodView(period: Period, now: Date): RotationPeriodView {
  return {
    startTime: period.start,
    endTime: period.end,
    expiresInSeconds: expiresInSeconds(period, now),
  };
}

/** The rotation of a challenge: that of its first rotating goal, or disabled when none rotates. */
export function rotationStatus(
  ctx: AppContext,
  input: { challengeId: string },
): RotationStatusResult {
  const challenge = scheduledDefinitions(ctx, ctx.clock.now()).challengesById.get(
    input.challengeId,
  );
  if (!challenge) throw new CoreError('NOT_FOUND', `challenge '${input.challengeId}' not found`);
  const rotation = challenge.goals.find((g) => g.rotation)?.rotation ?? null;
  if (!rotation) {
    return {
      challengeId: challenge.challengeId,
      rotation: {
        enabled: false,
        type: '',
        schedule: '',
        timezone: '',
        currentPeriod: null,
        nextPeriod: null,
      },
    };
  }
  const now = ctx.clock.now();
  const current = periodAt({ rotation, now });
  return {
    challengeId: challenge.challengeId,
    rotation: {
      enabled: true,
      type: 'global',
      schedule: rotation.schedule,
      timezone: rotation.timezone,
      currentPeriod: periodView(current, now),
      nextPeriod: periodView(nextPeriod({ rotation, period: current }), now),
    },
  };
}

/** The JSON shape of a rotation status (REST and tRPC): timestamps as RFC 3339 strings. */
export function rotationStatusJson(result: RotationStatusResult) {
  const { rotation, ...rest } = result;
  const period = (p: RotationPeriodView | null) =>
    p && {
      startTime: formatTimestamp(p.startTime),
      endTime: formatTimestamp(p.endTime),
      expiresInSeconds: p.expiresInSeconds,
    };
  return {
    ...rest,
    rotation: {
      ...rotation,
      currentPeriod: period(rotation.currentPeriod),
      nextPeriod: period(rotation.nextPeriod),
    },
  };
}
