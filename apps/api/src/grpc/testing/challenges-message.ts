import { type ChallengeView, formatTimestamp } from '@challenges/core';
import type { GetChallengesResponse, Goal } from '../../gen/service/service.js';

/**
 * The GetUserChallenges response as a plain message, the way the service built it before it
 * spliced pre-encoded bytes (`challenges-wire.ts`): what ts-proto encodes from this is the
 * reference the spliced bytes are compared with.
 */
export function challengesMessage(views: readonly ChallengeView[]): GetChallengesResponse {
  return {
    challenges: views.map(({ challenge, goals }) => ({
      challengeId: challenge.challengeId,
      name: challenge.name,
      description: challenge.description,
      goals: goals.map(
        (view): Goal => ({
          goalId: view.goal.goalId,
          name: view.goal.name,
          description: view.goal.description,
          requirement: {
            statCode: view.goal.requirement.statCode,
            operator: view.goal.requirement.operator,
            targetValue: view.goal.requirement.targetValue,
          },
          reward: {
            type: view.goal.reward.type,
            rewardId: view.goal.reward.rewardId,
            quantity: view.goal.reward.quantity,
          },
          prerequisites: [...view.goal.prerequisites],
          progress: view.progress,
          status: view.status,
          locked: view.locked,
          completedAt: formatTimestamp(view.completedAt),
          claimedAt: formatTimestamp(view.claimedAt),
          isActive: view.isActive,
          expiresAt: formatTimestamp(view.expiresAt),
          expiresInSeconds: view.expiresInSeconds,
        }),
      ),
    })),
  };
}
