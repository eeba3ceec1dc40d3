import { periodAt } from '@challenges/core';
import type { AppContext } from '../application/context.ts';

/**
 * When every player's goals may have changed at once — a rotation boundary of the live
 * definitions, or a new live version (a publish, a rollback, a scheduled publish, on whichever
 * replica) — `fire` announces every player with a stream here (docs/push.md).
 */
export function startAnnounceAll(ctx: AppContext, fire: () => void) {
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    const { challenges } = ctx.definitions.current();
    const at = ctx.clock.now();
    let next = Number.POSITIVE_INFINITY;
    for (const challenge of challenges) {
      for (const goal of challenge.goals) {
        if (goal.rotation) {
          next = Math.min(next, periodAt({ rotation: goal.rotation, now: at }).end.getTime());
        }
      }
    }
    // A second past the boundary; at most an hour.
    const delay = Number.isFinite(next) ? Math.max(1_000, next - at.getTime() + 1_000) : 60_000;
    timer = setTimeout(
      () => {
        if (ctx.clock.now().getTime() >= next) fire();
        schedule();
      },
      Math.min(delay, 60_000 * 60),
    );
    timer.unref();
  };
  schedule();
  // A new version may move goals, targets and boundaries: announce, and time the next boundary.
  const unsubscribe = ctx.definitionStore.source.onChange(() => {
    fire();
    schedule();
  });
  return {
    stop: () => {
      unsubscribe();
      clearTimeout(timer);
    },
  };
}
