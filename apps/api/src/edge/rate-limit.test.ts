import { describe, expect, it } from 'vitest';
import { rateLimiter } from './rate-limit.ts';

describe('rateLimiter', () => {
  it('refuses the request after the limit within one minute, per player', () => {
    let t = 120_000;
    const limiter = rateLimiter({ perMinute: 2, now: () => t });
    limiter.check('a');
    limiter.check('a');
    expect(() => limiter.check('a')).toThrow(/rate limit of 2/);
    expect(() => limiter.check('b')).not.toThrow();
    t += 60_000;
    expect(() => limiter.check('a')).not.toThrow();
  });

  it('windows are calendar minutes: the count resets exactly at the boundary', () => {
    let t = Date.UTC(2030, 0, 1, 12, 0, 59, 0);
    const limiter = rateLimiter({ perMinute: 1, now: () => t });
    limiter.check('a');
    t += 999; // 12:00:59.999, same minute
    expect(() => limiter.check('a')).toThrow(/rate limit of 1/);
    t += 1; // 12:01:00.000, a new window although only 1 s passed since the first call
    expect(() => limiter.check('a')).not.toThrow();
    expect(() => limiter.check('a')).toThrow(/rate limit of 1/);
  });

  it('never refuses when the limit is 0', () => {
    const limiter = rateLimiter({ perMinute: 0 });
    for (let i = 0; i < 10_000; i++) limiter.check('a');
  });
});
