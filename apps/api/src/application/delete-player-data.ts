import { announceChanged } from './announce.ts';
import type { AppContext } from './context.ts';

// Deletion waits for these attempts, each bounded by REWARD_INLINE_TIMEOUT_MS; a player rarely
// has more than a few grants in flight, and a provider that is down fails them all alike.
const MAX_DELIVERIES_FIRST = 20;
const DELIVERY_LANES = 5;

/**
 * GDPR erasure, synchronously (docs/data-retention.md). Rewards the player is still owed are
 * tried once more while their id is still known; then one transaction deletes the progress
 * rows and replaces the id by its keyed pseudonym everywhere in the reward tables. Grants stay,
 * so a returning player cannot claim the same reward again; a grant still undelivered is
 * cancelled (it could only be delivered to the player's id, which is gone).
 */
export async function deletePlayerData(
  ctx: AppContext,
  input: { userId: string },
): Promise<{ deletedRows: number }> {
  const { userId } = input;
  const open = await ctx.playerErasure.openGrants(userId, MAX_DELIVERIES_FIRST);
  let next = 0;
  const lane = async () => {
    while (next < open.length) await ctx.rewards.deliverNow(open[next++]!, 'erasure');
  };
  await Promise.all(Array.from({ length: Math.min(DELIVERY_LANES, open.length) }, lane));
  // Cancelled grants are audited (actor `erasure`) and listed with the dead letters.
  const { deletedRows } = await ctx.playerErasure.erase({
    userId,
    pseudonym: ctx.pseudonymise(userId),
    at: new Date(),
  });
  announceChanged(ctx, userId);
  return { deletedRows };
}
