/**
 * The tricky cases of the ledger model, each run through TwinWorlds: the oracle and the ledger
 * world in lockstep, compared after every step (a divergence throws). The expectations pin
 * down what the oracle does, so each case is known to reach the state it is about.
 */
import { describe, expect, it } from 'vitest';
import { INT32_MAX } from '../definitions/definitions.schema.ts';
import type { GameEvent } from '../events/event.schema.ts';
import { makeDefinitions, makeGoal, makeRotation } from '../testing/builders.ts';
import { TwinWorlds } from '../testing/twin-worlds.ts';

let seq = 0;
const stat = (statCode: string, value?: number, inc?: number, userId = 'u1'): GameEvent => ({
  type: 'stat',
  id: `e${++seq}`,
  userId,
  statCode,
  ...(value === undefined ? {} : { value }),
  ...(inc === undefined ? {} : { inc }),
  receivedAt: 0,
});
const login = (userId = 'u1'): GameEvent => ({
  type: 'login',
  id: `e${++seq}`,
  userId,
  receivedAt: 0,
});
const at = (iso: string) => new Date(iso);

const absolute = makeGoal({ goalId: 'abs', requirement: { statCode: 'kills', targetValue: 10 } });
const relative = makeGoal({
  goalId: 'rel',
  requirement: { statCode: 'coins', targetValue: 5, progressMode: 'relative' },
});
const increment = makeGoal({
  goalId: 'inc',
  requirement: { statCode: 'wins', targetValue: 3, progressMode: 'increment' },
});
const daily = makeGoal({
  goalId: 'daily',
  requirement: { statCode: 'matches', targetValue: 3, progressMode: 'increment' },
  dailyIncrement: true,
});
const firstEvent = makeGoal({
  goalId: 'first',
  requirement: { statCode: 'matches', targetValue: 1 },
  completesOnFirstEvent: true,
  rotation: makeRotation({ resetProgress: true, allowReselection: true }),
});
const rotating = (id: string, over: Partial<ReturnType<typeof makeRotation>>) =>
  makeGoal({
    goalId: id,
    requirement: { statCode: 'wins', targetValue: 2, progressMode: 'increment' },
    rotation: makeRotation(over),
  });

function worlds(...goals: ReturnType<typeof makeGoal>[]) {
  return new TwinWorlds(makeDefinitions(goals), ['u1', 'u2']);
}

describe('ledger model, tricky cases (oracle and ledger in lockstep)', () => {
  it('absolute: a value that goes down after completion is followed, completion sticks', () => {
    const w = worlds(absolute);
    w.setActive(at('2026-01-05T10:00:00Z'), 'u1', absolute, true);
    w.events(at('2026-01-05T10:01:00Z'), [stat('kills', 4), stat('kills', 12)]);
    w.events(at('2026-01-05T10:02:00Z'), [stat('kills', 3)]);
    expect(w.row('u1', 'abs')).toMatchObject({ progress: 3, status: 'completed' });
    expect(w.row('u1', 'abs')?.completedAt).toEqual(at('2026-01-05T10:01:00Z'));
    expect(w.claim(at('2026-01-05T10:03:00Z'), 'u1', absolute)).toEqual({ ok: true });
  });

  it('relative: the baseline kept while inactive is what counts after reactivation', () => {
    const w = worlds(relative);
    w.setActive(at('2026-01-05T10:00:00Z'), 'u1', relative, true);
    w.events(at('2026-01-05T10:01:00Z'), [stat('coins', 100, 2)]);
    expect(w.row('u1', 'rel')).toMatchObject({ baseline: 98, progress: 2 });
    w.setActive(at('2026-01-05T10:02:00Z'), 'u1', relative, false);
    w.events(at('2026-01-05T10:03:00Z'), [stat('coins', 140)]);
    w.setActive(at('2026-01-05T10:04:00Z'), 'u1', relative, true);
    expect(w.row('u1', 'rel')).toMatchObject({ progress: 2, status: 'in_progress' });
    w.events(at('2026-01-05T10:05:00Z'), [stat('coins', 101)]);
    expect(w.row('u1', 'rel')).toMatchObject({ progress: 3, status: 'in_progress' });
    w.events(at('2026-01-05T10:06:00Z'), [stat('coins', 103.5)]);
    expect(w.row('u1', 'rel')).toMatchObject({ progress: 5, status: 'completed' });
  });

  it('relative: a row created inactive takes its baseline from its first event once active', () => {
    const w = worlds(relative);
    w.setActive(at('2026-01-05T10:00:00Z'), 'u1', relative, false);
    w.events(at('2026-01-05T10:01:00Z'), [stat('coins', 50), stat('coins', undefined, 7)]);
    w.setActive(at('2026-01-05T10:02:00Z'), 'u1', relative, true);
    w.events(at('2026-01-05T10:03:00Z'), [stat('coins', undefined, 4), stat('coins', 60, 3)]);
    expect(w.row('u1', 'rel')).toMatchObject({ baseline: 57, progress: 3 });
  });

  it('relative: a value beyond int32 is clamped before the baseline is taken off', () => {
    const w = worlds(relative);
    w.setActive(at('2026-01-05T10:00:00Z'), 'u1', relative, true);
    w.events(at('2026-01-05T10:01:00Z'), [stat('coins', 2, 1)]);
    w.events(at('2026-01-05T10:02:00Z'), [stat('coins', 7)]);
    expect(w.row('u1', 'rel')).toMatchObject({ progress: 6, status: 'completed' });
    // Completed, so no longer a candidate: this value reaches the row by derivation alone.
    w.events(at('2026-01-05T10:03:00Z'), [stat('coins', 1e10)]);
    expect(w.row('u1', 'rel')).toMatchObject({ progress: INT32_MAX - 1, status: 'completed' });
  });

  it('daily increment: a row activated mid-day counts that day once, then once a day', () => {
    const w = worlds(daily);
    w.events(at('2026-01-05T08:00:00Z'), [stat('matches', undefined, 1)]);
    w.setActive(at('2026-01-05T09:00:00Z'), 'u1', daily, true);
    w.events(at('2026-01-05T10:00:00Z'), [stat('matches', 1)]);
    w.events(at('2026-01-05T11:00:00Z'), [stat('matches', 2), stat('matches', 3)]);
    expect(w.row('u1', 'daily')).toMatchObject({ progress: 1, lastIncrementDay: '2026-01-05' });
    w.events(at('2026-01-06T00:10:00Z'), [stat('matches', 4)]);
    w.events(at('2026-01-07T23:59:00Z'), [stat('matches', 5)]);
    expect(w.row('u1', 'daily')).toMatchObject({ progress: 3, status: 'completed' });
    expect(w.ledger.stored('u1').get('daily')?.threshold).toBeNull();
  });

  it('daily increment: reactivated on a later day, the next event of that day counts', () => {
    const w = worlds(daily);
    w.setActive(at('2026-01-05T09:00:00Z'), 'u1', daily, true);
    w.events(at('2026-01-05T10:00:00Z'), [stat('matches', 1)]);
    w.setActive(at('2026-01-05T11:00:00Z'), 'u1', daily, false);
    w.events(at('2026-01-06T10:00:00Z'), [stat('matches', 2)]);
    w.setActive(at('2026-01-06T11:00:00Z'), 'u1', daily, true);
    expect(w.ledger.stored('u1').get('daily')?.threshold).toBe(Number.NEGATIVE_INFINITY);
    w.events(at('2026-01-06T12:00:00Z'), [stat('matches', 3)]);
    expect(w.row('u1', 'daily')).toMatchObject({ progress: 2, lastIncrementDay: '2026-01-06' });
    // Anchored on the ledger's day again: only its completion makes it a candidate now.
    expect(w.ledger.stored('u1').get('daily')?.threshold).not.toBe(Number.NEGATIVE_INFINITY);
  });

  it('rotation: a row inactive during the period’s first event rotates at its next one', () => {
    const goal = rotating('rot', { resetProgress: true });
    const w = worlds(goal);
    w.setActive(at('2026-01-05T22:00:00Z'), 'u1', goal, true);
    w.events(at('2026-01-05T22:01:00Z'), [stat('wins')]);
    w.setActive(at('2026-01-05T23:00:00Z'), 'u1', goal, false);
    w.events(at('2026-01-06T01:00:00Z'), [stat('wins'), stat('wins')]);
    w.setActive(at('2026-01-06T02:00:00Z'), 'u1', goal, true);
    expect(w.row('u1', 'rot')).toMatchObject({
      progress: 1,
      periodKey: '2026-01-05T00:00:00.000Z',
    });
    w.events(at('2026-01-06T03:00:00Z'), [stat('wins', undefined, 2)]);
    expect(w.row('u1', 'rot')).toMatchObject({
      progress: 2,
      status: 'completed',
      periodKey: '2026-01-06T00:00:00.000Z',
    });
  });

  it('claimed and stale: reopens with allowReselection, stays claimed without', () => {
    const again = rotating('again', { resetProgress: false, allowReselection: true });
    const once = rotating('once', { resetProgress: false, allowReselection: false });
    const w = worlds(again, once);
    const day1 = at('2026-01-05T10:00:00Z');
    w.batchSelect(day1, 'u1', { challengeId: 'c1', goalIds: ['again', 'once'], replace: false });
    w.events(day1, [stat('wins', undefined, 5)]);
    expect(w.claim(day1, 'u1', again)).toEqual({ ok: true });
    expect(w.claim(day1, 'u1', once)).toEqual({ ok: true });
    const day2 = at('2026-01-06T10:00:00Z');
    expect(w.claim(day2, 'u1', again)).toMatchObject({ ok: false, code: 'GOAL_ROTATED' });
    expect(w.claim(day2, 'u1', once)).toMatchObject({ ok: false, code: 'ALREADY_CLAIMED' });
    w.events(day2, [stat('wins')]);
    expect(w.row('u1', 'again')).toMatchObject({ progress: 1, status: 'in_progress' });
    expect(w.row('u1', 'once')).toMatchObject({
      progress: 5,
      status: 'claimed',
      periodKey: '2026-01-06T00:00:00.000Z',
    });
  });

  it('increment: progress stops at INT32_MAX however large the increments', () => {
    const w = worlds(increment);
    w.setActive(at('2026-01-05T10:00:00Z'), 'u1', increment, true);
    w.events(at('2026-01-05T10:01:00Z'), [stat('wins', undefined, 1e300), stat('wins', 1, 3e9)]);
    w.events(at('2026-01-05T10:02:00Z'), [stat('wins')]);
    expect(w.row('u1', 'inc')).toMatchObject({ progress: INT32_MAX, status: 'completed' });
    expect(w.ledger.ledgers('u1').get('stat:wins')?.steps).toBe(2 * INT32_MAX + 1);
  });

  it('events without a value: skipped by value modes (no rotation either), counted by the rest', () => {
    const relRot = makeGoal({
      goalId: 'relRot',
      requirement: { statCode: 'matches', targetValue: 5, progressMode: 'relative' },
      rotation: makeRotation({ resetProgress: true }),
    });
    const absMatches = makeGoal({ goalId: 'absM', requirement: { statCode: 'matches' } });
    const incMatches = makeGoal({
      goalId: 'incM',
      requirement: { statCode: 'matches', targetValue: 9, progressMode: 'increment' },
    });
    const w = worlds(relRot, absMatches, incMatches, daily, firstEvent);
    const day1 = at('2026-01-05T10:00:00Z');
    for (const goal of [relRot, absMatches, incMatches, daily, firstEvent]) {
      w.setActive(day1, 'u1', goal, true);
    }
    w.events(day1, [stat('matches', 7)]);
    w.events(at('2026-01-06T10:00:00Z'), [stat('matches', undefined, 2)]);
    expect(w.row('u1', 'relRot')).toMatchObject({ baseline: 7, periodKey: day1Key });
    expect(w.row('u1', 'absM')).toMatchObject({ progress: 7 });
    expect(w.row('u1', 'incM')).toMatchObject({ progress: 3 });
    expect(w.row('u1', 'daily')).toMatchObject({ progress: 2 });
    expect(w.row('u1', 'first')).toMatchObject({ progress: 1, status: 'completed' });
  });

  it('logins: +1 for every login goal whatever its mode, once a UTC day for daily ones', () => {
    const loginAbs = makeGoal({
      goalId: 'la',
      eventSource: 'login',
      requirement: { targetValue: 3 },
    });
    const loginDaily = makeGoal({
      goalId: 'ld',
      eventSource: 'login',
      requirement: { statCode: 'login', targetValue: 2, progressMode: 'increment' },
      dailyIncrement: true,
    });
    const loginStat = makeGoal({
      goalId: 'ls',
      requirement: { statCode: 'login', targetValue: 5 },
    });
    const w = worlds(loginAbs, loginDaily, loginStat);
    const now = at('2026-01-05T10:00:00Z');
    for (const goal of [loginAbs, loginDaily, loginStat]) w.setActive(now, 'u1', goal, true);
    w.events(now, [login(), login(), stat('login', 4)]);
    w.events(at('2026-01-06T10:00:00Z'), [login()]);
    expect(w.row('u1', 'la')).toMatchObject({ progress: 3, status: 'completed' });
    expect(w.row('u1', 'ld')).toMatchObject({ progress: 2, status: 'completed' });
    expect(w.row('u1', 'ls')).toMatchObject({ progress: 4, status: 'in_progress' });
  });

  it('dashboard reset and deletion start the rows over without touching other players', () => {
    const w = worlds(absolute, increment);
    const now = at('2026-01-05T10:00:00Z');
    for (const userId of ['u1', 'u2']) {
      w.setActive(now, userId, absolute, true);
      w.setActive(now, userId, increment, true);
    }
    w.events(now, [stat('kills', 8), stat('wins'), stat('kills', 9, 0, 'u2')]);
    w.reset(now, 'u1', absolute);
    w.reset(now, 'u1', increment);
    expect(w.row('u1', 'abs')).toMatchObject({ progress: 0, status: 'not_started' });
    w.events(now, [stat('wins'), stat('wins', undefined, undefined, 'u2')]);
    expect(w.row('u1', 'inc')).toMatchObject({ progress: 1 });
    w.deleteUser(now, 'u1');
    expect(w.row('u1', 'abs')).toBeUndefined();
    expect(w.row('u2', 'inc')).toMatchObject({ progress: 1 });
  });
});

const day1Key = '2026-01-05T00:00:00.000Z';
