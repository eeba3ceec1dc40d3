import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { errorKind, runOpenLoop } from './open-loop.ts';

describe('runOpenLoop', () => {
  it('keeps the arrival rate while answers are slow, and counts the queueing as latency', async () => {
    // 200 req/s for 0.25 s against a server that needs 30 ms per answer: an open model keeps
    // sending every 5 ms, so several requests are in flight at once.
    const result = await runOpenLoop({ rate: 200, requests: 50, send: () => sleep(30) });
    expect(result.ok).toBe(50);
    expect(result.latenciesMs).toHaveLength(50);
    expect(Math.min(...result.latenciesMs)).toBeGreaterThanOrEqual(29);
    expect(result.maxInFlight).toBeGreaterThanOrEqual(5);
    expect(result.elapsedMs).toBeGreaterThan(240);
    expect(result.elapsedMs).toBeLessThan(1000);
  });

  it('counts failures by kind and still times them', async () => {
    const result = await runOpenLoop({
      rate: 1000,
      requests: 10,
      send: async (i) => {
        if (i % 5 === 0) throw new Error('HTTP 503');
      },
    });
    expect(result.ok).toBe(8);
    expect(result.errors).toEqual({ 'HTTP 503': 2 });
    expect(result.latenciesMs).toHaveLength(10);
  });
});

describe('errorKind', () => {
  it('prefers a system error code over the message', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    expect(errorKind(refused)).toBe('ECONNREFUSED');
    expect(errorKind('boom')).toBe('boom');
  });
});
