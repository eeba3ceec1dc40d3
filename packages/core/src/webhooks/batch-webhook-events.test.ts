import { describe, expect, it } from 'vitest';
import type { GameEvent } from '../events/event.schema.ts';
import { advanceLedger } from '../ledger/advance-ledger.ts';
import { anchorAssignment } from '../ledger/anchor-assignment.ts';
import { applyBatchToLedger } from '../ledger/apply-batch-to-ledger.ts';
import { isCandidate } from '../ledger/is-candidate.ts';
import { emptyLedger, ledgerKey, type StatLedger } from '../ledger/ledger.types.ts';
import { makeDefinitions, makeGoal, makeRow } from '../testing/builders.ts';
import { batchWebhookEvents } from './batch-webhook-events.ts';
import type { TWebhookEventType } from './webhook.schema.ts';

const now = new Date('2026-01-05T10:00:00Z');
let seq = 0;
const kills = (value: number): GameEvent => ({
  type: 'stat',
  id: `e${++seq}`,
  userId: 'u1',
  statCode: 'kills',
  value,
  receivedAt: 0,
});
const goal = makeGoal({ goalId: 'g', requirement: { statCode: 'kills', targetValue: 10 } });
const definitions = makeDefinitions([goal]);
const ALL = new Set<TWebhookEventType>(['goal.completed', 'goal.claimed', 'goal.rotated']);

function run(
  events: GameEvent[],
  ledger: StatLedger,
  stored = [anchorAssignment({ assignment: makeRow({ goalId: 'g' }), ledger, goal })],
  types = ALL,
) {
  const { readings } = advanceLedger({ ledger, events, now });
  const candidates = stored.filter((row) => isCandidate({ stored: row, readings, now }));
  const ledgers = new Map([[ledgerKey('u1', ledger.statKey), ledger]]);
  const effects = applyBatchToLedger({
    events,
    ledgers,
    candidates,
    activeKeys: new Set([ledgerKey('u1', 'stat:kills')]),
    definitions,
    now,
  });
  return {
    effects,
    events: batchWebhookEvents({
      candidates,
      changed: effects.changed,
      ledgers,
      definitions,
      types,
      now,
    }),
  };
}

describe('batchWebhookEvents', () => {
  it('one goal.completed when a batch completes the goal, none when it was completed already', () => {
    const start = emptyLedger('u1', 'stat:kills');
    const first = run([kills(4), kills(12)], start);
    expect(first.events.map((e) => e.idempotencyKey)).toEqual(['goal.completed:u1:g:-']);
    expect(first.events[0]!.payload).toMatchObject({ userId: 'u1', goalId: 'g', progress: 12 });
    const again = run([kills(20)], first.effects.ledgers[0]!, first.effects.changed);
    expect(again.events).toEqual([]);
  });

  it('builds nothing for types no webhook subscribes to', () => {
    const start = emptyLedger('u1', 'stat:kills');
    expect(run([kills(12)], start, undefined, new Set(['goal.claimed'])).events).toEqual([]);
  });
});
