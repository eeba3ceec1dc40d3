import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.ts';

describe('backoffDelayMs (full jitter)', () => {
  const delay = (attempt: number, random: number) =>
    backoffDelayMs({ attempt, baseMs: 1000, capMs: 300_000, random: () => random });

  it('doubles the ceiling per attempt and scales it by the random draw', () => {
    expect([1, 2, 3, 4].map((a) => delay(a, 0.999_999))).toEqual([999, 1999, 3999, 7999]);
    expect(delay(3, 0.5)).toBe(2000);
    expect(delay(3, 0)).toBe(0);
  });

  it('never exceeds the cap, however many attempts', () => {
    expect(delay(10, 0.999_999)).toBe(299_999);
    expect(delay(1000, 0.999_999)).toBe(299_999);
  });
});
