import { assignmentViews, checkClaim, type Reward, rewardIdempotencyKey } from '@challenges/core';
import type { DeliveryOutcome } from '../rewards/reward-delivery.ts';
import type { AppContext } from './context.ts';

export interface ClaimGoalResult {
  goalId: string;
  status: 'claimed';
  reward: Reward;
  claimedAt: Date;
  delivery: DeliveryOutcome;
}

/**
 * One transaction locks the row, applies the claim checks in the contract's order, marks it
 * claimed and records the reward grant (idempotency key user:goal:period); delivery is tried
 * right after the commit, so a slow provider never holds the row lock.
 */
export async function claimGoal(
  ctx: AppContext,
  input: { userId: string; challengeId: string; goalId: string },
): Promise<ClaimGoalResult> {
  const { userId, challengeId, goalId } = input;
  const definitions = ctx.definitions.current();
  const now = ctx.clock.now();
  const found = definitions.goalsById.get(goalId);
  // An unknown goal is refused before a transaction opens, with the claim rule's own answer.
  const goal =
    found?.challengeId === challengeId
      ? found
      : checkClaim({ definitions, challengeId, goalId, row: null, viewsByGoalId: new Map(), now })
          .goal;

  const grant = await ctx.progress.withClaimTransaction(userId, goalId, async (tx) => {
    const row = await tx.lockAssignment();
    const viewsByGoalId =
      goal.prerequisites.length > 0 && row
        ? assignmentViews({ definitions, rows: await tx.listByUser(), now })
        : new Map();
    // The row as it stands now: a row carried into a new period is claimed in that period.
    const claimable = checkClaim({ definitions, challengeId, goalId, row, viewsByGoalId, now });
    await tx.markClaimed(claimable.row, now);
    const record = {
      idempotencyKey: rewardIdempotencyKey({
        userId,
        goalId,
        periodKey: claimable.row.periodKey,
      }),
      userId,
      goalId,
      challengeId,
      rewardType: goal.reward.type,
      rewardId: goal.reward.rewardId,
      quantity: goal.reward.quantity,
      provider: ctx.rewards.provider,
    };
    return tx.insertRewardGrant(record);
  });

  const delivery = await ctx.rewards.deliverNow(grant);
  return { goalId, status: 'claimed', reward: { ...goal.reward }, claimedAt: now, delivery };
}
