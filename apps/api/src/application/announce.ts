import type { AppContext } from './context.ts';

/**
 * After a committed write of a player's goals: their open streams on every replica re-derive
 * (docs/push.md). Not awaited: the publish is one Redis script, and a lost one only delays the
 * change to the player's next event or reconnect.
 */
export function announceChanged(ctx: Pick<AppContext, 'push'>, userId: string): void {
  void ctx.push?.changed([userId]);
}
