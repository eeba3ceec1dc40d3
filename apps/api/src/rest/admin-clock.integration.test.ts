import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.ts';

let t: TestApi;
let peer: TestApi;
let disabled: TestApi;
beforeAll(async () => {
  const shared = {
    QA_CLOCK: 'enabled',
    ADMIN_API_KEY: 'admin-secret',
    QUEUE_PREFIX: `clock-${process.pid}-${Date.now()}`,
  };
  t = await startTestApi(shared);
  peer = await startTestApi(shared);
  disabled = await startTestApi({ ADMIN_API_KEY: 'admin-secret' });
});
afterAll(async () => {
  await t?.close();
  await peer?.close();
  await disabled?.close();
});

const admin = { authorization: 'Bearer admin-secret' };

describe('/admin/v1/clock', () => {
  it('401 without credentials, 403 for a player or a wrong key', async () => {
    const anonymous = await t.call('GET', '/challenge/admin/v1/clock');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe(16);
    const player = await t.call('GET', '/challenge/admin/v1/clock', { user: 'p1' });
    expect(player.status).toBe(403);
    expect(player.body.code).toBe(7);
    const wrong = await t.call('POST', '/challenge/admin/v1/clock', {
      headers: { authorization: 'Bearer nope' },
      body: { offsetSeconds: 100 },
    });
    expect(wrong.status).toBe(403);
    const state = await t.call('GET', '/challenge/admin/v1/clock', { headers: admin });
    expect(state.body.offsetSeconds).toBe(0);
  });

  it('shifts now for rotation answers, and back', async () => {
    const before = await t.call('GET', '/challenge/v1/challenges/daily/rotation', { user: 'p' });
    const set = await t.call('POST', '/challenge/admin/v1/clock', {
      headers: admin,
      body: { offsetSeconds: 2 * 86_400 },
    });
    expect(set.status).toBe(200);
    expect(set.body.offsetSeconds).toBe(2 * 86_400);
    expect(Date.parse(set.body.now) - Date.now()).toBeGreaterThan(2 * 86_400_000 - 5000);
    const after = await t.call('GET', '/challenge/v1/challenges/daily/rotation', { user: 'p' });
    expect(
      Date.parse(after.body.rotation.currentPeriod.startTime) -
        Date.parse(before.body.rotation.currentPeriod.startTime),
    ).toBe(2 * 86_400_000);
    const reset = await t.call('POST', '/challenge/admin/v1/clock', {
      headers: admin,
      body: { offsetSeconds: 0 },
    });
    expect(reset.body.offsetSeconds).toBe(0);
  });

  it('reaches another api process of the same stack within 2 s', async () => {
    await t.call('POST', '/challenge/admin/v1/clock', {
      headers: admin,
      body: { offsetSeconds: 3600 },
    });
    try {
      const deadline = Date.now() + 2000;
      let seen = 0;
      while (Date.now() < deadline) {
        seen = (await peer.call('GET', '/challenge/admin/v1/clock', { headers: admin })).body
          .offsetSeconds;
        if (seen === 3600) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(seen).toBe(3600);
    } finally {
      await t.call('POST', '/challenge/admin/v1/clock', {
        headers: admin,
        body: { offsetSeconds: 0 },
      });
    }
  });

  it('rejects a bad offset and refuses to shift when QA_CLOCK is not enabled', async () => {
    const bad = await t.call('POST', '/challenge/admin/v1/clock', {
      headers: admin,
      body: { offsetSeconds: 'soon' },
    });
    expect(bad.status).toBe(400);
    const refused = await disabled.call('POST', '/challenge/admin/v1/clock', {
      headers: admin,
      body: { offsetSeconds: 60 },
    });
    expect(refused.status).toBe(403);
    const state = await disabled.call('GET', '/challenge/admin/v1/clock', { headers: admin });
    expect(state.body.offsetSeconds).toBe(0);
  });
});
