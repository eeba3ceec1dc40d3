import type { ChallengeView } from '../response/goal-view.ts';
import { formatTimestamp } from '../time/format-time.ts';

/**
 * The challenge list response built the slow, obvious way, field by field: the reference the
 * spliced encoders are compared with (core's JSON, parsed; the API's protobuf, decoded and
 * re-encoded with the generated code). Its shape is the REST body and the gRPC message alike.
 */
export function plainChallengesResponse(views: readonly ChallengeView[]) {
  return {
    challenges: views.map(({ challenge, goals }) => ({
      challengeId: challenge.challengeId,
      name: challenge.name,
      description: challenge.description,
      goals: goals.map((view) => ({
        goalId: view.goal.goalId,
        ...(view.goal.variantId === undefined ? {} : { variantId: view.goal.variantId }),
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
        ...(view.goal.ended === true ? { ended: true } : {}),
        progress: view.progress,
        status: view.status,
        locked: view.locked,
        completedAt: formatTimestamp(view.completedAt),
        claimedAt: formatTimestamp(view.claimedAt),
        isActive: view.isActive,
        expiresAt: formatTimestamp(view.expiresAt),
        expiresInSeconds: view.expiresInSeconds,
      })),
    })),
  };
}
