import { describe, expect, it } from 'vitest';
import { INT32_MAX } from '../definitions/definitions.schema.ts';
import { makeGoal, makeRotation, makeRow } from '../testing/builders.ts';
import { applyLoginEvent, applyStatEvent } from './apply-event.ts';

const now = new Date('2026-01-10T12:00:00Z');
const later = new Date('2026-01-10T13:00:00Z');
const _tomorrow = new Date('2026-01-11T09:00:00Z');
const today = '2026-01-10T00:00:00.000Z';
const yesterday = '2026-01-09T00:00:00.000Z';

const absolute = makeGoal({ requirement: { targetValue: 10, progressMode: 'absolute' } });

describe('every mode', () => {
  it('leaves inactive rows alone, even stale ones', () => {
    const row = makeRow({ isActive: false, periodKey: yesterday });
    const goal = makeGoal({ requirement: { progressMode: 'increment' }, rotation: makeRotation() });
    expect(applyStatEvent({ goal, row, value: 5, now })).toBe(row);
    expect(applyLoginEvent({ goal, row, now })).toBe(row);
  });

  it('leaves claimed rows alone', () => {
    const row = makeRow({ status: 'claimed', progress: 10, claimedAt: now });
    expect(applyStatEvent({ goal: absolute, row, value: 50, now })).toBe(row);
    expect(applyLoginEvent({ goal: absolute, row, now })).toBe(row);
  });

  it('ignores a NaN stat value', () => {
    const row = makeRow({ progress: 3, status: 'in_progress' });
    expect(applyStatEvent({ goal: absolute, row, value: Number.NaN, now })).toBe(row);
  });
});

describe('absolute', () => {
  it('sets progress to the latest value and completes at the target', () => {
    const started = applyStatEvent({ goal: absolute, row: makeRow(), value: 3, now });
    expect(started).toMatchObject({
      progress: 3,
      status: 'in_progress',
      completedAt: null,
      updatedAt: now,
    });
    const done = applyStatEvent({ goal: absolute, row: started, value: 12, now: later });
    expect(done).toMatchObject({ progress: 12, status: 'completed', completedAt: later });
  });

  it('keeps completion when the value drops, and the first completion time', () => {
    const done = makeRow({ progress: 12, status: 'completed', completedAt: now });
    const dropped = applyStatEvent({ goal: absolute, row: done, value: 4, now: later });
    expect(dropped).toMatchObject({
      progress: 4,
      status: 'completed',
      completedAt: now,
      updatedAt: later,
    });
  });

  it('lets progress go down before completion, back to not_started at 0', () => {
    const row = makeRow({ progress: 5, status: 'in_progress' });
    expect(applyStatEvent({ goal: absolute, row, value: 2, now })).toMatchObject({
      progress: 2,
      status: 'in_progress',
    });
    expect(applyStatEvent({ goal: absolute, row, value: 0, now })).toMatchObject({
      progress: 0,
      status: 'not_started',
    });
  });

  it('returns the same row when nothing changes', () => {
    const row = makeRow({ progress: 5, status: 'in_progress' });
    expect(applyStatEvent({ goal: absolute, row, value: 5, now })).toBe(row);
    const fresh = makeRow();
    expect(applyStatEvent({ goal: absolute, row: fresh, value: 0, now })).toBe(fresh);
  });

  it('floors values and keeps them within int32', () => {
    expect(applyStatEvent({ goal: absolute, row: makeRow(), value: 3.9, now }).progress).toBe(3);
    expect(applyStatEvent({ goal: absolute, row: makeRow(), value: 1e12, now }).progress).toBe(
      INT32_MAX,
    );
    expect(
      applyStatEvent({ goal: absolute, row: makeRow(), value: Number.POSITIVE_INFINITY, now })
        .progress,
    ).toBe(INT32_MAX);
    const row = makeRow({ progress: 2, status: 'in_progress' });
    expect(applyStatEvent({ goal: absolute, row, value: -7, now }).progress).toBe(0);
  });

  it('counts logins one by one', () => {
    const goal = makeGoal({ eventSource: 'login', requirement: { targetValue: 2 } });
    const first = applyLoginEvent({ goal, row: makeRow(), now });
    expect(first).toMatchObject({ progress: 1, status: 'in_progress' });
    expect(applyLoginEvent({ goal, row: first, now: later })).toMatchObject({
      progress: 2,
      status: 'completed',
      completedAt: later,
    });
  });
});

describe('relative', () => {
  const goal = makeGoal({ requirement: { targetValue: 10, progressMode: 'relative' } });

  it('takes the baseline from the first event as latest value minus inc', () => {
    const first = applyStatEvent({ goal, row: makeRow(), value: 100, inc: 5, now });
    expect(first).toMatchObject({ baseline: 95, progress: 5, status: 'in_progress' });
    const second = applyStatEvent({ goal, row: first, value: 103, inc: 3, now: later });
    expect(second).toMatchObject({ baseline: 95, progress: 8 });
    expect(applyStatEvent({ goal, row: second, value: 106, now: later })).toMatchObject({
      progress: 11,
      status: 'completed',
      completedAt: later,
    });
  });

  it('starts at 0 when the first event carries no inc, but stores the baseline', () => {
    const first = applyStatEvent({ goal, row: makeRow(), value: 100, now });
    expect(first).toMatchObject({
      baseline: 100,
      progress: 0,
      status: 'not_started',
      updatedAt: now,
    });
    expect(applyStatEvent({ goal, row: first, value: 104, now })).toMatchObject({ progress: 4 });
  });

  it('counts an inc that is not a finite number as no inc', () => {
    // The event schema refuses them; a caller that skips it must not poison the baseline.
    for (const inc of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(applyStatEvent({ goal, row: makeRow(), value: 100, inc, now })).toMatchObject({
        baseline: 100,
        progress: 0,
      });
    }
  });

  it('never goes below 0', () => {
    const row = makeRow({ baseline: 100, progress: 4, status: 'in_progress' });
    expect(applyStatEvent({ goal, row, value: 50, now })).toMatchObject({
      progress: 0,
      status: 'not_started',
    });
  });

  it('takes a new baseline in a new period when the goal resets', () => {
    const rotating = makeGoal({
      requirement: { targetValue: 10, progressMode: 'relative' },
      rotation: makeRotation({ resetProgress: true }),
    });
    const row = makeRow({
      baseline: 100,
      progress: 8,
      status: 'in_progress',
      periodKey: yesterday,
    });
    expect(applyStatEvent({ goal: rotating, row, value: 130, inc: 2, now })).toMatchObject({
      baseline: 128,
      progress: 2,
      periodKey: today,
    });
  });

  it('keeps growing from the old baseline in a new period when the goal keeps progress', () => {
    const rotating = makeGoal({
      requirement: { targetValue: 50, progressMode: 'relative' },
      rotation: makeRotation({ schedule: 'weekly', resetProgress: false }),
    });
    const row = makeRow({
      baseline: 100,
      progress: 8,
      status: 'in_progress',
      periodKey: '2025-12-29T00:00:00.000Z',
    });
    expect(applyStatEvent({ goal: rotating, row, value: 112, now })).toMatchObject({
      baseline: 100,
      progress: 12,
      periodKey: '2026-01-05T00:00:00.000Z',
    });
  });

  it('counts logins one by one', () => {
    const login = makeGoal({
      eventSource: 'login',
      requirement: { targetValue: 1, progressMode: 'relative' },
    });
    expect(applyLoginEvent({ goal: login, row: makeRow(), now })).toMatchObject({
      progress: 1,
      status: 'completed',
    });
  });
});
