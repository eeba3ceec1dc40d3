import type { GoalDef } from '../definitions/definitions.types.ts';
import type { GameEvent } from '../events/event.schema.ts';

/**
 * Logins and statistics share the ledger table, so their keys live in disjoint namespaces: a
 * stat code is any string (`login` included), and a prefix on every stat key is the one way no
 * definitions file can ever make the two collide — no validation rule needed.
 */
export const LOGIN_STAT_KEY = 'login';
const STAT_PREFIX = 'stat:';

function statKeyOfStat(statCode: string): string {
  return STAT_PREFIX + statCode;
}

/** The ledger an event counts in (whether or not any goal tracks it). */
export function statKeyOfEvent(event: GameEvent): string {
  return event.type === 'login' ? LOGIN_STAT_KEY : statKeyOfStat(event.statCode);
}

/** The ledger a goal's rows derive from: every login goal reads logins, whatever its statCode. */
export function statKeyOfGoal(goal: GoalDef): string {
  return goal.eventSource === 'login' ? LOGIN_STAT_KEY : statKeyOfStat(goal.requirement.statCode);
}
