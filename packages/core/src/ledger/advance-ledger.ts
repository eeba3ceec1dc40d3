import { INT32_MAX } from '../definitions/definitions.schema.ts';
import type { Definitions } from '../definitions/definitions.types.ts';
import { goalsOf } from '../events/apply-batch.ts';
import type { GameEvent } from '../events/event.schema.ts';
import { utcDay } from '../progress/apply-event.ts';
import { emptyLedger, type LedgerReadings, ledgerKey, type StatLedger } from './ledger.types.ts';
import { statKeyOfEvent } from './stat-key.ts';

/**
 * What an event adds to `steps`: the oracle's increment step (`inc >= 1 ? floor(inc) : 1`, a
 * login 1). Capped at INT32_MAX because progress is, so one absurd `inc` can neither overflow
 * the int8 column nor cost precision in later differences.
 */
export function eventStep(event: GameEvent): number {
  if (event.type === 'login') return 1;
  const inc = event.inc;
  if (inc === undefined || !Number.isFinite(inc) || inc < 1) return 1;
  return Math.min(INT32_MAX, Math.floor(inc));
}

/**
 * The ledger after one key's events of a batch, in batch order, all at the batch's `now`; and
 * the highest readings they reached (what the candidate query compares thresholds with).
 */
export function advanceLedger({
  ledger,
  events,
  now,
}: {
  ledger: StatLedger;
  events: readonly GameEvent[];
  now: Date;
}): { ledger: StatLedger; readings: LedgerReadings } {
  const day = utcDay(now);
  const next = { ...ledger };
  let maxValue: number | null = null;
  for (const event of events) {
    next.seq += 1;
    if (event.type === 'stat' && event.value !== undefined) {
      next.value = event.value;
      next.valueSeq = next.seq;
      if (maxValue === null || event.value > maxValue) maxValue = event.value;
    }
    next.steps += eventStep(event);
    if (next.lastDay !== day) {
      next.days += 1;
      next.lastDay = day;
    }
  }
  return { ledger: next, readings: { value: maxValue, steps: next.steps, days: next.days } };
}

/** One (player, stat key) of a batch: its events in order and its ledger before and after. */
export interface LedgerAdvance {
  userId: string;
  statKey: string;
  events: GameEvent[];
  before: StatLedger;
  after: StatLedger;
  readings: LedgerReadings;
}

/**
 * Groups a batch's events by (player, stat key) in order of first appearance, leaving out
 * events no goal tracks (they count nowhere), and advances each ledger. `ledgers` holds the
 * current rows by `ledgerKey`; a missing one is the empty ledger.
 */
export function advanceLedgers({
  events,
  ledgers,
  definitions,
  now,
}: {
  events: readonly GameEvent[];
  ledgers: ReadonlyMap<string, StatLedger>;
  definitions: Definitions;
  now: Date;
}): Map<string, LedgerAdvance> {
  const grouped = new Map<string, { userId: string; statKey: string; events: GameEvent[] }>();
  for (const event of events) {
    if (goalsOf(event, definitions).length === 0) continue;
    const statKey = statKeyOfEvent(event);
    const k = ledgerKey(event.userId, statKey);
    const group = grouped.get(k);
    if (group) group.events.push(event);
    else grouped.set(k, { userId: event.userId, statKey, events: [event] });
  }
  const advances = new Map<string, LedgerAdvance>();
  for (const [k, group] of grouped) {
    const before = ledgers.get(k) ?? emptyLedger(group.userId, group.statKey);
    const { ledger: after, readings } = advanceLedger({
      ledger: before,
      events: group.events,
      now,
    });
    advances.set(k, { ...group, before, after, readings });
  }
  return advances;
}

/**
 * The (player, stat key) pairs a batch's events count in, as the parallel arrays the
 * repository locks (ledger rows FOR UPDATE, missing ones inserted first).
 */
export function ledgerKeysOf(
  events: readonly GameEvent[],
  definitions: Definitions,
): { userIds: string[]; statKeys: string[] } {
  const seen = new Set<string>();
  const userIds: string[] = [];
  const statKeys: string[] = [];
  for (const event of events) {
    if (goalsOf(event, definitions).length === 0) continue;
    const statKey = statKeyOfEvent(event);
    const k = ledgerKey(event.userId, statKey);
    if (seen.has(k)) continue;
    seen.add(k);
    userIds.push(event.userId);
    statKeys.push(statKey);
  }
  return { userIds, statKeys };
}
