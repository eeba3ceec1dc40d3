import { type StreamEvent, subscribe } from '@challenges/client';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { playerToken, TEST_JWT_SECRET } from '../testing/player-tokens.ts';
import { startTestApi, type TestApi } from '../testing/test-api.ts';

// How a stream ends (docs/push.md): at the token's expiry, and when the replica shuts down.
const started: TestApi[] = [];
afterAll(async () => {
  await Promise.all(started.map((t) => t.close().catch(() => undefined)));
});

async function closeEventOf(t: TestApi, token: string) {
  const events: StreamEvent[] = [];
  let closed: string | undefined;
  const sub = subscribe(
    { baseUrls: [`http://127.0.0.1:${t.api.port}`], token },
    {
      onEvent: (event) => events.push(event),
      onDisconnect: () => {
        closed ??= 'disconnected';
      },
    },
  );
  return { sub, events, closed: () => closed };
}

describe('stream lifecycle', { timeout: 60_000 }, () => {
  it('ends the stream with event: close when the token expires', async () => {
    const t = await startTestApi({ AUTH_MODE: 'jwt', JWT_SECRET: TEST_JWT_SECRET });
    started.push(t);
    const expiresAt = Math.floor(Date.now() / 1000) + 3;
    const token = await playerToken('expiring-player', { expiresIn: expiresAt });
    const res = await fetch(t.url('/challenge/v1/challenges/stream'), {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const text = await res.text(); // ends when the server closes the stream
    expect(text).toContain('event: snapshot');
    expect(text).toMatch(/event: close\ndata: \{"reason":"expired"\}\n\n$/);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt * 1000 - 50);
    expect(t.api.push.hub?.connections()).toBe(0);
  });

  it('closes open streams with event: close on shutdown, and the close does not wait for them', async () => {
    const t = await startTestApi({ AUTH_MODE: 'jwt', JWT_SECRET: TEST_JWT_SECRET });
    const token = await playerToken('shutdown-player');
    const stream = await closeEventOf(t, token);
    await vi.waitFor(() => expect(stream.events[0]?.type).toBe('snapshot'), { timeout: 15_000 });
    const res = await fetch(t.url('/challenge/v1/challenges/stream'), {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = res.text();
    const started = performance.now();
    await t.close();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await body).toMatch(/event: close\ndata: \{"reason":"shutdown"\}\n\n$/);
    stream.sub.close();
  });
});
