import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { independentClient } from './grpc/testing/independent-client.ts';
import { startTestApi, type TestApi } from './testing/test-api.ts';

// Two api replicas on one Redis (one QUEUE_PREFIX), as behind a load balancer. Their clocks are
// pinned mid-minute, so the requests never straddle a window by chance.
const QUEUE_PREFIX = `test-replicas-rate-${process.pid}-${Math.random().toString(36).slice(2)}`;
const midMinute = () => Date.UTC(2030, 0, 1, 12, 0, 30);
let a: TestApi;
let b: TestApi;
beforeAll(async () => {
  const env = { RATE_LIMIT_PER_MIN: '6', QUEUE_PREFIX };
  [a, b] = await Promise.all([
    startTestApi(env, { rateLimitNow: midMinute }),
    startTestApi(env, { rateLimitNow: midMinute }),
  ]);
});
afterAll(async () => Promise.all([a?.close(), b?.close()]));

describe('the per-player rate limit across api replicas', () => {
  it('is one budget: round robin over two replicas allows the limit, not twice it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      for (const api of [a, b]) {
        statuses.push((await api.call('GET', '/challenge/v1/challenges', { user: 'rr' })).status);
      }
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.slice(6)).toEqual([429, 429, 429, 429, 429, 429]);
    // Another player's budget is untouched.
    expect((await b.call('GET', '/challenge/v1/challenges', { user: 'rr-other' })).status).toBe(
      200,
    );
  });

  it('answers 429 as the contract says, on REST and on gRPC of either replica', async () => {
    for (let i = 0; i < 6; i++)
      await a.call('POST', '/challenge/v1/challenges/initialize', { user: 'c' });
    const limited = await b.call('GET', '/challenge/v1/challenges', {
      user: 'c',
      headers: { 'x-request-id': 'rate-limit-contract' },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/json/);
    expect(limited.headers.get('x-request-id')).toBe('rate-limit-contract');
    expect(limited.body).toEqual({
      code: 8,
      errorCode: 'RATE_LIMITED',
      message: 'rate limit of 6 requests per minute exceeded',
      details: [],
    });
    const grpc = independentClient(a.grpcAddress);
    try {
      const answer = await grpc.call('GetUserChallenges', {}, { user: 'c' });
      expect(answer).toMatchObject({ ok: false, code: 8, errorCode: 'RATE_LIMITED' });
    } finally {
      grpc.close();
    }
  });
});
