import { describe, expect, it } from 'vitest';
import { INT32_MAX } from '../definitions/definitions.schema.ts';
import { LEGACY_DAILY_ROTATION } from '../definitions/normalize-goal.ts';
import { makeGoal, makeRotation, makeRow } from '../testing/builders.ts';
import { applyLoginEvent, applyStatEvent } from './apply-event.ts';
import type { Assignment } from './progress.types.ts';

const now = new Date('2026-01-10T12:00:00Z');
const later = new Date('2026-01-10T13:00:00Z');
const tomorrow = new Date('2026-01-11T09:00:00Z');
const today = '2026-01-10T00:00:00.000Z';
const yesterday = '2026-01-09T00:00:00.000Z';

describe('increment', () => {
  const goal = makeGoal({ requirement: { targetValue: 10, progressMode: 'increment' } });
  const row = makeRow({ progress: 2, status: 'in_progress' });

  it('adds 1 per event whatever the value', () => {
    expect(applyStatEvent({ goal, row, value: 500, now }).progress).toBe(3);
    expect(applyStatEvent({ goal, row, value: 500, inc: 0, now }).progress).toBe(3);
    expect(applyLoginEvent({ goal, row, now }).progress).toBe(3);
  });

  it('adds a positive inc instead, floored', () => {
    expect(applyStatEvent({ goal, row, value: 0, inc: 5, now }).progress).toBe(7);
    expect(applyStatEvent({ goal, row, value: 0, inc: 2.7, now }).progress).toBe(4);
    expect(applyStatEvent({ goal, row, value: 0, inc: 8, now })).toMatchObject({
      progress: 10,
      status: 'completed',
    });
  });

  it('stops at int32 max', () => {
    const full = makeRow({ progress: INT32_MAX, status: 'completed', completedAt: now });
    expect(applyStatEvent({ goal, row: full, value: 0, inc: 5, now })).toBe(full);
  });

  it('starts the new period from 0 when the goal resets', () => {
    const rotating = makeGoal({
      requirement: { targetValue: 3, progressMode: 'increment' },
      rotation: makeRotation(),
    });
    const stale = makeRow({
      progress: 3,
      status: 'completed',
      completedAt: new Date(yesterday),
      periodKey: yesterday,
    });
    expect(applyStatEvent({ goal: rotating, row: stale, value: 0, now })).toMatchObject({
      progress: 1,
      status: 'in_progress',
      completedAt: null,
      periodKey: today,
      expiresAt: new Date('2026-01-11T00:00:00Z'),
    });
  });

  it('counts at most once per UTC day for legacy daily increment', () => {
    const daily = makeGoal({
      requirement: { targetValue: 3, progressMode: 'increment' },
      dailyIncrement: true,
    });
    const first = applyStatEvent({ goal: daily, row: makeRow(), value: 0, inc: 5, now });
    expect(first).toMatchObject({ progress: 1, lastIncrementDay: '2026-01-10' });
    expect(applyStatEvent({ goal: daily, row: first, value: 0, now: later })).toBe(first);
    expect(applyLoginEvent({ goal: daily, row: first, now: later })).toBe(first);
    const second = applyLoginEvent({ goal: daily, row: first, now: tomorrow });
    expect(second).toMatchObject({
      progress: 2,
      lastIncrementDay: '2026-01-11',
      updatedAt: tomorrow,
    });
  });

  it('records the day it counted even at int32 max, where progress stays put', () => {
    // The ledger model derives a daily row's last counted day from its ledger's last day,
    // whatever the progress; the oracle must keep the same day when the count is capped.
    const daily = makeGoal({ requirement: { progressMode: 'increment' }, dailyIncrement: true });
    const full = makeRow({
      progress: INT32_MAX,
      status: 'completed',
      completedAt: now,
      lastIncrementDay: '2026-01-10',
    });
    expect(applyLoginEvent({ goal: daily, row: full, now: tomorrow })).toMatchObject({
      progress: INT32_MAX,
      lastIncrementDay: '2026-01-11',
    });
  });
});

describe('legacy daily (completes on first event)', () => {
  const goal = makeGoal({
    requirement: { targetValue: 3, progressMode: 'absolute' },
    completesOnFirstEvent: true,
    rotation: { ...LEGACY_DAILY_ROTATION },
  });

  it('completes on the first event of the day with progress 1', () => {
    const row = makeRow({ periodKey: today });
    const done = applyStatEvent({ goal, row, value: 0, now });
    expect(done).toMatchObject({
      progress: 1,
      status: 'completed',
      completedAt: now,
      updatedAt: now,
    });
    expect(applyStatEvent({ goal, row: done, value: 7, now: later })).toBe(done);
    expect(applyLoginEvent({ goal, row: makeRow({ periodKey: today }), now })).toMatchObject({
      progress: 1,
      status: 'completed',
    });
  });

  it('can be completed again the next day, even after a claim', () => {
    const claimed: Assignment = makeRow({
      progress: 1,
      status: 'claimed',
      completedAt: now,
      claimedAt: later,
      periodKey: today,
    });
    expect(applyLoginEvent({ goal, row: claimed, now: later })).toBe(claimed);
    expect(applyLoginEvent({ goal, row: claimed, now: tomorrow })).toMatchObject({
      progress: 1,
      status: 'completed',
      completedAt: tomorrow,
      claimedAt: null,
      periodKey: '2026-01-11T00:00:00.000Z',
    });
  });
});

describe('stale rows that rotation does not reopen', () => {
  it('moves a claimed row into the new period and keeps it frozen', () => {
    const goal = makeGoal({
      requirement: { progressMode: 'increment' },
      rotation: makeRotation({ resetProgress: true }),
    });
    const row = makeRow({ progress: 10, status: 'claimed', claimedAt: now, periodKey: yesterday });
    const next = applyStatEvent({ goal, row, value: 0, now });
    expect(next).not.toBe(row);
    expect(next).toMatchObject({
      progress: 10,
      status: 'claimed',
      claimedAt: now,
      periodKey: today,
    });
  });
});
