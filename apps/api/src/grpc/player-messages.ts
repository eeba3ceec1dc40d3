import {
  type Definitions,
  formatTimestamp,
  type GoalDef,
  type GoalView,
  timestampFormatter,
} from '@challenges/core';
import type { ClaimGoalResult } from '../application/claim-goal.ts';
import type { InitializePlayerResult } from '../application/initialize-player.ts';
import type { RotationPeriodView, RotationStatusResult } from '../application/rotation-status.ts';
import type { GoalSelectionResult } from '../application/select-goals.ts';
import type { SetGoalActiveResult } from '../application/set-goal-active.ts';
import type {
  AssignedGoal,
  ClaimRewardResponse,
  GetRotationStatusResponse,
  GoalSelectionResponse,
  InitializeResponse,
  Requirement,
  Reward,
  RotationPeriod,
  SelectedGoal,
  SetGoalActiveResponse,
} from '../gen/service/service.js';

/** The definition-only fields of a goal's messages, shared by every response of a version. */
interface StaticGoal {
  challengeId: string;
  goalId: string;
  name: string;
  description: string;
  requirement: Requirement;
  reward: Reward;
  prerequisites: string[];
  target: number;
  /** The A/B variant the goal is shown in ('' when none). */
  variantId: string;
}

// Built once per definitions version: a 500-goal initialize then allocates only the per-player
// part of each goal. The encoder only reads these objects, so sharing them between calls is safe.
const staticCache = new WeakMap<Definitions, Map<string, StaticGoal>>();

function staticGoals(definitions: Definitions): Map<string, StaticGoal> {
  let goals = staticCache.get(definitions);
  if (goals) return goals;
  goals = new Map();
  for (const goal of definitions.goalsById.values()) goals.set(goal.goalId, staticGoal(goal));
  staticCache.set(definitions, goals);
  return goals;
}

const variantCache = new WeakMap<GoalDef, StaticGoal>();

/** The static fields of the goal a view shows: its A/B variant's when it has one. */
function staticOf(goals: Map<string, StaticGoal>, goal: GoalDef): StaticGoal {
  if (goal.variantId === undefined) return goals.get(goal.goalId)!;
  let s = variantCache.get(goal);
  if (s === undefined) {
    s = staticGoal(goal);
    variantCache.set(goal, s);
  }
  return s;
}

function staticGoal(goal: GoalDef): StaticGoal {
  const { statCode, operator, targetValue } = goal.requirement;
  const { type, rewardId, quantity } = goal.reward;
  return {
    challengeId: goal.challengeId,
    goalId: goal.goalId,
    name: goal.name,
    description: goal.description,
    requirement: { statCode, operator, targetValue },
    reward: { type, rewardId, quantity },
    prerequisites: [...goal.prerequisites],
    target: targetValue,
    variantId: goal.variantId ?? '',
  };
}

export function initializeMessage(result: InitializePlayerResult): InitializeResponse {
  const goals = staticGoals(result.definitions);
  const time = timestampFormatter();
  return {
    assignedGoals: result.assignedGoals.map((view): AssignedGoal => {
      const s = staticOf(goals, view.goal);
      return {
        challengeId: s.challengeId,
        goalId: s.goalId,
        name: s.name,
        description: s.description,
        isActive: view.isActive,
        assignedAt: time(view.assignedAt),
        expiresAt: time(view.expiresAt),
        progress: view.progress,
        target: s.target,
        status: view.status,
        requirement: s.requirement,
        reward: s.reward,
        variantId: s.variantId,
      };
    }),
    newAssignments: result.newAssignments,
    totalActive: result.totalActive,
  };
}

function selectedGoal(view: GoalView): SelectedGoal {
  const s = staticGoal(view.goal);
  return {
    goalId: s.goalId,
    name: s.name,
    description: s.description,
    requirement: s.requirement,
    reward: s.reward,
    status: view.status,
    progress: view.progress,
    target: s.target,
    isActive: view.isActive,
    assignedAt: formatTimestamp(view.assignedAt),
    expiresAt: formatTimestamp(view.expiresAt),
    variantId: s.variantId,
  };
}

export function selectionMessage(result: GoalSelectionResult): GoalSelectionResponse {
  return {
    selectedGoals: result.selectedGoals.map(selectedGoal),
    challengeId: result.challengeId,
    totalActiveGoals: result.totalActiveGoals,
    replacedGoals: result.replacedGoals,
  };
}

export function setActiveMessage(result: SetGoalActiveResult): SetGoalActiveResponse {
  return { ...result, assignedAt: formatTimestamp(result.assignedAt) };
}

export function claimMessage(result: ClaimGoalResult): ClaimRewardResponse {
  return {
    goalId: result.goalId,
    status: result.status,
    reward: { ...result.reward },
    claimedAt: formatTimestamp(result.claimedAt),
    delivery: result.delivery,
    variantId: result.variantId ?? '',
  };
}

function periodMessage(period: RotationPeriodView | null): RotationPeriod | undefined {
  if (!period) return undefined;
  return {
    startTime: formatTimestamp(period.startTime),
    endTime: formatTimestamp(period.endTime),
    expiresInSeconds: period.expiresInSeconds,
  };
}

export function rotationMessage(result: RotationStatusResult): GetRotationStatusResponse {
  const { rotation } = result;
  return {
    challengeId: result.challengeId,
    rotation: {
      enabled: rotation.enabled,
      type: rotation.type,
      schedule: rotation.schedule,
      timezone: rotation.timezone,
      currentPeriod: periodMessage(rotation.currentPeriod),
      nextPeriod: periodMessage(rotation.nextPeriod),
    },
  };
}
