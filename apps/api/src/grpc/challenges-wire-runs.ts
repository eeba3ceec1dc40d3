import { type Definitions, type GoalView, goalRunsOf } from '@challenges/core';
import type { WirePieces } from './challenges-wire.ts';

/** A goal whose `challenges.goals` entry is the cached one of a goal with no row. */
export function isUnassigned(view: GoalView): boolean {
  return (
    view.progress === 0 &&
    view.status === 'not_started' &&
    !view.isActive &&
    view.completedAt === null &&
    view.claimedAt === null &&
    view.expiresAt === null &&
    view.expiresInSeconds === 0
  );
}

/**
 * Whole `challenges.goals` entries of unassigned, unlocked goals, end to end per challenge
 * (core's unassigned-runs.ts): neighbouring ones are copied as one run.
 */
export const wireRunsOf = (definitions: Definitions, pieces: WirePieces) =>
  goalRunsOf(definitions, pieces, (id) => pieces.goals.get(id)!.unassigned);
