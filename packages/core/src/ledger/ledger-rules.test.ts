import { describe, expect, it } from 'vitest';
import { INT32_MAX } from '../definitions/definitions.schema.ts';
import type { GameEvent } from '../events/event.schema.ts';
import type { Assignment } from '../progress/progress.types.ts';
import { makeDefinitions, makeGoal, makeRotation, makeRow } from '../testing/builders.ts';
import { advanceLedger, eventStep, ledgerKeysOf } from './advance-ledger.ts';
import { anchorAssignment, materializeAssignment } from './anchor-assignment.ts';
import { ledgerAssignmentViews } from './derive-views.ts';
import { isCandidate } from './is-candidate.ts';
import { emptyLedger, type LedgerReadings, type StatLedger } from './ledger.types.ts';
import { LOGIN_STAT_KEY, statKeyOfEvent, statKeyOfGoal } from './stat-key.ts';

const now = new Date('2026-01-05T10:00:00Z');
let seq = 0;
const stat = (statCode: string, value?: number, inc?: number): GameEvent => ({
  type: 'stat',
  id: `r${++seq}`,
  userId: 'u1',
  statCode,
  ...(value === undefined ? {} : { value }),
  ...(inc === undefined ? {} : { inc }),
  receivedAt: 0,
});
const login: GameEvent = { type: 'login', id: 'l1', userId: 'u1', receivedAt: 0 };

describe('stat keys', () => {
  it('keeps logins apart from a stat that is called "login"', () => {
    const loginStat = makeGoal({ requirement: { statCode: 'login' } });
    const loginGoal = makeGoal({ eventSource: 'login', requirement: { statCode: 'login' } });
    expect(statKeyOfGoal(loginGoal)).toBe(LOGIN_STAT_KEY);
    expect(statKeyOfGoal(loginStat)).not.toBe(LOGIN_STAT_KEY);
    expect(statKeyOfEvent(stat('login', 1))).toBe(statKeyOfGoal(loginStat));
    expect(statKeyOfEvent(login)).toBe(LOGIN_STAT_KEY);
  });
});

describe('advanceLedger', () => {
  it('counts steps as the oracle does, capped at INT32_MAX per event', () => {
    // NaN and ±Infinity: no inc, as apply-event reads them.
    const incs = [undefined, 0.5, -2, 1, 2.7, 1e300, Number.NaN, Number.POSITIVE_INFINITY];
    const steps = incs.map((inc) => eventStep(stat('k', 1, inc)));
    expect(steps).toEqual([1, 1, 1, 1, 2, INT32_MAX, 1, 1]);
    expect(eventStep(login)).toBe(1);
  });

  it('keeps the latest value, the highest one of the batch and one day per UTC day', () => {
    const start = {
      ...emptyLedger('u1', 'stat:k'),
      seq: 4,
      steps: 9,
      days: 2,
      lastDay: '2026-01-04',
    };
    const { ledger, readings } = advanceLedger({
      ledger: start,
      events: [stat('k', 7, 3), stat('k', undefined, 2), stat('k', 5)],
      now,
    });
    expect(ledger).toMatchObject({ seq: 7, value: 5, valueSeq: 7, steps: 15, days: 3 });
    expect(ledger.lastDay).toBe('2026-01-05');
    expect(readings).toEqual({ value: 7, steps: 15, days: 3 });
    const again = advanceLedger({ ledger, events: [stat('k', undefined, 1)], now });
    expect(again.readings).toEqual({ value: null, steps: 16, days: 3 });
    // A QA clock set back to an earlier day is a new day for the ledger, as for the oracle.
    const back = advanceLedger({ ledger, events: [login], now: new Date('2026-01-01T00:00:00Z') });
    expect(back.ledger).toMatchObject({ days: 4, lastDay: '2026-01-01' });
  });
});

describe('ledgerKeysOf', () => {
  it('gives each (player, stat key) a tracked event counts in once, in order of first appearance', () => {
    const definitions = makeDefinitions([
      makeGoal({ goalId: 'k' }),
      makeGoal({ goalId: 'w', requirement: { statCode: 'wins' } }),
      makeGoal({ goalId: 'l', eventSource: 'login' }),
    ]);
    const u2 = (event: GameEvent): GameEvent => ({ ...event, userId: 'u2' });
    const events = [
      u2(stat('wins', 1)),
      stat('nothing', 1),
      stat('kills', 1),
      u2(stat('wins', 2)),
      login,
      stat('kills', undefined, 3),
      u2(login),
    ];
    expect(ledgerKeysOf(events, definitions)).toEqual({
      userIds: ['u2', 'u1', 'u1', 'u2'],
      statKeys: ['stat:wins', 'stat:kills', LOGIN_STAT_KEY, LOGIN_STAT_KEY],
    });
  });
});

describe('isCandidate', () => {
  const readings: LedgerReadings = { value: 10, steps: 20, days: 3 };
  const base = {
    isActive: true,
    expiresAt: null,
    periodKey: null,
    unit: 'value' as const,
    threshold: null,
  };
  const check = (over: Partial<typeof base> | object, r = readings) =>
    isCandidate({ stored: { ...base, ...over }, readings: r, now });

  it('takes rows whose reading reaches the threshold, the boundary included', () => {
    expect(check({ threshold: 10 })).toBe(true);
    expect(check({ threshold: 10.5 })).toBe(false);
    expect(check({ unit: 'steps', threshold: 20 })).toBe(true);
    expect(check({ unit: 'steps', threshold: 21 })).toBe(false);
    expect(check({ unit: 'days', threshold: 3 })).toBe(true);
    expect(check({ unit: 'days', threshold: 4 })).toBe(false);
    expect(check({ threshold: null })).toBe(false);
  });

  it('needs a value for value rows, even always-candidates', () => {
    const noValue = { ...readings, value: null };
    expect(check({ threshold: Number.NEGATIVE_INFINITY }, noValue)).toBe(false);
    expect(check({ unit: 'steps', threshold: Number.NEGATIVE_INFINITY }, noValue)).toBe(true);
  });

  it('takes stale rows (period over, or not begun under a rewound clock), never inactive ones', () => {
    expect(check({ expiresAt: now, periodKey: '2026-01-04T00:00:00.000Z' })).toBe(true);
    expect(
      check({ expiresAt: new Date('2026-01-07T00:00:00Z'), periodKey: '2026-01-06T00:00:00.000Z' }),
    ).toBe(true);
    expect(
      check({ expiresAt: new Date('2026-01-06T00:00:00Z'), periodKey: '2026-01-05T00:00:00.000Z' }),
    ).toBe(false);
    // A period that begins right now has begun.
    const startsNow = { expiresAt: new Date('2026-01-06T10:00:00Z'), periodKey: now.toISOString() };
    expect(check(startsNow)).toBe(false);
    expect(check({ isActive: false, expiresAt: now, threshold: Number.NEGATIVE_INFINITY })).toBe(
      false,
    );
  });
});

describe('anchor and materialize', () => {
  const ledger: StatLedger = {
    ...emptyLedger('u1', 'stat:kills'),
    seq: 12,
    value: 40,
    valueSeq: 11,
    steps: 30,
    days: 6,
    lastDay: '2026-01-05',
  };
  const goals = {
    absolute: makeGoal(),
    relative: makeGoal({ requirement: { progressMode: 'relative' } }),
    increment: makeGoal({ requirement: { progressMode: 'increment' } }),
    daily: makeGoal({ requirement: { progressMode: 'increment' }, dailyIncrement: true }),
    first: makeGoal({ completesOnFirstEvent: true, rotation: makeRotation() }),
  };
  const rows: Assignment[] = [
    makeRow({ progress: 3, status: 'in_progress', baseline: 37 }),
    makeRow({ progress: 12, status: 'completed', completedAt: now }),
    makeRow({ progress: 10, status: 'claimed', completedAt: now, claimedAt: now }),
    makeRow({
      progress: 2,
      status: 'in_progress',
      isActive: false,
      lastIncrementDay: '2026-01-01',
    }),
    makeRow({ progress: 0, status: 'not_started', lastIncrementDay: '2026-01-05' }),
  ];

  it('gives back the row it anchored, for every mode and status', () => {
    for (const goal of Object.values(goals)) {
      for (const row of rows) {
        const stored = anchorAssignment({ assignment: row, ledger, goal });
        expect(materializeAssignment({ stored, ledger, goal })).toEqual(row);
      }
    }
  });

  it('sets thresholds in ledger units, -Infinity where only an event can settle the row', () => {
    const open = rows[0]!;
    const threshold = (goal: keyof typeof goals, row: Assignment = open) =>
      anchorAssignment({ assignment: row, ledger, goal: goals[goal] }).threshold;
    expect(threshold('absolute')).toBe(10);
    expect(threshold('relative')).toBe(47);
    expect(threshold('relative', { ...open, baseline: null })).toBe(Number.NEGATIVE_INFINITY);
    expect(threshold('increment')).toBe(30 - 3 + 10);
    expect(threshold('daily')).toBe(Number.NEGATIVE_INFINITY);
    expect(threshold('daily', rows[4])).toBe(6 - 0 + 10);
    expect(threshold('first')).toBe(Number.NEGATIVE_INFINITY);
    expect(threshold('increment', rows[1])).toBeNull();
    expect(threshold('relative', rows[2])).toBeNull();
  });

  it('gives a rotating row a threshold only while its period is one of the rotation', () => {
    const daily = makeGoal({ rotation: makeRotation() });
    const threshold = (periodKey: string | null, expiresAt: Date | null) =>
      anchorAssignment({ assignment: { ...rows[0]!, periodKey, expiresAt }, ledger, goal: daily })
        .threshold;
    expect(threshold('2026-01-05T00:00:00.000Z', new Date('2026-01-06T00:00:00Z'))).toBe(10);
    const week = new Date('2026-01-12T00:00:00Z');
    expect(threshold('2026-01-05T00:00:00.000Z', week)).toBe(Number.NEGATIVE_INFINITY);
    expect(threshold(null, null)).toBe(Number.NEGATIVE_INFINITY);
    // A UTC day's row under a London rotation, on the 25-hour day summer time ends: the same
    // end as London's day, but not its start.
    const london = makeGoal({ rotation: makeRotation({ timezone: 'Europe/London' }) });
    const utcDayRow = {
      ...rows[0]!,
      periodKey: '2026-10-25T00:00:00.000Z',
      expiresAt: new Date('2026-10-26T00:00:00Z'),
    };
    expect(anchorAssignment({ assignment: utcDayRow, ledger, goal: london }).threshold).toBe(
      Number.NEGATIVE_INFINITY,
    );
  });
});

describe('ledgerAssignmentViews', () => {
  it('gives a view per row of a known goal and leaves out rows of goals no longer defined', () => {
    const goal = makeGoal();
    const rows = ['g1', 'gone'].map((goalId) =>
      anchorAssignment({ assignment: makeRow({ goalId }), ledger: undefined, goal }),
    );
    const definitions = makeDefinitions([goal]);
    const views = ledgerAssignmentViews({ definitions, rows, ledgers: new Map(), now });
    expect([...views.keys()]).toEqual(['g1']);
  });
});
