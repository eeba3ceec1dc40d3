import type {
  ListGrantsInput,
  RewardDeliveryRepository,
  RewardGrant,
  RewardGrantEvent,
  RewardGrantListing,
} from '@challenges/db';

/** What live-ops see of reward grants and how they retry them (docs/rewards.md). */
export interface RewardGrantDeps {
  rewardGrantListing: RewardGrantListing;
  rewardDeliveries: RewardDeliveryRepository;
}

/** Grants newest first, a page at a time; filters combine. */
export function listRewardGrants(
  ctx: RewardGrantDeps,
  input: ListGrantsInput,
): Promise<{ items: RewardGrant[]; nextCursor: string | null }> {
  return ctx.rewardGrantListing.list(input);
}

/** Every state change and failed attempt of one grant, oldest first. */
export function rewardGrantEvents(
  ctx: RewardGrantDeps,
  input: { grantId: string },
): Promise<RewardGrantEvent[]> {
  return ctx.rewardGrantListing.events(input.grantId);
}

/** failed or pending → pending, due now, with a fresh attempt budget; returns how many. */
export function retryRewardGrants(
  ctx: RewardGrantDeps,
  input: { ids: readonly string[]; actor: string },
): Promise<number> {
  return ctx.rewardDeliveries.retry({
    ids: [...new Set(input.ids)],
    actor: input.actor,
    at: new Date(),
  });
}
