import { type Definitions, definitionsAt } from '@challenges/core';
import type { AppContext } from './context.ts';

/**
 * The definitions a player sees now (schedules, SPEC §2.4): goals before their window are
 * unknown, ended ones carry `ended: true`. A file without schedules is returned as it is.
 */
export function scheduledDefinitions(ctx: AppContext, now: Date): Definitions {
  return definitionsAt(ctx.definitions.current(), now);
}
