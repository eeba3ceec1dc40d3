import { announceChanged } from './announce.ts';
import type { AppContext } from './context.ts';

/** Back to progress 0 / not_started; the activation stays. false when the player has no row. */
export async function resetGoal(
  ctx: Pick<AppContext, 'progress' | 'clock' | 'push'>,
  input: { userId: string; goalId: string },
): Promise<boolean> {
  const reset = await ctx.progress.resetGoal(input.userId, input.goalId, ctx.clock.now());
  if (reset) announceChanged(ctx, input.userId);
  return reset;
}
