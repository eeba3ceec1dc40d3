import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.ts';

let t: TestApi;
// The rate limiter's clock, pinned mid-minute: a burst never straddles a window by chance.
let rateClock = Date.UTC(2030, 0, 1, 12, 0, 30);
beforeAll(async () => {
  t = await startTestApi({ RATE_LIMIT_PER_MIN: '5' }, { rateLimitNow: () => rateClock });
});
afterAll(async () => t?.close());

const expectErrorBody = (body: any, code: number, errorCode: string) => {
  expect(body).toEqual({ code, errorCode, message: expect.any(String), details: [] });
  expect(body.message.length).toBeGreaterThan(0);
};

async function rowCount(user: string) {
  return (await t.api.ctx.progress.listByUser(user)).length;
}

describe('bad input gets a 4xx with the error body and writes nothing', () => {
  it('requires auth: missing or empty x-mock-user-id → 401 code 16', async () => {
    const headerCases: Record<string, string>[] = [
      {},
      { 'x-mock-user-id': '' },
      { 'x-mock-user-id': '   ' },
    ];
    for (const headers of headerCases) {
      const res = await t.call('GET', '/challenge/v1/challenges', { headers });
      expect(res.status).toBe(401);
      expectErrorBody(res.body, 16, 'UNAUTHENTICATED');
    }
  });

  it('malformed JSON and wrong types → 400 code 3', async () => {
    const user = 'bad-json';
    const path = '/challenge/v1/challenges/pool/goals/batch-select';
    const cases: { rawBody?: string; body?: unknown }[] = [
      { rawBody: '{"goalIds": [' },
      { rawBody: 'not json at all' },
      { body: { goalIds: 'pool-1' } },
      { body: { goalIds: [1, 2] } },
      { body: { goalIds: ['pool-1'], replaceExisting: 'yes' } },
      { body: ['pool-1'] },
      { body: 'pool-1' },
    ];
    for (const [i, c] of cases.entries()) {
      const res = await t.call('POST', path, {
        user: `${user}-${i}`,
        ...c,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status, JSON.stringify(c)).toBe(400);
      expectErrorBody(res.body, 3, 'INVALID_ARGUMENT');
      expect(await rowCount(`${user}-${i}`)).toBe(0);
    }
    const count = await t.call('POST', '/challenge/v1/challenges/pool/goals/random-select', {
      user,
      body: { count: 1.5 },
    });
    expect(count.status).toBe(400);
    expect(await rowCount(user)).toBe(0);
  });

  it('a 10 MB body → 413 with the error body', async () => {
    const user = 'bad-big';
    const huge = JSON.stringify({ goalIds: ['x'.repeat(10 * 1024 * 1024)] });
    const res = await t.call('POST', '/challenge/v1/challenges/pool/goals/batch-select', {
      user,
      rawBody: huge,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expectErrorBody(res.body, 3, 'PAYLOAD_TOO_LARGE');
    expect(await rowCount(user)).toBe(0);
  });

  it('unicode and very long ids → 404 or 400, nothing written', async () => {
    const user = 'bad-ids';
    const unicode = encodeURIComponent('挑战-🎮');
    const res = await t.call('PUT', `/challenge/v1/challenges/${unicode}/goals/${unicode}/active`, {
      user,
      body: { isActive: true },
    });
    expect(res.status).toBe(404);
    expectErrorBody(res.body, 5, 'NOT_FOUND');
    const long = 'g'.repeat(300);
    const tooLong = await t.call('PUT', `/challenge/v1/challenges/pool/goals/${long}/active`, {
      user,
      body: { isActive: true },
    });
    expect(tooLong.status).toBe(400);
    expectErrorBody(tooLong.body, 3, 'INVALID_ARGUMENT');
    const veryLong = await t.call(
      'POST',
      `/challenge/v1/challenges/${'c'.repeat(5000)}/goals/x/claim`,
      {
        user,
      },
    );
    expect(veryLong.status).toBeGreaterThanOrEqual(400);
    expect(veryLong.status).toBeLessThan(500);
    expect(veryLong.body.code).toBeTypeOf('number');
    const unicodeUser = await t.call('POST', '/challenge/v1/challenges/initialize', {
      headers: { 'x-mock-user-id': encodeURIComponent('玩家') },
    });
    expect(unicodeUser.status).toBe(200);
    const longUser = await t.call('POST', '/challenge/v1/challenges/initialize', {
      user: 'u'.repeat(500),
    });
    expect(longUser.status).toBe(401);
    expect(await rowCount(user)).toBe(0);
    expect(await rowCount('u'.repeat(500))).toBe(0);
  });

  it('unknown routes → 404 and wrong methods → 405, with the error body', async () => {
    const notFound = await t.call('GET', '/challenge/v1/nothing-here', { user: 'x' });
    expect(notFound.status).toBe(404);
    expectErrorBody(notFound.body, 5, 'ROUTE_NOT_FOUND');
    const wrongMethod = await t.call('DELETE', '/challenge/v1/challenges', { user: 'x' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toContain('GET');
    expectErrorBody(wrongMethod.body, 12, 'METHOD_NOT_ALLOWED');
    const claimGet = await t.call('GET', '/challenge/v1/challenges/pool/goals/pool-1/claim', {
      user: 'x',
    });
    expect(claimGet.status).toBe(405);
  });

  it('rate limits each player per minute with 429 code 8', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push(
        (await t.call('GET', '/challenge/v1/challenges', { user: 'rate-limited' })).status,
      );
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const other = await t.call('GET', '/challenge/v1/challenges', { user: 'rate-other' });
    expect(other.status).toBe(200);
    const limited = await t.call('GET', '/challenge/v1/challenges', { user: 'rate-limited' });
    expectErrorBody(limited.body, 8, 'RATE_LIMITED');
    // Still refused at the last millisecond of the minute, served again at the next one.
    rateClock = Date.UTC(2030, 0, 1, 12, 0, 59, 999);
    expect((await t.call('GET', '/challenge/v1/challenges', { user: 'rate-limited' })).status).toBe(
      429,
    );
    rateClock = Date.UTC(2030, 0, 1, 12, 1, 0);
    expect((await t.call('GET', '/challenge/v1/challenges', { user: 'rate-limited' })).status).toBe(
      200,
    );
  });
});
