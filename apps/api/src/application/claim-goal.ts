import {
  alreadyClaimedError,
  assignmentViews,
  checkClaim,
  checkClaimWindow,
  claimPeriodKey,
  isTestPlayer,
  legacyRewardIdempotencyKey,
  type Reward,
  rewardIdempotencyKey,
  TEST_PLAYER_PROVIDER,
  webhookEvent,
} from '@challenges/core';
import { type ClaimTransaction, DuplicateRewardGrantError } from '@challenges/db';
import type { DeliveryOutcome } from '../rewards/reward-delivery.ts';
import { announceChanged } from './announce.ts';
import type { AppContext } from './context.ts';
import { scheduledDefinitions } from './player-definitions.ts';

export interface ClaimGoalResult {
  goalId: string;
  status: 'claimed';
  reward: Reward;
  claimedAt: Date;
  delivery: DeliveryOutcome;
  /** The A/B variant claimed (its reward was granted); absent for goals without variants. */
  variantId?: string;
}

/**
 * One transaction locks the row, applies the claim checks in the contract's order, marks it
 * claimed and records the reward grant (idempotency key user:goal:period); delivery is tried
 * right after the commit, so a slow provider never holds the row lock. A grant this player
 * already holds for the goal and period — also one pseudonymised when their data was deleted —
 * makes the claim "already claimed": deleting data never lets a reward be claimed twice.
 */
export async function claimGoal(
  ctx: AppContext,
  input: { userId: string; challengeId: string; goalId: string },
): Promise<ClaimGoalResult> {
  const { userId, challengeId, goalId } = input;
  const now = ctx.clock.now();
  const definitions = scheduledDefinitions(ctx, now);
  const found = definitions.goalsById.get(goalId);
  // An unknown goal is refused before a transaction opens, with the claim rule's own answer.
  const goal =
    found?.challengeId === challengeId
      ? found
      : checkClaim({ definitions, challengeId, goalId, row: null, viewsByGoalId: new Map(), now })
          .goal;
  checkClaimWindow(definitions, goal, now);
  const periodKey = claimPeriodKey({ goal, now });
  const idempotencyKey = rewardIdempotencyKey({ userId, goalId, periodKey });

  // The goal as this player plays it (A/B variants: the variant's reward), set by the claim.
  let played = goal;
  const grant = await ctx.progress
    .withClaimTransaction(userId, goalId, async (tx) => {
      const row = await tx.lockAssignment();
      const earlierClaim = row && (await findEarlierClaim(ctx, tx, { userId, goalId, periodKey }));
      const viewsByGoalId =
        goal.prerequisites.length > 0 && row
          ? assignmentViews({ definitions, rows: await tx.listByUser(), now })
          : new Map();
      const claimable = checkClaim({
        definitions,
        challengeId,
        goalId,
        row,
        viewsByGoalId,
        earlierClaim,
        now,
      });
      await tx.markClaimed(claimable.row, now);
      played = claimable.goal;
      // Only when a webhook subscribes (a cached set): a claim does no outbox work otherwise.
      if (ctx.webhooks.subscriptions.types().has('goal.claimed')) {
        await tx.insertWebhookOutbox([
          webhookEvent({ type: 'goal.claimed', userId, challengeId, goalId, periodKey, at: now }),
        ]);
      }
      return tx.insertRewardGrant({
        idempotencyKey,
        userId,
        goalId,
        challengeId,
        rewardType: played.reward.type,
        rewardId: played.reward.rewardId,
        quantity: played.reward.quantity,
        provider: isTestPlayer(userId) ? TEST_PLAYER_PROVIDER : ctx.rewards.provider,
        claimedAt: now,
      });
    })
    .catch(async (error: unknown) => {
      if (!(error instanceof DuplicateRewardGrantError)) throw error;
      // The lookup above makes this unreachable in practice; a unique key is still the last
      // word, and its answer is the contract's 409, never an internal error.
      const existing = await ctx.rewardGrants.findByKey(error.idempotencyKey);
      throw alreadyClaimedError(goalId, existing?.claimedAt ?? null);
    });
  // Committed: the streams hear of the claim before the provider answers.
  announceChanged(ctx, userId);

  const delivery = await ctx.rewards.deliverNow(grant);
  const result: ClaimGoalResult = {
    goalId,
    status: 'claimed',
    reward: { ...played.reward },
    claimedAt: now,
    delivery,
  };
  if (played.variantId !== undefined) result.variantId = played.variantId;
  return result;
}

/** The grant of an earlier claim of this goal and period, under the player's id or pseudonym. */
function findEarlierClaim(
  ctx: AppContext,
  tx: ClaimTransaction,
  claim: { userId: string; goalId: string; periodKey: string | null },
) {
  const pseudonym = ctx.pseudonymise(claim.userId);
  const keys = new Set([
    rewardIdempotencyKey(claim),
    // Grants a provider had already been sent under the first key format keep that key.
    legacyRewardIdempotencyKey(claim),
    rewardIdempotencyKey({ ...claim, userId: pseudonym }),
  ]);
  return tx.findEarlierGrant({ keys: [...keys], userIds: [claim.userId, pseudonym] });
}
