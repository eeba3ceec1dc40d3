import { connect, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../testing/test-api.ts';

const KEY = 'limits-ingest-key';
const MB = 1024 * 1024;
let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ INGEST_API_KEYS: KEY });
});
afterAll(async () => t?.close());

interface Answer {
  /** e.g. `HTTP/1.1 413 Payload Too Large`; '' when none arrived. */
  status: string;
  body: string;
}

/** Opens a connection and sends the request head of a `size`-byte JSON POST. */
function openPost(path: string, headers: Record<string, string>, size: number): Socket {
  const socket = connect(t.api.port, '127.0.0.1');
  const lines = [`POST ${path} HTTP/1.1`, 'host: 127.0.0.1', `content-length: ${size}`];
  for (const [name, value] of Object.entries({ 'content-type': 'application/json', ...headers }))
    lines.push(`${name}: ${value}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  return socket;
}

/** The first complete answer on the socket, or what arrived before it closed or `timeoutMs`. */
function answerOf(socket: Socket, timeoutMs = 15_000): Promise<Answer> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve({ status: '', body: '' });
    let text = '';
    const done = () => {
      clearTimeout(timer);
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: head.split('\r\n')[0] ?? '', body });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (chunk) => {
      text += chunk;
      const [head, body] = text.split('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(head ?? '')?.[1] ?? Number.NaN);
      if (body !== undefined && Buffer.byteLength(body) >= length) done();
    });
    socket.on('error', () => undefined);
    socket.on('close', done);
    socket.resume();
  });
}

/**
 * The classic HTTP/1.1 client on a modest uplink (64 KB every 10 ms, ≈ 6 MB/s): it writes the
 * whole request, then reads the answer. A server that closes mid-upload makes its next write
 * fail with a reset, and the answer is lost unread.
 */
async function upload(path: string, headers: Record<string, string>, size: number) {
  const socket = openPost(path, headers, size).pause();
  const chunk = Buffer.alloc(64 * 1024, 'x');
  for (let sent = 0; sent < size && !socket.destroyed; sent += chunk.length) {
    await new Promise((written) => socket.write(chunk, written));
    await delay(10);
  }
  const result = await answerOf(socket);
  socket.destroy();
  return result;
}

const expectErrorBody = (answer: Answer, status: number, errorCode: string) => {
  expect(answer.status, JSON.stringify(answer)).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
  expect(JSON.parse(answer.body)).toMatchObject({ errorCode });
};

describe('a body over the limit', () => {
  it('gets its 413 and error body every time, never a connection reset (uploads in parallel)', async () => {
    const routes = [
      // 64 KB limit
      ['/challenge/v1/challenges/pool/goals/batch-select', { 'x-mock-user-id': 'big' }],
      // 1 MB limit
      ['/challenge/v1/events', { 'x-api-key': KEY }],
    ] as const;
    const results = await Promise.all(
      Array.from({ length: 10 }, () => routes.map(([path, h]) => upload(path, h, 2 * MB))).flat(),
    );
    for (const result of results) expectErrorBody(result, 413, 'PAYLOAD_TOO_LARGE');
  });
});

describe('POST /v1/events checks the ingest key before reading the body', () => {
  it('answers 401 to a wrong key with most of a malformed 1 MB body still unsent', async () => {
    for (const key of ['wrong', '']) {
      const socket = openPost('/challenge/v1/events', { 'x-api-key': key }, MB);
      // Malformed JSON: a parse before the key check would answer 400, and only after 1 MB.
      socket.write(Buffer.alloc(64 * 1024, '{'));
      const answer = await answerOf(socket, 10_000);
      socket.destroy();
      expectErrorBody(answer, 401, 'UNAUTHENTICATED');
    }
  });

  it('still parses the body of a valid key (a malformed one is 400)', async () => {
    const res = await t.call('POST', '/challenge/v1/events', {
      rawBody: '{'.repeat(1000),
      headers: { 'x-api-key': KEY },
    });
    expect(res.status).toBe(400);
  });
});

describe('x-request-id', () => {
  const idOf = async (value?: string) => {
    const res = await t.call(
      'GET',
      '/healthz',
      value === undefined ? {} : { headers: { 'x-request-id': value } },
    );
    return res.headers.get('x-request-id');
  };

  it('echoes a well-formed id', async () => {
    for (const id of [
      'abc-123',
      '0f8fad5b-d9cb-469f-a165-70867728950e',
      'trace:1.2/3+x=',
      'a'.repeat(128),
    ]) {
      expect(await idOf(id)).toBe(id);
    }
  });

  it('replaces an over-long or unsafe id by a fresh one', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const id of [
      'a'.repeat(129),
      'x'.repeat(8000),
      'has space',
      'quote"s',
      '{"level":60}',
      'é',
    ]) {
      const echoed = await idOf(id);
      expect(echoed, id).toMatch(uuid);
    }
    const first = await idOf();
    expect(first).toMatch(uuid);
    expect(await idOf()).not.toBe(first);
  });
});
