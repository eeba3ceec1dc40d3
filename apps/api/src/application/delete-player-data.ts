import type { AppContext } from './context.ts';

/** GDPR erasure of a player's progress rows, synchronously. */
export async function deletePlayerData(
  ctx: AppContext,
  input: { userId: string },
): Promise<{ deletedRows: number }> {
  return { deletedRows: await ctx.progress.deleteUser(input.userId) };
}
