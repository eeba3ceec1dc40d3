import { describe, expect, it } from 'vitest';
import { planRestart, restartDelayMs } from './backoff.ts';

describe('restartDelayMs', () => {
  it('doubles from 1 s and caps at 30 s', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6, 50].map((attempt) => restartDelayMs(attempt));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('honours a custom policy', () => {
    expect(restartDelayMs(2, { baseMs: 10, maxMs: 25, resetAfterMs: 100 })).toBe(25);
  });
});

describe('planRestart', () => {
  it('backs off further while the child keeps crashing quickly', () => {
    let attempt = 0;
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const plan = planRestart(attempt, 500);
      delays.push(plan.delayMs);
      attempt = plan.nextAttempt;
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000]);
  });

  it('starts over at 1 s after 60 s of healthy uptime', () => {
    expect(planRestart(5, 59_999)).toEqual({ delayMs: 30_000, nextAttempt: 6 });
    expect(planRestart(5, 60_000)).toEqual({ delayMs: 1_000, nextAttempt: 1 });
  });
});
