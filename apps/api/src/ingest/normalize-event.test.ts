import { parseDefinitions } from '@challenges/core';
import { describe, expect, it } from 'vitest';
import { parseHttpBatch } from './http-events.ts';
import { fromStatItemUpdated, fromUserLoggedIn, skipReason } from './normalize-event.ts';

const base = { id: 'e1', namespace: 'test', timestamp: '', userId: 'alice' };

describe('gRPC normalisation', () => {
  it('maps a stat update, keeping both value and inc', () => {
    const event = fromStatItemUpdated(
      { ...base, payload: { statCode: 'kills', latestValue: 5, inc: 2 } },
      42,
    );
    expect(event).toEqual({
      type: 'stat',
      id: 'e1',
      userId: 'alice',
      statCode: 'kills',
      value: 5,
      inc: 2,
      timestamp: undefined,
      receivedAt: 42,
    });
  });

  it('refuses empty or oversized ids with INVALID_ARGUMENT', () => {
    expect(() => fromUserLoggedIn({ ...base, userId: '' }, 1)).toThrow(/user_id/);
    expect(() => fromUserLoggedIn({ ...base, userId: 'u'.repeat(129) }, 1)).toThrow(/user_id/);
    expect(() => fromStatItemUpdated({ ...base, payload: undefined }, 1)).toThrow(/stat_code/);
    expect(() =>
      fromStatItemUpdated(
        { ...base, payload: { statCode: 'k', latestValue: Number.NaN, inc: 0 } },
        1,
      ),
    ).toThrow(/finite/);
  });

  it('gives an event without id a generated one', () => {
    expect(fromUserLoggedIn({ ...base, id: '' }, 1).id).toMatch(/^ingest-/);
  });
});

describe('skipReason', () => {
  const defs = (eventSource: 'login' | 'statistic') =>
    parseDefinitions({
      challenges: [
        {
          challengeId: 'c',
          name: 'C',
          description: '',
          goals: [
            {
              goalId: 'g',
              name: 'G',
              description: '',
              eventSource,
              requirement: { statCode: 'kills', operator: '>=', targetValue: 1 },
              reward: { type: 'ITEM', rewardId: 'r', quantity: 1 },
              prerequisites: [],
            },
          ],
        },
      ],
    });
  const login = fromUserLoggedIn(base, 1);
  const stat = (statCode: string) =>
    fromStatItemUpdated({ ...base, payload: { statCode, latestValue: 1, inc: 1 } }, 1);

  it('skips other namespaces, untracked stats, and logins nobody listens to', () => {
    expect(skipReason(stat('kills'), 'test', 'test', defs('statistic'))).toBeUndefined();
    expect(skipReason(stat('kills'), 'other', 'test', defs('statistic'))).toBe('namespace');
    expect(skipReason(stat('deaths'), 'test', 'test', defs('statistic'))).toBe('unknown_stat');
    expect(skipReason(login, 'test', 'test', defs('statistic'))).toBe('no_login_goals');
    expect(skipReason(login, 'test', 'test', defs('login'))).toBeUndefined();
  });
});

describe('parseHttpBatch', () => {
  it('names the failing event and field', () => {
    expect(() =>
      parseHttpBatch({ events: [{ id: 'a', type: 'stat', userId: 'u', value: 1 }] }, 1),
    ).toThrow(/events\[0\]\.statCode: required for stat events/);
  });
});
