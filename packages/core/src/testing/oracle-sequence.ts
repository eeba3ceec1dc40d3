/**
 * Runs one generated scenario (ledger-arbitraries.ts) through TwinWorlds: the oracle and the
 * ledger model side by side, compared after every step.
 */
import type { Definitions, GoalDef } from '../definitions/definitions.types.ts';
import type { GameEvent } from '../events/event.schema.ts';
import {
  type EventSpec,
  type Op,
  republish,
  type Scenario,
  STAT_CODES,
  USERS,
} from './ledger-arbitraries.ts';
import { type Counters, TwinWorlds } from './twin-worlds.ts';

function toEvents(specs: readonly EventSpec[], nextId: () => string): GameEvent[] {
  const events: GameEvent[] = [];
  for (const spec of specs) {
    const previous = events[events.length - 1];
    const id = spec.repeat && previous ? previous.id : nextId();
    const userId = USERS[spec.user]!;
    if (spec.login) {
      events.push({ type: 'login', id, userId, receivedAt: 0 });
      continue;
    }
    events.push({
      type: 'stat',
      id,
      userId,
      statCode: STAT_CODES[spec.code] ?? 'untracked',
      ...(spec.value === undefined ? {} : { value: spec.value }),
      ...(spec.inc === undefined ? {} : { inc: spec.inc }),
      receivedAt: 0,
    });
  }
  return events;
}

function goalAt(definitions: Definitions, index: number): GoalDef {
  const goals = [...definitions.goalsById.values()];
  return goals[index % goals.length]!;
}

/** With preferCompleted, one of the player's completed goals if she has any. */
function claimTarget(worlds: TwinWorlds, op: Op & { kind: 'claim' }): GoalDef {
  if (op.preferCompleted) {
    const rows = [...worlds.oracle.rows(USERS[op.user]!).values()];
    const completed = rows.filter((row) => row.status === 'completed');
    if (completed.length > 0) {
      return worlds.definitions.goalsById.get(completed[op.goal % completed.length]!.goalId)!;
    }
  }
  return goalAt(worlds.definitions, op.goal);
}

function runOp(
  worlds: TwinWorlds,
  op: Op,
  now: Date,
  context: { nextId: () => string; zones: Scenario['zones'] },
): void {
  const { nextId, zones } = context;
  const { definitions } = worlds;
  switch (op.kind) {
    case 'events':
      worlds.events(now, toEvents(op.events, nextId));
      return;
    case 'setActive':
      worlds.setActive(now, USERS[op.user]!, goalAt(definitions, op.goal), op.isActive);
      return;
    case 'batchSelect': {
      const goalIds = op.goals.map((i) => goalAt(definitions, i).goalId);
      const challengeId = `c${op.challenge}`;
      worlds.batchSelect(now, USERS[op.user]!, { challengeId, goalIds, replace: op.replace });
      return;
    }
    case 'randomSelect': {
      const { count, replace, excludeActive, seed } = op;
      const challengeId = `c${op.challenge}`;
      const input = { challengeId, count, replace, excludeActive, seed };
      worlds.randomSelect(now, USERS[op.user]!, input);
      return;
    }
    case 'initialize':
      worlds.initialize(now, USERS[op.user]!);
      return;
    case 'claim':
      worlds.claim(now, USERS[op.user]!, claimTarget(worlds, op));
      return;
    case 'reset':
      worlds.reset(now, USERS[op.user]!, goalAt(definitions, op.goal));
      return;
    case 'delete':
      worlds.deleteUser(now, USERS[op.user]!);
      return;
    case 'publish':
      worlds.publish(now, republish(definitions, op.goal, op.spec, zones));
      return;
  }
}

/** Runs the scenario and returns its counters; throws Divergence at the first difference. */
export function runScenario({ definitions, zones, start, ops }: Scenario): Counters {
  // Most claim checks refuse; a CoreError's stack trace is most of their cost and unused here.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const worlds = new TwinWorlds(definitions, USERS);
    let clock = start;
    let id = 0;
    const nextId = () => `e${++id}`;
    ops.forEach((op, step) => {
      clock += op.dt;
      const now = new Date(clock);
      worlds.describe(`step ${step} ${JSON.stringify(op)} at ${now.toISOString()}`);
      runOp(worlds, op, now, { nextId, zones });
    });
    return worlds.counters;
  } finally {
    Error.stackTraceLimit = limit;
  }
}
