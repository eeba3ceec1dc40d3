import type { AppContext } from './context.ts';

/** Back to progress 0 / not_started; the activation stays. false when the player has no row. */
export function resetGoal(
  ctx: Pick<AppContext, 'progress' | 'clock'>,
  input: { userId: string; goalId: string },
): Promise<boolean> {
  return ctx.progress.resetGoal(input.userId, input.goalId, ctx.clock.now());
}
