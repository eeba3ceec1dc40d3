import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from './rest.ts';
import { type Subscription, subscribe } from './stream.ts';
import type { StreamEvent } from './types.ts';

// A real HTTP server speaking SSE as the api does (docs/push.md): the client's parsing,
// resume and give-up rules, without an api behind it.

const goal = (goalId: string, progress: number) => ({
  goalId,
  name: goalId,
  description: '',
  progress,
  status: progress > 0 ? 'in_progress' : 'not_started',
  locked: false,
  completedAt: '',
  claimedAt: '',
  isActive: true,
  expiresAt: '',
  expiresInSeconds: 0,
  requirement: { statCode: 's', operator: '>=', targetValue: 10 },
  reward: { type: 'ITEM', rewardId: 'r', quantity: 1 },
  prerequisites: [],
});

const snapshotFrame = (id: string) =>
  `event: snapshot\nid: ${id}\ndata: ${JSON.stringify({
    challenges: [
      { challengeId: 'c', name: 'c', description: '', goals: [goal('a', 0), goal('b', 0)] },
    ],
  })}\n\n`;

const changeFrame = (id: string, progress: number) =>
  `event: change\nid: ${id}\ndata: ${JSON.stringify({
    goals: [{ ...goal('a', progress), challengeId: 'c' }],
  })}\n\n`;

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let server: Server | undefined;
let subscription: Subscription | undefined;

async function serve(handler: Handler): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The events received, and a promise for the n-th one. */
function collect() {
  const events: StreamEvent[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  return {
    events,
    next: (n: number) =>
      new Promise<void>((resolve) => {
        if (events.length >= n) resolve();
        else waiters.push({ n, resolve });
      }),
    push: (event: StreamEvent) => {
      events.push(event);
      for (const w of waiters.filter((w) => events.length >= w.n)) w.resolve();
    },
  };
}

afterEach(async () => {
  subscription?.close();
  subscription = undefined;
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

describe('subscribe', () => {
  it('parses frames split anywhere, skips heartbeats and keeps every goal current', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const text = `: heartbeat\n\n${snapshotFrame('1-0')}${changeFrame('2-0', 4)}`;
      // One byte at a time: a frame's lines arrive in different chunks.
      let i = 0;
      const tick = () => {
        if (i < text.length) res.write(text[i++], tick);
      };
      tick();
    });
    const sink = collect();
    subscription = subscribe({ baseUrls: [base], mockUserId: 'p' }, { onEvent: sink.push });
    await sink.next(2);
    expect(sink.events.map((e) => [e.type, e.id])).toEqual([
      ['snapshot', '1-0'],
      ['change', '2-0'],
    ]);
    expect(subscription.goals().get('c/a')?.progress).toBe(4);
    expect(subscription.goals().get('c/b')?.progress).toBe(0);
    expect(subscription.lastEventId()).toBe('2-0');
  });

  it('resumes after a dropped connection with the last id it saw', async () => {
    const seen: (string | undefined)[] = [];
    const base = await serve((req, res) => {
      const last = req.headers['last-event-id'] as string | undefined;
      seen.push(last);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('retry: 10\n\n');
      res.write(last === undefined ? snapshotFrame('1-0') : changeFrame('3-0', 7));
    });
    const sink = collect();
    subscription = subscribe({ baseUrls: [base], mockUserId: 'p' }, { onEvent: sink.push });
    await sink.next(1);
    subscription.drop();
    await sink.next(2);
    expect(seen).toEqual([undefined, '1-0']);
    expect(sink.events[1]).toMatchObject({ type: 'change', id: '3-0' });
    expect(subscription.goals().get('c/a')?.progress).toBe(7);
  });

  it('gives up on refused credentials and reports the error body', async () => {
    let calls = 0;
    const base = await serve((_req, res) => {
      calls++;
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 16, errorCode: 'UNAUTHENTICATED', message: 'no token' }));
    });
    const disconnects: { error: Error | undefined; final: boolean }[] = [];
    const ended = new Promise<void>((resolve) => {
      subscription = subscribe(
        { baseUrls: [base] },
        {
          onEvent: () => {},
          reconnectDelayMs: 1,
          onDisconnect: (error, final) => {
            disconnects.push({ error, final });
            if (final) resolve();
          },
        },
      );
    });
    await ended;
    expect(calls).toBe(1);
    expect(disconnects).toHaveLength(1);
    expect(disconnects[0]!.error).toBeInstanceOf(ApiError);
    expect((disconnects[0]!.error as ApiError).status).toBe(401);
  });
});
