import { describe, expect, it } from 'vitest';
import type { Assignment } from '../progress/progress.types.ts';
import { makeDefinitions, makeGoal, makeRow } from '../testing/builders.ts';
import { applyEvents, distinctEvents, targetKeys } from './apply-batch.ts';
import type { GameEvent } from './event.schema.ts';

const stat = (goalId: string, statCode: string, targetValue: number, mode = 'absolute' as const) =>
  makeGoal({
    goalId,
    challengeId: 'modes',
    requirement: { statCode, targetValue, progressMode: mode },
  });
const definitions = makeDefinitions([
  stat('abs-score', 'score', 10),
  makeGoal({
    goalId: 'inc-kills',
    challengeId: 'modes',
    requirement: { statCode: 'kills', targetValue: 5, progressMode: 'increment' },
  }),
  makeGoal({
    goalId: 'legacy-daily-login',
    challengeId: 'modes',
    eventSource: 'login',
    requirement: { statCode: 'login_count', targetValue: 1 },
    completesOnFirstEvent: true,
  }),
  makeGoal({
    goalId: 'login-3',
    challengeId: 'modes',
    eventSource: 'login',
    requirement: { statCode: 'login_count', targetValue: 3, progressMode: 'increment' },
  }),
  makeGoal({
    goalId: 'login-plain',
    challengeId: 'modes',
    eventSource: 'login',
    requirement: { statCode: 'login_count', targetValue: 5, progressMode: 'absolute' },
  }),
  makeGoal({
    goalId: 'rel-coins',
    challengeId: 'modes',
    requirement: { statCode: 'coins', targetValue: 100, progressMode: 'relative' },
  }),
  stat('claim-me', 'treasure', 1),
  stat('optional-score', 'score', 50),
]);
const row = (overrides: Partial<Assignment> & { goalId: string }) =>
  makeRow({ challengeId: 'modes', ...overrides });
const now = new Date('2026-03-02T12:00:00.000Z');
let seq = 0;
const statEvent = (userId: string, statCode: string, value?: number, inc?: number): GameEvent => ({
  type: 'stat',
  id: `e${++seq}`,
  userId,
  statCode,
  ...(value === undefined ? {} : { value }),
  ...(inc === undefined ? {} : { inc }),
  receivedAt: 0,
});
const login = (userId: string): GameEvent => ({
  type: 'login',
  id: `e${++seq}`,
  userId,
  receivedAt: 0,
});

describe('distinctEvents', () => {
  it('keeps the first event of each id, in order', () => {
    const a = statEvent('u1', 'score', 1);
    const b = statEvent('u1', 'score', 2);
    const result = distinctEvents([a, b, { ...a, value: 9 } as GameEvent]);
    expect(result.events).toEqual([a, b]);
    expect(result.repeats).toBe(1);
  });
});

describe('targetKeys', () => {
  it('fans a stat out to its goals and a login to the login goals, each key once', () => {
    const keys = targetKeys(
      [
        statEvent('u1', 'score', 1),
        statEvent('u1', 'score', 2),
        login('u2'),
        statEvent('u3', 'nothing', 1),
      ],
      definitions,
    );
    const pairs = keys.userIds.map((u, i) => `${u}/${keys.goalIds[i]}`);
    expect(pairs).toEqual([
      'u1/abs-score',
      'u1/optional-score',
      'u2/legacy-daily-login',
      'u2/login-3',
      'u2/login-plain',
    ]);
  });
});

describe('applyEvents', () => {
  it('applies a user’s events in order and writes each row once with its final state', () => {
    const rows = [row({ goalId: 'abs-score' }), row({ goalId: 'inc-kills' })];
    const events = [
      statEvent('u1', 'score', 4),
      statEvent('u1', 'score', 12),
      statEvent('u1', 'score', 3),
    ];
    const { changed, outcomes } = applyEvents({ events, rows, definitions, now });
    expect(changed).toEqual([
      expect.objectContaining({ goalId: 'abs-score', progress: 3, status: 'completed' }),
    ]);
    expect(outcomes).toEqual(['applied', 'applied', 'applied']);
  });

  it('says why an event changed nothing', () => {
    const rows = [row({ goalId: 'claim-me', status: 'claimed', progress: 1, claimedAt: now })];
    const events = [
      statEvent('u1', 'nothing', 1),
      statEvent('u1', 'score', 5),
      statEvent('u1', 'treasure', 3),
    ];
    const { changed, outcomes } = applyEvents({ events, rows, definitions, now });
    expect(changed).toEqual([]);
    expect(outcomes).toEqual(['no_goal', 'no_assignment', 'no_change']);
  });

  it('skips an event without a value on absolute and relative goals: progress stays', () => {
    const rows = [
      row({ goalId: 'abs-score', progress: 4, status: 'in_progress' }),
      row({ goalId: 'rel-coins', progress: 4, status: 'in_progress', baseline: 100 }),
    ];
    const events = [statEvent('u1', 'score', undefined, 2), statEvent('u1', 'coins', undefined, 2)];
    const { changed, outcomes } = applyEvents({ events, rows, definitions, now });
    expect(changed).toEqual([]);
    expect(outcomes).toEqual(['no_change', 'no_change']);
  });

  it('counts a login on a login goal of the default (absolute) mode', () => {
    const rows = [row({ goalId: 'login-plain', progress: 1, status: 'in_progress' })];
    const { changed, outcomes } = applyEvents({ events: [login('u1')], rows, definitions, now });
    expect(changed).toEqual([
      expect.objectContaining({ goalId: 'login-plain', progress: 2, status: 'in_progress' }),
    ]);
    expect(outcomes).toEqual(['applied']);
  });

  it('counts inc-only events on increment goals and skips them on absolute ones', () => {
    const rows = [row({ goalId: 'inc-kills' }), row({ goalId: 'abs-score' })];
    const events = [statEvent('u1', 'kills', undefined, 2), statEvent('u1', 'score', undefined, 2)];
    const { changed, outcomes } = applyEvents({ events, rows, definitions, now });
    expect(changed).toEqual([expect.objectContaining({ goalId: 'inc-kills', progress: 2 })]);
    expect(outcomes).toEqual(['applied', 'no_change']);
  });
});
