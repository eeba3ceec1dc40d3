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

  it('never refuses when the limit is 0', () => {
    const limiter = rateLimiter({ perMinute: 0 });
    for (let i = 0; i < 10_000; i++) limiter.check('a');
  });
});
