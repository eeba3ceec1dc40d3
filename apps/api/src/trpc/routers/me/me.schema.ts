import { type ChallengeView, formatTimestamp, type GoalView } from '@challenges/core';
import { z } from 'zod';

// The REST JSON shapes (docs/api.md) as objects: the same fields, names and timestamp format, so
// a client can switch between REST and tRPC without remapping.

const ZRequirement = z.object({
  statCode: z.string(),
  operator: z.string(),
  targetValue: z.number(),
});
const ZReward = z.object({ type: z.string(), rewardId: z.string(), quantity: z.number() });

export const ZListGoal = z.object({
  goalId: z.string(),
  name: z.string(),
  description: z.string(),
  requirement: ZRequirement,
  reward: ZReward,
  prerequisites: z.array(z.string()),
  locked: z.boolean(),
  progress: z.number(),
  status: z.string(),
  completedAt: z.string(),
  claimedAt: z.string(),
  isActive: z.boolean(),
  expiresAt: z.string(),
  expiresInSeconds: z.number(),
});

export const ZChallengeList = z.object({
  challenges: z.array(
    z.object({
      challengeId: z.string(),
      name: z.string(),
      description: z.string(),
      goals: z.array(ZListGoal),
    }),
  ),
});

function requirementOf(view: GoalView) {
  const { statCode, operator, targetValue } = view.goal.requirement;
  return { statCode, operator, targetValue };
}

function rewardOf(view: GoalView) {
  const { type, rewardId, quantity } = view.goal.reward;
  return { type, rewardId, quantity };
}

export function listGoalJson(view: GoalView): z.infer<typeof ZListGoal> {
  return {
    goalId: view.goal.goalId,
    name: view.goal.name,
    description: view.goal.description,
    requirement: requirementOf(view),
    reward: rewardOf(view),
    prerequisites: [...view.goal.prerequisites],
    locked: view.locked,
    progress: view.progress,
    status: view.status,
    completedAt: formatTimestamp(view.completedAt),
    claimedAt: formatTimestamp(view.claimedAt),
    isActive: view.isActive,
    expiresAt: formatTimestamp(view.expiresAt),
    expiresInSeconds: view.expiresInSeconds,
  };
}

export function challengeListJson(views: ChallengeView[]): z.infer<typeof ZChallengeList> {
  return {
    challenges: views.map(({ challenge, goals }) => ({
      challengeId: challenge.challengeId,
      name: challenge.name,
      description: challenge.description,
      goals: goals.map(listGoalJson),
    })),
  };
}

export const ZInitialize = z.object({
  assignedGoals: z.array(
    z.object({
      challengeId: z.string(),
      goalId: z.string(),
      name: z.string(),
      description: z.string(),
      isActive: z.boolean(),
      assignedAt: z.string(),
      expiresAt: z.string(),
      progress: z.number(),
      target: z.number(),
      status: z.string(),
      requirement: ZRequirement,
      reward: ZReward,
    }),
  ),
  newAssignments: z.number(),
  totalActive: z.number(),
});

export function initializeJson(result: {
  assignedGoals: GoalView[];
  newAssignments: number;
  totalActive: number;
}): z.infer<typeof ZInitialize> {
  return {
    assignedGoals: result.assignedGoals.map((view) => ({
      challengeId: view.goal.challengeId,
      goalId: view.goal.goalId,
      name: view.goal.name,
      description: view.goal.description,
      isActive: view.isActive,
      assignedAt: formatTimestamp(view.assignedAt),
      expiresAt: formatTimestamp(view.expiresAt),
      progress: view.progress,
      target: view.goal.requirement.targetValue,
      status: view.status,
      requirement: requirementOf(view),
      reward: rewardOf(view),
    })),
    newAssignments: result.newAssignments,
    totalActive: result.totalActive,
  };
}

export const ZSetActiveResult = z.object({
  challengeId: z.string(),
  goalId: z.string(),
  isActive: z.boolean(),
  assignedAt: z.string(),
  message: z.string(),
});

export const ZSelection = z.object({
  selectedGoals: z.array(
    z.object({
      goalId: z.string(),
      name: z.string(),
      description: z.string(),
      requirement: ZRequirement,
      reward: ZReward,
      status: z.string(),
      progress: z.number(),
      target: z.number(),
      isActive: z.boolean(),
      assignedAt: z.string(),
      expiresAt: z.string(),
    }),
  ),
  challengeId: z.string(),
  totalActiveGoals: z.number(),
  replacedGoals: z.array(z.string()),
});

export const ZClaimResult = z.object({
  goalId: z.string(),
  status: z.literal('claimed'),
  reward: ZReward,
  claimedAt: z.string(),
  delivery: z.string(),
});

const ZPeriod = z
  .object({ startTime: z.string(), endTime: z.string(), expiresInSeconds: z.number() })
  .nullable();

export const ZRotation = z.object({
  challengeId: z.string(),
  rotation: z.object({
    enabled: z.boolean(),
    type: z.string(),
    schedule: z.string(),
    timezone: z.string(),
    currentPeriod: ZPeriod,
    nextPeriod: ZPeriod,
  }),
});
