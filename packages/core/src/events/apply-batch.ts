import type { Definitions, GoalDef } from '../definitions/definitions.types.ts';
import { applyLoginEvent, applyStatEvent } from '../progress/apply-event.ts';
import type { Assignment } from '../progress/progress.types.ts';
import { variantGoal } from '../variants/variant-goal.ts';
import type { GameEvent } from './event.schema.ts';

/** What became of one event of a batch (each event gets exactly one). */
export type EventOutcome =
  | 'applied'
  | 'deduplicated'
  | 'no_goal'
  | 'no_assignment'
  | 'no_change'
  | 'batch_already_applied';

const NO_GOALS: readonly GoalDef[] = [];
const key = (userId: string, goalId: string) => `${userId}\u0000${goalId}`;

/** Goals an event can move: the stat's goals, or every login goal. */
export function goalsOf(event: GameEvent, definitions: Definitions): readonly GoalDef[] {
  if (event.type === 'login') return definitions.loginGoals;
  return definitions.goalsByStatCode.get(event.statCode) ?? NO_GOALS;
}

/**
 * The first event of each id, in batch order: a producer that retries inside one flush sends the
 * same id twice, and the second one must count as a redelivery.
 */
export function distinctEvents(events: readonly GameEvent[]): {
  events: GameEvent[];
  repeats: number;
} {
  const seen = new Set<string>();
  const distinct: GameEvent[] = [];
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    distinct.push(event);
  }
  return { events: distinct, repeats: events.length - distinct.length };
}

/** The (user, goal) keys the events may change, as the parallel arrays the repository locks. */
export function targetKeys(
  events: readonly GameEvent[],
  definitions: Definitions,
): { userIds: string[]; goalIds: string[] } {
  const seen = new Set<string>();
  const userIds: string[] = [];
  const goalIds: string[] = [];
  for (const event of events) {
    for (const goal of goalsOf(event, definitions)) {
      const k = key(event.userId, goal.goalId);
      if (seen.has(k)) continue;
      seen.add(k);
      userIds.push(event.userId);
      goalIds.push(goal.goalId);
    }
  }
  return { userIds, goalIds };
}

/**
 * The stat value an event carries for one goal. Increment-style goals count the event itself,
 * so an `inc`-only event still moves them; absolute and relative goals need the value and skip
 * the event without one (NaN is core's "nothing to apply").
 */
function statValue(goal: GoalDef, value: number | undefined): number {
  if (value !== undefined) return value;
  const counts =
    goal.requirement.progressMode === 'increment' ||
    goal.dailyIncrement ||
    goal.completesOnFirstEvent;
  return counts ? 0 : Number.NaN;
}

/** One event applied to one row of a goal it can move; `row` itself when nothing changes. */
export function applyEventToRow({
  goal,
  row,
  event,
  now,
}: {
  goal: GoalDef;
  row: Assignment;
  event: GameEvent;
  now: Date;
}): Assignment {
  if (event.type === 'login') return applyLoginEvent({ goal, row, now });
  return applyStatEvent({
    goal,
    row,
    value: statValue(goal, event.value),
    inc: event.inc ?? null,
    now,
  });
}

export interface BatchEffects {
  /** Final state of every row that changed, one per (user, goal). */
  changed: Assignment[];
  /** Outcome per event, in the order of `events`. */
  outcomes: EventOutcome[];
}

/**
 * Applies the events in order to the locked active rows with core's rules; a row touched by
 * several events is written once with its final state. Rows of goals that no longer exist in
 * the definitions are left alone.
 */
export function applyEvents({
  events,
  rows,
  definitions,
  now,
}: {
  events: readonly GameEvent[];
  rows: readonly Assignment[];
  definitions: Definitions;
  now: Date;
}): BatchEffects {
  const state = new Map<string, Assignment>();
  for (const row of rows) state.set(key(row.userId, row.goalId), row);
  const dirty = new Set<string>();
  const outcomes: EventOutcome[] = [];

  for (const event of events) {
    const goals = goalsOf(event, definitions);
    if (goals.length === 0) {
      outcomes.push('no_goal');
      continue;
    }
    let matched = false;
    let changed = false;
    for (const goal of goals) {
      const k = key(event.userId, goal.goalId);
      const row = state.get(k);
      if (row === undefined) continue;
      matched = true;
      // A row in an A/B variant plays its variant's target.
      const played = goal.variants === undefined ? goal : variantGoal(goal, row.variantId);
      const next = applyEventToRow({ goal: played, row, event, now });
      if (next !== row) {
        state.set(k, next);
        dirty.add(k);
        changed = true;
      }
    }
    outcomes.push(changed ? 'applied' : matched ? 'no_change' : 'no_assignment');
  }

  const changed: Assignment[] = [];
  for (const k of dirty) changed.push(state.get(k)!);
  return { changed, outcomes };
}
