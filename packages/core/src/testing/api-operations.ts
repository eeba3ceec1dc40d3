/**
 * The API's player and dashboard mutations, as apps/api/src/application runs them, over a
 * ProgressStore: on the oracle store they are today's behaviour; on the ledger store every
 * read materializes and every write anchors (materialize → existing rule → anchor).
 */
import { checkClaim } from '../claim/check-claim.ts';
import type { Definitions, GoalDef } from '../definitions/definitions.types.ts';
import { CoreError } from '../errors.ts';
import {
  activateAssignment,
  claimAssignment,
  deactivateAssignment,
  resetAssignment,
} from '../progress/assignment-changes.ts';
import { newAssignment } from '../progress/new-assignment.ts';
import type { Assignment } from '../progress/progress.types.ts';
import { type AssignmentView, rotateAssignment } from '../progress/view-assignment.ts';
import {
  checkRandomSelect,
  pickRandom,
  randomSelectionPool,
  resolveBatchSelection,
} from '../selection/select-goals.ts';
import type { ProgressStore } from './ledger-worlds.ts';

/** What an operation answered: success (with what it picked, for selects) or the CoreError. */
export type Answer = { ok: true; picked?: string[] } | { ok: false; code: string; message: string };

export function answerOf(run: () => string[] | undefined): Answer {
  try {
    const picked = run();
    return picked === undefined ? { ok: true } : { ok: true, picked };
  } catch (error) {
    if (!(error instanceof CoreError)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
}

interface Ctx {
  store: ProgressStore;
  definitions: Definitions;
  userId: string;
  now: Date;
}

export function setGoalActive(ctx: Ctx, goal: GoalDef, isActive: boolean): void {
  const { store, userId, now } = ctx;
  const row = store.rows(userId).get(goal.goalId);
  store.save(userId, [activateAssignment({ row, userId, goal, isActive, now })]);
}

function applySelection(ctx: Ctx, challengeId: string, goals: GoalDef[], replace: boolean) {
  const { store, userId, now } = ctx;
  const rows = store.rows(userId);
  const selected = new Set(goals.map((goal) => goal.goalId));
  const replaced: Assignment[] = [];
  if (replace) {
    for (const row of rows.values()) {
      if (row.challengeId === challengeId && row.isActive && !selected.has(row.goalId)) {
        replaced.push(deactivateAssignment({ row, now }));
      }
    }
  }
  const activated = goals.map((goal) =>
    activateAssignment({ row: rows.get(goal.goalId), userId, goal, isActive: true, now }),
  );
  store.save(userId, [...activated, ...replaced]);
  return goals.map((goal) => goal.goalId);
}

export function batchSelect(
  ctx: Ctx,
  input: { challengeId: string; goalIds: string[]; replace: boolean },
): Answer {
  return answerOf(() => {
    const goals = resolveBatchSelection({ definitions: ctx.definitions, ...input });
    return applySelection(ctx, input.challengeId, goals, input.replace);
  });
}

export function randomSelect(
  ctx: Ctx,
  input: {
    challengeId: string;
    count: number;
    replace: boolean;
    excludeActive: boolean;
    randomInt: (maxExclusive: number) => number;
  },
): Answer {
  const { definitions, store, userId, now } = ctx;
  const { challengeId, count, replace, excludeActive, randomInt } = input;
  return answerOf(() => {
    checkRandomSelect({ definitions, challengeId, count, poolSize: Number.POSITIVE_INFINITY });
    const viewsByGoalId = store.views(userId, now);
    const pool = randomSelectionPool({
      definitions,
      challengeId,
      viewsByGoalId,
      excludeActive,
      replaceExisting: replace,
    });
    checkRandomSelect({ definitions, challengeId, count, poolSize: pool.length });
    const goals = pickRandom({ pool, count, randomInt });
    return applySelection(ctx, challengeId, goals, replace);
  });
}

/** Rotates every stale row into the current period and adds the missing default goals. */
export function initializePlayer(ctx: Ctx): void {
  const { store, definitions, userId, now } = ctx;
  const rows = store.rows(userId);
  const writes: Assignment[] = [];
  for (const row of rows.values()) {
    const goal = definitions.goalsById.get(row.goalId);
    const next = goal?.rotation ? rotateAssignment({ goal, row, now }) : null;
    if (next) writes.push(next);
  }
  for (const challenge of definitions.challenges) {
    for (const goal of challenge.goals) {
      if (goal.defaultAssigned && !rows.has(goal.goalId)) {
        writes.push(newAssignment({ userId, goal, isActive: true, now }));
      }
    }
  }
  if (writes.length > 0) store.save(userId, writes);
}

/**
 * The claim rule's answer for the goal now, without claiming. `rows` / `views` may be passed
 * when the caller already has them (the same reads claimGoal makes).
 */
export function claimCheck(
  ctx: Ctx,
  goal: GoalDef,
  read: { rows?: ReadonlyMap<string, Assignment>; views?: Map<string, AssignmentView> } = {},
): { answer: Answer; row: Assignment | null } {
  const { store, definitions, userId, now } = ctx;
  const stored = (read.rows ?? store.rows(userId)).get(goal.goalId) ?? null;
  const viewsByGoalId =
    goal.prerequisites.length > 0 && stored ? (read.views ?? store.views(userId, now)) : new Map();
  // The row as the claim judges it (moved into the current period), which is what a claim stores.
  let row = stored;
  const answer = answerOf(() => {
    row = checkClaim({
      definitions,
      challengeId: goal.challengeId,
      goalId: goal.goalId,
      row: stored,
      viewsByGoalId,
      now,
    }).row;
    return undefined;
  });
  return { answer, row };
}

export function claimGoal(ctx: Ctx, goal: GoalDef): Answer {
  const { answer, row } = claimCheck(ctx, goal);
  if (answer.ok && row) ctx.store.save(ctx.userId, [claimAssignment({ row, now: ctx.now })]);
  return answer;
}

export function resetGoal(ctx: Ctx, goal: GoalDef): void {
  const row = ctx.store.rows(ctx.userId).get(goal.goalId);
  if (row) ctx.store.save(ctx.userId, [resetAssignment({ row, now: ctx.now })]);
}
