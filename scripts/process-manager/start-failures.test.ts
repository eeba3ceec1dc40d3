import { describe, expect, it } from 'vitest';
import { failureLine, nextStreak } from './start-failures.ts';

describe('start failures', () => {
  it('compares pino lines by their message, whatever their time and pid', () => {
    const run = (pid: number, time: number) =>
      failureLine(JSON.stringify({ level: 60, time, pid, msg: 'connect ECONNREFUSED' }));
    expect(run(1, 10)).toBe('connect ECONNREFUSED');
    expect(run(1, 10)).toBe(run(2, 20));
    expect(failureLine('  api cannot start: x  ')).toBe('api cannot start: x');
    expect(failureLine('[1, 2]')).toBe('[1, 2]');
  });

  it('counts quick identical failures; a different one or a healthy uptime starts over', () => {
    let streak = nextStreak(undefined, 'a', true);
    streak = nextStreak(streak, 'a', true);
    expect(streak.count).toBe(2);
    expect(nextStreak(streak, 'b', true).count).toBe(1);
    expect(nextStreak(streak, 'a', false).count).toBe(0);
  });
});
