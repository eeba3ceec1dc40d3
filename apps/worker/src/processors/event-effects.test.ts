import type { GameEvent } from '@challenges/core';
import { describe, expect, it } from 'vitest';
import { eventsDefinitions, row } from '../testing/fixtures.ts';
import { applyEvents, distinctEvents, targetKeys } from './event-effects.ts';

const definitions = eventsDefinitions();
const now = new Date('2026-03-02T12:00:00.000Z');
let seq = 0;
const stat = (userId: string, statCode: string, value?: number, inc?: number): GameEvent => ({
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
    const a = stat('u1', 'score', 1);
    const b = stat('u1', 'score', 2);
    const result = distinctEvents([a, b, { ...a, value: 9 } as GameEvent]);
    expect(result.events).toEqual([a, b]);
    expect(result.repeats).toBe(1);
  });
});

describe('targetKeys', () => {
  it('fans a stat out to its goals and a login to the login goals, each key once', () => {
    const keys = targetKeys(
      [stat('u1', 'score', 1), stat('u1', 'score', 2), login('u2'), stat('u3', 'nothing', 1)],
      definitions,
    );
    const pairs = keys.userIds.map((u, i) => `${u}/${keys.goalIds[i]}`);
    expect(pairs).toEqual([
      'u1/abs-score',
      'u1/optional-score',
      'u2/legacy-daily-login',
      'u2/login-3',
    ]);
  });
});

describe('applyEvents', () => {
  it('applies a user’s events in order and writes each row once with its final state', () => {
    const rows = [row({ goalId: 'abs-score' }), row({ goalId: 'inc-kills' })];
    const events = [stat('u1', 'score', 4), stat('u1', 'score', 12), stat('u1', 'score', 3)];
    const { changed, outcomes } = applyEvents({ events, rows, definitions, now });
    expect(changed).toEqual([
      expect.objectContaining({ goalId: 'abs-score', progress: 3, status: 'completed' }),
    ]);
    expect(outcomes).toEqual(['applied', 'applied', 'applied']);
  });

  it('says why an event changed nothing', () => {
    const rows = [row({ goalId: 'claim-me', status: 'claimed', progress: 1, claimedAt: now })];
    const events = [stat('u1', 'nothing', 1), stat('u1', 'score', 5), stat('u1', 'treasure', 3)];
    const { changed, outcomes } = applyEvents({ events, rows, definitions, now });
    expect(changed).toEqual([]);
    expect(outcomes).toEqual(['no_goal', 'no_assignment', 'no_change']);
  });

  it('counts inc-only events on increment goals and skips them on absolute ones', () => {
    const rows = [row({ goalId: 'inc-kills' }), row({ goalId: 'abs-score' })];
    const events = [stat('u1', 'kills', undefined, 2), stat('u1', 'score', undefined, 2)];
    const { changed, outcomes } = applyEvents({ events, rows, definitions, now });
    expect(changed).toEqual([expect.objectContaining({ goalId: 'inc-kills', progress: 2 })]);
    expect(outcomes).toEqual(['applied', 'no_change']);
  });
});
