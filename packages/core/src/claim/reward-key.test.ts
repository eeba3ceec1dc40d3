import { describe, expect, it } from 'vitest';
import { legacyRewardIdempotencyKey, rewardIdempotencyKey, rewardKeyPeriod } from './reward-key.ts';

const today = '2026-01-10T00:00:00.000Z';

describe('rewardIdempotencyKey', () => {
  it('is one key per user, goal and period, `once` for goals that do not rotate', () => {
    expect(rewardIdempotencyKey({ userId: 'u1', goalId: 'g1', periodKey: today })).toBe(
      `u1:g1:${today}`,
    );
    expect(rewardIdempotencyKey({ userId: 'u1', goalId: 'g1', periodKey: null })).toBe(
      'u1:g1:once',
    );
  });

  it('equals the first format for ids without `:` or `%`, so stored keys keep working', () => {
    for (const [userId, goalId] of [
      ['9f86d081884c7d659a2feaa0c55ad015', 'kill-10'],
      ['player.one@example', 'daily_login'],
    ] as const) {
      for (const periodKey of [null, today]) {
        expect(rewardIdempotencyKey({ userId, goalId, periodKey })).toBe(
          legacyRewardIdempotencyKey({ userId, goalId, periodKey }),
        );
      }
    }
  });

  it('gives different keys to the pairs that shared one in the first format', () => {
    const a = { userId: 'a:b', goalId: 'c', periodKey: null };
    const b = { userId: 'a', goalId: 'b:c', periodKey: null };
    expect(legacyRewardIdempotencyKey(a)).toBe(legacyRewardIdempotencyKey(b));
    expect(rewardIdempotencyKey(a)).toBe('a%3Ab:c:once');
    expect(rewardIdempotencyKey(b)).toBe('a:b%3Ac:once');
    // An id that looks encoded already is encoded again, not confused with its decoded twin.
    expect(rewardIdempotencyKey({ ...a, userId: 'a%3Ab' })).toBe('a%253Ab:c:once');
  });

  it('never gives two different claims one key (every short id over a hostile alphabet)', () => {
    const ids = [''];
    for (let length = 1; length <= 3; length++) {
      for (const id of ids.filter((i) => i.length === length - 1)) {
        for (const char of ['a', ':', '%', '3', 'A']) ids.push(id + char);
      }
    }
    const seen = new Map<string, string>();
    const collisions: string[] = [];
    for (const userId of ids) {
      for (const goalId of ids) {
        for (const periodKey of [null, today, 'once']) {
          const key = rewardIdempotencyKey({ userId, goalId, periodKey });
          // `null` and the literal period `once` mean the same period: one claim.
          const claim = JSON.stringify([userId, goalId, periodKey ?? 'once']);
          const earlier = seen.get(key);
          if (earlier !== undefined && earlier !== claim) collisions.push(`${earlier} ${claim}`);
          seen.set(key, claim);
        }
      }
    }
    expect(collisions).toEqual([]);
    expect(seen.size).toBe(ids.length * ids.length * 2);
  });
});

describe('rewardKeyPeriod', () => {
  it('reads the period back from keys of either format', () => {
    const claim = { userId: 'a:b', goalId: 'g%1', periodKey: today };
    expect(rewardKeyPeriod({ key: rewardIdempotencyKey(claim), ...claim })).toBe(today);
    expect(rewardKeyPeriod({ key: legacyRewardIdempotencyKey(claim), ...claim })).toBe(today);
    expect(rewardKeyPeriod({ key: 'u1:g1:once', userId: 'u1', goalId: 'g1' })).toBeNull();
  });

  it('is undefined for a key of another user or goal', () => {
    expect(rewardKeyPeriod({ key: 'u2:g1:once', userId: 'u1', goalId: 'g1' })).toBeUndefined();
  });
});
